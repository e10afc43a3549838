"""The working calendar: which days are working days and their hours, as pure functions."""
import datetime
from dataclasses import dataclass, field

H = datetime.time
# The regency's default (field.md §1): Monday–Thursday 07.30–16.00, Friday 07.30–16.30.
DEFAULT_HOURS = {0: (H(7, 30), H(16)), 1: (H(7, 30), H(16)), 2: (H(7, 30), H(16)),
                 3: (H(7, 30), H(16)), 4: (H(7, 30), H(16, 30))}
SIX_DAY_HOURS = {**{d: (H(7, 30), H(14, 30)) for d in range(5)}, 4: (H(7, 30), H(11, 30)),
                 5: (H(7, 30), H(13))}
SHIFT_HOURS = {d: (H(7, 30), H(14)) for d in range(7)}
KIND_WEEKDAYS = {"5hari": frozenset(range(5)), "6hari": frozenset(range(6)),
                 "shift": frozenset(range(7))}
WEEKDAY_NAMES = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTH_NAMES = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember"]
# Guards add_working_days against a calendar with no working day at all.
_MAX_SCAN = 3660


@dataclass(frozen=True)
class Calendar:
    weekdays: frozenset = frozenset(range(5))  # Monday = 0
    holidays: frozenset = frozenset()
    hours: dict = field(default_factory=lambda: dict(DEFAULT_HOURS), hash=False, compare=False)


def is_working_day(cal: Calendar, day: datetime.date) -> bool:
    return day.weekday() in cal.weekdays and day not in cal.holidays


def add_working_days(cal: Calendar, start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (start itself for n = 0)."""
    day = start
    left = n
    scanned = 0
    while left > 0:
        day += datetime.timedelta(days=1)
        scanned += 1
        if scanned > _MAX_SCAN * max(1, n):
            raise ValueError("calendar without working days")
        if is_working_day(cal, day):
            left -= 1
    return day


def working_days_between(cal: Calendar, start: datetime.date, end: datetime.date) -> int:
    """The working days in (start, end]; 0 when end is not after start."""
    if end <= start:
        return 0
    total = (end - start).days
    weeks, rest = divmod(total, 7)
    count = weeks * len(cal.weekdays)
    for offset in range(1, rest + 1):
        if (start + datetime.timedelta(days=weeks * 7 + offset)).weekday() in cal.weekdays:
            count += 1
    count -= sum(1 for h in cal.holidays if start < h <= end and h.weekday() in cal.weekdays)
    return count


def working_days(cal: Calendar, start: datetime.date, end: datetime.date) -> list:
    """The working days in [start, end], in order."""
    days, day = [], start
    while day <= end:
        if is_working_day(cal, day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def hours_on(cal: Calendar, day: datetime.date):
    """(start, end) of the working hours on `day`, or None on a day off."""
    if not is_working_day(cal, day):
        return None
    return cal.hours.get(day.weekday())
