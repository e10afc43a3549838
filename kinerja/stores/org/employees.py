"""Employees: the list and detail reads, and every change, each in one transaction with its
audit rows. An employee's login follows them (NIP as username, active with them); a
deactivated employee is nobody's chosen appraiser any more."""
from peewee import IntegrityError

from ...models import AuditLog, Employee, Position, Unit, User, db, snapshot
from ...paging import Page
from ...rules import DomainError

EMPLOYEE_FIELDS = ("nip", "name", "title_front", "title_back", "rank", "grade", "employment_type",
                   "position", "unit", "active", "appraiser_override", "appraiser_superior_override")
EDITABLE_EMPLOYEE_FIELDS = ("nip", "name", "title_front", "title_back", "rank", "grade",
                            "employment_type", "active")
USER_FIELDS = ("username", "role", "active", "session_version", "must_change_password")
NIP_TAKEN = "NIP ini sudah terdaftar untuk pegawai lain."
NOT_CHOOSABLE = "Tidak ada pegawai aktif dengan NIP ini yang dapat Anda pilih."


# --- reads ----------------------------------------------------------------------------------

def scoped_employees(scope: Unit | None, query=None):
    """Restrict an employee query (by default every employee with position and unit) to the
    units in scope."""
    query = query if query is not None else Employee.with_org()
    if scope is None:
        return query
    return query.where(Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(scope))))


def get_employee(scope: Unit | None, employee_id: int) -> Employee | None:
    """The employee with position and unit, if in scope."""
    return scoped_employees(scope).where(Employee.id == employee_id).first()


SEARCH_COUNT_CAP = 1000


def employee_listing(scope: Unit | None, *, q: str, unit: Unit | None, active: bool | None,
                     number: int, per_page: int) -> Page:
    """One page of the employees in scope matching the search, under `unit` (its subtree),
    active or not (None: both), by name."""
    query = scoped_employees(scope, Employee.search(q, Employee.select()))
    if unit is not None:
        query = query.where(Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(unit))))
    if active is not None:
        query = query.where(Employee.active == active)
    # Counted before the joins, which only feed the display: a third of the cost. A name
    # search is counted up to SEARCH_COUNT_CAP: "siti" matches half a province, and counting
    # every match reads every name where the page needs twenty-five.
    by_name = bool(q and not q.strip().isdigit())
    total = query.limit(SEARCH_COUNT_CAP + 1).count() if by_name else query.count()
    listing = Page(Employee.join_org(query).order_by(Employee.name, Employee.id), number, per_page,
                   total=min(total, SEARCH_COUNT_CAP))
    listing.more = total > SEARCH_COUNT_CAP
    return listing


def find_active(scope: Unit | None, nip: str) -> Employee | None:
    """The active employee with this NIP whom the admin may choose."""
    return scoped_employees(scope, Employee.select()).where(
        (Employee.nip == nip) & Employee.active).first()


def override_nips(employee: Employee) -> dict:
    """The NIPs of the chosen appraiser and their superior, as the override form shows them."""
    chosen = {e.id: e.nip for e in Employee.select(Employee.id, Employee.nip).where(
        Employee.id.in_([employee.appraiser_override_id, employee.appraiser_superior_override_id]))}
    return {"appraiser_nip": chosen.get(employee.appraiser_override_id, ""),
            "superior_nip": chosen.get(employee.appraiser_superior_override_id, "")}


def account_of(employee: Employee) -> User | None:
    return User.get_or_none(User.employee == employee.id)


def appraisal(employee: Employee) -> dict:
    """Who appraises the employee: derived from the position tree, and in effect."""
    return {"derived": employee.derived_appraiser(), "appraiser": employee.appraiser(),
            "superior": employee.appraiser_superior()}


# --- writes ---------------------------------------------------------------------------------

def create_employee(actor, values: dict, position_id: int, password_hash: str) -> Employee:
    """The employee and their login (username = NIP) with a password to change at first login.
    `values` holds the editable fields."""
    try:
        with db.atomic():
            position = Position.get_by_id(position_id)
            employee = Employee.create(**values, position=position, unit=position.unit_id)
            account = User.create(username=employee.nip, employee=employee, role="pegawai",
                                  password_hash=password_hash, must_change_password=True,
                                  active=employee.active)
            AuditLog.record(actor, "create", "employee", employee.id,
                            f"Pegawai {employee.full_name} ({employee.nip}) ditambahkan",
                            after=snapshot(employee, EMPLOYEE_FIELDS), unit=position.unit_id)
            AuditLog.record(actor, "create", "user", account.id,
                            f"Akun {account.username} dibuat dengan kata sandi sekali pakai",
                            after=snapshot(account, USER_FIELDS), unit=position.unit_id)
    except IntegrityError:  # a second click raced the first to the same NIP
        raise DomainError(NIP_TAKEN, field="nip") from None
    return employee


