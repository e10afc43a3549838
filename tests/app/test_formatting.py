"""Numbers and dates as Indonesian readers write them (Babel's `id` locale)."""
import datetime
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, strategies as st

from kinerja.formatting import angka, tanggal

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


def read_back(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def test_the_regulation_rounds_half_up_and_writes_a_decimal_comma():
    assert angka(88.825) == "88,83"      # Babel alone would round to even: 88,82
    assert angka(Decimal("76.615"), 2) == "76,62"
    assert angka(10000) == "10.000"
    assert angka(1234567.5, 1) == "1.234.567,5"
    assert angka(2.5, 0) == "3"
    assert angka(None) == "-"


@given(st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False),
       st.integers(min_value=0, max_value=3))
def test_a_number_reads_back_as_its_half_up_rounding(value, places):
    text = angka(value, places)
    assert read_back(text) == value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole = text.lstrip("-").split(",")[0]
    # Thousands grouped by dots, three digits a group.
    assert all(len(group) == 3 for group in whole.split(".")[1:])
    assert ("," in text) == (places > 0)


@given(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_a_date_has_its_day_indonesian_month_and_year(day):
    assert tanggal(day) == f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    assert tanggal(day.isoformat()) == tanggal(day)
