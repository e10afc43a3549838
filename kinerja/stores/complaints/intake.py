"""The public side: finding a service unit by its poster code, storing a complaint with the
SKM's defences (signed one-use stamp, honeypot, minimum fill time, per-address and per-unit
limits counted in the database, flag-and-review), and the tracking page's one read.

The submit path runs one query for the unit with its services, one for both capped counts,
and the INSERT; nothing grows with the number of stored complaints (bench/bench_complaints.py).
Those three statements are written in SQL here, once: on the benchmark machine peewee takes
about a millisecond to compose each of them, several times what SQLite takes to run them,
and a complaint POST must stay well under 5 ms (200 a second in one process) although its
commit waits for an fsync of its own."""
import datetime
import os
import secrets
from pathlib import Path

from peewee import JOIN, IntegrityError

from ... import clock
from ...models import (
    Complaint, ComplaintDesk, ComplaintPhoto, ServiceUnit, Unit, db,
    utcnow,
)
from ...rules import calendar
from ...rules import complaints as rules
from ...rules.survey_fairness import Limits, flag_reasons, flag_text, refused
from ..calendar import calendars_for_units
from ..survey.intake import Stamp, client_hash, issue_stamp, read_stamp  # noqa: F401  (the same stamps)
from ..written_once import insert

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


# The unit of a poster code with its OPD unit, one row per active service (a unit without
# any: one row, its service columns NULL).
_UNIT_SQL = (
    'SELECT su.id, su.code, su.name, su.period_kind, su.kiosk_token, su.unit_id,'
    ' u.code, u.name, u.parent_id, u.path, u.active, s.id, s.name'
    ' FROM service_unit AS su JOIN unit AS u ON u.id = su.unit_id'
    ' LEFT JOIN service AS s ON s.service_unit_id = su.id AND s.active'
    ' WHERE su.code = %(p)s AND su.active ORDER BY s.name')


def _loaded(model, **values):
    """A model instance as peewee makes one from a row it read (nothing marked changed)."""
    instance = model(__no_default__=1, **values)
    instance._dirty.clear()
    return instance


def find_unit_and_services(code: str) -> tuple[ServiceUnit, list[tuple[int, str]]] | None:
    """An active service unit by its public code, with its OPD unit (`su.unit`), and the
    (id, name) of its active services by name: one query, as it runs on every submission."""
    if not isinstance(code, str) or len(code) > 40:
        return None
    rows = db.execute_sql(_UNIT_SQL % {"p": db.param}, (code,)).fetchall()
    if not rows:
        return None
    (su_id, su_code, su_name, period_kind, kiosk_token, unit_id,
     unit_code, unit_name, parent_id, path, unit_active, _, _) = rows[0]
    unit = _loaded(Unit, id=unit_id, code=unit_code, name=unit_name, parent=parent_id, path=path,
                   active=bool(unit_active))
    su = _loaded(ServiceUnit, id=su_id, code=su_code, name=su_name, unit=unit,
                 period_kind=period_kind, kiosk_token=kiosk_token, active=True)
    services = [(row[11], row[12]) for row in rows if row[11] is not None]
    return su, services


def active_units(q: str = "") -> list[ServiceUnit]:
    query = ServiceUnit.select(ServiceUnit, Unit).join(Unit).where(ServiceUnit.active)
    if q:
        query = query.where(ServiceUnit.name.contains(q) | Unit.name.contains(q))
    return list(query.order_by(ServiceUnit.name))


def _photo_folder(upload_dir: str) -> Path:
    return Path(upload_dir) / "complaints"


def photo_path(upload_dir: str, photo) -> Path | None:
    folder = _photo_folder(upload_dir).resolve()
    path = (folder / photo.stored_name).resolve()
    if not photo.stored_name or not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


# Both capped counts in one statement: the submit path is benchmarked (bench_complaints).
_ADDRESS_RECENT = ("(SELECT count(*) FROM (SELECT 1 FROM complaint WHERE client_hash = %(p)s"
                   " AND received_at >= %(p)s LIMIT %(p)s) AS a)")
_UNIT_RECENT = ("(SELECT count(*) FROM (SELECT 1 FROM complaint WHERE filed_unit_id = %(p)s"
                " AND received_at >= %(p)s LIMIT %(p)s) AS u)")


