"""Per-person rosters (jadwal dinas) as pure rules: the hours a person works on a day, which
day a tap belongs to when a night shift crosses midnight, and lateness against such a shift.

Hours are (start, end) pairs as in kinerja/rules/calendar.py; an end earlier than the start
ends the next day. A roster is {day: hours, or None for a day off}."""
import calendar
import datetime
import re

from . import DomainError, attendance
from . import calendar as cal_rules

DAY = 1440
ONE_DAY = datetime.timedelta(days=1)


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


def crosses_midnight(hours) -> bool:
    return hours is not None and hours[1] < hours[0]


def hours_for(cal, day: datetime.date, roster: dict):
    """The hours worked on `day`: the roster's shift wherever the roster names the day (a
    holiday does not make a rostered shift a day off; a rostered day off stays off), the
    unit's calendar otherwise."""
    if day in roster:
        return roster[day]
    return cal_rules.hours_on(cal, day)


def _midway(earlier: datetime.time, later: datetime.time) -> int:
    """Minutes of the day midway between two times, rounded up so that it always comes after
    `earlier` when `later` does."""
    return _minutes(earlier) + (_minutes(later) - _minutes(earlier) + 1) // 2


def _pivot(hours) -> int:
    """Midway between a night shift's end and its start: a time of the shift's day before
    this is read as the next morning."""
    return _midway(hours[1], hours[0])


def _clock(t: datetime.time, hours) -> int:
    """`t` in minutes from the midnight that starts the shift's day."""
    return _minutes(t) + DAY if _minutes(t) < _pivot(hours) else _minutes(t)


def lateness(time_in, time_out, hours) -> tuple[int, int]:
    """(minutes late, minutes early) against the day's hours; a night shift reads a time
    after midnight as the next morning. A day without a departure tap counts as leaving at
    the arrival, as without a roster."""
    if hours is None:
        return 0, 0
    start, end = hours
    if not crosses_midnight(hours):
        return attendance.minutes_late(time_in, start), attendance.minutes_early(time_out, end, time_in)
    late = max(0, _clock(time_in, hours) - _minutes(start)) if time_in is not None else 0
    leave = time_out if time_out is not None else time_in
    early = max(0, _minutes(end) + DAY - _clock(leave, hours)) if leave is not None else 0
    return late, early


def _cut(previous, own) -> int:
    """Taps before this time of day still close the previous day's night shift: midway to
    that shift's start, or midway to the day's own shift when that comes sooner."""
    cut = _pivot(previous)
    if own is not None and own[0] >= previous[1]:
        cut = min(cut, _midway(previous[1], own[0]))
    return cut


def tap_day(stamp: datetime.datetime, previous, own) -> datetime.date:
    """The day a tap counts for: the day before when that day's shift (`previous`) crosses
    midnight and the tap comes before the cut; its own date otherwise (`own`: the hours of
    the tap's own date)."""
    if crosses_midnight(previous) and _minutes(stamp.time()) < _cut(previous, own):
        return stamp.date() - ONE_DAY
    return stamp.date()


def first_and_last(stamps) -> tuple:
    """A day's arrival and departure from its taps, as times (taps after midnight sorted
    after those before it)."""
    first, last = attendance.first_and_last(stamps)
    return (first.time() if first else None, last.time() if last else None)


def merge(calendar_days, roster: dict) -> list:
    """The working days in order: the calendar's days the roster does not name, and the
    roster's days that carry a shift."""
    kept = [d for d in calendar_days if d not in roster]
    return sorted(kept + [d for d, hours in roster.items() if hours is not None])


DAY_OFF = "L"
_DAY_NUMBER = re.compile(r"(\d{1,3})(?:\.0+)?")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_text(month: datetime.date) -> str:
    return f"{cal_rules.MONTH_NAMES[month.month - 1]} {month.year}"


def parse_month(text) -> datetime.date | None:
    """The first day of a month typed as 2026-12, or None."""
    match = _MONTH.fullmatch(str(text or "").strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        return None
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def _header_day(header: str):
    """A header as a date (2026-12-01, 01/12/2026, or a spreadsheet date with its time)."""
    head = header.split(" ")[0] if header[:4].isdigit() else header
    return attendance.parse_date(head)


def date_columns(headers, month: datetime.date | None) -> tuple[dict, list, datetime.date]:
    """({header: day}, headers left aside, the month) of a roster file whose date columns
    are dates (which then name the month) or day numbers of `month`; DomainError names the
    first column that is wrong."""
    columns, ignored = {}, []
    for header in headers:
        if not header or header in ("nip", "nama"):   # the name is there for people, not read
            continue
        number = _DAY_NUMBER.fullmatch(header)
        if number:
            if month is None:
                raise DomainError("Judul kolom berupa nomor tanggal: pilih bulannya.", field="file")
            last = calendar.monthrange(month.year, month.month)[1]
            if not 1 <= int(number.group(1)) <= last:
                raise DomainError(f"Kolom “{header[:10]}” bukan tanggal: {month_text(month)} "
                                  f"hanya sampai tanggal {last}.", field="file")
            day = month.replace(day=int(number.group(1)))
        else:
            day = _header_day(header)
            if day is None:
                ignored.append(header)
                continue
            if not 2000 <= day.year <= 2100:
                raise DomainError(f"Kolom “{header[:20]}”: tahun {day.year} di luar jangkauan.",
                                  field="file")
        if day in columns.values():
            raise DomainError(f"Tanggal {day.day} {month_text(day)} muncul di dua kolom.", field="file")
        columns[header] = day
    if not columns:
        raise DomainError("Tidak ada kolom tanggal. Baris judul berisi NIP lalu satu kolom per "
                          "tanggal (1, 2, 3 … atau 2026-12-01); gunakan templat.", field="file")
    months = {d.replace(day=1) for d in columns.values()}
    if len(months) > 1:
        raise DomainError("Satu berkas untuk satu bulan: kolom tanggalnya mencakup "
                          + ", ".join(month_text(m) for m in sorted(months)) + ".", field="file")
    return columns, ignored, months.pop()


def shift_code(value: str) -> str:
    """A roster cell as a shift code; "" for a day off (empty or L)."""
    code = value.strip().upper()
    return "" if code in ("", DAY_OFF) else code
