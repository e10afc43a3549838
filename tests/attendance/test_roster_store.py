"""Rosters in the stores: shifts per unit, the roster import's dry run and all-or-nothing
confirmation, and attendance counted against each person's roster."""
import datetime

import pytest

from kinerja.models import AttendanceDay, AuditLog, DisciplineCase, Employee, RosterDay, Shift
from kinerja.rules import DomainError
from kinerja.stores import calendar
from kinerja.stores.attendance import figures, imports, reports, rosters, shifts

from ..support import counting_queries
from ..support.app import TODAY
from ..support.org import unit
from .conftest import sheet

D = datetime.date
T = datetime.time
NOVEMBER = D(2026, 11, 1)


@pytest.fixture
def puskesmas_shifts(cast):
    """The demo Puskesmas's shifts: P 07.00–14.00, S 14.00–21.00, M 21.00–07.00."""
    return {s.code: s for s in Shift.select().where(Shift.unit == unit("PKM-SUKAMAJU").id)}


def ours(cast):
    return RosterDay.select().where(RosterDay.employee.in_([cast.nurse.id, cast.colleague.id]))


def roster(cast, lines, scope=None, month=NOVEMBER):
    return rosters.confirm_roster(cast.admin, *sheet(lines), scope, month, TODAY, "jadwal.csv")


def day_row(employee, day):
    return AttendanceDay.get_or_none((AttendanceDay.employee == employee.id) & (AttendanceDay.day == day))


def november(employee):
    query = Employee.select(Employee.id).where(Employee.id == employee.id)
    return figures.monthly(query, 2026, TODAY)[employee.id][11]


# --- Shifts ---------------------------------------------------------------------------------

def test_shifts_are_kept_per_unit_with_unique_codes_and_audited(cast, puskesmas_shifts):
    dinkes, pkm = unit("DINKES"), unit("PKM-SUKAMAJU")
    shifts.add_shift(cast.admin_opd, dinkes, pkm.id, "J", "Jaga", T(8), T(20))
    with pytest.raises(DomainError) as error:
        shifts.add_shift(cast.admin_opd, dinkes, pkm.id, "P", "Pagi lagi", T(6), T(13))
    assert error.value.field == "code" and "sudah dipakai" in error.value.message
    with pytest.raises(DomainError):
        shifts.add_shift(cast.admin_opd, dinkes, unit("DISDIK").id, "X", "Luar", T(6), T(13))
    assert [s.code for s in shifts.shifts_in(dinkes)] == ["J", "M", "P", "S"]
    assert shifts.shifts_in(unit("DISDIK")) == []
    assert AuditLog.select().where(AuditLog.action == "shift.create").count() == 1


def test_a_shift_in_use_cannot_be_removed(cast, puskesmas_shifts):
    spare = shifts.add_shift(cast.admin, None, unit("PKM-SUKAMAJU").id, "J", "Jaga", T(8), T(20))
    roster(cast, ["NIP,21", f"{cast.nurse.nip},S"])
    with pytest.raises(DomainError):
        shifts.remove_shift(cast.admin, None, puskesmas_shifts["S"].id)
    shifts.remove_shift(cast.admin, None, spare.id)
    assert Shift.get_or_none(Shift.id == spare.id) is None
    assert AuditLog.select().where(AuditLog.action == "shift.delete").count() == 1


# --- The roster import --------------------------------------------------------------------

def test_the_dry_run_names_every_bad_row(cast, puskesmas_shifts):
    plan = rosters.plan_roster(*sheet([
        "NIP,Nama,1,2,3",
        f"{cast.nurse.nip},Perawat,P,s,L",
        f"{cast.nurse.nip},Lagi,P,P,P",
        "199912312020121999,Tak dikenal,P,,",
        f"{cast.outsider.nip},Luar,P,,",
        f"{cast.colleague.nip},Rekan,X,X,Q",
        "123,Pendek,P,,",
    ]), unit("DINKES"), NOVEMBER)
    problems = {row.line: " ".join(row.problems) for row in plan.bad}
    assert set(problems) == {3, 4, 5, 6, 7}
    assert "sudah ada pada baris 2" in problems[3]
    assert "tidak terdaftar" in problems[4]
    assert "bukan pegawai Dinas Kesehatan" in problems[5]
    assert "“X” (tanggal 1, 2)" in problems[6] and "“Q”" in problems[6]
    assert "18 angka" in problems[7]
    entry = plan.entries[cast.nurse.id]
    assert entry == {D(2026, 11, 1): puskesmas_shifts["P"].id, D(2026, 11, 2): puskesmas_shifts["S"].id,
                     D(2026, 11, 3): None}


