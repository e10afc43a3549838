"""Service units, their services and survey periods, the kiosk secret, and the IKM weight:
the reads and changes behind the /skm unit pages.

Every function takes the admin's scope unit (None = the whole regency) or objects the
view has already checked against it.

Each change writes first and re-checks after, inside its transaction, rolling back by
raising DomainError: on SQLite a transaction that reads before its first write cannot
take the write lock once another commit has slipped in between (it fails at once with
"database is locked", SQLITE_BUSY_SNAPSHOT), and the public survey commits many times a
second.
"""
import secrets

from peewee import SQL, IntegrityError, fn

from . import stats as survey_stats
from ...models import (
    AuditLog, Service, ServiceUnit, Setting, SurveyPeriod, SurveyResponse, Unit, db, snapshot,
)
from ...rules import DomainError
from ...rules.survey_periods import overlapping, period_dates, period_label

SERVICE_UNIT_FIELDS = ["code", "name", "unit", "period_kind", "active"]
PERIOD_FIELDS = ["kind", "year", "number", "starts", "ends", "population", "is_open"]
MAX_ID = 2 ** 63 - 1


def valid_id(value) -> int | None:
    """An id from the outside as an int a database accepts, else None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


# --- Service units ---------------------------------------------------------------

def service_units(scope: Unit | None):
    query = ServiceUnit.select(ServiceUnit, Unit).join(Unit)
    if scope is not None:
        query = query.where(Unit.within(scope))
    return query.order_by(ServiceUnit.name)


def ids_within(scope: Unit):
    """A subquery of the ids of the service units in scope."""
    return ServiceUnit.select(ServiceUnit.id).join(Unit).where(Unit.within(scope))


def service_unit_ids(scope: Unit | None) -> list[int]:
    """The ids of the service units in scope, by name, read as plain values: a province has
    hundreds."""
    return [su_id for (su_id,) in service_units(scope).select(ServiceUnit.id).tuples()]


def service_unit_names(scope: Unit | None) -> list:
    """(id, name) of the service units in scope, by name: a filter's choices, not models."""
    return list(service_units(scope).select(ServiceUnit.id, ServiceUnit.name).namedtuples())


def get_service_unit(su_id) -> ServiceUnit | None:
    su_id = valid_id(su_id)
    if su_id is None:
        return None
    return (ServiceUnit.select(ServiceUnit, Unit).join(Unit)
            .where(ServiceUnit.id == su_id).first())


def code_taken(code: str, except_id: int | None = None) -> bool:
    query = ServiceUnit.select().where(ServiceUnit.code == code)
    if except_id:
        query = query.where(ServiceUnit.id != except_id)
    return query.exists()


def has_responses(su: ServiceUnit) -> bool:
    return SurveyResponse.select().where(SurveyResponse.service_unit == su).exists()


CODE_TAKEN = "Kode {code} sudah dipakai unit layanan lain."
CODE_LOCKED = ("Kode tidak dapat diubah karena unit ini sudah menerima tanggapan (kode "
               "tercetak pada poster dan kode QR).")


def _code_refused(code: str, except_id: int | None = None) -> DomainError | None:
    """After an IntegrityError: the refusal when it was the code's unique index."""
    if code_taken(code, except_id):
        return DomainError(CODE_TAKEN.format(code=code), field="code")
    return None


def create_service_unit(actor, data: dict) -> ServiceUnit:
    try:
        with db.atomic():
            su = ServiceUnit.create(**data)
            AuditLog.record(actor, "create", "service_unit", su.id,
                            f"Unit layanan {su.name} ({su.code}) dibuat",
                            after=snapshot(su, SERVICE_UNIT_FIELDS), unit=su.unit_id)
    except IntegrityError:
        if refusal := _code_refused(data["code"]):
            raise refusal from None
        raise
    return su


def update_service_unit(actor, su: ServiceUnit, data: dict) -> ServiceUnit:
    """Change a service unit; its code stays once citizens have answered (posters carry it)."""
    before = snapshot(su, SERVICE_UNIT_FIELDS)
    try:
        with db.atomic():
            ServiceUnit.update(**data).where(ServiceUnit.id == su.id).execute()
            if data["code"] != before["code"] and has_responses(su):
                raise DomainError(CODE_LOCKED, field="code")
            su = get_service_unit(su.id)
            AuditLog.record(actor, "update", "service_unit", su.id,
                            f"Unit layanan {su.name} diubah", before=before,
                            after=snapshot(su, SERVICE_UNIT_FIELDS), unit=su.unit_id)
    except IntegrityError:
        if refusal := _code_refused(data["code"], su.id):
            raise refusal from None
        raise
    return su


# --- Services ----------------------------------------------------------------------

def services_of(su: ServiceUnit):
    return Service.select().where(Service.service_unit == su).order_by(Service.name)


def service_of(su: ServiceUnit, service_id) -> Service | None:
    """A service of this service unit (the id of another unit's service finds nothing)."""
    service_id = valid_id(service_id)
    if service_id is None:
        return None
    return Service.get_or_none((Service.id == service_id) & (Service.service_unit == su))


