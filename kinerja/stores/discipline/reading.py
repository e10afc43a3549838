"""Reading discipline cases: the queue of the official with authority, the lists of the admin
OPD and BKPSDM, the employee's own, and one case with its people — each one query."""
from peewee import JOIN

from ...models import DisciplineCase, Employee, PersonnelDecision, Unit
from ...rules import discipline as rules
from ..evaluation.access import opd_headed_by

DONE_LIMIT = 200
Opd = Unit.alias()


def _with_people():
    return (DisciplineCase.select(DisciplineCase, Employee, Unit, Opd, PersonnelDecision)
            .join(Employee, on=(DisciplineCase.employee == Employee.id))
            .switch(DisciplineCase)
            .join(Unit, JOIN.LEFT_OUTER, on=(DisciplineCase.unit == Unit.id))
            .switch(DisciplineCase)
            .join(Opd, JOIN.LEFT_OUTER, on=(DisciplineCase.opd == Opd.id), attr="opd_unit")
            .switch(DisciplineCase)
            .join(PersonnelDecision, JOIN.LEFT_OUTER,
                  on=(DisciplineCase.decision == PersonnelDecision.id), attr="ledger_entry"))


def get(case_id: int):
    return _with_people().where(DisciplineCase.id == case_id).first()


def _visible_to(user):
    """The condition of the cases a user may read (None: all), or False for none."""
    if user.role == "admin":
        return None
    condition = None

    def add(part):
        nonlocal condition
        condition = part if condition is None else condition | part

    headed = opd_headed_by(user.employee) if user.employee_id else None
    if headed is not None:
        add((DisciplineCase.opd == headed.id) & (DisciplineCase.authority == rules.OPD_HEAD)
            & (DisciplineCase.employee != user.employee_id))
    if user.role == "admin_opd" and user.scope_unit_id:
        scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
        if scope is not None:
            add(Unit.path.startswith(scope.path))
    if user.employee_id is not None:
        add((DisciplineCase.employee == user.employee_id) & DisciplineCase.examined_on.is_null(False)
            & (DisciplineCase.status != rules.PROPOSED))
    return False if condition is None else condition


def listing(user) -> tuple[list, list]:
    """(open cases, the oldest proposal first; closed ones, latest first) the user may read."""
    condition = _visible_to(user)
    if condition is False:
        return [], []
    base = _with_people()
    if condition is not None:
        base = base.where(condition)
    waiting = list(base.where(DisciplineCase.status.in_(rules.OPEN))
                   .order_by(DisciplineCase.proposed_at, DisciplineCase.id))
    done = list(base.where(DisciplineCase.status.not_in(rules.OPEN))
                .order_by(DisciplineCase.decided_at.desc(), DisciplineCase.id.desc())
                .limit(DONE_LIMIT))
    return waiting, done

