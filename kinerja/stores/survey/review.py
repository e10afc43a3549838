"""The review queue: responses the fairness rules flagged wait here until staff accept them
(they count in the index from then on) or reject them.

A decision changes `status`, and the SQL triggers that keep `survey_tally` (see stats.py)
move the response between the tallies in the same transaction.
"""
from peewee import SQL, fn

from .stats import tally_is_kept
from .units import ids_within, valid_id
from ...models import (
    AuditLog, Service, ServiceUnit, SurveyPeriod, SurveyResponse, SurveyTally, Unit, db, utcnow,
)
from ...paging import Page
from ...rules import DomainError

DECISIONS = {"accept": "valid", "reject": "rejected"}
ALREADY_DECIDED = "Tanggapan ini sudah ditinjau; muat ulang daftar tinjauan."
# Written with literal values, not parameters: SQLite uses a partial index only when it can
# see that the query implies the index's WHERE (models.py, migration 0006).
FLAGGED = SurveyResponse.status == SQL("'flagged'")
BULK_MAX = 500


def _flagged_where(scope: Unit | None, su: ServiceUnit | None):
    where = FLAGGED
    if scope is not None:
        where &= SurveyResponse.service_unit.in_(ids_within(scope))
    if su is not None:
        where &= SurveyResponse.service_unit == su
    return where


_QUEUE_ORDER = (SurveyResponse.service_unit, SurveyResponse.submitted_at, SurveyResponse.id)


def flagged(scope: Unit | None, su: ServiceUnit | None = None):
    """Flagged responses waiting for review, per unit oldest first, with their unit."""
    return (SurveyResponse.select(SurveyResponse, ServiceUnit).join(ServiceUnit)
            .where(_flagged_where(scope, su)).order_by(*_QUEUE_ORDER))


def flagged_page(scope: Unit | None, su: ServiceUnit | None, number: int, per_page: int) -> Page:
    """One page of the queue. The page is found among the ids alone, in the order of the
    partial index (unit, time, id: migration 0031), so page 1,500 of a province's 100,000
    waiting responses walks index entries instead of reading every row before it; the total
    comes from the tally."""
    ids = SurveyResponse.select(SurveyResponse.id).where(_flagged_where(scope, su)) \
        .order_by(*_QUEUE_ORDER)

    def rows(page_ids):
        return flagged(scope, su).where(SurveyResponse.id.in_(page_ids)) if page_ids else []
    return Page(ids, number, per_page, total=flagged_count(scope, su), fetch=rows)


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


def flagged_counts(su_ids) -> dict:
    """{service unit id: flagged responses waiting}."""
    su_ids = list(su_ids)
    return _flagged_by_unit(su_ids) if su_ids else {}


def flagged_count(scope: Unit | None, su: ServiceUnit | None = None) -> int:
    """Flagged responses waiting in the scope (or of one unit in it)."""
    units = None if scope is None else ids_within(scope)
    if su is not None:
        units = [su.id] if units is None else units.where(ServiceUnit.id == su.id)
    return sum(_flagged_by_unit(units).values())


def _flagged_by_unit(units) -> dict:
    """{unit id: flagged waiting} of the units (ids or a subquery of them; None: all), read
    from the tally where the triggers keep it: a few rows per unit, where counting a
    province's 100,000 waiting responses took 50 ms. The tally leaves out responses without a
    single answer, and a flagged one always has all nine: only the online form flags, and it
    requires every answer."""
    if tally_is_kept():
        query = (SurveyTally.select(SurveyPeriod.service_unit, fn.SUM(SurveyTally.responses))
                 .join(SurveyPeriod)
                 .where((SurveyTally.status == "flagged") & (SurveyTally.responses > 0))
                 .group_by(SurveyPeriod.service_unit))
        unit = SurveyPeriod.service_unit
    else:
        query = (SurveyResponse.select(SurveyResponse.service_unit, fn.COUNT(SQL("*")))
                 .where(FLAGGED).group_by(SurveyResponse.service_unit))
        unit = SurveyResponse.service_unit
    if units is not None:
        query = query.where(unit.in_(units))
    return {unit_id: int(count) for unit_id, count in query.tuples() if count}


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
