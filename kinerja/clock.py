"""The one clock of the app: today's date and the time in the regency's time zone.

Every "today", deadline and stored timestamp comes from here, so that a test (or a demo built
for another day) can move the whole app in time in one place, and a regency in Bali or Papua
works in its own zone. The zone is a setting (TIMEZONE); timestamps are stored as naive UTC.
"""
import datetime
import zoneinfo

DEFAULT_ZONE = "Asia/Jakarta"
# Indonesia's three zones by their UTC offset in hours, as people name them.
ZONE_LABELS = {7: "WIB", 8: "WITA", 9: "WIT"}

_zone: zoneinfo.ZoneInfo = zoneinfo.ZoneInfo(DEFAULT_ZONE)
# How far the app's clock stands from the machine's; zero except when a test moves it.
_offset = datetime.timedelta(0)


def configure(zone_name: str | None) -> None:
    global _zone
    _zone = zoneinfo.ZoneInfo(zone_name or DEFAULT_ZONE)


def zone() -> zoneinfo.ZoneInfo:
    return _zone


def zone_label(moment: datetime.datetime | None = None) -> str:
    """WIB, WITA or WIT; the zone's own abbreviation for a zone outside Indonesia."""
    moment = moment or now()
    offset = moment.utcoffset() or datetime.timedelta(0)
    return ZONE_LABELS.get(offset.total_seconds() / 3600) or moment.tzname() or "UTC"


def now() -> datetime.datetime:
    """The time in the regency, aware of its zone."""
    return (datetime.datetime.now(datetime.timezone.utc) + _offset).astimezone(_zone)


def today() -> datetime.date:
    return now().date()


def utcnow() -> datetime.datetime:
    """The current instant as naive UTC, the way timestamps are stored."""
    return (datetime.datetime.now(datetime.timezone.utc) + _offset).replace(tzinfo=None)


def to_local(stored: datetime.datetime) -> datetime.datetime:
    """A stored naive-UTC timestamp in the regency's zone."""
    return stored.replace(tzinfo=datetime.timezone.utc).astimezone(_zone)


def travel_to(moment: datetime.datetime | datetime.date) -> None:
    """Move the app's clock so that it reads `moment` now and runs on from there (tests, demo).

    A date means 10.00 in the regency on that day.
    """
    global _offset
    if not isinstance(moment, datetime.datetime):
        moment = datetime.datetime.combine(moment, datetime.time(10, 0))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone)
    _offset = moment - datetime.datetime.now(datetime.timezone.utc)


def reset() -> None:
    global _offset
    _offset = datetime.timedelta(0)
