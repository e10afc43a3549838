"""Citizens' suggestions and their follow-up (U8 in practice): the lists, one suggestion, and
who handled it, what was done and when.

Only suggestions of valid responses are shown: a flagged response may be a robot's.
"""
from peewee import JOIN, SQL, fn

from .units import valid_id
from ...models import (
    SUGGESTION_SETTLED, AuditLog, Employee, Service, ServiceUnit, SuggestionFollowUp,
    SurveyPeriod, SurveyResponse, Unit, User, db, snapshot, utcnow,
)
from ...rules import evaluation as account_rules
from ..notifications import actor_name, excerpt, notify, suggestion_link

FOLLOW_UP_FIELDS = ["status", "element", "handler", "action", "done_on"]
FILTERS = {"terbuka": "Belum selesai", "selesai": "Selesai", "pujian": "Pujian", "semua": "Semua"}
# Literal '' for SQLite's partial index, as review.FLAGGED.
HAS_SUGGESTION = (SurveyResponse.suggestion.is_null(False)
                  & (SurveyResponse.suggestion != SQL("''")))
_OPEN = SuggestionFollowUp.id.is_null() | SuggestionFollowUp.status.not_in(SUGGESTION_SETTLED)


def suggestions(su: ServiceUnit, state: str):
    """Suggestions of valid responses with their follow-up and handler, newest first."""
    query = (SurveyResponse.select(SurveyResponse, SuggestionFollowUp, Employee, Service,
                                   SurveyPeriod)
             .join(SuggestionFollowUp, JOIN.LEFT_OUTER,
                   on=(SuggestionFollowUp.response == SurveyResponse.id), attr="follow_up")
             .join(Employee, JOIN.LEFT_OUTER, on=(SuggestionFollowUp.handler == Employee.id),
                   attr="handler_employee")
             .switch(SurveyResponse).join(Service, JOIN.LEFT_OUTER)
             .switch(SurveyResponse).join(SurveyPeriod)
             .where((SurveyResponse.service_unit == su) & (SurveyResponse.status == "valid")
                    & HAS_SUGGESTION))
    if state == "terbuka":
        query = query.where(_OPEN)
    elif state in ("selesai", "pujian"):
        query = query.where(SuggestionFollowUp.status == state)
    return query.order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())


def suggestion(su: ServiceUnit, response_id) -> SurveyResponse | None:
    response_id = valid_id(response_id)
    if response_id is None:
        return None
    return suggestions(su, "semua").where(SurveyResponse.id == response_id).first()


def follow_up_of(response: SurveyResponse) -> SuggestionFollowUp | None:
    follow_up = getattr(response, "follow_up", None)
    return follow_up if follow_up is not None and follow_up.id else None


def save_follow_up(actor, su: ServiceUnit, response: SurveyResponse, data: dict) -> SurveyResponse:
    """Record the follow-up of a suggestion (`response` as read by `suggestion`); the
    suggestion read again with it."""
    current = follow_up_of(response)
    before = snapshot(current, FOLLOW_UP_FIELDS) if current else None
    values = {**data, "updated_by": actor.id, "updated_at": utcnow()}
    with db.atomic():
        # One row per response (a unique index): a second saver updates the first one's row.
        (SuggestionFollowUp.insert(response=response.id, **values)
         .on_conflict(conflict_target=[SuggestionFollowUp.response],
                      update={getattr(SuggestionFollowUp, k): v for k, v in values.items()})
         .execute())
        saved = suggestion(su, response.id)
        follow_up = saved.follow_up
        AuditLog.record(actor, "follow_up", "suggestion_follow_up", follow_up.id,
                        f"Tindak lanjut saran SKM {su.name}: {data.get('status')}",
                        before=before, after=snapshot(follow_up, FOLLOW_UP_FIELDS),
                        unit=su.unit_id)
        handler_id = follow_up.handler_id
        if (handler_id and handler_id != (current.handler_id if current else None)
                and handler_id != actor.employee_id and follow_up.status not in SUGGESTION_SETTLED):
            _tell_handler(actor, su, saved, handler_id)
    return saved


def _tell_handler(actor, su: ServiceUnit, response: SurveyResponse, handler_id) -> None:
    """The employee newly put in charge of an open suggestion is told, with the suggestion
    quoted: most handlers are staff of the unit without access to the SKM pages, so the link
    to the suggestion is there only for one whose account may open it."""
    account = (User.select(User, Unit).join(Unit, on=(User.scope_unit == Unit.id), join_type=JOIN.LEFT_OUTER)
               .where((User.employee == handler_id) & User.active).first())
    scope_path = account.scope_unit.path if account and account.scope_unit_id else None
    may_open = account is not None and account_rules.admin_sees(account, scope_path, su.unit.path)
    notify(handler_id, f"{actor_name(actor)} menunjuk Anda menindaklanjuti saran SKM {su.name}: "
           f"“{excerpt(response.suggestion, 120)}”",
           suggestion_link(su.id, response.id) if may_open else "", kind="survey")


def open_suggestion_counts(su_ids) -> dict:
    """{service unit id: suggestions not yet done}: every suggestion of a valid response,
    counted from the partial index alone (COUNT(*): no row is read), less those whose
    follow-up is settled (few, reached through the follow-up table). Joining the follow-ups
    to every suggestion instead reads each response row: 3 s for a province's ten million."""
    if not su_ids:
        return {}
    units = SurveyResponse.service_unit.in_(list(su_ids))
    valid = (SurveyResponse.status == SQL("'valid'")) & HAS_SUGGESTION
    counts = dict(SurveyResponse.select(SurveyResponse.service_unit, fn.COUNT(SQL("*")))
                  .where(units & valid).group_by(SurveyResponse.service_unit).tuples())
    settled = (SuggestionFollowUp.select(SurveyResponse.service_unit, fn.COUNT(SQL("*")))
               .join(SurveyResponse, on=(SuggestionFollowUp.response == SurveyResponse.id))
               .where(units & valid & SuggestionFollowUp.status.in_(SUGGESTION_SETTLED))
               .group_by(SurveyResponse.service_unit).tuples())
    for unit_id, done in settled:
        counts[unit_id] -= done
    return {unit_id: count for unit_id, count in counts.items() if count}


def handlers(su: ServiceUnit):
    """Employees of the service unit's OPD/sub-unit (and below): who may handle a suggestion."""
    return (Employee.select(Employee.id, Employee.name, Employee.title_front, Employee.title_back)
            .join(Unit, on=(Employee.unit == Unit.id))
            .where(Unit.within(su.unit) & Employee.active).order_by(Employee.name))