def save_service(actor, su: ServiceUnit, service: Service | None, name: str, active: bool):
    with db.atomic():
        if service is None:
            service = Service.create(service_unit=su, name=name, active=active)
            AuditLog.record(actor, "create", "service", service.id,
                            f"Jenis layanan {name} ditambahkan pada {su.name}",
                            after={"name": name, "active": active}, unit=su.unit_id)
            return service
        before = {"name": service.name, "active": service.active}
        Service.update(name=name, active=active).where(Service.id == service.id).execute()
        service.name, service.active = name, active
        AuditLog.record(actor, "update", "service", service.id,
                        f"Jenis layanan {name} pada {su.name} diubah",
                        before=before, after={"name": name, "active": active}, unit=su.unit_id)
    return service


# --- Periods -----------------------------------------------------------------------

def periods_of(su: ServiceUnit):
    return (SurveyPeriod.select().where(SurveyPeriod.service_unit == su)
            .order_by(SurveyPeriod.starts.desc()))


def period_of(su: ServiceUnit, period_id) -> SurveyPeriod | None:
    """A period of this service unit (the id of another unit's period finds nothing)."""
    period_id = valid_id(period_id)
    if period_id is None:
        return None
    return SurveyPeriod.get_or_none((SurveyPeriod.id == period_id)
                                    & (SurveyPeriod.service_unit == su))


def response_counts(period_ids) -> dict:
    """{period id: {status: count}} in one grouped query."""
    counts = {}
    if not period_ids:
        return counts
    rows = (SurveyResponse.select(SurveyResponse.period, SurveyResponse.status,
                                  fn.COUNT(SQL("*")))
            .where(SurveyResponse.period.in_(list(period_ids)))
            .group_by(SurveyResponse.period, SurveyResponse.status).tuples())
    for period_id, status, count in rows:
        counts.setdefault(period_id, {})[status] = count
    return counts


def _check_open(su: ServiceUnit, period_id: int) -> None:
    """One open period per unit: refuse when another one is open as well."""
    other = (SurveyPeriod.select().where((SurveyPeriod.service_unit == su) & SurveyPeriod.is_open
                                         & (SurveyPeriod.id != period_id)).first())
    if other is not None:
        raise DomainError(
            f"Periode {period_label(other.kind, other.year, other.number)} masih dibuka; "
            "tutup periode itu terlebih dahulu (satu unit hanya satu periode terbuka).",
            field="is_open")


def _overlap_refused(clash: SurveyPeriod) -> DomainError:
    return DomainError(f"Tumpang tindih dengan periode "
                       f"{period_label(clash.kind, clash.year, clash.number)} yang sudah ada.",
                       field="number")


def create_period(actor, su: ServiceUnit, kind: str, year: int, number: int,
                  population: int | None, is_open: bool) -> SurveyPeriod:
    """The new period; DomainError (on `number` or `is_open`) when the rules refuse it."""
    try:
        starts, ends = period_dates(kind, year, number)
    except ValueError as exc:
        raise DomainError(str(exc), field="number") from None
    try:
        with db.atomic():
            period = SurveyPeriod.create(service_unit=su, kind=kind, year=year, number=number,
                                         starts=starts, ends=ends, population=population,
                                         is_open=is_open)
            others = periods_of(su).where(SurveyPeriod.id != period.id)
            if (clash := overlapping(starts, ends, others)) is not None:
                raise _overlap_refused(clash)
            if is_open:
                _check_open(su, period.id)
            AuditLog.record(actor, "create", "survey_period", period.id,
                            f"Periode {period_label(kind, year, number)} dibuat untuk {su.name}",
                            after=snapshot(period, PERIOD_FIELDS), unit=su.unit_id)
    except IntegrityError:
        # The same kind, year and number exists already (a unique index).
        clash = overlapping(starts, ends, periods_of(su))
        if clash is None:
            raise
        raise _overlap_refused(clash) from None
    return period


def update_period(actor, su: ServiceUnit, period: SurveyPeriod, population: int | None,
                  is_open: bool) -> SurveyPeriod:
    """The period with its population N and open state changed, or DomainError on `is_open`."""
    before = snapshot(period, PERIOD_FIELDS)
    with db.atomic():
        (SurveyPeriod.update(population=population, is_open=is_open)
         .where(SurveyPeriod.id == period.id).execute())
        if is_open:
            _check_open(su, period.id)
        period = SurveyPeriod.get_by_id(period.id)
        AuditLog.record(actor, "update", "survey_period", period.id,
                        f"Periode {period_label(period.kind, period.year, period.number)} "
                        f"{su.name} diubah",
                        before=before, after=snapshot(period, PERIOD_FIELDS), unit=su.unit_id)
    return period


# --- Kiosk and weight ----------------------------------------------------------------

def rotate_kiosk_token(actor, su: ServiceUnit) -> str:
    """A new secret for the counter tablet; the old one stops working at once."""
    had_token = bool(su.kiosk_token)
    su.kiosk_token = secrets.token_urlsafe(24)
    with db.atomic():
        su.save(only=[ServiceUnit.kiosk_token])
        # The token itself stays out of the trail: the trail is readable by more people.
        AuditLog.record(actor, "kiosk_token", "service_unit", su.id,
                        f"Token kios {su.name} {'diganti' if had_token else 'dibuat'}",
                        unit=su.unit_id)
    return su.kiosk_token


def set_weight(actor, before: str, after: str) -> None:
    key = survey_stats.WEIGHT_SETTING
    with db.atomic():
        (Setting.insert(key=key, value=after)
         .on_conflict(conflict_target=[Setting.key], update={Setting.value: after}).execute())
        AuditLog.record(actor, "update", "setting", None, f"Bobot IKM diubah: {before} → {after}",
                        before={key: before}, after={key: after})
