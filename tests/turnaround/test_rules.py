"""Turnaround arithmetic: the median and the share within the standard, reading a service log."""
import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import turnaround as rules

MONDAY = datetime.date(2026, 11, 23)


def test_figures_count_median_and_share_within():
    f = rules.figures([(0, 1), (1, 1), (2, 1), (5, 3)])
    assert (f.count, f.within, f.late) == (4, 2, 2)
    assert f.median_days == Decimal("1.5") and f.within_percent == Decimal("50.0")
    empty = rules.figures([])
    assert empty.median_days is None and empty.within_percent is None


def test_share_rounds_half_up():
    assert rules.percent(2, 3) == Decimal("66.7") and rules.percent(1, 8) == Decimal("12.5")


@pytest.mark.parametrize("text, expected", [
    ("2026-03-02 08:15", datetime.datetime(2026, 3, 2, 8, 15)),
    ("02/03/2026 08:15", datetime.datetime(2026, 3, 2, 8, 15)),
    ("2026-03-02", datetime.datetime(2026, 3, 2)),
    (datetime.date(2026, 3, 2), datetime.datetime(2026, 3, 2)),
])
def test_moments_are_read(text, expected):
    assert rules.parse_moment(text) == expected


@pytest.mark.parametrize("text", ["", None, "kemarin", "31/02/2026 08:00", "2026-13-01"])
def test_unreadable_moments_are_refused(text):
    with pytest.raises(ValueError):
        rules.parse_moment(text)


def test_a_finish_before_receipt_or_after_today_is_a_problem():
    received = datetime.datetime(2026, 3, 2, 8)
    assert rules.moment_problem(received, received - datetime.timedelta(hours=1), MONDAY)
    assert rules.moment_problem(received, datetime.datetime(2026, 12, 1), MONDAY)
    assert rules.moment_problem(received, received, MONDAY) is None


def test_who_sees_and_who_manages():
    assert rules.viewer_may_see("admin", "/9/10/", None, None)
    assert rules.viewer_may_see("admin_opd", "/9/10/", "/9/", None)
    assert not rules.viewer_may_see("admin_opd", "/9/10/", "/4/", None)
    assert rules.viewer_may_see("pegawai", "/9/10/", None, "/9/")
    assert not rules.viewer_may_see("pegawai", "/9/10/", None, None)
    assert not rules.viewer_may_manage("pegawai", "/9/10/", None)
    assert rules.viewer_may_manage("admin_opd", "/9/10/", "/9/")


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=50))
def test_figures_are_consistent(pairs):
    f = rules.figures(pairs)
    assert f.count == len(pairs) and 0 <= f.within <= f.count
    if pairs:
        assert min(d for d, _ in pairs) <= f.median_days <= max(d for d, _ in pairs)
        assert Decimal(0) <= f.within_percent <= Decimal(100)
