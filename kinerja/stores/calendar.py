"""The working calendar: BKPSDM's holidays and cuti bersama per year, each unit's schedule
(inherited by its sub-units), each person's roster, and the writes that keep attendance rows
in step with them."""
import datetime
import json
from collections import defaultdict

from peewee import JOIN

from ..models import (AttendanceDay, AuditLog, Employee, Holiday, RosterDay, Shift, Unit,
                      WorkSchedule, db, snapshot, utcnow)
from ..rules import DomainError
from ..rules import calendar as rules
from ..rules import roster as roster_rules
from .attendance.months import refresh_months
from .chunks import chunks

HOLIDAY_FIELDS = ("day", "name", "kind")


def _hours_from_json(text: str) -> dict:
    hours = {}
    for key, (start, end) in json.loads(text or "{}").items():
        hours[int(key)] = (datetime.time.fromisoformat(start), datetime.time.fromisoformat(end))
    return hours


def hours_to_json(hours: dict) -> str:
    return json.dumps({str(d): [s.strftime("%H:%M"), e.strftime("%H:%M")]
                       for d, (s, e) in sorted(hours.items())})


def holidays(year: int) -> list:
    return list(Holiday.select().where(Holiday.year == year).order_by(Holiday.day))


def _holiday_days(years) -> frozenset:
    return frozenset(h.day for h in Holiday.select(Holiday.day).where(Holiday.year.in_(list(years))))


def _calendar(schedule, holiday_days) -> rules.Calendar:
    if schedule is None:
        return rules.Calendar(frozenset(range(5)), holiday_days, dict(rules.DEFAULT_HOURS))
    hours = _hours_from_json(schedule.hours)
    return rules.Calendar(frozenset(hours), holiday_days, hours)


def calendars_for_units(unit_ids, year: int, years=None) -> dict:
    """{unit id: Calendar} for many units in three queries: each unit's own schedule or its
    nearest ancestor's, else the regency default, with the holidays of `years` (the year by
    default)."""
    unit_ids = {u for u in unit_ids if u is not None}
    holiday_days = _holiday_days(years or [year])
    units = {u.id: u.path for u in Unit.select(Unit.id, Unit.path).where(Unit.id.in_(list(unit_ids)))} \
        if unit_ids else {}
    ancestors = {a for path in units.values() for a in Unit.path_ids(path)}
    schedules = {s.unit_id: s for s in WorkSchedule.select().where(
        WorkSchedule.unit.in_(list(ancestors)))} if ancestors else {}
    result = {}
    for unit_id in unit_ids:
        schedule = None
        for ancestor in reversed(Unit.path_ids(units.get(unit_id, ""))):
            if ancestor in schedules:
                schedule = schedules[ancestor]
                break
        result[unit_id] = _calendar(schedule, holiday_days)
    result[None] = _calendar(None, holiday_days)
    return result


def calendar_for(unit_id, year: int) -> rules.Calendar:
    """The unit's calendar for the year (its schedule or its nearest ancestor's, else the
    regency default) with the year's holidays and cuti bersama."""
    return calendars_for_units([unit_id], year)[unit_id if unit_id is not None else None]


def schedule_of(unit_id):
    """The unit's own schedule row, or None when it follows its parent or the default."""
    return WorkSchedule.get_or_none(WorkSchedule.unit == unit_id)


def rosters(employees, start: datetime.date, end: datetime.date) -> dict:
    """{employee id: {day: (start, end), or None for a day off}} of the rosters naming days in
    [start, end], for `employees` (a query, or ids: a query per 500)."""
    if isinstance(employees, (list, set, tuple, frozenset)):
        groups = chunks(sorted(employees), 500)
    else:
        groups = [employees]
    found = defaultdict(dict)
    for group in groups:
        for employee_id, day, starts, ends in (
                RosterDay.select(RosterDay.employee, RosterDay.day, Shift.starts, Shift.ends)
                .join(Shift, JOIN.LEFT_OUTER, on=(RosterDay.shift == Shift.id))
                .where(RosterDay.employee.in_(group) & (RosterDay.day >= start)
                       & (RosterDay.day <= end)).tuples()):
            found[employee_id][day] = (starts, ends) if starts is not None else None
    return dict(found)


