"""The calendar and attendance stores: inherited schedules, the import's dry run and its
all-or-nothing confirmation, and the figures summed in SQL."""
import datetime
from decimal import Decimal

import pytest

from kinerja.models import AttendanceDay, AuditLog, MachineUser
from kinerja.rules import DomainError
from kinerja.rules.calendar import DEFAULT_HOURS, SIX_DAY_HOURS
from kinerja.stores import calendar
from kinerja.stores.attendance import figures, imports, machines

from ..support.app import TODAY
from ..support.org import unit
from .conftest import sheet

D = datetime.date


def test_a_sub_unit_follows_its_nearest_ancestors_schedule(app, cast):
    pkm, dinkes = unit("PKM-SUKAMAJU"), unit("DINKES")
    calendar.set_schedule(cast.admin, dinkes.id, "6hari", SIX_DAY_HOURS, 2026)
    assert 5 in calendar.calendar_for(pkm.id, 2026).weekdays
    calendar.set_schedule(cast.admin, pkm.id, "5hari", DEFAULT_HOURS, 2026)
    assert 5 not in calendar.calendar_for(pkm.id, 2026).weekdays
    default = calendar.calendar_for(unit("DLH").id, 2026)
    assert default.weekdays == frozenset(range(5))
    assert default.hours[4] == (datetime.time(7, 30), datetime.time(16, 30))


def test_holidays_are_in_the_calendar_and_unmark_recorded_days(app, cast):
    day = D(2026, 11, 23)
    imports.confirm_import(cast.admin, *sheet(["NIP,Tanggal,Jam masuk,Jam pulang",
                                               f"{cast.nurse.nip},{day},07:20,16:10"]),
                           None, TODAY, "a.csv")
    row = AttendanceDay.get((AttendanceDay.employee == cast.nurse.id) & (AttendanceDay.day == day))
    assert row.working
    holiday = calendar.add_holiday(cast.admin, day, "Libur uji", "libur")
    assert day in calendar.calendar_for(cast.nurse.unit_id, 2026).holidays
    assert not AttendanceDay.get_by_id(row.id).working
    with pytest.raises(DomainError):
        calendar.add_holiday(cast.admin, day, "Lagi", "libur")
    calendar.remove_holiday(cast.admin, holiday.id)
    assert AttendanceDay.get_by_id(row.id).working
    assert AuditLog.select().where(AuditLog.entity == "holiday").count() >= 2


def test_taps_in_any_order_make_one_day_with_lateness(app, cast):
    MachineUser.create(machine_id="1043", employee=cast.nurse.id)
    headers, rows = sheet(["NIP,ID mesin,Waktu", ",1043,2026-11-23 16:10",
                           f"{cast.nurse.nip},,2026-11-23 07:45", ",1043,2026-11-23 12:00"])
    plan = imports.plan_import(headers, rows, None, TODAY)
    assert not plan.bad
    assert plan.days[(cast.nurse.id, D(2026, 11, 23))] == (datetime.time(7, 45), datetime.time(16, 10))
    _, written = imports.confirm_import(cast.admin, headers, rows, None, TODAY, "tap.csv")
    assert written == 1
    row = AttendanceDay.get((AttendanceDay.employee == cast.nurse.id)
                            & (AttendanceDay.day == D(2026, 11, 23)))
    assert row.minutes_late == 15 and row.minutes_early == 0


def test_the_dry_run_names_every_bad_row(app, cast, dinkes):
    headers, rows = sheet([
        "NIP,Tanggal,Jam masuk,Jam pulang",
        f"{cast.nurse.nip},2026-11-22,07:00,12:00",        # Sunday: a note only
        "199999999999999999,2026-11-23,07:00,16:00",        # unknown
        f"{cast.outsider.nip},2026-11-23,07:00,16:00",      # another OPD
        f"{cast.nurse.nip},31/02/2026,07:00,16:00",         # bad date
        f"{cast.nurse.nip},2026-11-23,7 pagi,16:00",        # bad time
        f"{cast.nurse.nip},2026-12-01,07:00,16:00",         # future
        "12345,2026-11-23,07:00,16:00",                     # short NIP
    ])
    before = AttendanceDay.select().count()
    plan = imports.plan_import(headers, rows, dinkes, TODAY)
    assert [r.line for r in plan.bad] == [3, 4, 5, 6, 7, 8]
    assert "tidak terdaftar" in plan.bad[0].problems[0]
    assert "bukan pegawai Dinas Kesehatan" in plan.bad[1].problems[0]
    assert plan.noted[0].line == 2
    plan, written = imports.confirm_import(cast.admin_opd, headers, rows, dinkes, TODAY, "x.csv")
    assert written == 0 and AttendanceDay.select().count() == before


