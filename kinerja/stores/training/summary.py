"""The 20 JP a year as people see it: one's own total, a Pejabat Penilai's team, and who is
below it per OPD for BKPSDM and the admin OPD. Every figure reads the stored yearly totals
(TrainingYearTotal, kept by totals.py with the records): one indexed row per person, none for
someone without a record that year, so a page costs the same few queries whatever the number
of people or records."""
from dataclasses import dataclass

from peewee import JOIN, SQL, fn

from ...models import Employee, TrainingYearTotal, Unit
from ...paging import Page
from ...rules import training as rules
from ..evaluation.queue import team_members


def _join_totals(query, year: int):
    """`query` (on Employee) with each one's stored total of `year` beside it, if any."""
    return query.switch(Employee).join(
        TrainingYearTotal, JOIN.LEFT_OUTER,
        on=((TrainingYearTotal.employee == Employee.id) & (TrainingYearTotal.year == year)))


def _jp():
    return fn.COALESCE(TrainingYearTotal.jp, 0)


def year_total(employee_id, year: int) -> int:
    return int(TrainingYearTotal.select(TrainingYearTotal.jp)
               .where((TrainingYearTotal.employee == employee_id) & (TrainingYearTotal.year == year))
               .scalar() or 0)


def totals_for(employee_ids, year: int) -> dict[int, int]:
    """{employee id: JP of the year} (absent: none)."""
    if not employee_ids:
        return {}
    return {who: int(jp) for who, jp in
            TrainingYearTotal.select(TrainingYearTotal.employee, TrainingYearTotal.jp)
            .where((TrainingYearTotal.year == year)
                   & TrainingYearTotal.employee.in_(list(employee_ids))).tuples()}


def team(supervisor, year: int) -> list[tuple]:
    """(employee, JP) of the people this Pejabat Penilai appraises, those below 20 JP first."""
    if supervisor is None:
        return []
    members = list(team_members(supervisor, year))
    totals = totals_for([m.id for m in members], year)
    return rules.below_first([(m, totals.get(m.id, 0)) for m in members],
                             name=lambda row: row[0].name)


@dataclass
class OpdCount:
    opd: Unit
    employees: int
    below: int

    @property
    def percent(self) -> int:
        return round(self.below * 100 / self.employees) if self.employees else 0


def _in_scope(query, scope):
    return query.where(Unit.path.startswith(scope.path)) if scope is not None else query


def _scoped_people(query, scope):
    """`query` on Employee: the active employees with a unit, of the scope (None: all)."""
    query = query.where(Employee.active & Employee.unit.is_null(False))
    if scope is not None:
        query = query.where(Employee.unit.in_(
            Unit.select(Unit.id).where(Unit.path.startswith(scope.path))))
    return query


def opd_counts(scope, year: int) -> list[OpdCount]:
    """Per OPD in the scope (None: the regency): active employees and those below 20 JP.

    Counted per unit in one statement: everyone, and beside them those whose stored total
    reaches 20 JP (an index range of the year's totals); below = everyone - reached. Then
    the units, to add their counts up per OPD."""
    people = _scoped_people(Employee.select(Employee.unit, fn.COUNT(Employee.id), SQL("0")), scope)
    reached = _scoped_people(
        TrainingYearTotal.select(Employee.unit, SQL("0"), fn.COUNT(Employee.id))
        .join(Employee, on=(TrainingYearTotal.employee == Employee.id))
        .where((TrainingYearTotal.year == year) & (TrainingYearTotal.jp >= rules.YEARLY_JP)), scope)
    per_unit: dict[int, list[int]] = {}
    for unit_id, employees, met in (people.group_by(Employee.unit)
                                    + reached.group_by(Employee.unit)).tuples():
        tally = per_unit.setdefault(unit_id, [0, 0])
        tally[0] += int(employees)
        tally[1] += int(met)
    units = {u.id: u for u in Unit.select().where(
        Unit.id.in_(list(per_unit) or [0]) | Unit.parent.is_null())}
    counts: dict[int, list[int]] = {}
    for unit_id, (employees, met) in per_unit.items():
        tally = counts.setdefault(Unit.path_ids(units[unit_id].path)[0], [0, 0])
        tally[0] += employees
        tally[1] += employees - met
    result = [OpdCount(units[opd_id], *tally) for opd_id, tally in counts.items()]
    return sorted(result, key=lambda c: (-c.below, c.opd.name))


def _below_query(scope, year: int, opd=None, columns=None):
    """Who is below 20 JP, the lowest first (then by name): each with their position, unit
    and total (`jp_total`), or only `columns`."""
    jp = _jp()
    query = (Employee.select(*columns) if columns
             else Employee.join_org(Employee.select(Employee, jp.alias("jp_total"))))
    if columns and (scope is not None or opd is not None):
        query = query.switch(Employee).join(Unit, on=(Employee.unit == Unit.id))
    query = (_join_totals(query, year)
             .where(Employee.active & Employee.unit.is_null(False) & (jp < rules.YEARLY_JP)))
    query = _in_scope(query, scope)
    if opd is not None:
        query = query.where(Unit.path.startswith(opd.path))
    return query.order_by(jp, Employee.name, Employee.id)


class _BelowList:
    """The list as Page reads a query: a page is its employees' ids sorted and cut in a narrow
    subquery, then only those rows read with their position and unit (not every row of the
    list joined, sorted and thrown away past the page)."""

    def __init__(self, scope, year: int, opd):
        self.scope, self.year, self.opd = scope, year, opd

    def count(self) -> int:
        return _below_query(self.scope, self.year, self.opd, columns=[Employee.id]).count()

    def paginate(self, number: int, per_page: int):
        ids = _below_query(self.scope, self.year, self.opd,
                           columns=[Employee.id]).paginate(number, per_page)
        return (_join_totals(Employee.join_org(Employee.select(Employee, _jp().alias("jp_total"))),
                             self.year)
                .where(Employee.id.in_(ids)).order_by(_jp(), Employee.name, Employee.id))


def _below_count(counts, opd) -> int | None:
    """How many the list holds, read from opd_counts of the same scope and year: the whole
    scope, or one OPD (a sub-unit is not counted there: None)."""
    if opd is None:
        return sum(c.below for c in counts)
    if opd.parent_id is None:
        return next((c.below for c in counts if c.opd.id == opd.id), 0)
    return None


def below_page(scope, year: int, opd, number: int, per_page: int, counts=None) -> Page:
    """One page of the employees below 20 JP, the lowest first. `counts`: opd_counts(scope,
    year) when the page has it already, which spares counting the list again."""
    total = _below_count(counts, opd) if counts is not None else None
    return Page(_BelowList(scope, year, opd), number, per_page, total=total)


def below_rows(scope, year: int, opd=None) -> list[list]:
    """The whole list as spreadsheet rows (NIP, name, position, unit, OPD, JP, shortfall)."""
    opd_names = dict(Unit.select(Unit.id, Unit.name).where(Unit.parent.is_null()).tuples())
    rows = []
    for e in _below_query(scope, year, opd):
        total = int(e.jp_total or 0)
        rows.append([e.nip, e.full_name, e.position.name if e.position_id else "",
                     e.unit.name, opd_names.get(e.unit.opd_id, ""), total, rules.shortfall(total)])
    return rows