def refresh_days(employee_query, year: int, lateness: bool = False) -> None:
    """Recompute the working flag of a year's attendance rows after the calendar or a roster
    changed, and with `lateness` their minutes late and early too (a roster or a shift's
    hours changed; a calendar change keeps them as imported, as it always has). Inside the
    caller's transaction."""
    rows = list(AttendanceDay.select(AttendanceDay.id, AttendanceDay.day, AttendanceDay.working,
                                     AttendanceDay.minutes_late, AttendanceDay.minutes_early,
                                     AttendanceDay.time_in, AttendanceDay.time_out,
                                     Employee.unit, AttendanceDay.employee)
                .join(Employee, on=(AttendanceDay.employee == Employee.id))
                .where((AttendanceDay.year == year) & AttendanceDay.employee.in_(employee_query))
                .tuples())
    calendars = calendars_for_units({row[7] for row in rows}, year)
    planned = rosters(employee_query, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    changes, changed = defaultdict(list), set()
    for row_id, day, was_working, late, early, time_in, time_out, unit_id, employee_id in rows:
        hours = roster_rules.hours_for(calendars.get(unit_id, calendars[None]), day,
                                       planned.get(employee_id, {}))
        now = (hours is not None,
               *(roster_rules.lateness(time_in, time_out, hours) if lateness else (late, early)))
        if now != (bool(was_working), late, early):
            changes[now].append(row_id)
            changed.add(employee_id)
    for (working, late, early), ids in changes.items():
        for chunk in chunks(ids, 500):
            AttendanceDay.update(working=working, minutes_late=late, minutes_early=early).where(
                AttendanceDay.id.in_(chunk)).execute()
    refresh_months(changed, [year])


def add_holiday(actor, day: datetime.date, name: str, kind: str) -> Holiday:
    with db.atomic():
        if Holiday.get_or_none(Holiday.day == day) is not None:
            raise DomainError("Tanggal ini sudah tercatat sebagai hari libur.", field="day")
        holiday = Holiday.create(day=day, year=day.year, name=name, kind=kind, created_by=actor.id)
        refresh_days(AttendanceDay.select(AttendanceDay.employee).where(
            AttendanceDay.day == day), day.year)
        AuditLog.record(actor, "holiday.create", "holiday", holiday.id,
                        summary=f"Hari libur {day.isoformat()}: {name}",
                        after=snapshot(holiday, HOLIDAY_FIELDS))
    return holiday


def remove_holiday(actor, holiday_id: int) -> None:
    with db.atomic():
        holiday = Holiday.get_or_none(Holiday.id == holiday_id)
        if holiday is None:
            raise DomainError("Hari libur ini sudah dihapus.")
        before = snapshot(holiday, HOLIDAY_FIELDS)
        holiday.delete_instance()
        refresh_days(AttendanceDay.select(AttendanceDay.employee).where(
            AttendanceDay.day == holiday.day), holiday.year)
        AuditLog.record(actor, "holiday.delete", "holiday", holiday_id,
                        summary=f"Hari libur {holiday.day.isoformat()} dihapus", before=before)


def set_schedule(actor, unit_id: int, kind: str, hours: dict, year: int) -> None:
    """Give a unit (and its sub-units without their own) a schedule; `kind` "inherit"
    removes the unit's own so it follows its parent again."""
    with db.atomic():
        unit = Unit.get_or_none(Unit.id == unit_id)
        if unit is None:
            raise DomainError("Unit tidak ditemukan.")
        current = WorkSchedule.get_or_none(WorkSchedule.unit == unit_id)
        before = {"kind": current.kind, "hours": current.hours} if current else None
        if kind == "inherit":
            if current is not None:
                current.delete_instance()
            after = None
        else:
            if not hours:
                raise DomainError("Isi jam kerja sedikitnya untuk satu hari.", field="kind")
            text = hours_to_json(hours)
            if current is None:
                WorkSchedule.create(unit=unit_id, kind=kind, hours=text, updated_by=actor.id)
            else:
                WorkSchedule.update(kind=kind, hours=text, updated_by=actor.id,
                                    updated_at=utcnow()).where(
                    WorkSchedule.id == current.id).execute()
            after = {"kind": kind, "hours": text}
        refresh_days(Employee.select(Employee.id).join(Unit, on=(Employee.unit == Unit.id))
                         .where(Unit.within(unit)), year)
        AuditLog.record(actor, "schedule.update", "work_schedule", unit_id,
                        summary=f"Jadwal kerja {unit.name}", before=before, after=after,
                        unit=unit_id)
