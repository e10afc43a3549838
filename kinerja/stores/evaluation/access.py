"""Who stands where: how a user stands to an employee's progress or to one evaluation, who
heads an OPD, and who appraises an evaluation when it is made."""
from ...models import Employee, Position, Unit
from ...rules import evaluation as rules


def opd_headed_by(employee) -> Unit | None:
    """The OPD this employee heads: they hold the top position of an OPD (its superior
    position, if any, lies outside the OPD, as for a camat under the sekda)."""
    if employee is None or not employee.position_id or not employee.unit_id:
        return None
    unit = Unit.get_or_none(Unit.id == employee.unit_id)
    if unit is None or unit.parent_id is not None:
        return None
    position = Position.get_or_none(Position.id == employee.position_id)
    if position is None:
        return None
    if position.parent_id:
        parent = (Position.select(Position, Unit).join(Unit)
                  .where(Position.id == position.parent_id).first())
        if parent is not None and parent.unit.path.startswith(unit.path):
            return None
    return unit


def head_of(opd: Unit) -> Employee | None:
    """The employee heading an OPD, or None when the top position is vacant."""
    for employee in (Employee.select(Employee).join(Position, on=(Employee.position == Position.id))
                     .where((Employee.unit == opd.id) & Employee.active)
                     .order_by(Position.parent.is_null(False), Employee.id)):
        if opd_headed_by(employee):
            return employee
    return None


def administers(user, unit_id) -> bool:
    """Whether the user is an admin of the unit; the paths are read only when it depends
    on them."""
    scope = unit = None
    if rules.admin_scoped(user) and user.scope_unit_id and unit_id:
        scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
        unit = Unit.get_or_none(Unit.id == unit_id)
    return rules.admin_sees(user, scope.path if scope else None, unit.path if unit else None)


def relation(user, employee, skp=None) -> set[str]:
    """How the user stands to an employee's progress and evidence: owner, their Pejabat
    Penilai (of the plan, or now), the Atasan, an admin whose scope holds the employee."""
    roles = set()
    me = user.employee_id
    if me is not None and me == employee.id:
        roles.add(rules.OWNER)
    elif me is not None:
        if skp is not None and skp.appraiser_id == me:
            roles.add(rules.APPRAISER)
        else:
            appraiser = employee.appraiser()
            if appraiser is not None and appraiser.id == me:
                roles.add(rules.APPRAISER)
        superior = employee.appraiser_superior()
        if superior is not None and superior.id == me:
            roles.add(rules.SUPERIOR)
    if administers(user, employee.unit_id):
        roles.add(rules.ADMIN)
    return roles


def evaluation_relation(user, evaluation) -> set[str]:
    """How the user stands to one evaluation. Where the Pejabat Penilai or the Atasan is the
    Kepala Daerah (none recorded), the admin BKPSDM acts for them."""
    roles = set()
    me = user.employee_id
    if me is not None and me == evaluation.employee_id:
        return {rules.OWNER}
    for role, person_id in ((rules.APPRAISER, evaluation.appraiser_id),
                            (rules.SUPERIOR, evaluation.superior_id)):
        if person_id is not None:
            if me is not None and me == person_id:
                roles.add(role)
        elif rules.records_for_kepala_daerah(user):
            roles.add(role)
    if administers(user, evaluation.unit_id):
        roles.add(rules.ADMIN)
    return roles


def evaluation_people(employee, skp) -> tuple[int | None, int | None]:
    """(Pejabat Penilai id, Atasan id) for an evaluation of this plan."""
    appraiser_id = skp.appraiser_id
    if employee.appraiser_superior_override_id:
        return appraiser_id, employee.appraiser_superior_override_id
    if appraiser_id is None:
        return None, None
    appraiser = Employee.get_or_none(Employee.id == appraiser_id)
    above = appraiser.appraiser() if appraiser else None
    return appraiser_id, above.id if above else None
