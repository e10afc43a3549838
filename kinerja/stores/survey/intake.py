"""Taking in an online response: finding the service unit of a public address, the signed
form stamp, the kiosk cookie, the counts behind fair counting, and the one short
transaction that stores the response.

The submit path runs one query for the unit and its open period, one statement holding
both capped, indexed counts, and one INSERT; nothing in it grows with the number of stored responses, so a
flood cannot slow down the staff pages. Keep it so (it is benchmarked: bench_survey).

The INSERT also adds the response to its period's running sums: SQL triggers on
survey_response keep the `survey_tally` table (migration 0005, see stats.py) in the same
transaction. Nothing here writes that table.
"""
import datetime
import hashlib
import hmac
import secrets
from contextlib import contextmanager
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from peewee import JOIN, IntegrityError, SqliteDatabase

from ... import clock
from ...models import (
    SQLITE_PRAGMAS, OneWriter, Service, ServiceUnit, SurveyPeriod, SurveyResponse, Unit, db, utcnow,
)
from ...rules.survey_fairness import Limits, flag_reasons, flag_text, refused
from ..written_once import insert, select

STAMP_MAX_AGE = 24 * 3600        # a form left open longer is sent back with a fresh stamp
KIOSK_COOKIE = "skm_kios"
KIOSK_MAX_AGE = 365 * 24 * 3600


def limits_from(config) -> Limits:
    base = Limits()
    return Limits(
        min_seconds=int(config.get("SURVEY_MIN_SECONDS", base.min_seconds)),
        window_minutes=int(config.get("SURVEY_WINDOW_MINUTES", base.window_minutes)),
        per_address=int(config.get("SURVEY_MAX_PER_ADDRESS", base.per_address)),
        per_unit=int(config.get("SURVEY_MAX_PER_UNIT", base.per_unit)),
        hard_per_address=int(config.get("SURVEY_HARD_MAX_PER_ADDRESS", base.hard_per_address)))


# --- The service unit of a public address ----------------------------------------------------

def _unit_of_code(code):
    return (ServiceUnit.select(ServiceUnit, Unit, SurveyPeriod).join(Unit).switch(ServiceUnit)
            .join(SurveyPeriod, JOIN.LEFT_OUTER, attr="open_period",
                  on=(SurveyPeriod.service_unit == ServiceUnit.id) & SurveyPeriod.is_open)
            .where(ServiceUnit.code == code).order_by(SurveyPeriod.starts.desc()).limit(1))


def find_service_unit(code: str) -> ServiceUnit | None:
    """The service unit of the URL, with its OPD unit and `open_period` (None when closed):
    one query, composed once, as it runs on every submission."""
    if len(code) > 40 or "\x00" in code:
        return None
    found = select(_unit_of_code, code)
    return found[0] if found else None


def open_period(su: ServiceUnit) -> SurveyPeriod | None:
    """The period taking answers, of a unit found by `find_service_unit`."""
    return su.open_period if su.active else None


def _services_of_code(code):
    return (Service.select(Service).join(ServiceUnit)
            .where((ServiceUnit.code == code) & Service.active).order_by(Service.name))


def active_services(su: ServiceUnit) -> list[Service]:
    """The services a citizen chooses from: composed once, as it runs on every submission."""
    return select(_services_of_code, su.code)


def open_units(q: str = "") -> list[tuple[Unit, list[ServiceUnit]]]:
    """[(OPD, its service units taking answers)], by name; `q` narrows by unit or OPD name."""
    taking = SurveyPeriod.select(SurveyPeriod.service_unit).where(SurveyPeriod.is_open)
    query = (ServiceUnit.select(ServiceUnit, Unit).join(Unit)
             .where(ServiceUnit.active & ServiceUnit.id.in_(taking)))
    if q:
        query = query.where(ServiceUnit.name.contains(q) | Unit.name.contains(q))
    opds = {u.id: u for u in Unit.select().where(Unit.parent.is_null())}
    groups: dict[int, list] = {}
    for su in query.order_by(ServiceUnit.name):
        groups.setdefault(su.unit.opd_id, []).append(su)
    return sorted(((opds.get(k, v[0].unit), v) for k, v in groups.items()),
                  key=lambda pair: pair[0].name)


# --- The form stamp: when the form was rendered, and its one-time submission token ----------

class _ClockSigner(TimestampSigner):
    """Dates a stamp by the app's clock, the one the time to fill is measured against."""
    def get_timestamp(self) -> int:
        return int(clock.utcnow().replace(tzinfo=datetime.timezone.utc).timestamp())


def _stamps(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="skm-formulir", signer=_ClockSigner)


def issue_stamp(secret: str, service_unit_id: int) -> str:
    return _stamps(secret).dumps({"s": service_unit_id, "t": secrets.token_urlsafe(16)})


@dataclass(frozen=True)
class Stamp:
    token: str
    issued: datetime.datetime

    def seconds_since(self, now: datetime.datetime) -> int:
        return int((now - self.issued).total_seconds())


def read_stamp(secret: str, text: str | None, service_unit_id: int) -> Stamp | None:
    """The stamp of a form of this unit, or None if missing, forged, expired or foreign."""
    if not text or len(text) > 200:
        return None
    try:
        payload, issued = _stamps(secret).loads(text, max_age=STAMP_MAX_AGE, return_timestamp=True)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(payload, dict) or payload.get("s") != service_unit_id \
            or not isinstance(payload.get("t"), str):
        return None
    return Stamp(payload["t"], issued.astimezone(datetime.timezone.utc).replace(tzinfo=None))


# --- Kiosk: a counter tablet carries a signed cookie naming its unit -------------------------

def _kiosks(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="skm-kios", signer=_ClockSigner)


