"""Angka kredit of functional positions (domain/skp.md §7, PermenPANRB 1/2023): the jenjang a
position name states, its annual coefficient, what the next pangkat or jenjang needs, the
credit of each evaluated period and year, and the month the employee qualifies at their
pace. Pure functions, no Flask, no database.

The default figures are those of PermenPANRB 1/2023 Lampiran (koefisien angka kredit
tahunan per jenjang; angka kredit kumulatif minimal untuk kenaikan pangkat); a regency
corrects them through the settings COEFFICIENT_SETTING and REQUIREMENT_SETTING."""
import datetime
import json
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..formatting import tanggal
from .evaluation import credit_points

JENJANGS = {
    "pemula": "Pemula", "terampil": "Terampil", "mahir": "Mahir", "penyelia": "Penyelia",
    "ahli_pertama": "Ahli Pertama", "ahli_muda": "Ahli Muda", "ahli_madya": "Ahli Madya",
    "ahli_utama": "Ahli Utama",
}
# Longest names first: "Ahli Pertama" must not be read as some shorter word inside it.
_NAMES = sorted(((label.lower(), key) for key, label in JENJANGS.items()), key=lambda p: -len(p[0]))

DEFAULT_COEFFICIENTS = {
    "pemula": Decimal("3.75"), "terampil": Decimal("5"), "mahir": Decimal("12.5"),
    "penyelia": Decimal("25"), "ahli_pertama": Decimal("12.5"), "ahli_muda": Decimal("25"),
    "ahli_madya": Decimal("37.5"), "ahli_utama": Decimal("50"),
}
# Angka kredit kumulatif for the next pangkat within the jenjang.
DEFAULT_REQUIREMENTS = {
    "pemula": Decimal("15"), "terampil": Decimal("20"), "mahir": Decimal("50"),
    "penyelia": Decimal("100"), "ahli_pertama": Decimal("50"), "ahli_muda": Decimal("100"),
    "ahli_madya": Decimal("150"), "ahli_utama": Decimal("200"),
}
COEFFICIENT_SETTING = "credits.coefficients"
REQUIREMENT_SETTING = "credits.requirements"


def jenjang_of(position_name: str) -> str | None:
    """The jenjang a functional position's name ends with ("Perawat Ahli Pertama")."""
    text = " ".join((position_name or "").lower().split())
    for name, key in _NAMES:
        if text.endswith(name) or f" {name} " in f" {text} ":
            return key
    return None


def table(defaults: dict, raw: str | None) -> dict:
    """A per-jenjang table: the defaults with the regency's setting (JSON) over them; a value
    that is not a positive number is ignored."""
    result = dict(defaults)
    try:
        overrides = json.loads(raw) if raw else {}
    except ValueError:
        overrides = {}
    if not isinstance(overrides, dict):
        return result
    for key, value in overrides.items():
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            continue
        if key in result and number.is_finite() and number > 0:
            result[key] = number
    return result


@dataclass(frozen=True)
class Earned:
    year: int
    kind: str          # periodic | annual
    number: int
    label: str
    ends: datetime.date
    months: int
    predikat: str
    credit: Decimal


def earned(coefficient: Decimal, year: int, kind: str, number: int, label: str,
           starts: datetime.date, ends: datetime.date, predikat: str) -> Earned | None:
    months = (ends.year - starts.year) * 12 + ends.month - starts.month + 1
    credit = credit_points(coefficient, predikat, min(months, 12))
    if credit is None:
        return None
    return Earned(year, kind, number, label, ends, min(months, 12), predikat, credit)


@dataclass(frozen=True)
class Standing:
    years: list            # (year, [Earned periodic], Earned annual or None, counted credit)
    total: Decimal
    months: int            # months the total was earned over
    needed: Decimal
    remaining: Decimal
    expected: datetime.date | None  # first day of the month they qualify; None without pace
    last_end: datetime.date | None


def standing(rows: list[Earned], needed: Decimal) -> Standing:
    """The running total: a year with its annual predikat counts the annual credit (it
    replaces the periodic shares of that year), a year still running counts its periods."""
    by_year = {}
    for row in rows:
        by_year.setdefault(row.year, []).append(row)
    years, total, months, last_end = [], Decimal(0), 0, None
    for year in sorted(by_year):
        periodic = sorted((r for r in by_year[year] if r.kind == "periodic"), key=lambda r: r.number)
        annual = next((r for r in by_year[year] if r.kind == "annual"), None)
        counted = annual.credit if annual else sum((r.credit for r in periodic), Decimal(0))
        span = annual.months if annual else sum(r.months for r in periodic)
        ends = annual.ends if annual else (periodic[-1].ends if periodic else None)
        years.append((year, periodic, annual, counted))
        total += counted
        months += span
        if ends and (last_end is None or ends > last_end):
            last_end = ends
    remaining = max(needed - total, Decimal(0))
    return Standing(years, total, months, needed, remaining,
                    expected_month(total, months, needed, last_end), last_end)


def expected_month(total: Decimal, months: int, needed: Decimal,
                   last_end: datetime.date | None) -> datetime.date | None:
    """At the pace so far (total ÷ months), the month the total reaches `needed`: the month
    after the last evaluated period when it is reached already; None with no pace."""
    if last_end is None:
        return None
    if total >= needed:
        return _month_after(last_end, 1)
    if months <= 0 or total <= 0:
        return None
    pace = total / months
    return _month_after(last_end, math.ceil((needed - total) / pace))


def _month_after(day: datetime.date, count: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_label(day: datetime.date | None) -> str:
    """"Maret 2028": the month a qualification is expected in."""
    return tanggal(day).split(" ", 1)[1] if day else "-"