def _from_address(address_hash, since, limits: Limits) -> int:
    """Complaints from this address since then, counted to its hard cap."""
    sql = f"SELECT {_ADDRESS_RECENT}" % {"p": db.param}
    return db.execute_sql(sql, (address_hash, since, limits.hard_per_address)).fetchone()[0]


def _recent(address_hash, unit_id, since, limits: Limits) -> tuple[int, int]:
    """Complaints from this address and to this unit since then, each counted to its cap."""
    sql = f"SELECT {_ADDRESS_RECENT}, {_UNIT_RECENT}" % {"p": db.param}
    return tuple(db.execute_sql(sql, (address_hash, since, limits.hard_per_address, unit_id,
                                      since, limits.per_unit)).fetchone())


# A new code is drawn when the one drawn is already taken (25^10 codes: once in billions).
CODE_ATTEMPTS = 3


def _store_photos(folder: Path, photos: list, stored: list) -> None:
    """Write each photo under a random name, on disk before the complaint that names it is
    committed: a complaint that survives a power cut keeps its photos too."""
    if not photos:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for ext, mime, data in photos:
        name = f"{secrets.token_hex(16)}.{ext}"
        with open(folder / name, "xb") as fh:
            stored.append((name, mime, len(data)))
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)     # the new names themselves
    finally:
        os.close(directory)


def record(su, details: dict, photos: list, *, stamp: Stamp, honeypot: str, address_hash: str,
           limits: Limits, upload_dir: str) -> tuple[str, str | None]:
    """Store a complaint; (RECORDED, its code), (REPEAT, the code it got the first time) or
    (REFUSED, None). `photos` are (extension, mime, bytes) already checked by content.

    The commit waits for the disk (the database's synchronous FULL, unlike the SKM's
    anonymous answers): the citizen is given the tracking code only once the complaint
    would survive a power cut."""
    now = utcnow()
    since = now - datetime.timedelta(minutes=limits.window_minutes)
    # An address already past its limit is turned away before its photos are written and
    # without queueing for the write lock; the counts that decide are taken again under it.
    if refused(limits, _from_address(address_hash, since, limits)):
        return _refused_or_repeat(stamp)
    fill_seconds = stamp.seconds_since(now)
    folder = _photo_folder(upload_dir)
    stored = []
    try:
        _store_photos(folder, photos, stored)
        for attempt in range(1, CODE_ATTEMPTS + 1):
            code = rules.new_code()
            try:
                with db.atomic():
                    # Under the write lock: two complaints from one address at the same
                    # instant cannot both slip under its limit.
                    address_count, unit_count = _recent(address_hash, su.id, since, limits)
                    if refused(limits, address_count):
                        # The same form sent twice, the first copy the last one allowed: its
                        # code, as for any double tap.
                        _remove(folder, stored)
                        return _refused_or_repeat(stamp)
                    reasons = flag_reasons(limits, honeypot=honeypot, fill_seconds=fill_seconds,
                                           address_count=address_count, unit_count=unit_count)
                    # Its receipt is `received_at`: the history begins there, with no event row.
                    complaint_id = insert(Complaint, dict(
                        details, code=code, service_unit=su.id, filed_unit=su.id,
                        received_at=now, received_on=clock.to_local(now).date(), updated_at=now,
                        flagged=bool(reasons), flag_reason=flag_text(reasons),
                        client_hash=address_hash, submission_token=stamp.token,
                        fill_seconds=max(0, min(fill_seconds, 10 ** 6))))
                    for name, mime, size in stored:
                        ComplaintPhoto.insert(complaint=complaint_id, stored_name=name, mime=mime,
                                              size=size).execute()
                return RECORDED, code
            except IntegrityError:
                earlier = Complaint.get_or_none(Complaint.submission_token == stamp.token)
                if earlier is not None:
                    _remove(folder, stored)
                    return REPEAT, earlier.code
                taken = Complaint.select().where(Complaint.code == code).exists()
                if not taken or attempt == CODE_ATTEMPTS:
                    raise
    except Exception:
        _remove(folder, stored)
        raise


def _refused_or_repeat(stamp: Stamp) -> tuple[str, str | None]:
    earlier = Complaint.get_or_none(Complaint.submission_token == stamp.token)
    return (REPEAT, earlier.code) if earlier is not None else (REFUSED, None)


def _remove(folder: Path, stored: list) -> None:
    for name, _, _ in stored:
        (folder / name).unlink(missing_ok=True)


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
