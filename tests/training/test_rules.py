"""The 20 JP a year and the reading of import cells: plain unit and property tests."""
import datetime

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kinerja.rules import DomainError
from kinerja.rules import training as rules

PDF = b"%PDF-1.4\n%%EOF\n"
# A busy machine (the suite runs beside others) must not fail a property for its slowness.
calm = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
days = st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2030, 12, 31))


def test_a_training_counts_in_the_year_it_ended():
    assert rules.counted_year(datetime.date(2027, 1, 5)) == 2027
    assert rules.counted_year(datetime.date(2026, 12, 31)) == 2026


def test_shortfall_and_meeting_the_twenty_jp():
    assert rules.shortfall(0) == 20 and rules.shortfall(12) == 8
    assert rules.shortfall(20) == 0 and rules.shortfall(45) == 0
    assert not rules.meets(19) and rules.meets(20)


@calm
@given(days, days)
def test_a_training_spanning_new_year_counts_once_in_its_last_year(starts, ends):
    starts, ends = min(starts, ends), max(starts, ends)
    assert rules.counted_year(ends) == ends.year >= starts.year


@calm
@given(st.integers(min_value=0, max_value=10_000))
def test_shortfall_plus_total_reaches_twenty(total):
    assert rules.shortfall(total) >= 0
    assert rules.meets(total + rules.shortfall(total))
    assert (rules.shortfall(total) == 0) == rules.meets(total)


@calm
@given(st.lists(st.tuples(st.text(max_size=5), st.integers(min_value=0, max_value=60)), max_size=20))
def test_below_twenty_come_first_lowest_first(rows):
    ordered = rules.below_first(rows)
    flags = [rules.meets(total) for _, total in ordered]
    assert flags == sorted(flags)
    below = [total for _, total in ordered if not rules.meets(total)]
    assert below == sorted(below)


def test_period_problems():
    today = datetime.date(2026, 11, 24)
    assert rules.period_problem(datetime.date(2026, 3, 2), datetime.date(2026, 3, 4), today) is None
    assert "sebelum" in rules.period_problem(datetime.date(2026, 3, 4), datetime.date(2026, 3, 2), today)
    assert "masa depan" in rules.period_problem(today, today + datetime.timedelta(days=1), today)
    assert "satu tahun" in rules.period_problem(datetime.date(2024, 1, 1), datetime.date(2026, 1, 1), today)


@pytest.mark.parametrize("value, expected", [
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),
    (datetime.datetime(2026, 3, 1, 8, 0), datetime.date(2026, 3, 1)),
    ("2026-03-01", datetime.date(2026, 3, 1)),
    ("01/03/2026", datetime.date(2026, 3, 1)),
    ("1-3-2026", datetime.date(2026, 3, 1)),
    ("1 Maret 2026", datetime.date(2026, 3, 1)),
])
def test_dates_read_the_indonesian_way(value, expected):
    assert rules.parse_date(value) == expected


@pytest.mark.parametrize("value", ["", None, "31/02/2026", "kemarin", "2026-13-01", "03/2026"])
def test_bad_dates_are_refused(value):
    with pytest.raises(ValueError):
        rules.parse_date(value)


@pytest.mark.parametrize("value, expected", [(24, 24), (24.0, 24), ("8", 8), ("8,0", 8), ("16.0", 16)])
def test_jp_as_whole_numbers(value, expected):
    assert rules.parse_jp(value) == expected


@pytest.mark.parametrize("value", ["", None, "dua", "2,5", 2.5, 0, -4, "-4", rules.MAX_JP + 1, True,
                                   float("nan"), float("inf"), "1e3"])
def test_bad_jp_is_refused(value):
    with pytest.raises(ValueError):
        rules.parse_jp(value)


@calm
@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.none(), days))
def test_reading_cells_never_fails_otherwise(value):
    for reader in (rules.parse_jp, rules.parse_date, rules.parse_kind):
        try:
            reader(value)
        except ValueError as exc:
            assert str(exc)


@pytest.mark.parametrize("value, code", [("Pelatihan klasikal", "klasikal"), ("klasikal", "klasikal"),
                                         ("NON-KLASIKAL", "non_klasikal"), ("e-learning", "e_learning"),
                                         ("E Learning", "e_learning"), ("elearning", "e_learning"),
                                         ("Seminar", "seminar"), ("coaching", "coaching")])
def test_kinds_by_label_or_code(value, code):
    assert rules.parse_kind(value) == code


def test_unknown_kind_names_the_choices():
    with pytest.raises(ValueError, match="Pelatihan klasikal"):
        rules.parse_kind("workshop")


def test_certificates_are_pdf_or_images_by_content():
    assert rules.check_certificate("sertifikat.pdf", PDF) == ("pdf", "application/pdf")
    with pytest.raises(DomainError, match="PDF atau gambar"):
        rules.check_certificate("sertifikat.docx", b"PK\x03\x04")
    with pytest.raises(DomainError, match="bukan PDF"):
        rules.check_certificate("sertifikat.pdf", b"<script>alert(1)</script>")
    with pytest.raises(DomainError, match="melebihi"):
        rules.check_certificate("sertifikat.pdf", PDF + b"x" * 100, max_bytes=50)


def test_imported_records_stay_with_the_admin():
    assert rules.editable_by_owner("manual") and not rules.editable_by_owner("impor")
