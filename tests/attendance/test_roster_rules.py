"""Roster rules: hours with and without a roster, which day a night shift's taps belong to,
lateness against a shift that crosses midnight, and reading a roster file's date columns."""
import datetime

import pytest
from hypothesis import assume, given, strategies as st

from kinerja.rules import DomainError
from kinerja.rules import attendance
from kinerja.rules import roster as rules
from kinerja.rules.calendar import Calendar

D = datetime.date
T = datetime.time
DT = datetime.datetime
NIGHT = (T(21), T(7))
MORNING = (T(7), T(14))
AFTERNOON = (T(14), T(21))
FIVE = Calendar(frozenset(range(5)), frozenset({D(2026, 12, 25)}))

times = st.builds(T, st.integers(0, 23), st.integers(0, 59))
days = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))
shifts = st.tuples(times, times).filter(lambda h: h[0] != h[1])
night_shifts = shifts.filter(rules.crosses_midnight)


def test_a_roster_replaces_the_calendar_on_the_days_it_names():
    christmas, saturday, monday = D(2026, 12, 25), D(2026, 12, 26), D(2026, 12, 28)
    roster = {christmas: MORNING, monday: None}
    assert rules.hours_for(FIVE, christmas, roster) == MORNING  # a holiday keeps a rostered shift
    assert rules.hours_for(FIVE, monday, roster) is None  # a rostered day off stays off
    assert rules.hours_for(FIVE, saturday, roster) is None
    assert rules.hours_for(FIVE, D(2026, 12, 29), roster) == FIVE.hours[1]
    assert rules.hours_for(FIVE, christmas, {}) is None


def test_night_shift_lateness_reads_times_after_midnight_as_the_next_morning():
    assert rules.lateness(T(21, 10), T(7, 5), NIGHT) == (10, 0)
    assert rules.lateness(T(0, 30), T(7), NIGHT) == (210, 0)
    assert rules.lateness(T(20, 50), T(3), NIGHT) == (0, 240)
    assert rules.lateness(T(20, 50), T(23), NIGHT) == (0, 480)
    assert rules.lateness(T(21), None, NIGHT) == (0, 600)  # one tap: left at the arrival
    assert rules.lateness(None, None, NIGHT) == (0, 0)
    assert rules.lateness(T(8), T(9), None) == (0, 0)
    # A shift of all but a minute: leaving at its end is not leaving a day early.
    assert rules.lateness(T(0, 1), T(0, 0), (T(0, 1), T(0, 0))) == (0, 0)


@given(times, st.one_of(st.none(), times), shifts.filter(lambda h: not rules.crosses_midnight(h)))
def test_a_day_shift_counts_as_the_calendar_always_did(time_in, time_out, hours):
    assert rules.lateness(time_in, time_out, hours) == (
        attendance.minutes_late(time_in, hours[0]),
        attendance.minutes_early(time_out, hours[1], time_in))


@given(night_shifts, st.data())
def test_within_a_night_shift_lateness_is_the_minutes_missed(hours, data):
    length = (hours[1].hour * 60 + hours[1].minute) + 1440 - (hours[0].hour * 60 + hours[0].minute)
    arrive = data.draw(st.integers(0, length - 1))
    leave = data.draw(st.integers(arrive, length))
    start = DT.combine(D(2026, 12, 1), hours[0])
    came, went = start + datetime.timedelta(minutes=arrive), start + datetime.timedelta(minutes=leave)
    assert rules.lateness(came.time(), went.time(), hours) == (arrive, length - leave)


def test_taps_after_midnight_close_the_night_shift_of_the_day_before():
    monday = D(2026, 12, 7)
    assert rules.tap_day(DT(2026, 12, 8, 7, 5), NIGHT, None) == monday
    assert rules.tap_day(DT(2026, 12, 8, 13, 50), NIGHT, None) == monday
    assert rules.tap_day(DT(2026, 12, 8, 14, 10), NIGHT, None) == D(2026, 12, 8)
    # With an afternoon shift the next day, the cut comes halfway to it.
    assert rules.tap_day(DT(2026, 12, 8, 10, 0), NIGHT, AFTERNOON) == monday
    assert rules.tap_day(DT(2026, 12, 8, 13, 50), NIGHT, AFTERNOON) == D(2026, 12, 8)
    # Without a night shift the day before, a tap is its own date's.
    assert rules.tap_day(DT(2026, 12, 8, 0, 30), MORNING, None) == D(2026, 12, 8)
    assert rules.tap_day(DT(2026, 12, 8, 0, 30), None, None) == D(2026, 12, 8)


