"""Survey periods of a service unit (domain/skm.md): triwulan, semester or tahun.

A period's dates follow from its kind, year and number, so staff never type them
and two units' "Semester I 2026" always mean the same days.
"""
import datetime

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# kind -> (periods in a year, months per period)
KIND_SHAPE = {"triwulan": (4, 3), "semester": (2, 6), "tahun": (1, 12)}
KIND_LABEL = {"triwulan": "Triwulan", "semester": "Semester", "tahun": "Tahun"}
YEAR_MIN, YEAR_MAX = 2000, 2100


def numbers_for(kind: str) -> list[int]:
    count, _ = KIND_SHAPE[kind]
    return list(range(1, count + 1))


def period_dates(kind: str, year: int, number: int) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of the period; ValueError for a kind/number that does not exist."""
    if kind not in KIND_SHAPE:
        raise ValueError(f"Jenis periode tidak dikenal: {kind}")
    count, months = KIND_SHAPE[kind]
    if number not in numbers_for(kind):
        raise ValueError(f"{KIND_LABEL[kind]} hanya bernomor 1 sampai {count}.")
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(f"Tahun harus antara {YEAR_MIN} dan {YEAR_MAX}.")
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    starts = datetime.date(year, first_month, 1)
    if last_month == 12:
        ends = datetime.date(year, 12, 31)
    else:
        ends = datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)
    return starts, ends


def period_label(kind: str, year: int, number: int) -> str:
    """'Semester I 2026', 'Triwulan III 2026', 'Tahun 2026'."""
    if kind == "tahun":
        return f"Tahun {year}"
    return f"{KIND_LABEL.get(kind, kind)} {ROMAN.get(number, number)} {year}"


def overlapping(starts: datetime.date, ends: datetime.date, others) -> object | None:
    """The first of `others` (objects with .starts/.ends) whose dates meet [starts, ends]."""
    for other in others:
        if other.starts <= ends and starts <= other.ends:
            return other
    return None


def period_for(day: datetime.date, periods) -> object | None:
    """The period (objects with .starts/.ends) that contains this day, if any."""
    for period in periods:
        if period.starts <= day <= period.ends:
            return period
    return None
