"""Each unit's shifts (P, S, M …) for its rosters: set by the admin OPD of the unit or by
BKPSDM; changing a shift's hours recomputes the attendance of the days rostered on it."""
from peewee import fn

from ...models import AuditLog, Employee, RosterDay, Shift, Unit, db, snapshot, utcnow
from ...rules import DomainError
from ..calendar import refresh_days
from ..org.tree import in_scope

FIELDS = ("unit", "code", "name", "starts", "ends")


def shifts_in(scope) -> list:
    """The shifts of the units in scope (all for BKPSDM), by unit then code, each with its
    unit."""
    query = (Shift.select(Shift, Unit).join(Unit, on=(Shift.unit == Unit.id))
             .order_by(Unit.path, Shift.code))
    return list(query.where(Unit.within(scope)) if scope is not None else query)


def _unit_in(scope, unit_id) -> Unit:
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None or not in_scope(scope, unit):
        raise DomainError("Unit tidak ditemukan.", field="unit")
    return unit


def _shift_in(scope, shift_id) -> Shift:
    shift = Shift.select(Shift, Unit).join(Unit).where(Shift.id == shift_id).first()
    if shift is None or not in_scope(scope, shift.unit):
        raise DomainError("Shift tidak ditemukan.")
    return shift


def _code_free(unit_id, code, shift_id=None) -> None:
    taken = Shift.select().where((Shift.unit == unit_id) & (fn.UPPER(Shift.code) == code))
    if shift_id is not None:
        taken = taken.where(Shift.id != shift_id)
    if taken.exists():
        raise DomainError(f"Kode {code} sudah dipakai shift lain di unit ini.", field="code")


def add_shift(actor, scope, unit_id: int, code: str, name: str, starts, ends) -> Shift:
    with db.atomic():
        unit = _unit_in(scope, unit_id)
        _code_free(unit.id, code)
        shift = Shift.create(unit=unit.id, code=code, name=name, starts=starts, ends=ends,
                             updated_by=actor.id)
        AuditLog.record(actor, "shift.create", "shift", shift.id,
                        summary=f"Shift {code} ({name}) {unit.name}",
                        after=snapshot(shift, FIELDS), unit=unit.id)
    return shift


def _rostered_years(shift_id) -> list:
    return [y for (y,) in RosterDay.select(RosterDay.year).where(RosterDay.shift == shift_id)
            .distinct().tuples()]


def update_shift(actor, scope, shift_id: int, code: str, name: str, starts, ends) -> Shift:
    """The days already rostered on the shift take its new hours."""
    with db.atomic():
        shift = _shift_in(scope, shift_id)
        _code_free(shift.unit_id, code, shift.id)
        before = snapshot(shift, FIELDS)
        Shift.update(code=code, name=name, starts=starts, ends=ends, updated_by=actor.id,
                     updated_at=utcnow()).where(Shift.id == shift.id).execute()
        if (starts, ends) != (shift.starts, shift.ends):
            people = RosterDay.select(RosterDay.employee).where(RosterDay.shift == shift.id)
            for year in _rostered_years(shift.id):
                refresh_days(Employee.select(Employee.id).where(Employee.id.in_(people)), year,
                             lateness=True)
        shift = Shift.get_by_id(shift.id)
        AuditLog.record(actor, "shift.update", "shift", shift.id,
                        summary=f"Shift {code} ({name}) {shift.unit.name}", before=before,
                        after=snapshot(shift, FIELDS), unit=shift.unit_id)
    return shift


def remove_shift(actor, scope, shift_id: int) -> None:
    with db.atomic():
        shift = _shift_in(scope, shift_id)
        if RosterDay.select().where(RosterDay.shift == shift.id).exists():
            raise DomainError(f"Shift {shift.code} sudah dipakai pada jadwal dinas; ubah jamnya "
                              "atau impor ulang jadwal dinas tanpa kode ini lebih dulu.")
        before = snapshot(shift, FIELDS)
        shift.delete_instance()
        AuditLog.record(actor, "shift.delete", "shift", shift_id,
                        summary=f"Shift {shift.code} ({shift.name}) dihapus", before=before,
                        unit=shift.unit_id)