@given(days, times, st.one_of(st.none(), shifts), st.one_of(st.none(), shifts))
def test_a_tap_belongs_to_its_date_or_the_day_before(day, moment, previous, own):
    found = rules.tap_day(DT.combine(day, moment), previous, own)
    assert found in (day, day - rules.ONE_DAY)
    if not rules.crosses_midnight(previous):
        assert found == day


@given(night_shifts, days, st.data())
def test_a_whole_night_shift_lands_on_the_day_it_started(hours, day, data):
    start = DT.combine(day, hours[0])
    length = (hours[1].hour * 60 + hours[1].minute) + 1440 - (hours[0].hour * 60 + hours[0].minute)
    minute = data.draw(st.integers(0, length))
    stamp = start + datetime.timedelta(minutes=minute)
    previous = hours if stamp.date() != day else None
    assume(stamp.date() == day or stamp.time() <= hours[1])
    assert rules.tap_day(stamp, previous, None) == day


def test_taps_sorted_across_midnight_give_arrival_and_departure():
    taps = [DT(2026, 12, 8, 7, 2), DT(2026, 12, 7, 20, 55), DT(2026, 12, 8, 1, 0)]
    assert rules.first_and_last(taps) == (T(20, 55), T(7, 2))
    assert rules.first_and_last([]) == (None, None)


@given(st.lists(days, max_size=30, unique=True),
       st.dictionaries(days, st.one_of(st.none(), shifts), max_size=30))
def test_the_roster_decides_the_days_it_names(calendar_days, roster):
    merged = rules.merge(sorted(calendar_days), roster)
    assert merged == sorted(merged) and len(set(merged)) == len(merged)
    for day in set(calendar_days) | set(roster):
        expected = roster[day] is not None if day in roster else day in calendar_days
        assert (day in merged) == expected


def test_date_columns_of_a_month_by_day_number_or_by_date():
    december = D(2026, 12, 1)
    columns, ignored, month = rules.date_columns(["nip", "nama", "unit", "1", "2", "31"], december)
    assert columns == {"1": D(2026, 12, 1), "2": D(2026, 12, 2), "31": D(2026, 12, 31)}
    # The documented Nama column is expected, not reported as left aside.
    assert ignored == ["unit"] and month == december
    columns, _, month = rules.date_columns(["nip", "2026-11-01 00:00:00", "02/11/2026"], december)
    assert month == D(2026, 11, 1) and sorted(columns.values()) == [D(2026, 11, 1), D(2026, 11, 2)]


@pytest.mark.parametrize("headers, says", [
    (["nip", "1", "31"], "hanya sampai tanggal 30"),
    (["nip", "0"], "bukan tanggal"),
    (["nip", "1", "01"], "dua kolom"),
    (["nip", "nama"], "Tidak ada kolom tanggal"),
    (["nip", "2026-11-30", "2026-12-01"], "Satu berkas untuk satu bulan"),
    (["nip", "0001-01-01"], "di luar jangkauan"),
])
def test_bad_date_columns_are_named(headers, says):
    with pytest.raises(DomainError) as error:
        rules.date_columns(headers, D(2026, 11, 1))
    assert says in error.value.message


@given(st.lists(st.text(max_size=12), max_size=45), st.one_of(st.none(), st.just(D(2026, 2, 1))))
def test_any_headers_give_columns_or_a_reason(headers, month):
    try:
        columns, _, found = rules.date_columns(headers, month)
    except DomainError as error:
        assert error.message
    else:
        assert columns and all(d.replace(day=1) == found for d in columns.values())
        assert len(columns) <= 31


def test_shift_codes_read_days_off():
    assert rules.shift_code(" p ") == "P"
    assert rules.shift_code("l") == "" and rules.shift_code("") == ""
    assert rules.parse_month("2026-12") == D(2026, 12, 1)
    assert rules.parse_month("2026-13") is None and rules.parse_month("x") is None
