"""Staff side of the SKM: the reads and changes behind /skm, kept out of the views.

Every function takes the admin's scope unit (None = the whole regency) or objects the
view has already checked against it; every change writes its audit row in the same
transaction.
"""
import datetime
import secrets
from dataclasses import dataclass

from peewee import JOIN, SQL, fn

from . import survey_stats
from .models import (
    SUGGESTION_SETTLED, AuditLog, Employee, Service, ServiceUnit, Setting, SuggestionFollowUp, SurveyPeriod,
    SurveyResponse, Unit, db, snapshot, utcnow,
)
from .rules import ikm
from .rules.survey_periods import overlapping, period_dates, period_label

SERVICE_UNIT_FIELDS = ["code", "name", "unit", "period_kind", "active"]
PERIOD_FIELDS = ["kind", "year", "number", "starts", "ends", "population", "is_open"]
FOLLOW_UP_FIELDS = ["status", "element", "handler", "action", "done_on"]
MAX_ID = 2 ** 63 - 1


def valid_id(value) -> int | None:
    """An id from the outside as an int a database accepts, else None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


# --- Service units, services, periods ------------------------------------------

def service_units(scope: Unit | None):
    query = ServiceUnit.select(ServiceUnit, Unit).join(Unit)
    if scope is not None:
        query = query.where(Unit.within(scope))
    return query.order_by(ServiceUnit.name)


def get_service_unit(su_id) -> ServiceUnit | None:
    su_id = valid_id(su_id)
    if su_id is None:
        return None
    return (ServiceUnit.select(ServiceUnit, Unit).join(Unit)
            .where(ServiceUnit.id == su_id).first())


def has_responses(su: ServiceUnit) -> bool:
    return SurveyResponse.select().where(SurveyResponse.service_unit == su).exists()


def save_service_unit(actor, su: ServiceUnit | None, data: dict) -> ServiceUnit:
    """Create (su None) or update a service unit; the caller has checked the code rules."""
    with db.atomic():
        if su is None:
            su = ServiceUnit.create(**data)
            AuditLog.record(actor, "create", "service_unit", su.id,
                            f"Unit layanan {su.name} ({su.code}) dibuat",
                            after=snapshot(su, SERVICE_UNIT_FIELDS), unit=su.unit_id)
            return su
        before = snapshot(su, SERVICE_UNIT_FIELDS)
        for name, value in data.items():
            setattr(su, name, value)
        su.save()
        AuditLog.record(actor, "update", "service_unit", su.id, f"Unit layanan {su.name} diubah",
                        before=before, after=snapshot(su, SERVICE_UNIT_FIELDS), unit=su.unit_id)
    return su


def services_of(su: ServiceUnit):
    return Service.select().where(Service.service_unit == su).order_by(Service.name)


def save_service(actor, su: ServiceUnit, service: Service | None, name: str, active: bool):
    with db.atomic():
        if service is None:
            service = Service.create(service_unit=su, name=name, active=active)
            AuditLog.record(actor, "create", "service", service.id,
                            f"Jenis layanan {name} ditambahkan pada {su.name}",
                            after={"name": name, "active": active}, unit=su.unit_id)
            return service
        before = {"name": service.name, "active": service.active}
        service.name, service.active = name, active
        service.save()
        AuditLog.record(actor, "update", "service", service.id,
                        f"Jenis layanan {name} pada {su.name} diubah",
                        before=before, after={"name": name, "active": active}, unit=su.unit_id)
    return service


def periods_of(su: ServiceUnit):
    return (SurveyPeriod.select().where(SurveyPeriod.service_unit == su)
            .order_by(SurveyPeriod.starts.desc()))


def response_counts(period_ids) -> dict:
    """{period id: {status: count}} in one grouped query."""
    counts = {}
    if not period_ids:
        return counts
    rows = (SurveyResponse.select(SurveyResponse.period, SurveyResponse.status,
                                  fn.COUNT(SurveyResponse.id))
            .where(SurveyResponse.period.in_(list(period_ids)))
            .group_by(SurveyResponse.period, SurveyResponse.status).tuples())
    for period_id, status, count in rows:
        counts.setdefault(period_id, {})[status] = count
    return counts


def _open_conflict(su: ServiceUnit, except_id: int | None) -> SurveyPeriod | None:
    query = SurveyPeriod.select().where((SurveyPeriod.service_unit == su) & SurveyPeriod.is_open)
    if except_id:
        query = query.where(SurveyPeriod.id != except_id)
    return query.first()


def create_period(actor, su: ServiceUnit, kind: str, year: int, number: int,
                  population: int | None, is_open: bool) -> tuple[SurveyPeriod | None, dict]:
    """The new period, or None and {field: message} when the rules refuse it."""
    try:
        starts, ends = period_dates(kind, year, number)
    except ValueError as exc:
        return None, {"number": str(exc)}
    with db.atomic():
        clash = overlapping(starts, ends, list(periods_of(su)))
        if clash is not None:
            return None, {"number": f"Tumpang tindih dengan periode "
                                    f"{period_label(clash.kind, clash.year, clash.number)} "
                                    "yang sudah ada."}
        if is_open and (other := _open_conflict(su, None)) is not None:
            return None, {"is_open": _open_message(other)}
        period = SurveyPeriod.create(service_unit=su, kind=kind, year=year, number=number,
                                     starts=starts, ends=ends, population=population,
                                     is_open=is_open)
        AuditLog.record(actor, "create", "survey_period", period.id,
                        f"Periode {period_label(kind, year, number)} dibuat untuk {su.name}",
                        after=snapshot(period, PERIOD_FIELDS), unit=su.unit_id)
    return period, {}


def _open_message(other: SurveyPeriod) -> str:
    return (f"Periode {period_label(other.kind, other.year, other.number)} masih dibuka; "
            "tutup periode itu terlebih dahulu (satu unit hanya satu periode terbuka).")


def update_period(actor, su: ServiceUnit, period: SurveyPeriod, population: int | None,
                  is_open: bool) -> dict:
    """{field: message} when refused, {} when saved."""
    with db.atomic():
        if is_open and (other := _open_conflict(su, period.id)) is not None:
            return {"is_open": _open_message(other)}
        before = snapshot(period, PERIOD_FIELDS)
        period.population, period.is_open = population, is_open
        period.save()
        AuditLog.record(actor, "update", "survey_period", period.id,
                        f"Periode {period_label(period.kind, period.year, period.number)} "
                        f"{su.name} diubah",
                        before=before, after=snapshot(period, PERIOD_FIELDS), unit=su.unit_id)
    return {}


def rotate_kiosk_token(actor, su: ServiceUnit) -> str:
    """A new secret for the counter tablet; the old one stops working at once."""
    with db.atomic():
        had_token = bool(su.kiosk_token)
        su.kiosk_token = secrets.token_urlsafe(24)
        su.save(only=[ServiceUnit.kiosk_token])
        # The token itself stays out of the trail: the trail is readable by more people.
        AuditLog.record(actor, "kiosk_token", "service_unit", su.id,
                        f"Token kios {su.name} {'diganti' if had_token else 'dibuat'}",
                        unit=su.unit_id)
    return su.kiosk_token


def unit_employees(su: ServiceUnit):
    """Employees of the service unit's OPD/sub-unit (and below): who may handle a suggestion."""
    return (Employee.select(Employee.id, Employee.name, Employee.title_front, Employee.title_back)
            .join(Unit, on=(Employee.unit == Unit.id))
            .where(Unit.within(su.unit) & Employee.active).order_by(Employee.name))


