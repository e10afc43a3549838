"""Complaint rules: tracking codes, the states, the working-day clocks and the figures."""
import datetime

import pytest
from hypothesis import given, strategies as st

from kinerja.rules import DomainError
from kinerja.rules import complaints as rules
from kinerja.rules.calendar import Calendar

MON = datetime.date(2026, 11, 23)
CAL = Calendar()


def test_codes_are_ten_unambiguous_symbols_and_differ():
    codes = {rules.new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 10 and set(code) <= set(rules.ALPHABET)
    assert not set("0O1IL2Z5S8B") & set(rules.ALPHABET)


def test_a_typed_code_is_read_in_any_case_and_grouping():
    code = rules.new_code()
    assert rules.normalise_code(rules.grouped(code).lower()) == code
    assert rules.normalise_code(f" {code[:5]} {code[5:]} ") == code
    assert rules.normalise_code(rules.grouped(code, rules.NON_BREAKING_HYPHEN)) == code
    for bad in ("", "ABC", code + "X", "O" * 10, "../" * 5, None, 12, "A" * 400):
        assert rules.normalise_code(bad) is None


@given(st.text(max_size=60))
def test_normalise_code_never_fails(text):
    code = rules.normalise_code(text)
    assert code is None or (len(code) == 10 and set(code) <= set(rules.ALPHABET))


def test_moves_follow_the_states():
    rules.check_move("diterima", "diproses")
    rules.check_move("diproses", "dijawab", answer="Sudah diperbaiki.")
    rules.check_move("dijawab", "selesai")
    with pytest.raises(DomainError):
        rules.check_move("selesai", "diproses")
    with pytest.raises(DomainError):
        rules.check_move("ditolak", "dijawab", answer="x")
    with pytest.raises(DomainError) as missing:
        rules.check_move("diproses", "dijawab", answer="  ")
    assert missing.value.field == "answer"
    with pytest.raises(DomainError) as reason:
        rules.check_move("diterima", "ditolak")
    assert reason.value.field == "rejection"


def test_first_response_and_resolution_are_set_once():
    first, resolved = rules.reached("diproses", None, None, MON)
    assert (first, resolved) == (MON, None)
    later = MON + datetime.timedelta(days=3)
    assert rules.reached("dijawab", first, None, later) == (MON, later)
    assert rules.reached("ditolak", None, None, MON) == (MON, MON)


def test_days_left_count_working_days_both_ways():
    assert rules.days_left(CAL, MON, datetime.date(2026, 11, 30)) == 5
    assert rules.days_left(CAL, datetime.date(2026, 11, 30), MON) == -5
    assert rules.days_left(CAL, MON, MON) == 0


def test_the_clocks_follow_the_units_calendar():
    holiday = Calendar(holidays=frozenset({datetime.date(2026, 11, 24)}))
    first, _ = rules.clocks(MON, None, None, MON, 1, 14, holiday)
    assert first.due == datetime.date(2026, 11, 25)
    saturdays = Calendar(weekdays=frozenset(range(6)))
    first, _ = rules.clocks(MON, None, None, MON, 5, 14, saturdays)
    assert first.due == datetime.date(2026, 11, 28)


@given(st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 1, 1)),
       st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 1, 1)),
       st.integers(min_value=1, max_value=40))
def test_a_clock_is_late_exactly_after_its_due_day(received, today, days):
    first, _ = rules.clocks(received, None, None, today, days, days + 1)
    assert first.late == (today > first.due)
    assert first.warning == (first.due - datetime.timedelta(days=7) <= today <= first.due
                             and first.days_left <= rules.WARN_DAYS)


def test_the_saturday_after_a_friday_due_day_is_late():
    friday = datetime.date(2024, 11, 15)
    first, _ = rules.clocks(friday - datetime.timedelta(days=4), None, None,
                            friday + datetime.timedelta(days=1), 4, 14)
    assert first.due == friday and first.late and first.status == "terlambat"


def test_clocks_show_days_left_warning_and_late():
    first, final = rules.clocks(MON, None, None, MON + datetime.timedelta(days=6), 5, 14)
    assert first.due == datetime.date(2026, 11, 30) and first.days_left == 1 and first.warning
    assert first.status == "hampir habis"
    late, _ = rules.clocks(MON, None, None, datetime.date(2026, 12, 2), 5, 14)
    assert late.late and late.days_left == -2 and late.status == "terlambat"
    done, _ = rules.clocks(MON, MON + datetime.timedelta(days=1), None, datetime.date(2026, 12, 30), 5, 14)
    assert not done.late and done.status == "tepat waktu" and not done.warning
    assert final.due == datetime.date(2026, 12, 11) and not final.warning


def test_the_most_urgent_sorts_first():
    today = datetime.date(2026, 12, 1)
    late = rules.clocks(MON, None, None, today, 5, 14)
    fresh = rules.clocks(today, None, None, today, 5, 14)
    closed = rules.clocks(MON, MON, MON, today, 5, 14)
    keys = [rules.urgency(fresh, "diterima"), rules.urgency(closed, "selesai"),
            rules.urgency(late, "diterima")]
    assert sorted(keys) == [keys[2], keys[0], keys[1]]


def test_figures_count_decided_clocks_and_medians():
    today = datetime.date(2026, 12, 31)
    rows = [
        (MON, MON + datetime.timedelta(days=1), MON + datetime.timedelta(days=2), 5, 14, CAL),  # on time
        (MON, datetime.date(2026, 12, 10), None, 5, 14, CAL),   # late response, resolution late too
        (datetime.date(2026, 12, 30), None, None, 5, 14, CAL),  # still running: counted neither way
    ]
    f = rules.figures(rows, today)
    assert f.received == 3
    assert f.responded_on_time_pct == 50.0
    assert f.resolved_on_time_pct == 50.0
    assert f.median_days_to_response == (1 + 13) / 2
    assert f.median_days_to_resolution == 2.0
    empty = rules.figures([], today)
    assert empty.received == 0 and empty.responded_on_time_pct is None