def _fingerprint(kiosk_token: str) -> str:
    # Changing the unit's kiosk token on the staff side retires every tablet's cookie.
    return hashlib.sha256(kiosk_token.encode()).hexdigest()[:16]


def kiosk_token_matches(service_unit, offered: str | None) -> bool:
    return bool(service_unit.kiosk_token) and bool(offered) and hmac.compare_digest(
        service_unit.kiosk_token.encode(), offered.encode())


def kiosk_cookie(secret: str, service_unit) -> str:
    return _kiosks(secret).dumps({"s": service_unit.id, "f": _fingerprint(service_unit.kiosk_token)})


def is_kiosk(secret: str, service_unit, cookie: str | None) -> bool:
    if not cookie or not service_unit.kiosk_token or len(cookie) > 300:
        return False
    try:
        payload = _kiosks(secret).loads(cookie, max_age=KIOSK_MAX_AGE)
    except BadSignature:
        return False
    return isinstance(payload, dict) and payload.get("s") == service_unit.id \
        and payload.get("f") == _fingerprint(service_unit.kiosk_token)


def client_hash(secret: str, address: str) -> str:
    """A keyed hash of the address: the address itself is never stored."""
    return hmac.new(f"skm-alamat:{secret}".encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


# --- Storing --------------------------------------------------------------------------------

RECORDED, REPEAT, REFUSED = "recorded", "repeat", "refused"


# Each count stops at its cap. Written once (see written_once.py); a kiosk has no address.
_UNIT_RECENT = ("(SELECT count(*) FROM (SELECT 1 FROM survey_response WHERE service_unit_id = %(p)s"
                " AND submitted_at >= %(p)s LIMIT %(p)s) AS u)")
_ADDRESS_RECENT = ("(SELECT count(*) FROM (SELECT 1 FROM survey_response WHERE client_hash = %(p)s"
                   " AND submitted_at >= %(p)s LIMIT %(p)s) AS a)")


def _recent(address_hash, unit_id, since: datetime.datetime, limits: Limits) -> tuple:
    """(responses from this address or None for a kiosk, responses to this unit) since then."""
    since = SurveyResponse.submitted_at.db_value(since)
    if address_hash is None:
        sql = f"SELECT {_UNIT_RECENT}" % {"p": db.param}
        return None, db.execute_sql(sql, (unit_id, since, limits.per_unit)).fetchone()[0]
    sql = f"SELECT {_ADDRESS_RECENT}, {_UNIT_RECENT}" % {"p": db.param}
    return tuple(db.execute_sql(sql, (address_hash, since, limits.hard_per_address,
                                      unit_id, since, limits.per_unit)).fetchone())


def _from_address(address_hash, since: datetime.datetime, limits: Limits) -> int:
    """Responses from this address since then, counted to its hard cap."""
    sql = f"SELECT {_ADDRESS_RECENT}" % {"p": db.param}
    return db.execute_sql(sql, (address_hash, SurveyResponse.submitted_at.db_value(since),
                                limits.hard_per_address)).fetchone()[0]


@contextmanager
def _commit_without_fsync():
    """One transaction committed without waiting for the disk (SQLite WAL: synchronous
    NORMAL; PostgreSQL: synchronous_commit off), for this transaction only. A power cut may
    lose the last few anonymous responses but never damages the database; waiting ~6 ms per
    response for fsync would let a flood of answers hold up every staff member's commit
    behind it."""
    if isinstance(db.obj, SqliteDatabase):
        db.execute_sql("PRAGMA synchronous = NORMAL")
        try:
            with db.atomic():
                yield
        finally:
            db.execute_sql(f"PRAGMA synchronous = {SQLITE_PRAGMAS['synchronous']}")
    elif isinstance(db.obj, OneWriter):
        with db.obj.unsynced(), db.atomic():
            yield
    else:
        with db.atomic():
            yield


def _sent(stamp: Stamp) -> bool:
    """This form (its one-use stamp) is already stored."""
    return SurveyResponse.select().where(SurveyResponse.submission_token == stamp.token).exists()


def record(service_unit, period, answers: dict, *, stamp: Stamp, honeypot: str,
           address_hash: str | None, kiosk: bool, limits: Limits) -> str:
    """Store one online response; RECORDED, REPEAT (this form was already sent) or REFUSED."""
    now = utcnow()
    since = now - datetime.timedelta(minutes=limits.window_minutes)
    address = None if kiosk else address_hash
    # An address already past its limit is turned away without queueing for the write lock;
    # the counts that decide are taken again under it.
    if address is not None and refused(limits, _from_address(address, since, limits)):
        return REPEAT if _sent(stamp) else REFUSED
    fill_seconds = stamp.seconds_since(now)
    try:
        with _commit_without_fsync():
            # Under the write lock the transaction took first: two answers from one address
            # at the same instant cannot both slip under its limit.
            address_count, unit_count = _recent(address, service_unit.id, since, limits)
            if address_count is not None and refused(limits, address_count):
                # The same form sent twice, the first copy the last one allowed: it is in.
                return REPEAT if _sent(stamp) else REFUSED
            reasons = flag_reasons(limits, honeypot=honeypot, fill_seconds=fill_seconds,
                                   address_count=address_count, unit_count=unit_count)
            insert(SurveyResponse, dict(
                answers, service_unit=service_unit.id, period=period.id, submitted_at=now,
                source="kiosk" if kiosk else "online", status="flagged" if reasons else "valid",
                flag_reason=flag_text(reasons), client_hash=address,
                submission_token=stamp.token, fill_seconds=max(0, min(fill_seconds, 10 ** 6))))
    except IntegrityError:
        if _sent(stamp):
            return REPEAT
        raise
    return RECORDED
