"""Who stands where to a discipline case: the official with authority (the head of its OPD,
or the admin BKPSDM recording for the Kepala Daerah), the admin OPD of its unit, BKPSDM, and
the employee, who sees their own case once it has been examined."""
from ...models import Employee, Unit, User
from ...rules import discipline as rules
from ...rules.evaluation import admin_sees
from ..evaluation.access import head_of, opd_headed_by


def opd_of(employee):
    """The OPD an employee works in (its top unit), or None."""
    if not employee.unit_id:
        return None
    unit = Unit.get_or_none(Unit.id == employee.unit_id)
    return Unit.get_or_none(Unit.id == unit.opd_id) if unit is not None else None


def authority_of(employee, opd, level: str) -> str:
    """Who decides: without an OPD there is no head of OPD to decide, so BKPSDM records it."""
    return rules.authority_for(level, opd is None or opd_headed_by(employee) is not None)


def officials(case) -> list[int]:
    """The employees to tell that a case waits for them: the head of its OPD, or the admin
    BKPSDM accounts that have an employee behind them (the Kepala Daerah is not a user)."""
    if case.authority == rules.OPD_HEAD:
        opd = Unit.get_or_none(Unit.id == case.opd_id) if case.opd_id else None
        head = head_of(opd) if opd is not None else None
        return [head.id] if head is not None else []
    return [u.employee_id for u in User.select(User.employee)
            .where((User.role == "admin") & User.employee.is_null(False) & User.active)]


def is_authority(user, case) -> bool:
    if case.authority == rules.REGENT:
        return user.role == "admin"
    headed = opd_headed_by(user.employee) if user.employee_id else None
    return headed is not None and headed.id == case.opd_id


def relations(user, case) -> set[str]:
    """How the user stands to a case: "authority", "admin" (BKPSDM), "admin_opd", "employee"."""
    roles = set()
    if is_authority(user, case) and user.employee_id != case.employee_id:
        roles.add("authority")
    if user.role == "admin":
        roles.add("admin")
    elif user.role == "admin_opd" and user.scope_unit_id and case.unit_id:
        scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
        unit = Unit.get_or_none(Unit.id == case.unit_id)
        if scope is not None and unit is not None and admin_sees(user, scope.path, unit.path):
            roles.add("admin_opd")
    if user.employee_id is not None and user.employee_id == case.employee_id \
            and case.status != rules.PROPOSED and case.examined_on is not None:
        roles.add("employee")
    return roles


def may_record(user, employee) -> bool:
    """Whether the user may record a violation for this employee: the head of the employee's
    OPD, the admin OPD whose scope holds them, or BKPSDM; never for oneself."""
    if user.employee_id is not None and user.employee_id == employee.id:
        return False
    if user.role == "admin":
        return True
    opd = opd_of(employee)
    if opd is None:
        return False
    headed = opd_headed_by(user.employee) if user.employee_id else None
    if headed is not None and headed.id == opd.id:
        return True
    if user.role == "admin_opd" and user.scope_unit_id:
        scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
        unit = Unit.get_or_none(Unit.id == employee.unit_id)
        return scope is not None and unit is not None and admin_sees(user, scope.path, unit.path)
    return False


def recordable_employees(user) -> list:
    """Those the user may record a violation for, by name."""
    query = Employee.select().where(Employee.active)
    if user.role != "admin":
        headed = opd_headed_by(user.employee) if user.employee_id else None
        condition = None
        if headed is not None:
            condition = Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(headed)))
        if user.role == "admin_opd" and user.scope_unit_id:
            scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
            if scope is not None:
                mine = Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(scope)))
                condition = mine if condition is None else condition | mine
        if condition is None:
            return []
        query = query.where(condition)
    if user.employee_id is not None:
        query = query.where(Employee.id != user.employee_id)
    return list(query.order_by(Employee.name))
