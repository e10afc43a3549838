"""What those who oversee see: completion toward the deadlines per unit (OPDs for the
regency, the sub-units for an OPD), who is late, data problems, the survey queue and the
imports waiting. Counted per unit in SQL and folded into groups through the unit paths:
a fixed number of queries whatever the number of units and employees."""
import datetime
from dataclasses import dataclass

from peewee import SQL, Case, fn

from ...models import Employee, Evaluation, Position, Skp, Unit, User
from ...rules import evaluation as eval_rules
from ..peer_feedback import HEAD_KINDS
from ..siasn.planner import STRUCTURAL


@dataclass
class Completion:
    unit: Unit
    employees: int = 0
    approved: int = 0           # employees with an approved SKP this year
    evaluated: int = 0          # employees with a predikat in force for the period

    @staticmethod
    def _share(n, total) -> float:
        return round(n * 100 / total, 1) if total else 0.0

    @property
    def approved_percent(self) -> float:
        return self._share(self.approved, self.employees)

    @property
    def evaluated_percent(self) -> float:
        return self._share(self.evaluated, self.employees)


def _groups(scope) -> tuple[list, dict]:
    """(group units, {unit id: group id}): the OPDs of the regency, or for a scope the scope
    itself (people placed directly in it) and its direct sub-units."""
    units = Unit.select(Unit.id, Unit.name, Unit.code, Unit.path, Unit.parent, Unit.active)
    if scope is not None:
        units = units.where(Unit.within(scope))
    units = list(units)
    depth = 0 if scope is None else len(Unit.path_ids(scope.path))
    groups, group_of = {}, {}
    for unit in units:
        ids = Unit.path_ids(unit.path)
        if len(ids) <= depth:
            continue
        group_of[unit.id] = ids[depth]
    heads = set(group_of.values())
    for unit in units:
        if unit.id in heads and unit.active:
            groups[unit.id] = unit
    if scope is not None:
        group_of[scope.id] = scope.id
        groups[scope.id] = scope
    ordered = sorted(groups.values(), key=lambda u: (u.id != (scope.id if scope else None), u.name))
    return ordered, group_of


def completion(scope, year: int, period: eval_rules.Period | None) -> list[Completion]:
    """Per group: active employees, how many have an approved SKP for `year`, how many a
    predikat for `period`. One pass over the employees grouped by unit, folded into groups;
    two queries."""
    groups, group_of = _groups(scope)
    result = {unit.id: Completion(unit) for unit in groups}
    in_scope = Employee.active
    if scope is not None:
        in_scope &= Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(scope)))
    # Uncorrelated IN: each set is made once (SQLite an ephemeral index, PostgreSQL a hashed
    # subplan); a correlated EXISTS let SQLite pick the (year, status) index per employee.
    approved = Skp.select(Skp.employee).where((Skp.year == year) & (Skp.status == "approved"))
    counted = [fn.COUNT(SQL("*")), fn.SUM(Case(None, [(Employee.id.in_(approved), 1)], 0))]
    if period is not None:
        evaluated = Evaluation.select(Evaluation.employee).where(
            (Evaluation.year == period.year) & (Evaluation.kind == period.kind)
            & (Evaluation.number == period.number) & Evaluation.status.in_(eval_rules.WITH_PREDIKAT))
        counted.append(fn.SUM(Case(None, [(Employee.id.in_(evaluated), 1)], 0)))
    for unit_id, *numbers in (Employee.select(Employee.unit, *counted).where(in_scope)
                              .group_by(Employee.unit).tuples()):
        row = result.get(group_of.get(unit_id))
        if row is not None:
            row.employees += numbers[0]
            row.approved += int(numbers[1] or 0)
            row.evaluated += int(numbers[2] or 0) if len(numbers) > 2 else 0
    return [row for row in result.values() if row.employees]


def totals(rows: list[Completion], unit=None) -> Completion:
    whole = Completion(unit)
    for row in rows:
        whole.employees += row.employees
        whole.approved += row.approved
        whole.evaluated += row.evaluated
    return whole


def _employees_in(scope):
    query = Employee.select().where(Employee.active)
    if scope is not None:
        query = query.where(Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(scope))))
    return query


def late_count(total: Completion, deadline: datetime.date | None, today: datetime.date) -> int:
    """Active employees without an approved SKP once the year's deadline has passed (from the
    counts already made for the completion chart)."""
    if deadline is None or today <= deadline:
        return 0
    return total.employees - total.approved


@dataclass
class DataProblems:
    without_position: int
    without_appraiser: int
    shared_positions: int       # structural positions held by more than one active employee
    never_logged_in: int

    @property
    def any(self) -> bool:
        return any((self.without_position, self.without_appraiser, self.shared_positions,
                    self.never_logged_in))


def data_problems(scope) -> DataProblems:
    """Four counts. A functional position has many holders; a structural one, one.
    "Without an appraiser": a position with no superior position and no
    override that is not the top of an OPD (heads of OPD are appraised by the Kepala Daerah)."""
    employees = _employees_in(scope)
    without_position = employees.where(Employee.position.is_null()).count()
    top_of_opd = Position.kind.in_(HEAD_KINDS) & Unit.parent.is_null()
    without_appraiser = (employees.switch(Employee)
                         .join(Position, on=(Employee.position == Position.id))
                         .join(Unit, on=(Position.unit == Unit.id))
                         .where(Position.parent.is_null() & Employee.appraiser_override.is_null()
                                & ~top_of_opd).count())
    shared = (employees.select(Employee.position)
              .join(Position, on=(Employee.position == Position.id))
              .where(Position.kind.in_(STRUCTURAL))
              .group_by(Employee.position).having(fn.COUNT(SQL("*")) > 1))
    never = User.select().join(Employee, on=(User.employee == Employee.id)).where(
        User.active & User.last_login.is_null() & Employee.active)
    if scope is not None:
        never = never.where(Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(scope))))
    never = never.count()
    return DataProblems(without_position, without_appraiser, shared.count(), never)
