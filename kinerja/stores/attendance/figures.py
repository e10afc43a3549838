"""Attendance figures: working days, present, excused, unexcused, lateness, per employee and
month or over a period, in a fixed number of queries whatever the number of people.

A working day counts once an import has covered it for the person's OPD (or BKPSDM imported
it for the whole regency) and it is not in the future: a month nobody imported yet is not a
month of absence."""
import bisect
import datetime
from collections import defaultdict

from peewee import JOIN, fn

from ... import clock
from ...models import (AttendanceDay, AttendanceImport, AttendanceMonth, Employee, Leave,
                       Setting, Unit)
from ...rules import attendance as rules
from ...rules import calendar as cal_rules
from ...rules import roster as roster_rules
from ..calendar import calendars_for_units, rosters


def minutes_per_day() -> int:
    try:
        value = int(Setting.get_value("attendance.minutes_per_day", str(rules.MINUTES_PER_DAY)))
    except ValueError:
        return rules.MINUTES_PER_DAY
    return value if value > 0 else rules.MINUTES_PER_DAY


def _people(employee_query) -> list:
    """(id, unit id, unit path) of the employees in the query."""
    return list(Employee.select(Employee.id, Employee.unit, Unit.path)
                .join(Unit, JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
                .where(Employee.id.in_(employee_query)).tuples())


def _coverage(start, end) -> list:
    return list(AttendanceImport.select(Unit.path, AttendanceImport.first_day,
                                        AttendanceImport.last_day)
                .join(Unit, JOIN.LEFT_OUTER, on=(AttendanceImport.unit == Unit.id))
                .where((AttendanceImport.first_day <= end) & (AttendanceImport.last_day >= start))
                .tuples())


def _merged(spans) -> list:
    """Overlapping or touching (first, last) spans joined, in order: one import per OPD and
    month makes hundreds a year."""
    merged = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + datetime.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _covered(spans, day) -> bool:
    index = bisect.bisect_right(spans, (day, datetime.date.max)) - 1
    return index >= 0 and spans[index][0] <= day <= spans[index][1]


class _Counted:
    """The counted working days of each unit over [start, end], worked out once per unit,
    and of each person of `employee_query` with a roster, worked out from their unit's."""

    def __init__(self, people, start, end, today, employee_query):
        self.start, self.end = start, min(end, today)
        self.coverage = _coverage(start, end)
        years = range(start.year, end.year + 1)
        self.calendars = calendars_for_units({u for _, u, _ in people}, start.year, years)
        self.rosters = rosters(employee_query, start, self.end)
        self.memo, self.by_unit, self.spans = {}, {}, {}

    def days(self, unit_id, path, employee_id=None) -> list:
        """Units sharing a calendar and the imports that cover them share one list; a roster
        replaces the days it names (those an import covers)."""
        if unit_id not in self.by_unit:
            cal = self.calendars.get(unit_id, self.calendars[None])
            spans = tuple(_merged([(first, last) for scope, first, last in self.coverage
                                   if scope is None or (path or "").startswith(scope)]))
            key = (cal.weekdays, spans)
            if key not in self.memo:
                self.memo[key] = [d for d in cal_rules.working_days(cal, self.start, self.end)
                                  if _covered(spans, d)] if spans else []
            self.by_unit[unit_id], self.spans[unit_id] = self.memo[key], spans
        roster = self.rosters.get(employee_id)
        if not roster:
            return self.by_unit[unit_id]
        spans = self.spans[unit_id]
        return roster_rules.merge(self.by_unit[unit_id], {
            d: hours for d, hours in roster.items() if _covered(spans, d)})


def _leave_days(employee_query, start, end) -> dict:
    """{employee id: set of days covered by a leave record} within [start, end]."""
    result = defaultdict(set)
    for employee_id, starts, ends in (Leave.select(Leave.employee, Leave.starts, Leave.ends)
                                      .where(Leave.employee.in_(employee_query)
                                             & (Leave.starts <= end) & (Leave.ends >= start))
                                      .tuples()):
        day = max(starts, start)
        while day <= min(ends, end):
            result[employee_id].add(day)
            day += datetime.timedelta(days=1)
    return result


def _present_days(employee_query, start, end) -> dict:
    result = defaultdict(set)
    for employee_id, day in (AttendanceDay.select(AttendanceDay.employee, AttendanceDay.day)
                             .where(AttendanceDay.employee.in_(employee_query)
                                    & (AttendanceDay.day >= start) & (AttendanceDay.day <= end)
                                    & AttendanceDay.working).tuples()):
        result[employee_id].add(day)
    return result


def monthly(employee_query, year: int, today=None) -> dict:
    """{employee id: {month: Figures}} for the year, in six queries: the attendance rows are
    read from their monthly sums; only the (few) leave takers' days are read one by one."""
    today = today or clock.today()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    people = _people(employee_query)
    counted = _Counted(people, start, end, today, employee_query)
    sums = {}
    for employee_id, month, present, late, early in (
            AttendanceMonth.select(AttendanceMonth.employee, AttendanceMonth.month,
                                   AttendanceMonth.present, AttendanceMonth.minutes_late,
                                   AttendanceMonth.minutes_early)
            .where((AttendanceMonth.year == year) & AttendanceMonth.employee.in_(employee_query))
            .tuples()):
        sums[(employee_id, month)] = (present, late, early)
    leaves = _leave_days(employee_query, start, end)
    leave_present = _present_days(Leave.select(Leave.employee).where(
        Leave.employee.in_(employee_query) & (Leave.year == year)), start, end) if leaves else {}
    result = {}
    for employee_id, unit_id, path in people:
        months = {m: rules.Figures() for m in range(1, 13)}
        days = counted.days(unit_id, path, employee_id)
        for day in days:
            months[day.month].working_days += 1
        excused_days = leaves.get(employee_id, set())
        present_days = leave_present.get(employee_id, set())
        counted_set = set(days) if excused_days else ()
        for day in excused_days:
            if day in counted_set and day not in present_days:
                months[day.month].excused += 1
        for month, figures in months.items():
            present, late, early = sums.get((employee_id, month), (0, 0, 0))
            figures.present = min(present, figures.working_days)
            figures.minutes_late, figures.minutes_early = late, early
            figures.unexcused = max(0, figures.working_days - figures.present - figures.excused)
        result[employee_id] = months
    return result


def _ids_query(employee_ids):
    query = Employee.select(Employee.id)
    return query if employee_ids is None else query.where(Employee.id.in_(list(employee_ids)))


def year_total(months: dict) -> rules.Figures:
    total = rules.Figures()
    for f in months.values():
        total.working_days += f.working_days
        total.present += f.present
        total.excused += f.excused
        total.unexcused += f.unexcused
        total.minutes_late += f.minutes_late
        total.minutes_early += f.minutes_early
    return total


def unexcused_days(year: int, employee_ids=None, today=None) -> dict:
    """{employee id: the year's days absent without a valid reason, lateness and early
    leaving converted at 7,5 hours = 1 day (a setting)}."""
    per_day = minutes_per_day()
    return {employee_id: year_total(months).unexcused_with_lateness(per_day)
            for employee_id, months in monthly(_ids_query(employee_ids), year, today).items()}


def longest_absent_run(year: int, employee_ids=None, today=None) -> dict:
    """{employee id: the longest run of consecutive working days tanpa keterangan}."""
    today = today or clock.today()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    query = _ids_query(employee_ids)
    people = _people(query)
    counted = _Counted(people, start, end, today, query)
    present = _present_days(query, start, end)
    leaves = _leave_days(query, start, end)
    result = {}
    for employee_id, unit_id, path in people:
        days = counted.days(unit_id, path, employee_id)
        seen = present.get(employee_id, set()) | leaves.get(employee_id, set())
        result[employee_id] = rules.longest_run(days, {d for d in days if d not in seen})
    return result


def period_figures(employee_id: int, start: datetime.date, end: datetime.date,
                   today=None) -> rules.Figures:
    """One employee's figures over [start, end] (beside an evaluation's period)."""
    today = today or clock.today()
    query = _ids_query([employee_id])
    people = _people(query)
    if not people:
        return rules.Figures()
    _, unit_id, path = people[0]
    days = _Counted(people, start, end, today, query).days(unit_id, path, employee_id)
    present = _present_days(query, start, end).get(employee_id, set())
    excused = _leave_days(query, start, end).get(employee_id, set())
    late, early = (AttendanceDay.select(fn.SUM(AttendanceDay.minutes_late),
                                        fn.SUM(AttendanceDay.minutes_early))
                   .where((AttendanceDay.employee == employee_id) & AttendanceDay.working
                          & (AttendanceDay.day >= start) & (AttendanceDay.day <= end))
                   .tuples().get())
    p, e, u = rules.tally(days, present, excused)
    return rules.Figures(working_days=len(days), present=p, excused=e, unexcused=u,
                         minutes_late=int(late or 0), minutes_early=int(early or 0))
