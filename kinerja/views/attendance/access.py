"""Who may see which attendance: loaders that answer 403/404 with the reason."""
from flask_login import current_user

from ...models import Employee, Shift, Unit
from ...security import admin_scope_unit
from ...stores.evaluation import access
from ..toolkit import ADMINS, deny, int_arg, me, today


def year_arg() -> int:
    year = int_arg("tahun", today().year)
    return year if 2000 <= year <= today().year + 1 else today().year


def admin_scope():
    """The admin's unit (None: the whole regency); 403 for anyone else."""
    if current_user.role not in ADMINS:
        deny("Halaman ini untuk admin OPD dan admin BKPSDM.")
    return admin_scope_unit(current_user)


def bkpsdm_only():
    if current_user.role != "admin":
        deny("Hari libur nasional dan cuti bersama ditetapkan oleh BKPSDM.")


def report_scope():
    """The unit whose report the user may read: the admin's scope (None for BKPSDM), the OPD
    the user heads; 403 otherwise."""
    if current_user.role in ADMINS:
        return admin_scope_unit(current_user), True
    opd = access.opd_headed_by(me())
    if opd is None:
        deny("Rekap presensi per unit untuk kepala OPD, admin OPD, dan admin BKPSDM.")
    return opd, False


def chosen_unit(scope):
    """?unit=… inside the scope; the scope itself (or nothing, for BKPSDM) otherwise."""
    unit_id = int_arg("unit")
    if unit_id is None:
        return scope
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None or (scope is not None and not unit.path.startswith(scope.path)):
        deny("Unit tidak ditemukan.", 404)
    return unit


def load_person(employee_id: int) -> Employee:
    """The employee whose attendance the user may read: themselves, as Pejabat Penilai or
    Atasan, as admin of their unit, or as head of their OPD."""
    employee = Employee.select(Employee, Unit).join(Unit, on=(Employee.unit == Unit.id)) \
        .where(Employee.id == employee_id).first() if employee_id else None
    if employee is None:
        deny("Pegawai tidak ditemukan.", 404)
    if access.relation(current_user, employee):
        return employee
    opd = access.opd_headed_by(me())
    if opd is not None and employee.unit.path.startswith(opd.path):
        return employee
    deny("Anda tidak berwenang melihat presensi pegawai ini.")


def load_shift(shift_id: int, scope):
    """A shift of a unit in the admin's scope; 404 otherwise, so an outsider cannot learn
    which shifts exist."""
    shift = Shift.select(Shift, Unit).join(Unit).where(Shift.id == shift_id).first()
    if shift is None or (scope is not None and not shift.unit.path.startswith(scope.path)):
        deny("Shift tidak ditemukan.", 404)
    return shift