def set_weight(actor, key: str, before: str, after: str) -> None:
    with db.atomic():
        row = Setting.get_or_none(Setting.key == key)
        if row is None:
            Setting.create(key=key, value=after)
        else:
            row.value = after
            row.save()
        AuditLog.record(actor, "update", "setting", None, f"Bobot IKM diubah: {before} → {after}",
                        before={key: before}, after={key: after})


# --- Review queue ------------------------------------------------------------------------

DECISIONS = {"accept": "valid", "reject": "rejected"}
# Written with literal values, not parameters: SQLite uses a partial index only when it can
# see that the query implies the index's WHERE (models.py, migration 0006).
FLAGGED = SurveyResponse.status == SQL("'flagged'")
HAS_SUGGESTION = (SurveyResponse.suggestion.is_null(False)
                  & (SurveyResponse.suggestion != SQL("''")))


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


def decide(actor, responses: list, decision: str) -> int:
    """Accept (counts in the index from now on) or reject flagged responses.

    The WHERE on status makes a second reviewer's click on an already decided response a
    no-op instead of overturning the first decision. One audit row per service unit.
    """
    status = DECISIONS[decision]
    done = 0
    by_unit: dict = {}
    for response in responses:
        by_unit.setdefault(response.service_unit_id, []).append(response)
    with db.atomic():
        for su_id, items in by_unit.items():
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


