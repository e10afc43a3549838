"""The 20 JP a year as people see it: one's own total, a Pejabat Penilai's team, and who is
below it per OPD for BKPSDM and the admin OPD. Every figure is summed in SQL, so a page costs
the same few queries whatever the number of people or records."""
from dataclasses import dataclass

from peewee import JOIN, Case, fn

from ...models import Employee, TrainingRecord, Unit
from ...paging import Page
from ...rules import training as rules
from ..evaluation.queue import team_members


def _totals(year: int):
    """A subquery: (who, jp) per employee with records ending in `year`."""
    return (TrainingRecord.select(TrainingRecord.employee.alias("who"),
                                  fn.SUM(TrainingRecord.hours).alias("jp"))
            .where(TrainingRecord.year == year).group_by(TrainingRecord.employee))


def year_total(employee_id, year: int) -> int:
    return int(TrainingRecord.select(fn.COALESCE(fn.SUM(TrainingRecord.hours), 0))
               .where((TrainingRecord.employee == employee_id) & (TrainingRecord.year == year))
               .scalar() or 0)


def totals_for(employee_ids, year: int) -> dict[int, int]:
    """{employee id: JP of the year} (absent: none)."""
    if not employee_ids:
        return {}
    return {who: int(jp) for who, jp in
            TrainingRecord.select(TrainingRecord.employee, fn.SUM(TrainingRecord.hours))
            .where((TrainingRecord.year == year) & TrainingRecord.employee.in_(list(employee_ids)))
            .group_by(TrainingRecord.employee).tuples()}


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


def opd_counts(scope, year: int) -> list[OpdCount]:
    """Per OPD in the scope (None: the regency): active employees and those below 20 JP."""
    totals = _totals(year)
    below = fn.SUM(Case(None, [(fn.COALESCE(totals.c.jp, 0) < rules.YEARLY_JP, 1)], 0))
    rows = _in_scope(
        Employee.select(Unit.path, fn.COUNT(Employee.id), below)
        .join(Unit, on=(Employee.unit == Unit.id))
        .switch(Employee).join(totals, JOIN.LEFT_OUTER, on=(totals.c.who == Employee.id))
        .where(Employee.active), scope).group_by(Unit.path).tuples()
    counts: dict[int, list[int]] = {}
    for path, employees, short in rows:
        opd_id = Unit.path_ids(path)[0]
        tally = counts.setdefault(opd_id, [0, 0])
        tally[0] += employees
        tally[1] += int(short or 0)
    opds = Unit.select().where(Unit.id.in_(list(counts) or [0]))
    result = [OpdCount(opd, *counts[opd.id]) for opd in opds]
    return sorted(result, key=lambda c: (-c.below, c.opd.name))


def _below_query(scope, year: int, opd=None):
    totals = _totals(year)
    jp = fn.COALESCE(totals.c.jp, 0)
    query = (Employee.join_org(Employee.select(Employee, jp.alias("jp_total")))
             .switch(Employee).join(totals, JOIN.LEFT_OUTER, on=(totals.c.who == Employee.id))
             .where(Employee.active & Employee.unit.is_null(False) & (jp < rules.YEARLY_JP)))
    query = _in_scope(query, scope)
    if opd is not None:
        query = query.where(Unit.path.startswith(opd.path))
    return query.order_by(jp, Employee.name, Employee.id)


def below_page(scope, year: int, opd, number: int, per_page: int) -> Page:
    """One page of the employees below 20 JP, the lowest first."""
    return Page(_below_query(scope, year, opd), number, per_page)


def below_rows(scope, year: int, opd=None) -> list[list]:
    """The whole list as spreadsheet rows (NIP, name, position, unit, OPD, JP, shortfall)."""
    opd_names = dict(Unit.select(Unit.id, Unit.name).where(Unit.parent.is_null()).tuples())
    rows = []
    for e in _below_query(scope, year, opd):
        total = int(e.jp_total or 0)
        rows.append([e.nip, e.full_name, e.position.name if e.position_id else "",
                     e.unit.name, opd_names.get(e.unit.opd_id, ""), total, rules.shortfall(total)])
    return rows