def test_a_file_with_a_bad_row_writes_nothing(cast, puskesmas_shifts):
    plan, written = roster(cast, ["NIP,1", f"{cast.nurse.nip},P", f"{cast.colleague.nip},Z"])
    assert written == 0 and plan.bad and not ours(cast).exists()


def test_the_confirmation_replaces_the_months_roster_of_the_people_in_it(cast, puskesmas_shifts):
    plan, written = roster(cast, ["NIP,1,2,3", f"{cast.nurse.nip},P,S,M", f"{cast.colleague.nip},L,P,"])
    assert written == 2 and ours(cast).count() == 6
    roster(cast, ["NIP,2", f"{cast.nurse.nip},P"])
    assert [(r.day, r.shift_id) for r in RosterDay.select().where(RosterDay.employee == cast.nurse.id)] == \
        [(D(2026, 11, 2), puskesmas_shifts["P"].id)]
    assert RosterDay.select().where(RosterDay.employee == cast.colleague.id).count() == 3
    audit = AuditLog.select().where(AuditLog.entity == "roster_day").order_by(AuditLog.id.desc()).first()
    assert "November 2026" in audit.summary and audit.after_dict()["people"] == 1


# --- Counting with the roster ---------------------------------------------------------------

def test_a_roster_decides_working_days_and_lateness_of_days_already_imported(cast, puskesmas_shifts):
    before = november(cast.nurse)
    saturday, monday = D(2026, 11, 21), D(2026, 11, 23)
    arrival = day_row(cast.nurse, saturday).time_in
    assert day_row(cast.nurse, monday).working
    roster(cast, ["NIP,21,22,23", f"{cast.nurse.nip},P,M,L"])
    assert not day_row(cast.nurse, monday).working
    expected_late = max(0, arrival.hour * 60 + arrival.minute - 7 * 60)
    assert day_row(cast.nurse, saturday).minutes_late == expected_late
    after = november(cast.nurse)
    # Monday off, Sunday a night shift nobody tapped for: as many working days, one less present.
    assert after.working_days == before.working_days
    assert after.present == before.present - 1 and after.unexcused == before.unexcused + 1
    # Someone without a roster counts as before.
    assert november(cast.colleague) == november(cast.colleague)


def test_a_holiday_does_not_make_a_rostered_shift_a_day_off(cast, puskesmas_shifts):
    saturday = D(2026, 11, 21)
    roster(cast, ["NIP,21", f"{cast.nurse.nip},P", f"{cast.colleague.nip},"])
    calendar.add_holiday(cast.admin, saturday, "Libur uji", "libur")
    assert day_row(cast.nurse, saturday).working
    assert not day_row(cast.colleague, saturday).working


def test_night_taps_after_midnight_belong_to_the_shift_that_started_the_day_before(cast, puskesmas_shifts):
    roster(cast, ["NIP,22,23", f"{cast.nurse.nip},M,L"])
    plan, written = imports.confirm_import(cast.admin, *sheet([
        "NIP,Waktu", f"{cast.nurse.nip},2026-11-23 07:02", f"{cast.nurse.nip},2026-11-22 21:05",
        f"{cast.nurse.nip},2026-11-23 00:40"]), None, TODAY, "tap.csv")
    assert written == 1 and list(plan.days) == [(cast.nurse.id, D(2026, 11, 22))]
    row = day_row(cast.nurse, D(2026, 11, 22))
    assert (row.time_in, row.time_out, row.minutes_late, row.minutes_early, row.working) == \
        (T(21, 5), T(7, 2), 5, 0, True)
    # The Monday of the demo import stays as it was: the file had no tap for it.
    assert day_row(cast.nurse, D(2026, 11, 23)) is not None


def test_a_daily_row_may_end_the_next_morning_only_on_a_night_shift(cast, puskesmas_shifts):
    roster(cast, ["NIP,22", f"{cast.nurse.nip},M"])
    plan = imports.plan_import(*sheet([
        "NIP,Tanggal,Jam masuk,Jam pulang", f"{cast.nurse.nip},2026-11-22,21:00,06:30",
        f"{cast.colleague.nip},2026-11-22,21:00,06:30"]), None, TODAY)
    assert [row.line for row in plan.bad] == [3]
    assert plan.bad[0].problems == ["Jam pulang lebih awal dari jam masuk."]
    imports.confirm_import(cast.admin, *sheet([
        "NIP,Tanggal,Jam masuk,Jam pulang", f"{cast.nurse.nip},2026-11-22,21:00,06:30"]),
        None, TODAY, "harian.csv")
    assert day_row(cast.nurse, D(2026, 11, 22)).minutes_early == 30


