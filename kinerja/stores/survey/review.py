"""The review queue: responses the fairness rules flagged wait here until staff accept them
(they count in the index from then on) or reject them.

A decision changes `status`, and the SQL triggers that keep `survey_tally` (see stats.py)
move the response between the tallies in the same transaction.
"""
from peewee import SQL, fn

from .units import valid_id
from ...models import AuditLog, Service, ServiceUnit, SurveyResponse, Unit, db, utcnow
from ...rules import DomainError

DECISIONS = {"accept": "valid", "reject": "rejected"}
ALREADY_DECIDED = "Tanggapan ini sudah ditinjau; muat ulang daftar tinjauan."
# Written with literal values, not parameters: SQLite uses a partial index only when it can
# see that the query implies the index's WHERE (models.py, migration 0006).
FLAGGED = SurveyResponse.status == SQL("'flagged'")
BULK_MAX = 500


def flagged(scope: Unit | None, su: ServiceUnit | None = None):
    """Flagged responses waiting for review, per unit oldest first, with their unit.

    Ordered as the partial index runs (unit, time) and joined to nothing that needs the
    response row, so a page and its count read only the flagged rows' index entries
    (service names come from service_names for the page shown)."""
    query = (SurveyResponse.select(SurveyResponse, ServiceUnit)
             .join(ServiceUnit).join(Unit).where(FLAGGED))
    if scope is not None:
        query = query.where(Unit.within(scope))
    if su is not None:
        query = query.where(SurveyResponse.service_unit == su)
    return query.order_by(SurveyResponse.service_unit, SurveyResponse.submitted_at,
                          SurveyResponse.id)


def flagged_among(scope: Unit | None, ids) -> list[SurveyResponse]:
    """The flagged responses in scope among the posted ids (the first BULK_MAX readable ones)."""
    ids = [i for i in (valid_id(x) for x in ids) if i is not None][:BULK_MAX]
    if not ids:
        return []
    return list(flagged(scope).where(SurveyResponse.id.in_(ids)))


def get_response(response_id) -> SurveyResponse | None:
    """A response with its service unit and that unit's Unit (for the scope check)."""
    response_id = valid_id(response_id)
    if response_id is None:
        return None
    return (SurveyResponse.select(SurveyResponse, ServiceUnit, Unit).join(ServiceUnit)
            .join(Unit).where(SurveyResponse.id == response_id).first())


def service_names(responses) -> dict:
    """{service id: name} for the responses of one page, in one query."""
    ids = {r.service_id for r in responses if r.service_id}
    if not ids:
        return {}
    return dict(Service.select(Service.id, Service.name).where(Service.id.in_(list(ids))).tuples())


def flagged_count(scope: Unit | None, su: ServiceUnit | None = None) -> int:
    query = SurveyResponse.select().join(ServiceUnit).join(Unit).where(FLAGGED)
    if scope is not None:
        query = query.where(Unit.within(scope))
    if su is not None:
        query = query.where(SurveyResponse.service_unit == su)
    return query.count()


def flagged_counts(su_ids) -> dict:
    """{service unit id: flagged responses waiting}, one grouped query over all periods."""
    if not su_ids:
        return {}
    query = (SurveyResponse.select(SurveyResponse.service_unit, fn.COUNT(SQL("*")))
             .where(SurveyResponse.service_unit.in_(list(su_ids)) & FLAGGED)
             .group_by(SurveyResponse.service_unit).tuples())
    return dict(query)


def decide(actor, responses: list, decision: str) -> int:
    """Accept or reject flagged responses; how many were still flagged and are now decided.

    The WHERE on status makes a second reviewer's click on an already decided response a
    no-op instead of overturning the first decision. One audit row per service unit.
    """
    status = DECISIONS[decision]
    done = 0
    by_unit: dict = {}
    for response in responses:
        by_unit.setdefault(response.service_unit_id, []).append(response)
    with db.atomic():
        for items in by_unit.values():
            ids = [r.id for r in items]
            changed = (SurveyResponse.update(status=status, reviewed_by=actor.id,
                                             reviewed_at=utcnow())
                       .where(SurveyResponse.id.in_(ids) & (SurveyResponse.status == "flagged"))
                       .execute())
            if not changed:
                continue
            done += changed
            su = items[0].service_unit
            word = "diterima" if decision == "accept" else "ditolak"
            AuditLog.record(actor, f"review_{decision}", "survey_response",
                            ids[0] if len(ids) == 1 else None,
                            f"{changed} tanggapan SKM {su.name} yang ditandai {word}",
                            before={"status": "flagged", "ids": ids},
                            after={"status": status, "ids": ids}, unit=su.unit_id)
    return done


def decide_one(actor, response: SurveyResponse, decision: str) -> None:
    """Accept or reject one flagged response; DomainError when someone already decided it."""
    if not decide(actor, [response], decision):
        raise DomainError(ALREADY_DECIDED)