def test_unknown_machine_ids_are_listed(app, cast):
    headers, rows = sheet(["ID mesin,Waktu", "9999,2026-11-23 07:00", "9999,2026-11-23 16:00"])
    plan = imports.plan_import(headers, rows, None, TODAY)
    assert plan.unknown_machine_ids == ["9999"] and len(plan.bad) == 2


def test_reimporting_a_day_replaces_it(app, cast):
    for time_in in ("08:00", "07:10"):
        imports.confirm_import(cast.admin, *sheet(["NIP,Tanggal,Jam masuk,Jam pulang",
                                                   f"{cast.nurse.nip},2026-11-23,{time_in},16:00"]),
                               None, TODAY, "a.csv")
    rows = list(AttendanceDay.select().where((AttendanceDay.employee == cast.nurse.id)
                                             & (AttendanceDay.day == D(2026, 11, 23))))
    assert len(rows) == 1 and rows[0].minutes_late == 0


def test_figures_count_only_covered_days_and_convert_lateness(app, cast):
    # The demo's Puskesmas works six days and its staff have three months recorded: start
    # these two from a five-day week and no rows (the demo's imports still cover the days).
    calendar.set_schedule(cast.admin, unit("PKM-SUKAMAJU").id, "inherit", {}, 2026)
    AttendanceDay.delete().where(AttendanceDay.employee.in_([cast.nurse.id, cast.colleague.id])).execute()
    lines = ["NIP,Tanggal,Jam masuk,Jam pulang"]
    # 2..20 November for the colleague: present on the first ten working days, 30 min late
    # each; the nurse only on the 2nd so the rest of the span counts as absence.
    day = D(2026, 11, 2)
    present = 0
    while day <= D(2026, 11, 20):
        if day.weekday() < 5 and present < 10:
            lines.append(f"{cast.colleague.nip},{day},08:00,16:30")
            present += 1
        day += datetime.timedelta(days=1)
    lines.append(f"{cast.nurse.nip},2026-11-20,07:00,16:30")
    lines.append(f"{cast.nurse.nip},2026-11-02,07:00,16:30")
    imports.confirm_import(cast.admin, *sheet(lines), None, TODAY, "nov.csv")
    f = figures.period_figures(cast.colleague.id, D(2026, 11, 1), D(2026, 11, 30))
    # Working days 2–23 November (the demo imported up to yesterday, the 23rd): 16.
    assert f.working_days == 16 and f.present == 10 and f.unexcused == 6
    assert f.minutes_late == 300 and f.percent == Decimal("62.50")
    totals = figures.unexcused_days(2026, [cast.colleague.id, cast.nurse.id])
    assert totals[cast.colleague.id] >= Decimal("6.67")
    runs = figures.longest_absent_run(2026, [cast.nurse.id])
    assert runs[cast.nurse.id] >= 13
    month = figures.monthly(figures._ids_query([cast.colleague.id]), 2026)[cast.colleague.id][11]
    assert (month.working_days, month.present, month.unexcused) == (16, 10, 6)


def test_machine_ids_stay_within_the_admins_opd(app, cast, dinkes):
    machines.add_machine_user(cast.admin_opd, "77", cast.nurse.nip, dinkes)
    with pytest.raises(DomainError):
        machines.add_machine_user(cast.admin_opd, "78", cast.outsider.nip, dinkes)
    with pytest.raises(DomainError):
        machines.add_machine_user(cast.admin_opd, "77", cast.colleague.nip, dinkes)