def test_changing_a_shifts_hours_recomputes_its_days(cast, puskesmas_shifts):
    roster(cast, ["NIP,22", f"{cast.nurse.nip},M"])
    imports.confirm_import(cast.admin, *sheet([
        "NIP,Tanggal,Jam masuk,Jam pulang", f"{cast.nurse.nip},2026-11-22,21:30,07:00"]),
        None, TODAY, "harian.csv")
    assert day_row(cast.nurse, D(2026, 11, 22)).minutes_late == 30
    shifts.update_shift(cast.admin, None, puskesmas_shifts["M"].id, "M", "Malam", T(22), T(7))
    assert day_row(cast.nurse, D(2026, 11, 22)).minutes_late == 0
    assert AuditLog.select().where(AuditLog.action == "shift.update").count() == 1


def test_rostered_sundays_missed_reach_the_discipline_ladder(cast, puskesmas_shifts):
    assert not DisciplineCase.select().where(DisciplineCase.employee == cast.nurse.id).exists()
    before = figures.unexcused_days(2026, [cast.nurse.id], TODAY)[cast.nurse.id]
    assert figures.longest_absent_run(2026, [cast.nurse.id], TODAY)[cast.nurse.id] == 0
    roster(cast, ["NIP,1,8,15", f"{cast.nurse.nip},P,P,P"])
    assert figures.unexcused_days(2026, [cast.nurse.id], TODAY)[cast.nurse.id] == before + 3
    # Each Sunday sits between worked days: runs of one.
    assert figures.longest_absent_run(2026, [cast.nurse.id], TODAY)[cast.nurse.id] == 1
    assert DisciplineCase.select().where(DisciplineCase.employee == cast.nurse.id).exists()


def test_figures_queries_do_not_grow_with_rostered_people(cast, puskesmas_shifts):
    query = Employee.select(Employee.id).where(Employee.unit == cast.nurse.unit_id)
    with counting_queries() as few:
        figures.monthly(query, 2026, TODAY)
    roster(cast, ["NIP,21,22", f"{cast.nurse.nip},P,M", f"{cast.colleague.nip},S,L"])
    with counting_queries() as more:
        figures.monthly(query, 2026, TODAY)
    assert len(more) == len(few)


def test_the_person_month_shows_the_shift_beside_the_taps(cast, puskesmas_shifts):
    assert rosters.person_month(cast.nurse.id, 2026, None, TODAY) is None
    roster(cast, ["NIP,21,22", f"{cast.nurse.nip},P,L"])
    month = rosters.person_month(cast.nurse.id, 2026, None, TODAY)
    assert month.month == NOVEMBER and month.months == [NOVEMBER]
    (first, shift, seen), (second, off, _) = month.days
    assert (first, shift.code, seen.day) == (D(2026, 11, 21), "P", D(2026, 11, 21))
    assert (second, off) == (D(2026, 11, 22), None)


def test_the_unit_months_count_each_rostered_person_by_their_roster(cast, puskesmas_shifts):
    pkm = unit("PKM-SUKAMAJU")
    before = reports.unit_months(pkm, 2026, TODAY)[11]
    roster(cast, ["NIP,22,23", f"{cast.nurse.nip},M,L", f"{cast.colleague.nip},P,"])
    after = reports.unit_months(pkm, 2026, TODAY)[11]
    # Sunday becomes a working day for both, Monday a day off for both.
    assert after.working_days == before.working_days
    assert after.present == before.present - 2 and after.unexcused == before.unexcused + 2
    roster(cast, ["NIP,15", f"{cast.nurse.nip},P"])
    assert reports.unit_months(pkm, 2026, TODAY)[11].working_days == before.working_days + 1


def test_the_first_day_there_is_does_not_break_the_import(cast, puskesmas_shifts):
    roster(cast, ["NIP,22", f"{cast.nurse.nip},M"])
    for lines in (["NIP,Waktu", f"{cast.nurse.nip},0001-01-01 07:00"],
                  ["NIP,Tanggal,Jam masuk,Jam pulang", f"{cast.nurse.nip},0001-01-01,21:00,07:00"]):
        plan = imports.plan_import(*sheet(lines), None, TODAY)
        assert plan.rows
