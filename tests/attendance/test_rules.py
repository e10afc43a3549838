"""The calendar and attendance rules: working days, taps, lateness converted into days."""
import datetime
from decimal import Decimal

from hypothesis import given, strategies as st

from kinerja.rules import attendance as rules
from kinerja.rules.calendar import (Calendar, add_working_days, is_working_day, working_days,
                                    working_days_between)

D = datetime.date
T = datetime.time
FIVE = Calendar(frozenset(range(5)), frozenset({D(2026, 12, 25)}))
days = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31))
weekday_sets = st.frozensets(st.integers(0, 6), min_size=1)
holiday_sets = st.frozensets(days, max_size=20)


def test_weekends_and_holidays_are_not_working_days():
    assert is_working_day(FIVE, D(2026, 11, 24))
    assert not is_working_day(FIVE, D(2026, 11, 28))  # Saturday
    assert not is_working_day(FIVE, D(2026, 12, 25))
    assert is_working_day(Calendar(frozenset(range(6))), D(2026, 11, 28))


def test_add_working_days_skips_weekends_and_holidays():
    assert add_working_days(FIVE, D(2026, 11, 27), 1) == D(2026, 11, 30)
    assert add_working_days(FIVE, D(2026, 12, 24), 1) == D(2026, 12, 28)
    assert add_working_days(FIVE, D(2026, 11, 24), 0) == D(2026, 11, 24)


@given(st.builds(Calendar, weekday_sets, holiday_sets), days, days)
def test_working_days_between_counts_what_is_working(cal, a, b):
    start, end = min(a, b), max(a, b)
    if (end - start).days > 400:
        end = start + datetime.timedelta(days=400)
    expected = sum(1 for d in working_days(cal, start + datetime.timedelta(days=1), end))
    assert working_days_between(cal, start, end) == expected
    assert working_days_between(cal, end, start) == (0 if start != end else 0)


@given(st.builds(Calendar, weekday_sets, holiday_sets), days, st.integers(0, 40))
def test_add_working_days_lands_on_the_nth_working_day(cal, start, n):
    day = add_working_days(cal, start, n)
    assert working_days_between(cal, start, day) == n
    if n:
        assert is_working_day(cal, day)


def test_first_tap_is_in_and_last_is_out_whatever_the_order():
    assert rules.first_and_last([T(16, 5), T(7, 20), T(12, 0)]) == (T(7, 20), T(16, 5))
    assert rules.first_and_last([T(7, 40)]) == (T(7, 40), None)
    assert rules.first_and_last([]) == (None, None)


@given(st.lists(st.times(), min_size=2))
def test_first_and_last_are_the_extremes(taps):
    first, last = rules.first_and_last(taps)
    assert first == min(taps) and last == max(taps)


def test_lateness_and_early_leaving_in_minutes():
    assert rules.minutes_late(T(7, 45), T(7, 30)) == 15
    assert rules.minutes_late(T(7, 10), T(7, 30)) == 0
    assert rules.minutes_early(T(15, 30), T(16, 0)) == 30
    # One tap only: the person is taken to have left when they arrived.
    assert rules.minutes_early(None, T(16, 0), T(8, 0)) == 480


def test_seven_and_a_half_hours_make_one_day():
    assert rules.minutes_to_days(450) == Decimal("1.00")
    assert rules.minutes_to_days(225) == Decimal("0.50")
    assert rules.minutes_to_days(0) == Decimal("0.00")
    assert rules.minutes_to_days(480, per_day=480) == Decimal("1.00")


@given(st.integers(0, 100000), st.integers(0, 100000))
def test_conversion_is_monotonic(a, b):
    assert (rules.minutes_to_days(min(a, b)) <= rules.minutes_to_days(max(a, b)))


def test_figures_and_runs():
    workdays = working_days(FIVE, D(2026, 11, 2), D(2026, 11, 20))
    present = set(workdays[:10])
    excused = {workdays[10]}
    assert rules.tally(workdays, present, excused) == (10, 1, 4)
    assert rules.longest_run(workdays, set(workdays[11:])) == 4
    f = rules.Figures(working_days=20, present=15, unexcused=5, minutes_late=450)
    assert f.percent == Decimal("75.00")
    assert f.unexcused_with_lateness() == Decimal("6.00")
    assert rules.Figures().percent is None


def test_dates_and_times_in_the_usual_spellings():
    assert rules.parse_date("24/11/2026") == D(2026, 11, 24)
    assert rules.parse_date("2026-11-24") == D(2026, 11, 24)
    assert rules.parse_date("31/02/2026") is None
    assert rules.parse_time("07.45") == T(7, 45)
    assert rules.parse_time("25:00") is None
    assert rules.parse_stamp("2026-11-24 07:31:09") == datetime.datetime(2026, 11, 24, 7, 31)


@given(st.text(max_size=30))
def test_odd_text_never_raises(text):
    rules.parse_date(text)
    rules.parse_time(text)
    rules.parse_stamp(text)


@given(st.lists(st.tuples(days, st.integers(0, 60)), max_size=12), days)
def test_coverage_spans_merge_without_changing_what_they_cover(raw, day):
    from kinerja.stores.attendance.figures import _covered, _merged
    spans = [(first, first + datetime.timedelta(days=length)) for first, length in raw]
    assert _covered(_merged(spans), day) == any(a <= day <= b for a, b in spans)
