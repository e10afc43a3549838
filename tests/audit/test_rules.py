import datetime

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from kinerja import clock
from kinerja.formatting import tanggal, waktu
from kinerja.rules.audit import (
    MAX_YEAR, MIN_YEAR, Change, changes, display_value, parse_date, local_day_bounds,
)

dates = st.dates(min_value=datetime.date(MIN_YEAR, 1, 1), max_value=datetime.date(MAX_YEAR, 12, 31))


@pytest.mark.parametrize("text", ["24-11-2026", "24/11/2026", "24.11.2026", "2026-11-24",
                                  "24 November 2026", "24 nov 2026", " 24  NOVEMBER   2026 ",
                                  "24 Nop 2026"])
def test_dates_as_people_type_them(text):
    assert parse_date(text) == datetime.date(2026, 11, 24)


def test_empty_is_no_date():
    assert parse_date("") is None and parse_date("   ") is None and parse_date(None) is None


@pytest.mark.parametrize("text, message", [
    ("31-02-2026", "tidak ada di kalender"), ("24-13-2026", "tidak ada di kalender"),
    ("24 Brumaire 2026", "tidak dikenali"), ("24-11-26", "tidak dikenali"),
    ("01-01-1899", "Tahun harus antara"), ("besok", "tidak dikenali"),
])
def test_wrong_dates_say_why_in_indonesian(text, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text)


@given(dates)
def test_every_way_of_writing_a_date_reads_back_the_same(day):
    for text in (f"{day.day}-{day.month}-{day.year}", f"{day:%d/%m}/{day.year}",
                 f"{day.year}-{day:%m-%d}", tanggal(day)):
        assert parse_date(text) == day


@given(st.text(max_size=40))
def test_any_text_is_a_date_none_or_a_valueerror(text):
    try:
        result = parse_date(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert result is None or MIN_YEAR <= result.year <= MAX_YEAR


@given(dates, st.integers(min_value=0, max_value=86399))
@example(datetime.date(1950, 4, 30), 86399)   # the day before Jakarta's offset changed
@example(datetime.date(1950, 5, 1), 84000)
def test_an_instant_is_within_the_wib_day_it_shows(day, seconds):
    """Whatever instant of a WIB day, the bounds of that day hold it; the next day's do not."""
    since, until = local_day_bounds(day, day, clock.zone())
    # Days tile without gap or overlap. A day is 24 hours except when the zone's offset
    # changed (Jakarta moved to +07:30 on 1 May 1950: 30 April lasted 24½ hours).
    assert until == local_day_bounds(day + datetime.timedelta(days=1), None, clock.zone())[0]
    assert datetime.timedelta(hours=23) <= until - since <= datetime.timedelta(hours=25)
    assume(seconds < (until - since).total_seconds())
    instant = since + datetime.timedelta(seconds=seconds)
    assert since <= instant < until
    assert waktu(instant).startswith(tanggal(day) + " ")


def test_open_ended_bounds():
    assert local_day_bounds(None, None, clock.zone()) == (None, None)
    since, until = local_day_bounds(datetime.date(2026, 11, 24), None, clock.zone())
    assert since == datetime.datetime(2026, 11, 23, 17) and until is None


def test_changes_list_only_what_differs_in_recorded_order():
    before = {"name": "Siti", "active": True, "unit": 3}
    after = {"name": "Siti Rahayu", "active": True, "unit": 4, "rank": "Penata"}
    assert changes(before, after) == [Change("name", "Siti", "Siti Rahayu"), Change("unit", 3, 4),
                                      Change("rank", None, "Penata")]


def test_a_creation_lists_every_field_and_a_deletion_too():
    assert [c.field for c in changes(None, {"code": "X", "name": "Y"})] == ["code", "name"]
    assert [c.new for c in changes({"code": "X"}, None)] == [None]
    assert changes(None, None) == []


@given(st.dictionaries(st.sampled_from("abcdef"), st.one_of(st.none(), st.booleans(),
                                                           st.integers(), st.text(max_size=5))),
       st.dictionaries(st.sampled_from("abcdef"), st.one_of(st.none(), st.booleans(),
                                                           st.integers(), st.text(max_size=5))))
def test_changes_are_exactly_the_differing_fields(before, after):
    result = changes(before, after)
    assert {c.field for c in result} == {k for k in set(before) | set(after)
                                         if before.get(k) != after.get(k)}
    assert all(c.old != c.new for c in result)


def test_display_values():
    assert display_value(True) == "Ya" and display_value(False) == "Tidak"
    assert display_value(None) == "-" and display_value("") == "-"
    assert display_value("admin_opd", {"admin_opd": "Admin OPD"}) == "Admin OPD"
    # A recorded list or record reads as its labelled items, never as Python's repr.
    assert display_value(["a", "b"], {"a": "A"}) == "A; b"
    assert display_value({"text": "Anggaran", "order": 2}) == "Uraian: Anggaran, Urutan: 2"
    assert display_value(3) == "3"
