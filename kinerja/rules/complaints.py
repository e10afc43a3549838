"""Complaints (field.md §3): tracking codes, the states a complaint moves through, its
service-level clocks in working days, and the figures per unit and handler."""
import datetime
import secrets
import statistics
from dataclasses import dataclass

from . import DomainError, calendar

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud over the phone or copied from a screenshot
# is typed right the first time. 26 symbols ** 10 ≈ 1,4·10^14: not worth guessing.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 10

DEFAULT_FIRST_RESPONSE_DAYS = 5
DEFAULT_RESOLUTION_DAYS = 14
WARN_DAYS = 1

TRANSITIONS = {
    "diterima": ("diproses", "dijawab", "ditolak"),
    "diproses": ("dijawab", "ditolak"),
    "dijawab": ("selesai", "diproses"),
    "selesai": (),
    "ditolak": (),
}
OPEN_STATES = ("diterima", "diproses")
# The state a first response or a resolution is reached by.
RESPONDED = ("diproses", "dijawab", "ditolak")
RESOLVED = ("dijawab", "ditolak")

WHAT_MAX = 3000
ANSWER_MAX = 3000
MAX_PHOTOS = 3
PHOTO_TYPES = ("png", "jpg", "jpeg")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text) -> str | None:
    """The code a citizen typed (any case, spaces or dashes between groups), or None when it
    cannot be one of ours."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    code = "".join(ch for ch in text.upper() if ch not in SEPARATORS)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def grouped(code: str, hyphen: str = "-") -> str:
    """Written in two groups of five, easier to read out; on a narrow phone screen with a
    non-breaking hyphen, so the code is never split over two lines."""
    return f"{code[:5]}{hyphen}{code[5:]}"


NON_BREAKING_HYPHEN = "\u2011"
# What may stand between the groups when a code is typed or pasted back.
SEPARATORS = " -\t\u00a0" + NON_BREAKING_HYPHEN


def check_move(state: str, target: str, *, answer: str = "", rejection: str = "") -> None:
    """DomainError when a complaint in `state` cannot move to `target` with what was given."""
    if target not in TRANSITIONS.get(state, ()):
        raise DomainError(f"Pengaduan berstatus {state} tidak dapat diubah menjadi {target}.")
    if target == "dijawab" and not answer.strip():
        raise DomainError("Tulis jawaban untuk pelapor.", field="answer")
    if target == "ditolak" and not rejection:
        raise DomainError("Pilih alasan penolakan.", field="rejection")


def reached(state: str, first_response_on, resolved_on, today: datetime.date):
    """(first_response_on, resolved_on) after moving to `state` today: each set once."""
    if first_response_on is None and state in RESPONDED:
        first_response_on = today
    if resolved_on is None and state in RESOLVED:
        resolved_on = today
    return first_response_on, resolved_on


# --- Working days (the working calendar of field.md §1) ------------------------------------

DEFAULT_CALENDAR = calendar.Calendar()


def days_left(cal, today: datetime.date, due: datetime.date) -> int:
    """Working days from `today` until `due`; negative, the working days it is overdue. Any
    day after the due day is overdue, a Saturday after a Friday due day too: at least -1."""
    if today <= due:
        return calendar.working_days_between(cal, today, due)
    return -max(1, calendar.working_days_between(cal, due, today))


@dataclass(frozen=True)
class Clock:
    label: str
    due: datetime.date
    done_on: datetime.date | None
    days_left: int          # working days until due (negative: late), counted to today or done

    @property
    def late(self) -> bool:
        return self.days_left < 0

    @property
    def warning(self) -> bool:
        return self.done_on is None and 0 <= self.days_left <= WARN_DAYS

    @property
    def status(self) -> str:
        if self.done_on is not None:
            return "terlambat" if self.late else "tepat waktu"
        if self.late:
            return "terlambat"
        return "hampir habis" if self.warning else "berjalan"


def clocks(received_on, first_response_on, resolved_on, today, first_days: int,
           resolution_days: int, cal=DEFAULT_CALENDAR) -> tuple[Clock, Clock]:
    """The first-response and the resolution clock of a complaint, on the unit's calendar."""
    result = []
    for label, days, done in (("Tanggapan pertama", first_days, first_response_on),
                              ("Penyelesaian", resolution_days, resolved_on)):
        due = calendar.add_working_days(cal, received_on, days)
        result.append(Clock(label, due, done, days_left(cal, done or today, due)))
    return result[0], result[1]


def urgency(clock_pair: tuple[Clock, Clock], state: str) -> tuple:
    """Sort key of the inbox: open complaints first, the nearest (or most overdue) clock first."""
    if state not in OPEN_STATES and state != "dijawab":
        return (2, 0)
    running = [c.days_left for c in clock_pair if c.done_on is None]
    return (0 if running else 1, min(running) if running else 0)


# --- Figures --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figures:
    received: int
    responded_on_time_pct: float | None
    resolved_on_time_pct: float | None
    median_days_to_response: float | None
    median_days_to_resolution: float | None


def figures(rows, today) -> Figures:
    """Figures of complaints given as (received_on, first_response_on, resolved_on,
    first_days, resolution_days, the unit's working calendar). A percentage counts the complaints whose clock is decided:
    done, or run out; one still running within its time counts neither way."""
    responded = [0, 0]
    resolved = [0, 0]
    to_response, to_resolution = [], []
    for received_on, first_on, resolved_on, first_days, resolution_days, cal in rows:
        first, final = clocks(received_on, first_on, resolved_on, today, first_days,
                              resolution_days, cal)
        for clock, tally, spans, done in ((first, responded, to_response, first_on),
                                          (final, resolved, to_resolution, resolved_on)):
            if done is not None:
                tally[1] += 1
                tally[0] += 0 if clock.late else 1
                spans.append(calendar.working_days_between(cal, received_on, done))
            elif clock.late:
                tally[1] += 1

    def pct(tally):
        return round(100 * tally[0] / tally[1], 2) if tally[1] else None

    def median(values):
        return float(statistics.median(values)) if values else None

    return Figures(len(rows), pct(responded), pct(resolved), median(to_response),
                   median(to_resolution))
