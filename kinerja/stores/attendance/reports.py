"""What the attendance pages show: one person's year by month, a Pejabat Penilai's team, and
a unit (with its sub-units) month by month with a page of its people."""
import datetime
from dataclasses import dataclass

from peewee import JOIN, fn

from ... import clock
from ...models import AttendanceMonth, Employee, Leave, Position, Unit
from ...paging import Page
from ...rules import attendance as rules
from .figures import _Counted, _leave_days, _present_days, minutes_per_day, monthly, year_total


@dataclass
class PersonYear:
    months: dict
    total: rules.Figures
    converted: object  # Decimal: unexcused days with lateness converted


def person_year(employee_id: int, year: int, today=None) -> PersonYear:
    months = monthly(Employee.select(Employee.id).where(Employee.id == employee_id), year,
                     today).get(employee_id, {m: rules.Figures() for m in range(1, 13)})
    total = year_total(months)
    return PersonYear(months, total, total.unexcused_with_lateness(minutes_per_day()))


def team(supervisor, year: int, today=None) -> list:
    """(employee, year figures, converted days) of the supervisor's team, in a fixed number of
    queries."""
    people = list(supervisor.subordinates())
    if not people:
        return []
    ids = [e.id for e in people]
    per_day = minutes_per_day()
    figures = monthly(Employee.select(Employee.id).where(Employee.id.in_(ids)), year, today)
    rows = []
    for employee in people:
        total = year_total(figures.get(employee.id, {}))
        rows.append((employee, total, total.unexcused_with_lateness(per_day)))
    return rows


@dataclass
class UnitReport:
    months: dict          # month -> Figures summed over the unit's people
    people: Page          # a page of (employee, year figures, converted, month figures)
    employees: int


def _within(unit):
    return (Employee.select(Employee.id).join(Unit, on=(Employee.unit == Unit.id))
            .where(Unit.within(unit) & Employee.active))


def unit_months(unit, year: int, today=None) -> dict:
    """The unit's months summed in SQL from the monthly sums, working days
    from each sub-unit's calendar times its head count; only leave takers are read by day."""
    today = today or clock.today()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    heads = list(Employee.select(Employee.unit, Unit.path, fn.COUNT(Employee.id))
                 .join(Unit, on=(Employee.unit == Unit.id))
                 .where(Unit.within(unit) & Employee.active)
                 .group_by(Employee.unit, Unit.path).tuples())
    members = _within(unit)
    counted = _Counted([(None, u, p) for u, p, _ in heads], start, end, today, members)
    months = {m: rules.Figures() for m in range(1, 13)}
    for unit_id, path, count in heads:
        for day in counted.days(unit_id, path):
            months[day.month].working_days += count
    units = dict(Employee.select(Employee.id, Employee.unit).where(
        Employee.id.in_(list(counted.rosters))).tuples())
    paths = {u: p for u, p, _ in heads}
    for employee_id in counted.rosters:
        # Counted above by their unit's calendar: swap in the days of their roster.
        unit_id = units[employee_id]
        for day in counted.days(unit_id, paths[unit_id]):
            months[day.month].working_days -= 1
        for day in counted.days(unit_id, paths[unit_id], employee_id):
            months[day.month].working_days += 1
    for month, present, late, early in (
            AttendanceMonth.select(AttendanceMonth.month, fn.SUM(AttendanceMonth.present),
                                   fn.SUM(AttendanceMonth.minutes_late),
                                   fn.SUM(AttendanceMonth.minutes_early))
            .join(Employee, on=(AttendanceMonth.employee == Employee.id))
            .join(Unit, on=(Employee.unit == Unit.id))
            .where((AttendanceMonth.year == year) & Unit.within(unit) & Employee.active)
            .group_by(AttendanceMonth.month).tuples()):
        months[month].present = int(present or 0)
        months[month].minutes_late, months[month].minutes_early = int(late or 0), int(early or 0)
    takers = (Leave.select(Leave.employee).where(Leave.employee.in_(members) & (Leave.year == year)))
    leaves = _leave_days(takers, start, end)
    if leaves:
        present = _present_days(takers, start, end)
        units = dict(Employee.select(Employee.id, Employee.unit).where(Employee.id.in_(takers)).tuples())
        for employee_id, days in leaves.items():
            unit_id = units.get(employee_id)
            counted_days = set(counted.days(unit_id, paths.get(unit_id, ""), employee_id))
            for day in days:
                if day in counted_days and day not in present.get(employee_id, ()):
                    months[day.month].excused += 1
    for figures in months.values():
        figures.unexcused = max(0, figures.working_days - figures.present - figures.excused)
    return months


def unit_report(unit, year: int, month: int | None, number: int, per_page: int,
                today=None) -> UnitReport:
    members = (Employee.select(Employee, Position).join(Unit, on=(Employee.unit == Unit.id))
               .switch(Employee).join(Position, JOIN.LEFT_OUTER, on=(Employee.position == Position.id))
               .where(Unit.within(unit) & Employee.active).order_by(Employee.name, Employee.id))
    total = _within(unit).count()
    page = Page(members, number, per_page, total=total)
    ids = [e.id for e in page.items]
    figures = monthly(Employee.select(Employee.id).where(Employee.id.in_(ids)), year, today) \
        if ids else {}
    per_day = minutes_per_day()
    rows = []
    for employee in page.items:
        months = figures.get(employee.id, {})
        whole = year_total(months)
        rows.append((employee, whole, whole.unexcused_with_lateness(per_day),
                     months.get(month) if month else None))
    page.items = rows
    return UnitReport(unit_months(unit, year, today), page, total)


def opds_in(scope) -> list:
    if scope is not None:
        return [Unit.get_by_id(scope.opd_id)] if scope.opd_id else [scope]
    return list(Unit.opds())


def units_under(opd) -> list:
    return list(Unit.select().where(Unit.within(opd) & Unit.active).order_by(Unit.path))

