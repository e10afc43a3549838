"""Attendance as pure rules: taps to a day, lateness, the conversion of minutes into days
and the monthly figures."""
import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# PP 94/2021's elucidation as commonly read: 7,5 hours of lateness and early leaving = 1 day
# of absence without a valid reason. A setting (attendance.minutes_per_day).
MINUTES_PER_DAY = 450
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def minutes_to_days(minutes: int, per_day: int = MINUTES_PER_DAY) -> Decimal:
    """Minutes late and early as days of absence, to two decimals."""
    if minutes <= 0:
        return Decimal("0.00")
    return (Decimal(minutes) / Decimal(per_day)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def first_and_last(taps) -> tuple:
    """The day's first tap is the arrival, the last the departure, in whatever order they
    came; a single tap is an arrival without a departure."""
    taps = sorted(taps)
    if not taps:
        return None, None
    if len(taps) == 1:
        return taps[0], None
    return taps[0], taps[-1]


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


def minutes_late(time_in, start) -> int:
    if time_in is None or start is None:
        return 0
    return max(0, _minutes(time_in) - _minutes(start))


def minutes_early(time_out, end, time_in=None) -> int:
    """Minutes left before the end of the day; a day without a departure tap counts as
    leaving at the arrival (the machine saw only one tap)."""
    if end is None:
        return 0
    leave = time_out if time_out is not None else time_in
    if leave is None:
        return 0
    return max(0, _minutes(end) - _minutes(leave))


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if len(text) == 10 and text[4] == "-":
        # The common case, read without strptime: an import has hundreds of thousands of rows.
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return None
    for fmt in DATE_FORMATS[1:]:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?")


def parse_time(value):
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    match = _TIME.fullmatch(str(value or "").strip())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59 or (match.group(3) and int(match.group(3)) > 59):
        return None
    return datetime.time(hour, minute)


def parse_stamp(value):
    if isinstance(value, datetime.datetime):
        return value.replace(second=0, microsecond=0)
    text = str(value or "").strip().replace("T", " ")
    day, _, moment = text.partition(" ")
    day, moment = parse_date(day), parse_time(moment.strip())
    if day is None or moment is None:
        return None
    return datetime.datetime.combine(day, moment)


@dataclass
class Figures:
    working_days: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    minutes_late: int = 0
    minutes_early: int = 0

    @property
    def percent(self) -> Decimal | None:
        """Attendance % = present ÷ working days."""
        if not self.working_days:
            return None
        return (Decimal(100 * self.present) / Decimal(self.working_days)).quantize(
            Decimal("0.01"), ROUND_HALF_UP)

    def unexcused_with_lateness(self, per_day: int = MINUTES_PER_DAY) -> Decimal:
        return Decimal(self.unexcused) + minutes_to_days(
            self.minutes_late + self.minutes_early, per_day)


def tally(days, present: set, excused: set) -> tuple:
    """(present, excused, unexcused) over the counted working days: a day the person was
    recorded present counts as present even under a leave record (a half-day izin)."""
    p = e = u = 0
    for day in days:
        if day in present:
            p += 1
        elif day in excused:
            e += 1
        else:
            u += 1
    return p, e, u


def longest_run(days, absent: set) -> int:
    """The longest run of consecutive working days (in the order given) that are absent."""
    best = run = 0
    for day in days:
        run = run + 1 if day in absent else 0
        best = max(best, run)
    return best
