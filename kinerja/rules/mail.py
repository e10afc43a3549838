"""Email rules without a database: what an address must look like, when a failed message is
tried again, and on which days before the SKP deadline a reminder goes out."""
import datetime
import re

# Days before the year's SKP approval deadline on which an employee without an approved
# SKP is reminded.
REMINDER_DAYS = (14, 7, 1)
MAX_LENGTH = 254
# Deliberately plain: one @, a dot in the domain, no spaces or angle brackets. Whether the
# mailbox exists is what the verification link finds out.
_ADDRESS = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def normalise_address(text: str | None) -> str:
    """Trimmed, the domain in lower case (the part before @ is the mailbox owner's)."""
    text = (text or "").strip()
    if "@" not in text:
        return text
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def address_problem(address: str) -> str | None:
    """Why an address cannot be used, in the user's words; None when it can."""
    if len(address) > MAX_LENGTH:
        return f"Alamat email terlalu panjang (maksimal {MAX_LENGTH} karakter)."
    if not _ADDRESS.match(address) or ".." in address:
        return "Alamat email tidak sah. Contoh: nama@sukamajukab.go.id"
    return None


def retry_delay(attempts: int, base_minutes: int) -> datetime.timedelta:
    """How long after its `attempts`-th failure a message is tried again: 1, 2, 4, 8 … times
    the base, at most a day."""
    return datetime.timedelta(minutes=min(base_minutes * 2 ** max(attempts - 1, 0), 24 * 60))


# Days before an objection window closes that the employee is reminded.
OBJECTION_REMINDER_DAYS = (3, 1)


# Days before an evaluation period ends that an employee who has not submitted its evaluation
# is reminded: the day the Beranda shows as the period's "sampai".
EVALUATION_REMINDER_DAYS = (7, 1)


def periods_closing(today: datetime.date, periods) -> dict[int, list]:
    """{days left: the periods ending that many days after today} for the reminder days."""
    result: dict[int, list] = {}
    for days in EVALUATION_REMINDER_DAYS:
        ending = [p for p in periods if p.ends == today + datetime.timedelta(days=days)]
        if ending:
            result[days] = ending
    return result


def reminder_dates(today: datetime.date) -> dict[datetime.date, int]:
    """{deadline: days left} of the deadlines a reminder is due for today."""
    return {today + datetime.timedelta(days=days): days for days in REMINDER_DAYS}


def daily_due(now: datetime.datetime, hour: int, last_run: str | None) -> bool:
    """Whether today's digests and reminders are due: the hour has come and they have not
    run today (a worker that was down at that hour catches up when it starts)."""
    return now.hour >= hour and last_run != now.date().isoformat()
