"""The public side: finding a service unit by its poster code, storing a complaint with the
SKM's defences (signed one-use stamp, honeypot, minimum fill time, per-address and per-unit
limits counted in the database, flag-and-review), and the tracking page's one read.

The submit path runs one query for the unit, two capped indexed counts and the INSERTs;
nothing grows with the number of stored complaints (bench/bench_complaints.py)."""
import datetime
import secrets
from pathlib import Path

from peewee import JOIN, IntegrityError

from ... import clock
from ...models import (
    Complaint, ComplaintDesk, ComplaintPhoto, Service, ServiceUnit, Unit, db,
    utcnow,
)
from ...rules import calendar
from ...rules import complaints as rules
from ...rules.survey_fairness import Limits, flag_reasons, flag_text, refused
from ..calendar import calendars_for_units
from ..survey.intake import Stamp, client_hash, issue_stamp, read_stamp  # noqa: F401  (the same stamps)

RECORDED, REPEAT, REFUSED = "recorded", "repeat", "refused"


def limits_from(config) -> Limits:
    """Complaints are rarer than questionnaires: tighter limits than the SKM's."""
    return Limits(
        min_seconds=int(config.get("COMPLAINT_MIN_SECONDS", 10)),
        window_minutes=int(config.get("COMPLAINT_WINDOW_MINUTES", 60)),
        per_address=int(config.get("COMPLAINT_MAX_PER_ADDRESS", 5)),
        per_unit=int(config.get("COMPLAINT_MAX_PER_UNIT", 100)),
        hard_per_address=int(config.get("COMPLAINT_HARD_MAX_PER_ADDRESS", 30)))


def unit_calendar(unit_id, received_on: datetime.date):
    """The working calendar a complaint's clocks run on: its unit's, with the holidays of the
    year it was received and the next (a December complaint is due in January)."""
    year = received_on.year
    return calendars_for_units([unit_id], year, years=[year, year + 1])[unit_id]


def find_service_unit(code: str) -> ServiceUnit | None:
    """An active service unit by its public code, with its OPD unit: one query."""
    if not isinstance(code, str) or len(code) > 40:
        return None
    return (ServiceUnit.select(ServiceUnit, Unit).join(Unit)
            .where((ServiceUnit.code == code) & ServiceUnit.active).first())


def active_units(q: str = "") -> list[ServiceUnit]:
    query = ServiceUnit.select(ServiceUnit, Unit).join(Unit).where(ServiceUnit.active)
    if q:
        query = query.where(ServiceUnit.name.contains(q) | Unit.name.contains(q))
    return list(query.order_by(ServiceUnit.name))


def active_services(su) -> list[Service]:
    return list(Service.select().where((Service.service_unit == su) & Service.active)
                .order_by(Service.name))


def _photo_folder(upload_dir: str) -> Path:
    return Path(upload_dir) / "complaints"


def photo_path(upload_dir: str, photo) -> Path | None:
    folder = _photo_folder(upload_dir).resolve()
    path = (folder / photo.stored_name).resolve()
    if not photo.stored_name or not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


# Both capped counts in one statement: the submit path is benchmarked (bench_complaints).
_RECENT_SQL = (
    "SELECT (SELECT count(*) FROM (SELECT 1 FROM complaint WHERE client_hash = %(p)s"
    " AND received_at >= %(p)s LIMIT %(p)s) AS a),"
    " (SELECT count(*) FROM (SELECT 1 FROM complaint WHERE filed_unit_id = %(p)s"
    " AND received_at >= %(p)s LIMIT %(p)s) AS u)")


def _recent(address_hash, unit_id, since, limits: Limits) -> tuple[int, int]:
    """Complaints from this address and to this unit since then, each counted to its cap."""
    sql = _RECENT_SQL % {"p": db.param}
    return tuple(db.execute_sql(sql, (address_hash, since, limits.hard_per_address, unit_id,
                                      since, limits.per_unit)).fetchone())


def record(su, details: dict, photos: list, *, stamp: Stamp, honeypot: str, address_hash: str,
           limits: Limits, upload_dir: str) -> tuple[str, str | None]:
    """Store a complaint; (RECORDED, its code), (REPEAT, the code it got the first time) or
    (REFUSED, None). `photos` are (extension, mime, bytes) already checked by content."""
    now = utcnow()
    since = now - datetime.timedelta(minutes=limits.window_minutes)
    address_count, unit_count = _recent(address_hash, su.id, since, limits)
    if refused(limits, address_count):
        return REFUSED, None
    fill_seconds = stamp.seconds_since(now)
    reasons = flag_reasons(limits, honeypot=honeypot, fill_seconds=fill_seconds,
                           address_count=address_count, unit_count=unit_count)
    folder = _photo_folder(upload_dir)
    stored = []
    if photos:
        folder.mkdir(parents=True, exist_ok=True)
    try:
        for ext, mime, data in photos:
            name = f"{secrets.token_hex(16)}.{ext}"
            with open(folder / name, "xb") as fh:
                fh.write(data)
            stored.append((name, mime, len(data)))
        with db.atomic():
            code = rules.new_code()
            # Its receipt is `received_at`: the history begins there, with no event row.
            complaint_id = Complaint.insert(
                code=code, service_unit=su.id, filed_unit=su.id, received_at=now,
                received_on=clock.today(), updated_at=now, flagged=bool(reasons),
                flag_reason=flag_text(reasons), client_hash=address_hash,
                submission_token=stamp.token, fill_seconds=max(0, min(fill_seconds, 10 ** 6)),
                **details).execute()
            for name, mime, size in stored:
                ComplaintPhoto.insert(complaint=complaint_id, stored_name=name, mime=mime,
                                      size=size).execute()
    except IntegrityError:
        for name, _, _ in stored:
            (folder / name).unlink(missing_ok=True)
        earlier = Complaint.get_or_none(Complaint.submission_token == stamp.token)
        if earlier is not None:
            return REPEAT, earlier.code
        raise
    except Exception:
        for name, _, _ in stored:
            (folder / name).unlink(missing_ok=True)
        raise
    return RECORDED, code


def tracked(code) -> dict | None:
    """What the public tracking page shows of one complaint: its status, dates and the
    unit's answer, never the contact, the notes or anything of another complaint."""
    code = rules.normalise_code(code)
    if code is None:
        return None
    row = (Complaint.select(Complaint.code, Complaint.state, Complaint.received_on,
                            Complaint.first_response_on, Complaint.resolved_on, Complaint.answer,
                            Complaint.rejection, Complaint.updated_at, ServiceUnit.name.alias("unit"),
                            ServiceUnit.unit.alias("unit_id"),
                            ComplaintDesk.first_response_days, ComplaintDesk.resolution_days)
           .join(ServiceUnit, on=(Complaint.service_unit == ServiceUnit.id))
           .join(ComplaintDesk, join_type=JOIN.LEFT_OUTER,
                 on=(ComplaintDesk.service_unit == ServiceUnit.id))
           .where(Complaint.code == code).dicts().first())
    if row is None:
        return None
    first_days = row["first_response_days"] or rules.DEFAULT_FIRST_RESPONSE_DAYS
    resolution_days = row["resolution_days"] or rules.DEFAULT_RESOLUTION_DAYS
    cal = unit_calendar(row["unit_id"], row["received_on"])
    row["first_due"] = calendar.add_working_days(cal, row["received_on"], first_days)
    row["resolution_due"] = calendar.add_working_days(cal, row["received_on"], resolution_days)
    return row