# --- Suggestions and their follow-up --------------------------------------------------

SUGGESTION_FILTERS = {"terbuka": "Belum selesai", "selesai": "Selesai", "pujian": "Pujian", "semua": "Semua"}
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


def save_follow_up(actor, su: ServiceUnit, response: SurveyResponse, data: dict):
    with db.atomic():
        follow_up = SuggestionFollowUp.get_or_none(SuggestionFollowUp.response == response.id)
        before = snapshot(follow_up, FOLLOW_UP_FIELDS) if follow_up else None
        if follow_up is None:
            follow_up = SuggestionFollowUp(response=response.id)
        for name, value in data.items():
            setattr(follow_up, name, value)
        follow_up.updated_by = actor.id
        follow_up.updated_at = utcnow()
        follow_up.save()
        AuditLog.record(actor, "follow_up", "suggestion_follow_up", follow_up.id,
                        f"Tindak lanjut saran SKM {su.name}: {data.get('status')}",
                        before=before, after=snapshot(follow_up, FOLLOW_UP_FIELDS),
                        unit=su.unit_id)
    return follow_up


def open_suggestion_counts(su_ids) -> dict:
    """{service unit id: suggestions not yet done}, one grouped query."""
    if not su_ids:
        return {}
    query = (SurveyResponse.select(SurveyResponse.service_unit, fn.COUNT(SurveyResponse.id))
             .join(SuggestionFollowUp, JOIN.LEFT_OUTER,
                   on=(SuggestionFollowUp.response == SurveyResponse.id))
             .where(SurveyResponse.service_unit.in_(list(su_ids))
                    & (SurveyResponse.status == "valid") & HAS_SUGGESTION & _OPEN)
             .group_by(SurveyResponse.service_unit).tuples())
    return dict(query)


def flagged_counts(su_ids) -> dict:
    """{service unit id: flagged responses waiting}, one grouped query over all periods."""
    if not su_ids:
        return {}
    query = (SurveyResponse.select(SurveyResponse.service_unit, fn.COUNT(SurveyResponse.id))
             .where(SurveyResponse.service_unit.in_(list(su_ids)) & FLAGGED)
             .group_by(SurveyResponse.service_unit).tuples())
    return dict(query)


def small_count(value) -> int:
    """A counter posted back by a form: a non-negative int, anything odd is 0."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 <= number <= 1_000_000 else 0


# --- The staff dashboard -------------------------------------------------------------------

@dataclass
class DashboardRow:
    su: ServiceUnit
    stats: object | None          # survey_stats.PeriodStats of the current period
    flagged: int
    open_suggestions: int


def dashboard(scope: Unit | None, today_: datetime.date, weight) -> list[DashboardRow]:
    """Per service unit in scope: current period and its figures, flagged responses waiting,
    open suggestions. Five queries whatever the number of units."""
    units = list(service_units(scope))
    ids = [su.id for su in units]
    periods: dict = {}
    for period in SurveyPeriod.select().where(SurveyPeriod.service_unit.in_(ids)):
        periods.setdefault(period.service_unit_id, []).append(period)
    current = {su_id: survey_stats.current_period(periods.get(su_id, []), today_) for su_id in ids}
    tallies = survey_stats.period_tallies([p for p in current.values() if p is not None])
    flagged_by_unit = flagged_counts(ids)
    open_by_unit = open_suggestion_counts(ids)
    rows = []
    for su in units:
        period = current[su.id]
        stats = None
        if period is not None:
            tally = tallies.get(period.id, ikm.Tally())
            stats = survey_stats.PeriodStats(period, tally, tally.result(weight))
        rows.append(DashboardRow(su, stats, flagged_by_unit.get(su.id, 0),
                                 open_by_unit.get(su.id, 0)))
    return rows