def update_employee(actor, employee_id: int, values: dict, position_id: int) -> Employee:
    """Change the editable fields and the position (the unit follows it); the login follows."""
    try:
        with db.atomic():
            employee = Employee.get_by_id(employee_id)
            position = Position.get_by_id(position_id)
            before = snapshot(employee, EMPLOYEE_FIELDS)
            was_active = employee.active
            for name, value in values.items():
                setattr(employee, name, value)
            employee.position, employee.unit = position, position.unit_id
            employee.save()
            AuditLog.record(actor, "update", "employee", employee.id,
                            f"Data pegawai {employee.full_name} ({employee.nip}) diubah",
                            before=before, after=snapshot(employee, EMPLOYEE_FIELDS),
                            unit=employee.unit_id)
            _sync_account(actor, employee, was_active)
            if was_active and not employee.active:
                _release_overrides(actor, employee)
    except IntegrityError:  # another admin saved this NIP a moment earlier
        raise DomainError(NIP_TAKEN, field="nip") from None
    return employee


def deactivate_employee(actor, employee_id: int) -> bool:
    """Deactivate (never delete) an employee; False when they already were inactive."""
    with db.atomic():
        employee = Employee.get_by_id(employee_id)
        if not employee.active:
            return False
        before = snapshot(employee, EMPLOYEE_FIELDS)
        employee.active = False
        employee.save(only=[Employee.active])
        AuditLog.record(actor, "deactivate", "employee", employee.id,
                        f"Pegawai {employee.full_name} ({employee.nip}) dinonaktifkan",
                        before=before, after=snapshot(employee, EMPLOYEE_FIELDS),
                        unit=employee.unit_id)
        _sync_account(actor, employee, was_active=True)
        _release_overrides(actor, employee)
    return True


def set_appraisers(actor, employee_id: int, appraiser: Employee | None,
                   superior: Employee | None) -> bool:
    """Override the derived Pejabat Penilai and their superior (None: back to the derived one).
    False when nothing changes; DomainError when a chosen person is no longer active."""
    new = (appraiser.id if appraiser else None, superior.id if superior else None)
    with db.atomic():
        employee = Employee.get_by_id(employee_id)
        if new == (employee.appraiser_override_id, employee.appraiser_superior_override_id):
            return False
        # Deactivated since the form was checked, they would escape _release_overrides.
        still_active = {e.id for e in Employee.select(Employee.id).where(
            Employee.id.in_([i for i in new if i]) & Employee.active)}
        for field, chosen in (("appraiser_nip", new[0]), ("superior_nip", new[1])):
            if chosen and chosen not in still_active:
                raise DomainError(NOT_CHOOSABLE, field=field)
        before = snapshot(employee, EMPLOYEE_FIELDS)
        employee.appraiser_override, employee.appraiser_superior_override = new
        employee.save(only=[Employee.appraiser_override, Employee.appraiser_superior_override])
        AuditLog.record(actor, "override", "employee", employee.id,
                        f"Penilai {employee.full_name} ({employee.nip}): Pejabat Penilai "
                        f"{appraiser.full_name if appraiser else 'turunan jabatan'}, "
                        f"Atasan Pejabat Penilai "
                        f"{superior.full_name if superior else 'turunan jabatan'}",
                        before=before, after=snapshot(employee, EMPLOYEE_FIELDS),
                        unit=employee.unit_id)
    return True


def _sync_account(actor, employee: Employee, was_active: bool) -> None:
    """The login follows the employee: NIP as username, active with the employee.
    Deactivation also ends every open session at once."""
    account = User.get_or_none(User.employee == employee.id)
    if account is None:
        return
    before = snapshot(account, USER_FIELDS)
    changes = []
    if account.username != employee.nip:
        account.username = employee.nip
        changes.append("nama pengguna mengikuti NIP baru")
    if was_active and not employee.active and account.active:
        account.active = False
        account.session_version += 1
        changes.append("dinonaktifkan dan semua sesinya diakhiri")
    elif employee.active and not was_active and not account.active:
        account.active = True
        changes.append("diaktifkan kembali")
    if not changes:
        return
    account.save()
    AuditLog.record(actor, "deactivate" if not account.active else "update", "user",
                    account.id, f"Akun {account.username}: {'; '.join(changes)}",
                    before=before, after=snapshot(account, USER_FIELDS), unit=employee.unit_id)


def _release_overrides(actor, employee: Employee) -> None:
    """Nobody keeps a deactivated employee as their chosen appraiser: they fall back
    to the appraiser derived from the position tree."""
    for field in (Employee.appraiser_override, Employee.appraiser_superior_override):
        for other in Employee.select().where(field == employee.id):
            before = snapshot(other, EMPLOYEE_FIELDS)
            setattr(other, field.name, None)
            other.save(only=[field])
            AuditLog.record(actor, "override", "employee", other.id,
                            f"Penggantian penilai {other.full_name} ({other.nip}) dilepas karena "
                            f"{employee.full_name} dinonaktifkan",
                            before=before, after=snapshot(other, EMPLOYEE_FIELDS),
                            unit=other.unit_id)
