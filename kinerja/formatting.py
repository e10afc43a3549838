"""Dates, times and numbers in Babel's Indonesian locale (CLDR); registered as Jinja filters.

Babel costs 20–30 µs a call where an f-string costs one, and a recap page shows hundreds
of values, most of them repeated (the same dates, the same percentages): each formatter
keeps the answers it gave, so a page pays Babel once per distinct value.
"""
import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import parse_pattern

from . import clock

LOCALE = Locale.parse("id")
_DATE = "d MMMM y"
_INTEGER = parse_pattern("#,##0")


@lru_cache(maxsize=4096)
def _date(value: datetime.date) -> str:
    return format_date(value, _DATE, locale=LOCALE)


def tanggal(value) -> str:
    """22 November 2026"""
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    elif isinstance(value, datetime.datetime):
        value = value.date()
    return _date(value)


def waktu(value) -> str:
    """A stored naive-UTC datetime as '22 November 2026 14.05 WIB', in the regency's zone."""
    if value is None:
        return "-"
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    local = clock.to_local(value)
    # CLDR's Indonesian time pattern is HH.mm.
    return f"{_date(local.date())} {local:%H.%M} {clock.zone_label(local)}"


@lru_cache(maxsize=8)
def _pattern(places: int):
    return parse_pattern("#,##0." + "0" * places) if places else _INTEGER


@lru_cache(maxsize=8192)
def _number(value: Decimal, places: int) -> str:
    # Regulations round half up (an IKM of 88,825 is 88,83); Babel would round half to even,
    # so the value arrives already rounded.
    quantised = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _pattern(places).apply(quantised, LOCALE)


def angka(value, places: int = 2) -> str:
    """91.48 → '91,48'; thousands with dots: 10000 → '10.000'."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return _number(Decimal(value), 0)
    return _number(Decimal(str(value)), places)


def register(app) -> None:
    app.jinja_env.filters.update(tanggal=tanggal, waktu=waktu, angka=angka)
    app.jinja_env.globals.update(zone_label=clock.zone_label)
