"""The monthly sums of attendance_day, rewritten for the people and years whose rows changed
(inside the caller's transaction)."""
from peewee import fn

from ...models import AttendanceDay, AttendanceMonth
from ..chunks import chunks

CHUNK = 500


def refresh_months(employee_ids, years) -> None:
    ids = sorted(set(employee_ids))
    for year in sorted(set(years)):
        for chunk in chunks(ids, CHUNK):
            AttendanceMonth.delete().where((AttendanceMonth.year == year)
                                           & AttendanceMonth.employee.in_(chunk)).execute()
            sums = (AttendanceDay.select(AttendanceDay.employee, AttendanceDay.year,
                                         AttendanceDay.month, fn.COUNT(AttendanceDay.id),
                                         fn.SUM(AttendanceDay.minutes_late),
                                         fn.SUM(AttendanceDay.minutes_early))
                    .where((AttendanceDay.year == year) & AttendanceDay.working
                           & AttendanceDay.employee.in_(chunk))
                    .group_by(AttendanceDay.employee, AttendanceDay.year, AttendanceDay.month))
            AttendanceMonth.insert_from(sums, [
                AttendanceMonth.employee, AttendanceMonth.year, AttendanceMonth.month,
                AttendanceMonth.present, AttendanceMonth.minutes_late,
                AttendanceMonth.minutes_early]).execute()
