"""Pure rules of the SKM staff side: period dates, reading a paper questionnaire row,
formula-safe exports, age bands and where a suggestion belongs."""
import datetime
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.text import formula_safe
from kinerja.rules.survey_entry import (
    COLUMNS, age_band, check_headers, header_key, lowest_element, parse_answer,
    parse_row,
)
from kinerja.rules.survey_periods import (
    numbers_for, overlapping, period_dates, period_for, period_label,
)

TODAY = datetime.date(2026, 11, 24)


@given(kind=st.sampled_from(["triwulan", "semester", "tahun"]), year=st.integers(2000, 2100))
def test_the_periods_of_a_kind_tile_the_year_without_gaps(kind, year):
    days = []
    for number in numbers_for(kind):
        starts, ends = period_dates(kind, year, number)
        days.append((starts, ends))
    assert days[0][0] == datetime.date(year, 1, 1)
    assert days[-1][1] == datetime.date(year, 12, 31)
    for (_, end), (start, _) in zip(days, days[1:]):
        assert start - end == datetime.timedelta(days=1)


@pytest.mark.parametrize("kind,year,number", [("semester", 2026, 3), ("triwulan", 2026, 0),
                                              ("tahun", 2026, 2), ("bulan", 2026, 1),
                                              ("tahun", 1999, 1)])
def test_periods_that_do_not_exist_are_refused(kind, year, number):
    with pytest.raises(ValueError):
        period_dates(kind, year, number)


def test_period_labels_and_lookup():
    assert period_label("triwulan", 2026, 3) == "Triwulan III 2026"
    assert period_label("semester", 2026, 1) == "Semester I 2026"
    assert period_label("tahun", 2026, 1) == "Tahun 2026"
    first = SimpleNamespace(starts=datetime.date(2026, 1, 1), ends=datetime.date(2026, 6, 30))
    second = SimpleNamespace(starts=datetime.date(2026, 7, 1), ends=datetime.date(2026, 12, 31))
    assert period_for(datetime.date(2026, 6, 30), [first, second]) is first
    assert period_for(datetime.date(2026, 7, 1), [first, second]) is second
    assert period_for(datetime.date(2025, 12, 31), [first, second]) is None
    assert overlapping(*period_dates("triwulan", 2026, 2), [first, second]) is first
    assert overlapping(*period_dates("triwulan", 2027, 1), [first, second]) is None


PERIODS = [SimpleNamespace(id=7, starts=datetime.date(2026, 1, 1), ends=datetime.date(2026, 6, 30))]
SERVICES = {"imunisasi": 3}


def row(**cells):
    base = {"tanggal": "2026-03-01", **{f"u{i}": 3 for i in range(1, 10)}}
    base.update(cells)
    return parse_row(5, base, services=SERVICES, periods=PERIODS, today=TODAY)


def test_a_good_row_becomes_response_values():
    parsed = row(tanggal=datetime.datetime(2026, 3, 1), layanan="Imunisasi", u2=4.0, u3="2",
                 u9=None, umur=40.0, **{"jenis kelamin": "perempuan", "pendidikan": "d3",
                                          "pekerjaan": "swasta", "saran": "  Bagus  "})
    assert parsed.errors == []
    values = parsed.values
    assert (values["period"], values["service"]) == (7, 3)
    assert (values["u2"], values["u3"], values["u9"]) == (4, 2, None)
    assert (values["age"], values["sex"], values["education"], values["occupation"]) == \
        (40, "P", "D1-D4", "Swasta")
    assert values["suggestion"] == "Bagus"


@pytest.mark.parametrize("cells,reason", [
    ({"tanggal": None}, "tanggal wajib diisi"),
    ({"tanggal": "31/02/2026"}, "tidak terbaca"),
    ({"tanggal": "2026-08-01"}, "di luar semua periode"),
    ({"tanggal": "2026-12-01"}, "di masa depan"),
    ({"layanan": "Bedah"}, "jenis layanan 'Bedah' tidak dikenal"),
    ({"u4": 0}, "jawaban U4 harus 1–4 (tertulis '0')"),
    ({"u5": 2.5}, "jawaban U5 harus 1–4"),
    ({"u6": True}, "jawaban U6 harus 1–4"),
    ({f"u{i}": None for i in range(1, 10)}, "tidak ada satu jawaban pun"),
    ({"umur": "tiga puluh"}, "umur 'tiga puluh' tidak sah"),
    ({"umur": 200}, "umur '200' tidak sah"),
    ({"jenis kelamin": "W"}, "jenis kelamin 'W' tidak sah"),
    ({"pendidikan": "TK"}, "pendidikan 'TK' tidak sah"),
    ({"pekerjaan": "Petani"}, "pekerjaan 'Petani' tidak sah"),
    ({"saran": "x" * 2001}, "saran lebih dari 2000 karakter"),
])
def test_each_problem_of_a_row_is_named(cells, reason):
    parsed = row(**cells)
    assert any(reason in error for error in parsed.errors), parsed.errors


def test_every_problem_of_a_row_is_reported_not_only_the_first():
    parsed = row(tanggal="kemarin", u1=9, umur="x")
    assert len(parsed.errors) == 3


@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.text(max_size=8),
                 st.booleans()))
def test_parse_answer_accepts_only_one_to_four(value):
    answer = parse_answer(value)
    assert answer is None or answer in (1, 2, 3, 4) or isinstance(answer, str)
    if isinstance(answer, int):
        assert str(value).strip().split(".")[0] == str(answer)


def test_headers_missing_and_unknown_are_reported():
    assert check_headers([header_key(c) for c in COLUMNS]) == []
    assert check_headers(["tanggal", "u1"]) == [
        "Kolom wajib tidak ada: u2, u3, u4, u5, u6, u7, u8, u9."]
    assert "Kolom tidak dikenal: nama" in check_headers(
        [header_key(c) for c in COLUMNS] + ["nama"])[0]


@given(st.text(max_size=20))
def test_formula_safe_never_leaves_a_formula_start(text):
    safe = formula_safe(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe.endswith(text)
    assert formula_safe(-3) == -3 and formula_safe(None) is None


@pytest.mark.parametrize("age,band", [(None, "Tidak diisi"), (17, "< 20 tahun"),
                                      (20, "20–29 tahun"), (59, "50–59 tahun"),
                                      (60, "≥ 60 tahun"), (101, "≥ 60 tahun")])
def test_age_bands(age, band):
    assert age_band(age) == band


def test_a_suggestion_belongs_to_the_lowest_rated_element_first_of_ties():
    assert lowest_element({"u1": 4, "u2": 2, "u3": 2, "u4": None}) == "u2"
    assert lowest_element({"u1": None}) is None
