"""The database and every model. Query helpers live here as classmethods; no request code."""
import datetime
import json
import threading
from contextlib import contextmanager

from peewee import (
    JOIN, SQL, __exception_wrapper__,
    BooleanField, CharField, DatabaseProxy, DateField, DateTimeField, DecimalField, ForeignKeyField,
    IntegerField, Model, PostgresqlDatabase, TextField, TimeField, fn,
)
from playhouse.pool import PooledPostgresqlDatabase

from . import clock
from .rules.evaluation import CADENCES, EDITABLE_STATES, SLUGS, WITH_PREDIKAT

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,  # FULL: a confirmed approval survives a power cut
    "busy_timeout": 5000,
    "cache_size": -32000,
}


def connect_url(url: str, pool_size: int = 0):
    """Bind the models to DATABASE_URL (see database_for)."""
    database = database_for(url, pool_size)
    db.initialize(database)
    return database


def database_for(url: str, pool_size: int = 0):
    """The database object for a URL, unbound: SQLite with our pragmas, PostgreSQL through
    psycopg 3 (with a pool of `pool_size` connections per process when it is not 0), else
    what db_url gives."""
    from playhouse.db_url import connect
    if url.startswith("sqlite:///"):
        from peewee import SqliteDatabase
        # Every transaction takes the write lock when it begins: a store re-reads state
        # inside its transaction before writing, and a deferred transaction whose snapshot
        # went stale meanwhile (another worker committed) could not write at all — SQLite
        # answers "database is locked" at once, whatever the busy timeout. Reads run
        # outside transactions, so only writers queue for the lock.
        database = SqliteDatabase(url[len("sqlite:///"):], pragmas=SQLITE_PRAGMAS,
                                  lock_type="IMMEDIATE")
    elif url.startswith(("postgresql://", "postgres://")):
        # psycopg 3 (requirements.in), also where an old psycopg2 happens to be installed.
        # A socket directory goes in the query: postgresql://user@/kinerja?host=/run/postgresql
        from playhouse.db_url import parse
        if pool_size:
            # A new PostgreSQL connection forks a server process and, over TCP, runs a
            # SCRAM exchange: a few milliseconds that every request would pay. The pool
            # keeps them; one that sat unused for 5 minutes is reopened.
            database = PooledOneWriterPostgresqlDatabase(
                **parse(url), prefer_psycopg3=True, max_connections=pool_size,
                stale_timeout=300, timeout=10)
        else:
            database = OneWriterPostgresqlDatabase(**parse(url), prefer_psycopg3=True)
    else:
        database = connect(url)
    return database


class OneWriter:
    """PostgreSQL with SQLite's write discipline: every transaction first takes one
    transaction-scoped advisory lock, so writers queue one at a time across all app servers
    while readers never wait. The stores re-read and re-check state inside their transaction
    (stores/__init__.py); under PostgreSQL's READ COMMITTED two supervisors could otherwise
    both read "diajukan" and both approve. One lock taken first in every transaction also
    cannot deadlock, and it keeps per-address counts (login throttling, survey limits)
    exact. Write transactions last milliseconds; the survey benchmark measures the cost."""
    WRITE_LOCK = 0x4B696E  # "Kin": any constant no other application on the server uses
    _unsynced = threading.local()

    def begin(self, isolation_level=None):
        level = self._isolation_level if isolation_level is None else isolation_level
        begin = (f"BEGIN TRANSACTION ISOLATION LEVEL {self._adapter.isolation_level_str(level)}"
                 if level else "BEGIN")
        lock = f"SELECT pg_advisory_xact_lock({self.WRITE_LOCK:d})"
        if getattr(self._unsynced, "on", False):
            lock += ", set_config('synchronous_commit', 'off', true)"
        # One round trip instead of two (three): a statement without parameters goes as a
        # simple query, which may hold several.
        with __exception_wrapper__:
            self.cursor().execute(f"{begin}; {lock}")

    @contextmanager
    def unsynced(self):
        """Transactions begun inside commit without waiting for the WAL to reach the disk
        (synchronous_commit off): see survey intake. A savepoint inside a transaction
        already begun keeps that transaction's setting."""
        before = getattr(self._unsynced, "on", False)
        self._unsynced.on = True
        try:
            yield
        finally:
            self._unsynced.on = before


class OneWriterPostgresqlDatabase(OneWriter, PostgresqlDatabase):
    pass


class PooledOneWriterPostgresqlDatabase(OneWriter, PooledPostgresqlDatabase):
    pass


def utcnow() -> datetime.datetime:
    return clock.utcnow()


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


# --- Organisation -----------------------------------------------------------

class Unit(BaseModel):
    """An OPD or one of its sub-units. `path` ("/1/4/") makes "this unit and
    everything below it" one indexed prefix match instead of a recursive walk."""
    code = CharField(max_length=32, unique=True)
    name = CharField(max_length=200)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    path = CharField(max_length=255, index=True, default="")
    active = BooleanField(default=True)

    @property
    def is_opd(self) -> bool:
        return self.parent_id is None

    def refresh_path(self) -> None:
        """Recompute this unit's path and its descendants' after a (re)parenting."""
        prefix = Unit.get_by_id(self.parent_id).path if self.parent_id else "/"
        old = self.path
        self.path = f"{prefix}{self.id}/"
        Unit.update(path=self.path).where(Unit.id == self.id).execute()
        if old and old != self.path:
            Unit.update(path=fn.REPLACE(Unit.path, old, self.path)).where(
                Unit.path.startswith(old) & (Unit.id != self.id)).execute()

    @classmethod
    def within(cls, unit):
        """This unit and all of its sub-units."""
        return cls.path.startswith(unit.path)

    @classmethod
    def opds(cls):
        return cls.select().where(cls.parent.is_null() & cls.active).order_by(cls.name)

    @staticmethod
    def path_ids(path: str) -> list[int]:
        """The ids along a path, the OPD first: "/1/4/" → [1, 4]."""
        return [int(part) for part in path.split("/") if part]

    @property
    def opd_id(self) -> int:
        """The OPD this unit belongs to (itself for an OPD), read from its path: no query."""
        ids = Unit.path_ids(self.path)
        return ids[0] if ids else self.id

    def opd(self) -> "Unit":
        return self if self.opd_id == self.id else Unit.get_by_id(self.opd_id)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


POSITION_KINDS = {
    "jpt_pratama": "JPT Pratama",
    "administrator": "Administrator",
    "pengawas": "Pengawas",
    "fungsional": "Fungsional",
    "pelaksana": "Pelaksana",
}


class Position(BaseModel):
    """A jabatan in a unit. Structural positions have one holder; a functional or
    pelaksana position may be held by many."""
    name = CharField(max_length=200)
    kind = CharField(max_length=20, choices=list(POSITION_KINDS.items()))
    unit = ForeignKeyField(Unit, backref="positions", on_delete="RESTRICT")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    active = BooleanField(default=True)

    @property
    def kind_label(self) -> str:
        return POSITION_KINDS.get(self.kind, self.kind)


EMPLOYMENT_TYPES = {"pns": "PNS", "pppk": "PPPK"}


class Employee(BaseModel):
    nip = CharField(max_length=18, unique=True)
    name = CharField(max_length=150)
    title_front = CharField(max_length=50, default="")
    title_back = CharField(max_length=80, default="")
    rank = CharField(max_length=60, default="")
    grade = CharField(max_length=10, default="")
    employment_type = CharField(max_length=4, default="pns",
                                choices=list(EMPLOYMENT_TYPES.items()))
    position = ForeignKeyField(Position, null=True, backref="holders", on_delete="SET NULL")
    # Denormalised from the position so that scope filters are one indexed column.
    unit = ForeignKeyField(Unit, null=True, backref="employees", on_delete="RESTRICT")
    appraiser_override = ForeignKeyField("self", null=True, on_delete="SET NULL")
    appraiser_superior_override = ForeignKeyField("self", null=True, on_delete="SET NULL")
    active = BooleanField(default=True, index=True)

    class Meta:
        # Lists are ordered by name within active/inactive: this index serves the page
        # without sorting the whole regency for every request.
        indexes = ((("active", "name", "id"), False),)

    @property
    def full_name(self) -> str:
        parts = [self.title_front.strip(), self.name.strip()]
        text = " ".join(p for p in parts if p)
        return f"{text}, {self.title_back.strip()}" if self.title_back.strip() else text

    @property
    def rank_grade(self) -> str:
        if self.rank and self.grade:
            return f"{self.rank} ({self.grade})"
        return self.rank or self.grade or "-"

    @property
    def employment_label(self) -> str:
        return EMPLOYMENT_TYPES.get(self.employment_type, self.employment_type)

    @classmethod
    def join_org(cls, query):
        """An employee query joined to each one's position and unit, so lists cost one query."""
        return (query.select_extend(Position, Unit)
                .join(Position, on=(cls.position == Position.id), join_type=JOIN.LEFT_OUTER)
                .switch(cls)
                .join(Unit, on=(cls.unit == Unit.id), join_type=JOIN.LEFT_OUTER))

    @classmethod
    def with_org(cls):
        return cls.join_org(cls.select())

    @classmethod
    def search(cls, q: str, query=None):
        """Employees whose NIP starts with `q` (digits) or whose name contains it, from `query`
        (by default every employee with their position and unit)."""
        query = cls.with_org() if query is None else query
        q = (q or "").strip()
        if not q:
            return query
        if q.isdigit():
            # A range, not LIKE 'q%': the NIP's unique index answers it on SQLite and on
            # PostgreSQL alike (LIKE/ILIKE cannot use a btree under a C.UTF-8 database there);
            # ":" follows "9", and a NIP is digits only.
            return query.where((cls.nip >= q) & (cls.nip < q + ":"))
        return query.where(cls.name.contains(q))

    @classmethod
    def holders_of(cls, position_id):
        return (cls.select().where((cls.position == position_id) & cls.active)
                .order_by(cls.id))

    def derived_appraiser(self):
        """The active holder of the nearest occupied position above this one."""
        if self.position_id is None:
            return None
        position = Position.get_or_none(Position.id == self.position_id)
        seen = set()
        while position is not None and position.parent_id and position.parent_id not in seen:
            seen.add(position.parent_id)
            holder = Employee.holders_of(position.parent_id).first()
            if holder is not None and holder.id != self.id:
                return holder
            position = Position.get_or_none(Position.id == position.parent_id)
        return None

    def appraiser(self):
        """Pejabat Penilai Kinerja: the override where the data is wrong, else derived."""
        if self.appraiser_override_id:
            return Employee.get_or_none(Employee.id == self.appraiser_override_id)
        return self.derived_appraiser()

    def appraiser_superior(self):
        """Atasan Pejabat Penilai Kinerja."""
        if self.appraiser_superior_override_id:
            return Employee.get_or_none(Employee.id == self.appraiser_superior_override_id)
        appraiser = self.appraiser()
        return appraiser.appraiser() if appraiser else None

    def subordinates(self):
        """Employees whose Pejabat Penilai is this employee (derived or overridden)."""
        direct_positions = Position.select(Position.id).where(Position.parent == self.position_id)
        derived = (Employee.position.in_(direct_positions)
                   & Employee.appraiser_override.is_null())
        overridden = Employee.appraiser_override == self.id
        if self.position_id is None:
            condition = overridden
        else:
            condition = derived | overridden
        return (Employee.with_org().where(condition & Employee.active & (Employee.id != self.id))
                .order_by(Employee.name))


# --- Accounts and audit -----------------------------------------------------

ROLES = {"pegawai": "Pegawai", "admin_opd": "Admin OPD", "admin": "Admin BKPSDM"}


class User(BaseModel):
    """A login. Employees log in with their NIP; system accounts with a username."""
    username = CharField(max_length=64, unique=True)
    employee = ForeignKeyField(Employee, null=True, unique=True, backref="accounts",
                               on_delete="RESTRICT")
    password_hash = CharField(max_length=255)
    role = CharField(max_length=16, default="pegawai", choices=list(ROLES.items()))
    scope_unit = ForeignKeyField(Unit, null=True, on_delete="RESTRICT")
    must_change_password = BooleanField(default=True)
    active = BooleanField(default=True)
    # Bumped to end every session of this account at once (deactivation, reset).
    session_version = IntegerField(default=1)
    last_login = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    # Where notices go by email (migration 0014); nothing is sent before it is verified,
    # and a changed address is unverified again.
    email = CharField(max_length=254, null=True)
    email_verified_at = DateTimeField(null=True)

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    # The signed-in browser this object was loaded for (a UserSession token), set at login.
    session_token = ""

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}:{self.session_token}"

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def display_name(self) -> str:
        return self.employee.full_name if self.employee_id else self.username


class UserSession(BaseModel):
    """One signed-in browser. Logging out deletes it, so a copy of the session cookie taken
    before (a shared puskesmas PC) no longer reads or writes anything."""
    token = CharField(max_length=64, unique=True)
    user = ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)


class LoginAttempt(BaseModel):
    """A login attempt, counted per account name, address or known device for throttling;
    written before the password is checked and deleted again when the login succeeds."""
    key = CharField(max_length=128, index=True)
    at = DateTimeField(default=utcnow, index=True)


class AuditLog(BaseModel):
    """Append-only: triggers in the migration refuse UPDATE and DELETE."""
    at = DateTimeField(default=utcnow, index=True)
    actor = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    action = CharField(max_length=40, index=True)
    entity = CharField(max_length=40, index=True)
    entity_id = IntegerField(null=True)
    # The unit the change concerns, so an admin OPD can browse the trail of their own units.
    unit = ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    summary = CharField(max_length=255, default="")
    before = TextField(null=True)
    after = TextField(null=True)

    @classmethod
    def record(cls, actor, action: str, entity: str, entity_id=None, summary: str = "",
               before: dict | None = None, after: dict | None = None, unit=None):
        """Call inside the db.atomic() block of the change it records."""
        return cls.create(
            actor=actor.id if actor is not None and getattr(actor, "id", None) else None,
            action=action, entity=entity, entity_id=entity_id, summary=summary[:255],
            unit=getattr(unit, "id", unit),
            before=json.dumps(before, default=str, ensure_ascii=False) if before is not None else None,
            after=json.dumps(after, default=str, ensure_ascii=False) if after is not None else None)

    def before_dict(self) -> dict:
        return json.loads(self.before) if self.before else {}

    def after_dict(self) -> dict:
        return json.loads(self.after) if self.after else {}


class Setting(BaseModel):
    """Per-regency settings (key/value), read through `Setting.get_value`."""
    key = CharField(max_length=64, primary_key=True)
    value = TextField()

    @classmethod
    def get_value(cls, key: str, default: str | None = None) -> str | None:
        row = cls.get_or_none(cls.key == key)
        return row.value if row else default


def snapshot(instance, fields) -> dict:
    """The audited fields of a row, as plain values (foreign keys by id)."""
    return {name: instance.__data__.get(name) for name in fields}




# --- Citizen satisfaction survey (SKM) ---------------------------------------

SURVEY_PERIOD_KINDS = {"triwulan": "Triwulan", "semester": "Semester", "tahun": "Tahun"}
RESPONSE_SOURCES = {"online": "Daring", "kiosk": "Kios", "paper": "Kuesioner kertas"}
RESPONSE_STATUSES = {"valid": "Sah", "flagged": "Ditandai (menunggu tinjauan)", "rejected": "Ditolak"}


class ServiceUnit(BaseModel):
    """A unit layanan (a Puskesmas, the Dukcapil counter…). Its `code` is in the public URL
    and on printed posters, so it never changes once published."""
    code = CharField(max_length=40, unique=True)
    name = CharField(max_length=200)
    unit = ForeignKeyField(Unit, backref="service_units", on_delete="RESTRICT")
    period_kind = CharField(max_length=10, default="semester", choices=list(SURVEY_PERIOD_KINDS.items()))
    # A counter tablet proves it is a kiosk with this secret (set once on the device).
    kiosk_token = CharField(max_length=64, default="")
    active = BooleanField(default=True)


class Service(BaseModel):
    """A jenis layanan offered by a service unit."""
    service_unit = ForeignKeyField(ServiceUnit, backref="services", on_delete="CASCADE")
    name = CharField(max_length=200)
    active = BooleanField(default=True)


class SurveyPeriod(BaseModel):
    """One survey period of a unit: its dates, the population N, open or closed."""
    service_unit = ForeignKeyField(ServiceUnit, backref="periods", on_delete="CASCADE")
    kind = CharField(max_length=10, choices=list(SURVEY_PERIOD_KINDS.items()))
    year = IntegerField()
    number = IntegerField()  # 1–4 (triwulan), 1–2 (semester), 1 (tahun)
    starts = DateField()
    ends = DateField()
    population = IntegerField(null=True)
    is_open = BooleanField(default=False)

    class Meta:
        indexes = ((("service_unit", "kind", "year", "number"), True),)


class SurveyResponse(BaseModel):
    """One questionnaire. Answers are stored by element code (u1…u9), never by form position."""
    service_unit = ForeignKeyField(ServiceUnit, on_delete="CASCADE")
    period = ForeignKeyField(SurveyPeriod, backref="responses", on_delete="CASCADE")
    service = ForeignKeyField(Service, null=True, on_delete="SET NULL")
    submitted_at = DateTimeField(default=utcnow)
    u1 = IntegerField(null=True)
    u2 = IntegerField(null=True)
    u3 = IntegerField(null=True)
    u4 = IntegerField(null=True)
    u5 = IntegerField(null=True)
    u6 = IntegerField(null=True)
    u7 = IntegerField(null=True)
    u8 = IntegerField(null=True)
    u9 = IntegerField(null=True)
    age = IntegerField(null=True)
    sex = CharField(max_length=1, null=True)
    education = CharField(max_length=10, null=True)
    occupation = CharField(max_length=20, null=True)
    suggestion = TextField(null=True)
    source = CharField(max_length=10, default="online", choices=list(RESPONSE_SOURCES.items()))
    status = CharField(max_length=10, default="valid", choices=list(RESPONSE_STATUSES.items()))
    flag_reason = CharField(max_length=200, null=True)
    reviewed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    reviewed_at = DateTimeField(null=True)
    # A keyed hash of the address (never the address itself), for the per-address limit.
    client_hash = CharField(max_length=64, null=True)
    # One per rendered form: a double tap or a refresh cannot count twice.
    submission_token = CharField(max_length=64, null=True, unique=True)
    fill_seconds = IntegerField(null=True)
    entered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = (
            # The index is computed from this index alone (a covering index).
            (("period", "status", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"), False),
            (("client_hash", "submitted_at"), False),
            (("submitted_at",), False),
            # The per-unit flood limit counts a unit's recent responses (migration 0005).
            (("service_unit", "submitted_at"), False),
        )


SUGGESTION_STATUSES = {"baru": "Baru", "diproses": "Diproses", "selesai": "Selesai", "pujian": "Pujian"}
# A compliment needs no follow-up: it is settled once staff mark it, like a finished one.
SUGGESTION_SETTLED = ("selesai", "pujian")


class SuggestionFollowUp(BaseModel):
    """Follow-up of a citizen's suggestion or complaint: who, what was done, when (U8 in practice)."""
    response = ForeignKeyField(SurveyResponse, unique=True, backref="follow_ups", on_delete="CASCADE")
    status = CharField(max_length=10, default="baru", choices=list(SUGGESTION_STATUSES.items()))
    handler = ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    action = TextField(default="")
    done_on = DateField(null=True)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)
    # The element (u1…u9) the suggestion is about, set by staff (migration 0006), so the
    # report can group suggestions by element; empty means "not yet assigned".
    element = CharField(max_length=3, null=True)


class SurveyTally(BaseModel):
    """Running sums of a period's responses per status (only responses with an answer),
    kept by triggers on survey_response in the same transaction as every insert, update
    and delete (migration 0005 on SQLite, 0013 on PostgreSQL), so an index over a million
    responses is a few rows read. On any other database the figures are summed from the
    responses themselves."""
    period = ForeignKeyField(SurveyPeriod, backref="+", on_delete="CASCADE")
    status = CharField(max_length=10)
    responses = IntegerField(default=0)
    s1 = IntegerField(default=0)
    c1 = IntegerField(default=0)
    s2 = IntegerField(default=0)
    c2 = IntegerField(default=0)
    s3 = IntegerField(default=0)
    c3 = IntegerField(default=0)
    s4 = IntegerField(default=0)
    c4 = IntegerField(default=0)
    s5 = IntegerField(default=0)
    c5 = IntegerField(default=0)
    s6 = IntegerField(default=0)
    c6 = IntegerField(default=0)
    s7 = IntegerField(default=0)
    c7 = IntegerField(default=0)
    s8 = IntegerField(default=0)
    c8 = IntegerField(default=0)
    s9 = IntegerField(default=0)
    c9 = IntegerField(default=0)

    class Meta:
        indexes = ((("period", "status"), True),)


# SKM staff side (migrations 0006, 0031): partial indexes over the few responses staff work on —
# flagged ones (review queue) and those with a suggestion (follow-up) — so their queues and
# counts read those rows only, not a million. Queries must repeat these WHERE terms with
# literal values (stores/survey review.FLAGGED, suggestions.HAS_SUGGESTION) for SQLite to use them.
SurveyResponse.add_index(SurveyResponse.index(
    SurveyResponse.service_unit, SurveyResponse.submitted_at, SurveyResponse.id,
    name="survey_response_flagged").where(SQL("status = 'flagged'")))
SurveyResponse.add_index(SurveyResponse.index(
    SurveyResponse.service_unit, SurveyResponse.status, SurveyResponse.submitted_at,
    name="survey_response_suggested").where(SQL("suggestion IS NOT NULL AND suggestion <> ''")))




# --- SKP (perencanaan kinerja) -------------------------------------------------



class PerformanceYear(BaseModel):
    """A performance year and the per-regency settings later features read
    (domain/skp.md §1: SKP deadline, evaluation cadence, objection window)."""
    year = IntegerField(primary_key=True)
    skp_deadline = DateField()
    evaluation_cadence = CharField(max_length=12, default="triwulanan",
                                   choices=list(CADENCES.items()))
    objection_days = IntegerField(default=14)
    # 360° feedback is shown per BerAKHLAK value only once this many colleagues answered it.
    peer_min_raters = IntegerField(default=3)
    is_open = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def cadence_label(self) -> str:
        return CADENCES.get(self.evaluation_cadence, self.evaluation_cadence)

    @classmethod
    def for_date(cls, today: datetime.date):
        """The year `today` falls in, else the latest open year (None when none was opened)."""
        return (cls.get_or_none(cls.year == today.year)
                or cls.select().where(cls.is_open).order_by(cls.year.desc()).first())


class OrgGoal(BaseModel):
    """One Sasaran Strategis with one of its IKU from an OPD's Perjanjian Kinerja;
    the head of the OPD cascades their Utama RHK from these."""
    unit = ForeignKeyField(Unit, backref="org_goals", on_delete="RESTRICT")
    year = ForeignKeyField(PerformanceYear, backref="org_goals", on_delete="RESTRICT")
    goal = TextField()  # Sasaran Strategis
    indicator = TextField(default="")  # IKU
    target = CharField(max_length=120, default="")
    order = IntegerField(default=0)

    class Meta:
        indexes = ((("unit", "year", "order"), False),)


SKP_STATUSES = {"draft": "Draft", "submitted": "Diajukan", "returned": "Dikembalikan",
                "approved": "Disetujui", "superseded": "Diganti revisi"}
SKP_APPROACHES = {"kuantitatif": "Kuantitatif", "kualitatif": "Kualitatif"}


class Skp(BaseModel):
    """One revision of an employee's SKP for a year. Revision 1 is the first plan; a change
    after approval copies the approved revision into revision n+1, which is approved again.
    The approved revision in force has status "approved"; the one it replaced, "superseded"."""
    employee = ForeignKeyField(Employee, backref="skps", on_delete="RESTRICT")
    year = ForeignKeyField(PerformanceYear, backref="skps", on_delete="RESTRICT")
    revision = IntegerField(default=1)
    previous = ForeignKeyField("self", null=True, backref="next_revisions", on_delete="SET NULL")
    status = CharField(max_length=12, default="draft", choices=list(SKP_STATUSES.items()), index=True)
    approach = CharField(max_length=12, default="kuantitatif", choices=list(SKP_APPROACHES.items()))
    period_start = DateField()
    period_end = DateField()
    # Snapshots taken when the plan is created and refreshed on every submission, so the
    # printed plan keeps the position, unit and Pejabat Penilai it was approved under.
    unit = ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    position_name = CharField(max_length=200, default="")
    unit_name = CharField(max_length=200, default="")
    # None: the Pejabat Penilai is the Kepala Daerah (head of an OPD), not a user of Kinerja.
    appraiser = ForeignKeyField(Employee, null=True, backref="appraised_skps", on_delete="SET NULL")
    appraiser_position_name = CharField(max_length=200, default="")
    appraiser_unit_name = CharField(max_length=200, default="")
    change_note = TextField(default="")  # why a revision was opened
    comment = TextField(default="")  # the Pejabat Penilai's overall comment on the last return
    submitted_at = DateTimeField(null=True)
    submitted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    decided_at = DateTimeField(null=True)
    decided_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("employee", "year", "revision"), True),
            (("appraiser", "status"), False),
            (("year", "status"), False),
        )

    @property
    def status_label(self) -> str:
        return SKP_STATUSES.get(self.status, self.status)

    @property
    def approach_label(self) -> str:
        return SKP_APPROACHES.get(self.approach, self.approach)

    @classmethod
    def latest_for(cls, employee_id, year):
        """The newest revision of an employee's SKP for a year (any status), or None."""
        return (cls.select().where((cls.employee == employee_id) & (cls.year == year))
                .order_by(cls.revision.desc()).first())

    @classmethod
    def approved_for(cls, employee_id, year):
        """The approved revision in force (what monitoring and evaluation work on), or None."""
        return cls.get_or_none((cls.employee == employee_id) & (cls.year == year)
                               & (cls.status == "approved"))


RHK_KINDS = {"utama": "Utama", "tambahan": "Tambahan"}


class Rhk(BaseModel):
    """Rencana Hasil Kerja. An Utama RHK intervenes in an RHK of the Pejabat Penilai's
    approved SKP (`parent`), or for a head of OPD in an organisation goal (`org_goal`)."""
    skp = ForeignKeyField(Skp, backref="rhks", on_delete="CASCADE")
    kind = CharField(max_length=10, default="utama", choices=list(RHK_KINDS.items()))
    text = TextField()
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    org_goal = ForeignKeyField(OrgGoal, null=True, backref="rhks", on_delete="SET NULL")
    # The same RHK in the previous revision: identity across revisions and the revision diff.
    origin = ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
    order = IntegerField(default=0)
    review_comment = TextField(default="")  # the Pejabat Penilai's comment on the last return

    class Meta:
        indexes = ((("skp", "kind", "order"), False), (("parent",), False))

    @property
    def kind_label(self) -> str:
        return RHK_KINDS.get(self.kind, self.kind)


INDICATOR_ASPECTS = {"kuantitas": "Kuantitas", "kualitas": "Kualitas", "waktu": "Waktu",
                     "biaya": "Biaya"}


class Indicator(BaseModel):
    """Indikator Kinerja Individu with its target: a number (or a range) with a unit for the
    quantitative approach, one narrative text for the qualitative one."""
    rhk = ForeignKeyField(Rhk, backref="indicators", on_delete="CASCADE")
    aspect = CharField(max_length=10, default="kuantitas", choices=list(INDICATOR_ASPECTS.items()))
    text = TextField()
    target_min = DecimalField(max_digits=14, decimal_places=2, null=True, auto_round=True)
    target_max = DecimalField(max_digits=14, decimal_places=2, null=True, auto_round=True)
    target_unit = CharField(max_length=40, default="")
    target_text = TextField(default="")
    # The same indicator in the previous revision, so realisations can follow a revised plan.
    origin = ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
    order = IntegerField(default=0)

    class Meta:
        indexes = ((("rhk", "order"), False),)

    @property
    def aspect_label(self) -> str:
        return INDICATOR_ASPECTS.get(self.aspect, self.aspect)


class BehaviourExpectation(BaseModel):
    """Ekspektasi Khusus Pimpinan for one BerAKHLAK value (codes in rules/skp.py CORE_VALUES),
    written by the Pejabat Penilai."""
    skp = ForeignKeyField(Skp, backref="expectations", on_delete="CASCADE")
    value = CharField(max_length=32)
    special_expectation = TextField(default="")
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("skp", "value"), True),)


APPENDIX_SECTIONS = {"resources": "Dukungan Sumber Daya",
                     "accountability": "Skema Pertanggungjawaban",
                     "consequences": "Konsekuensi"}


class SkpAppendixItem(BaseModel):
    """One line of the Lampiran SKP."""
    skp = ForeignKeyField(Skp, backref="appendix_items", on_delete="CASCADE")
    section = CharField(max_length=16, choices=list(APPENDIX_SECTIONS.items()))
    text = TextField()
    order = IntegerField(default=0)

    class Meta:
        indexes = ((("skp", "section", "order"), False),)


SKP_DECISION_ACTIONS = {"created": "Dibuat", "submitted": "Diajukan", "returned": "Dikembalikan",
                        "approved": "Disetujui", "revision_opened": "Revisi dibuka"}


class SkpDecision(BaseModel):
    """The history of a revision: every submission and decision with who, when and why.
    `rhk_comments` holds the per-RHK comments of a return as JSON {"rhk id": "comment"}."""
    skp = ForeignKeyField(Skp, backref="decisions", on_delete="CASCADE")
    action = CharField(max_length=16, choices=list(SKP_DECISION_ACTIONS.items()))
    actor = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    at = DateTimeField(default=utcnow)
    comment = TextField(default="")
    rhk_comments = TextField(default="")

    class Meta:
        indexes = ((("skp", "at"), False),)

    @property
    def action_label(self) -> str:
        return SKP_DECISION_ACTIONS.get(self.action, self.action)

    def rhk_comment_dict(self) -> dict:
        return json.loads(self.rhk_comments) if self.rhk_comments else {}




# --- Monitoring and evaluation (pemantauan dan evaluasi kinerja) ----------------

EVIDENCE_KINDS = {"link": "Tautan", "file": "Berkas"}


class ProgressEntry(BaseModel):
    """A progress entry (kegiatan) against one indicator of the employee's approved SKP."""
    employee = ForeignKeyField(Employee, backref="progress_entries", on_delete="RESTRICT")
    skp = ForeignKeyField(Skp, backref="progress_entries", on_delete="RESTRICT")
    indicator = ForeignKeyField(Indicator, backref="progress_entries", on_delete="RESTRICT")
    day = DateField()
    start_time = TimeField(null=True)
    end_time = TimeField(null=True)
    description = TextField()
    quantity = DecimalField(max_digits=14, decimal_places=2, null=True, auto_round=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "day"), False), (("indicator", "day"), False))


class Evidence(BaseModel):
    """Bukti dukung of a progress entry: a link, or a file stored under UPLOAD_DIR with a
    random name (`stored_name`) and served only through an access check."""
    entry = ForeignKeyField(ProgressEntry, backref="evidence", on_delete="CASCADE")
    kind = CharField(max_length=4, choices=list(EVIDENCE_KINDS.items()))
    url = CharField(max_length=500, default="")
    stored_name = CharField(max_length=64, default="")
    filename = CharField(max_length=150, default="")
    mime = CharField(max_length=100, default="")
    size = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)

    @property
    def label(self) -> str:
        return self.filename if self.kind == "file" else self.url


class Feedback(BaseModel):
    """Umpan balik berkelanjutan: a comment of the Pejabat Penilai on a progress entry or an
    RHK of `employee`, and the replies in that thread (`parent`)."""
    employee = ForeignKeyField(Employee, backref="feedback_threads", on_delete="RESTRICT")
    author = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    entry = ForeignKeyField(ProgressEntry, null=True, backref="feedback", on_delete="CASCADE")
    rhk = ForeignKeyField(Rhk, null=True, backref="feedback", on_delete="CASCADE")
    parent = ForeignKeyField("self", null=True, backref="replies", on_delete="CASCADE")
    body = TextField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "created_at"), False),)


class Notification(BaseModel):
    """An in-app notice to an employee; the navigation counts the unread ones."""
    recipient = ForeignKeyField(Employee, backref="notifications", on_delete="CASCADE")
    text = CharField(max_length=255)
    link = CharField(max_length=255, default="")
    created_at = DateTimeField(default=utcnow)
    read_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("recipient", "read_at"), False),)

    @classmethod
    def unread_count(cls, employee_id) -> int:
        return cls.select().where((cls.recipient == employee_id) & cls.read_at.is_null()).count()


class Evaluation(BaseModel):
    """A periodic or annual evaluation of one employee's approved SKP. The Pejabat Penilai and
    the Atasan are fixed when it is submitted, so a later change of structure does not move
    an evaluation already in someone's hands. States and actors: kinerja/rules/evaluation.py."""
    employee = ForeignKeyField(Employee, backref="evaluations", on_delete="RESTRICT")
    skp = ForeignKeyField(Skp, backref="evaluations", on_delete="RESTRICT")
    year = IntegerField()
    kind = CharField(max_length=8)  # periodic | annual
    number = IntegerField()
    starts = DateField()
    ends = DateField()
    unit = ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    # None: the Kepala Daerah, who is not a user; an admin BKPSDM records on their behalf.
    appraiser = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    superior = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    status = CharField(max_length=10, default="draft")
    self_note = TextField(default="")
    result_rating = CharField(max_length=6, null=True)
    behaviour_rating = CharField(max_length=6, null=True)
    predikat = CharField(max_length=16, null=True)
    return_comment = TextField(default="")
    submitted_at = DateTimeField(null=True)
    approved_at = DateTimeField(null=True)
    approved_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    acknowledged_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("employee", "year", "kind", "number"), True),
            (("year", "kind", "number", "status"), False),
            (("appraiser", "status"), False),
            (("superior", "status"), False),
            (("unit", "year", "kind", "number"), False),
        )

    @property
    def has_predikat(self) -> bool:
        """The predikat is in force (approved, under objection, or decided)."""
        return self.status in WITH_PREDIKAT

    @property
    def editable(self) -> bool:
        """The employee is still filling it in."""
        return self.status in EDITABLE_STATES

    @property
    def slug(self) -> str:
        """The kind as the evaluation's URL spells it."""
        return SLUGS.get(self.kind, "")


class EvaluationItem(BaseModel):
    """The realisation of one indicator in an evaluation: what the progress entries gave
    (`prefilled`) and what the employee claims, with a reason when the two differ."""
    evaluation = ForeignKeyField(Evaluation, backref="items", on_delete="CASCADE")
    indicator = ForeignKeyField(Indicator, backref="+", on_delete="RESTRICT")
    prefilled = DecimalField(max_digits=14, decimal_places=2, null=True, auto_round=True)
    realisation = DecimalField(max_digits=14, decimal_places=2, null=True, auto_round=True)
    realisation_text = TextField(default="")
    adjustment_reason = TextField(default="")

    class Meta:
        indexes = ((("evaluation", "indicator"), True),)


class EvaluationFeedback(BaseModel):
    """The Pejabat Penilai's feedback in an evaluation: per RHK (`rhk`) on the realisation,
    or per BerAKHLAK value (`value`) on behaviour."""
    evaluation = ForeignKeyField(Evaluation, backref="feedback", on_delete="CASCADE")
    rhk = ForeignKeyField(Rhk, null=True, backref="+", on_delete="CASCADE")
    value = CharField(max_length=32, default="")
    text = TextField(default="")

    class Meta:
        indexes = ((("evaluation", "rhk", "value"), True),)


OBJECTION_STATUSES = {"open": "Menunggu keputusan", "decided": "Diputuskan"}


class Objection(BaseModel):
    """Keberatan against an approved evaluation, decided (finally) by the Atasan Pejabat
    Penilai. The ratings before and after are kept beside the decision."""
    evaluation = ForeignKeyField(Evaluation, unique=True, backref="objections", on_delete="CASCADE")
    reasons = TextField()
    filed_at = DateTimeField(default=utcnow)
    status = CharField(max_length=8, default="open")
    result_before = CharField(max_length=6, null=True)
    behaviour_before = CharField(max_length=6, null=True)
    predikat_before = CharField(max_length=16, null=True)
    result_after = CharField(max_length=6, null=True)
    behaviour_after = CharField(max_length=6, null=True)
    predikat_after = CharField(max_length=16, null=True)
    decision = TextField(default="")
    decided_at = DateTimeField(null=True)
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")


class OrgPerformance(BaseModel):
    """Predikat Kinerja Organisasi of an OPD for a year (domain/skp.md §5)."""
    unit = ForeignKeyField(Unit, backref="+", on_delete="RESTRICT")
    year = IntegerField()
    predikat = CharField(max_length=16)
    note = TextField(default="")
    set_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    set_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("unit", "year"), True),)


class PeerFeedback(BaseModel):
    """Umpan balik 360° (domain/skp.md §6): one colleague's answer on one BerAKHLAK value of
    `ratee` for one evaluation period. The rater is kept only so they can change their own
    answer and not answer twice; no page ever shows it."""
    ratee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    rater = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    year = IntegerField()
    kind = CharField(max_length=8)  # periodic | annual, as Evaluation
    number = IntegerField()
    value = CharField(max_length=32)
    level = CharField(max_length=6)  # above | meets | below
    comment = TextField(default="")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("ratee", "year", "kind", "number", "rater", "value"), True),
                   (("rater", "year", "kind", "number"), False))


class PeerFeedbackSnapshot(BaseModel):
    """The 360° answers about `ratee` for one period as they stood when answering closed,
    tallied per BerAKHLAK value without raters: the only form in which anyone sees them, so
    that an answer given or changed afterwards can never be read off by comparison."""
    ratee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    year = IntegerField()
    kind = CharField(max_length=8)
    number = IntegerField()
    tallies = TextField()  # JSON: {value: {"counts": {level: n}, "comments": [...]}}
    taken_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("ratee", "year", "kind", "number"), True),)


# --- Email (migration 0014) --------------------------------------------------------

# What a person can choose per kind of notice (kinerja/stores/mail.py writes the mails).
MAIL_KINDS = {"skp": "SKP (pengajuan, persetujuan, pengembalian)",
              "evaluation": "Evaluasi kinerja dan keberatan",
              "feedback": "Umpan balik atasan",
              "survey": "Survei Kepuasan Masyarakat",
              "followup": "Tindak lanjut, pembinaan, penghargaan/sanksi dan praktik baik",
              "reminder": "Pengingat dan ringkasan tugas yang menunggu"}
MAIL_MODES = {"immediate": "Segera", "digest": "Ringkasan harian", "off": "Mati"}
OUTBOX_STATES = {"queued": "Antre", "sending": "Sedang dikirim", "sent": "Terkirim",
                 "failed": "Gagal", "skipped": "Tidak dikirim",
                 "held": "Menunggu ringkasan harian", "bundled": "Masuk ringkasan harian"}


class MailPreference(BaseModel):
    """How an account wants one kind of notice by email; no row means "immediate"."""
    account = ForeignKeyField(User, backref="mail_preferences", on_delete="CASCADE")
    kind = CharField(max_length=16, choices=list(MAIL_KINDS.items()))
    mode = CharField(max_length=10, default="immediate", choices=list(MAIL_MODES.items()))

    class Meta:
        indexes = ((("account", "kind"), True),)


class OutboxMessage(BaseModel):
    """One email, written in the transaction of what it announces and sent afterwards by the
    worker. `held`: a notice waiting for the recipient's daily digest (it links its in-app
    notice, so one read meanwhile is left out). `dedupe_key` makes a digest or reminder
    written twice for the same account, kind and day one message."""
    account = ForeignKeyField(User, null=True, backref="+", on_delete="CASCADE")
    to_address = CharField(max_length=254)
    subject = CharField(max_length=255)
    text_body = TextField()
    html_body = TextField(default="")
    kind = CharField(max_length=16)
    state = CharField(max_length=10, default="queued", choices=list(OUTBOX_STATES.items()))
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    # When a queued or failed message is due (again); for "sending", when its claim lapses.
    next_attempt_at = DateTimeField(null=True)
    dedupe_key = CharField(max_length=120, null=True, unique=True)
    notification = ForeignKeyField(Notification, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("state", "next_attempt_at"), False), (("account", "state"), False))

    @property
    def state_label(self) -> str:
        return OUTBOX_STATES.get(self.state, self.state)


EXPORT_STATES = {"queued": "Menunggu", "running": "Sedang dibuat", "done": "Selesai", "failed": "Gagal"}


class ExportJob(BaseModel):
    """A long download made by the worker (the whole regency's recap): its progress for the
    page that polls it, and the finished file, kept under a random name for its owner."""
    owner = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=20)
    params = TextField(default="{}")
    title = CharField(max_length=200)
    state = CharField(max_length=10, default="queued", choices=list(EXPORT_STATES.items()))
    progress = IntegerField(default=0)  # percent
    error = TextField(default="")
    stored_name = CharField(max_length=64, default="")
    filename = CharField(max_length=150, default="")
    # A job that writes (a large import) ends on a page instead of a file: where its result
    # is shown, or, when it refused to write, where the user checks again; and what happened.
    link = CharField(max_length=300, default="")
    note = CharField(max_length=500, default="")
    created_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("owner", "created_at"), False),)

    @property
    def state_label(self) -> str:
        return EXPORT_STATES.get(self.state, self.state)


# --- Follow-up (tindak lanjut, issue 14) --------------------------------------------
# Each area below has its own migration; helpers insert their models under their own marker.

# [follow-up: proposals and coaching plans, migration 0017]

class CoachingPlan(BaseModel):
    """Rencana pembinaan (domain/followup.md §2): agreed by the Pejabat Penilai and the
    employee; the Atasan sees it, admins see its status only. An improvement period (PP 30/2019
    Pasal 57) is a plan with `improvement_ends` set."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    evaluation = ForeignKeyField(Evaluation, null=True, backref="+", on_delete="SET NULL")
    appraiser = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    superior = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    unit = ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    status = CharField(max_length=8, default="open")
    gap = TextField(default="")
    improvement_starts = DateField(null=True)
    improvement_ends = DateField(null=True)
    outcome = CharField(max_length=16, null=True)
    outcome_note = TextField(default="")
    opened_at = DateTimeField(default=utcnow)
    opened_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    acknowledged_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("employee", "status"), False), (("appraiser", "status"), False))


class CoachingAction(BaseModel):
    """An agreed action of a coaching plan. `reminded`: the last reminder sent ("soon",
    "overdue"), so the daily run never repeats one."""
    plan = ForeignKeyField(CoachingPlan, backref="actions", on_delete="CASCADE")
    description = TextField()
    owner = CharField(max_length=10)  # employee | appraiser
    due = DateField()
    status = CharField(max_length=8, default="planned")
    reminded = CharField(max_length=8, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("status", "due"), False),)


class CoachingMeeting(BaseModel):
    """A check-in meeting of a coaching plan with its short note."""
    plan = ForeignKeyField(CoachingPlan, backref="meetings", on_delete="CASCADE")
    day = DateField()
    note = TextField()
    created_at = DateTimeField(default=utcnow)


class CoachingComment(BaseModel):
    """What the employee (or the Pejabat Penilai) writes on a coaching plan."""
    plan = ForeignKeyField(CoachingPlan, backref="comments", on_delete="CASCADE")
    author = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    body = TextField()
    created_at = DateTimeField(default=utcnow)

class FollowUp(BaseModel):
    """A proposal of follow-up for one employee (rules/follow_up.py has the kinds and the
    default matrix): made by Kinerja from a final evaluation, or recorded by the Pejabat
    Penilai as a next step of an improvement period. `appraiser` decides it; one evaluation
    never holds the same kind twice. Kinerja only records the decision, it applies nothing."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    evaluation = ForeignKeyField(Evaluation, null=True, backref="+", on_delete="CASCADE")
    plan = ForeignKeyField(CoachingPlan, null=True, backref="steps", on_delete="CASCADE")
    appraiser = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    unit = ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    kind = CharField(max_length=24)
    predikat = CharField(max_length=16, null=True)
    status = CharField(max_length=10, default="proposed")
    changed_to = CharField(max_length=24, null=True)
    reason = TextField(default="")
    note = TextField(default="")
    step_date = DateField(null=True)
    sk_number = CharField(max_length=100, default="")
    stored_name = CharField(max_length=64, default="")
    filename = CharField(max_length=150, default="")
    mime = CharField(max_length=100, default="")
    proposed_at = DateTimeField(default=utcnow)
    decided_at = DateTimeField(null=True)
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("evaluation", "kind"), True),
                   (("appraiser", "status", "proposed_at"), False),
                   (("employee", "proposed_at"), False))


# [decisions: rewards and sanctions ledger, migration 0018]

class PersonnelDecision(BaseModel):
    """One reward or sanction in an employee's ledger: proposed by their Pejabat Penilai or the
    head of their OPD, approved or rejected by BKPSDM with its SK. Kinds and states:
    kinerja/rules/decisions.py. `unit` is the employee's unit when proposed, so an admin OPD
    reads their own ledger without walking the people."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    unit = ForeignKeyField(Unit, null=True, backref="+", on_delete="SET NULL")
    category = CharField(max_length=12)
    kind = CharField(max_length=32)
    basis = TextField()
    evaluation = ForeignKeyField(Evaluation, null=True, backref="+", on_delete="SET NULL")
    proposer = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    proposed_at = DateTimeField(default=utcnow)
    status = CharField(max_length=10, default="diusulkan")
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    reason = TextField(default="")
    sk_number = CharField(max_length=100, default="")
    sk_date = DateField(null=True)
    valid_from = DateField(null=True)
    valid_until = DateField(null=True)
    document_stored = CharField(max_length=64, default="")
    document_name = CharField(max_length=150, default="")
    document_size = IntegerField(default=0)
    public = BooleanField(default=False)

    class Meta:
        table_name = "personnel_decision"
        indexes = ((("status", "proposed_at"), False), (("employee", "status"), False),
                   (("unit", "status"), False), (("proposer", "status"), False))


# [training: development plans and training records, migration 0019]

class TrainingRecord(BaseModel):
    """One competency-development activity an employee completed, with its JP. `year` is the
    year it ended (rules/training.py), kept so the yearly 20 JP is one indexed aggregate."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    title = CharField(max_length=200)
    kind = CharField(max_length=20)
    organiser = CharField(max_length=200, default="")
    starts = DateField()
    ends = DateField()
    year = IntegerField()
    hours = IntegerField()  # JP
    certificate_name = CharField(max_length=64, default="")  # stored under a random name
    certificate_filename = CharField(max_length=150, default="")  # the name shown
    certificate_mime = CharField(max_length=100, default="")
    source = CharField(max_length=10, default="manual")
    entered_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("year", "employee"), False), (("employee", "ends"), False))


class TrainingYearTotal(BaseModel):
    """The JP of an employee's records of one year, stored so that the 20 JP recap reads one
    row per person instead of summing every record. Recomputed from the records (never added
    to) in the transaction that changes them: kinerja/stores/training/totals.py. No row: no
    record that year."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    year = IntegerField()
    jp = IntegerField(default=0)

    class Meta:
        table_name = "training_year_total"
        # a person's year (kept, joined); those of a year who reached 20 JP (counted)
        indexes = ((("employee", "year"), True), (("year", "jp", "employee"), False))


class DevelopmentPlan(BaseModel):
    """The individual development plan (IDP) of an employee for one year."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    year = IntegerField()
    gap = TextField(default="")
    planned = TextField(default="")
    priority = CharField(max_length=10, default="sedang")
    updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "year"), True),)


# [practices: good-practice library, migration 0020]

PRACTICE_STATES = {"draft": "Draf", "submitted": "Diajukan", "published": "Diterbitkan",
                   "returned": "Dikembalikan"}


class Practice(BaseModel):
    """A good practice (praktik baik) written by employees of a unit and reviewed by its head
    before the whole regency reads it. `useful_count` is kept with the marks, in the same
    transaction, so that the library lists it without counting per row."""
    title = CharField(max_length=200)
    problem = TextField(default="")
    action = TextField(default="")
    results = TextField(default="")
    unit = ForeignKeyField(Unit, backref="+", on_delete="RESTRICT")
    author = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    status = CharField(max_length=10, default="draft", choices=list(PRACTICE_STATES.items()))
    reviewer = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    review_note = TextField(default="")
    submitted_at = DateTimeField(null=True)
    reviewed_at = DateTimeField(null=True)
    published_at = DateTimeField(null=True)
    useful_count = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("status", "published_at"), False), (("reviewer", "status"), False))

    @property
    def status_label(self) -> str:
        return PRACTICE_STATES.get(self.status, self.status)


class PracticeAuthor(BaseModel):
    """A co-author of a practice (the main author is `Practice.author`)."""
    practice = ForeignKeyField(Practice, backref="coauthors", on_delete="CASCADE")
    employee = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")

    class Meta:
        indexes = ((("practice", "employee"), True),)


class PracticeTheme(BaseModel):
    practice = ForeignKeyField(Practice, backref="themes", on_delete="CASCADE")
    theme = CharField(max_length=30)

    class Meta:
        indexes = ((("practice", "theme"), True), (("theme", "practice"), False))


class PracticeAttachment(BaseModel):
    """A photo or document of a practice, stored outside static/ under a random name."""
    practice = ForeignKeyField(Practice, backref="attachments", on_delete="CASCADE")
    stored_name = CharField(max_length=64)
    filename = CharField(max_length=150)
    mime = CharField(max_length=120)
    size = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)


class PracticeUseful(BaseModel):
    """One "bermanfaat" mark per account and practice."""
    practice = ForeignKeyField(Practice, backref="+", on_delete="CASCADE")
    account = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("practice", "account"), True),)


class PracticeQuestion(BaseModel):
    """A colleague's question to the authors of a published practice, and their answer."""
    practice = ForeignKeyField(Practice, backref="questions", on_delete="CASCADE")
    asker = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    text = TextField()
    created_at = DateTimeField(default=utcnow)
    answer = TextField(default="")
    answered_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    answered_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("practice", "created_at"), False),)

# [talent: potential scores and the talent map, angka kredit, migration 0021]

POTENTIAL_LEVELS = {"rendah": "Rendah", "menengah": "Menengah", "tinggi": "Tinggi"}


class PotentialAssessment(BaseModel):
    """An employee's potential for one year from a competency assessment (assessment centre,
    uji kompetensi), entered or imported by BKPSDM: the vertical axis of the talent map.
    One per employee and year; a later entry for the same year replaces it (audited)."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    year = IntegerField()
    level = CharField(max_length=10, choices=list(POTENTIAL_LEVELS.items()))
    score = DecimalField(max_digits=5, decimal_places=2, null=True, auto_round=True)
    source = CharField(max_length=120)
    assessed_on = DateField()
    entered_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    entered_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("employee", "year"), True), (("year",), False))

    @property
    def level_label(self) -> str:
        return POTENTIAL_LEVELS.get(self.level, self.level)


class TalentStanding(BaseModel):
    """What places an employee on the talent map of one year: the final annual predikat of
    the year before and of the year, and the potential level in force. Stored so that the
    regency's map reads one indexed row per person instead of three evaluations and the
    latest assessment. Recomputed from the evaluations and assessments (never patched) in
    the transaction that changes them: kinerja/stores/talent/standing.py. No row: none of
    the three exists for that year."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    year = IntegerField()
    first = CharField(max_length=16, null=True)    # annual predikat of year - 1
    second = CharField(max_length=16, null=True)   # annual predikat of year
    level = CharField(max_length=10, null=True)    # potential level in force for year

    class Meta:
        table_name = "talent_standing"
        # one row per person and year; the second covers the map's probe (one per employee)
        indexes = ((("employee", "year"), True),
                   (("employee", "year", "first", "second", "level"), False))


# --- Evidence from the field (issue 15) ---------------------------------------------

# [calendar and attendance, migration 0023]

HOLIDAY_KINDS = {"libur": "Libur nasional", "cuti_bersama": "Cuti bersama"}
SCHEDULE_KINDS = {"5hari": "5 hari kerja", "6hari": "6 hari kerja", "shift": "Shift (7 hari)"}
LEAVE_KINDS = {"izin": "Izin", "sakit": "Sakit", "cuti": "Cuti", "dinas_luar": "Dinas luar",
               "tugas_belajar": "Tugas belajar"}


class Holiday(BaseModel):
    """A national holiday or cuti bersama, set by BKPSDM for the whole regency."""
    day = DateField(unique=True)
    year = IntegerField(index=True)
    name = CharField(max_length=150)
    kind = CharField(max_length=12, default="libur")
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)


class WorkSchedule(BaseModel):
    """A unit's working days and hours; its sub-units without one of their own follow it.
    `hours` is JSON {"0": ["07:30", "16:00"], …} keyed by weekday (Monday = 0)."""
    unit = ForeignKeyField(Unit, unique=True, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=8, default="5hari")
    hours = TextField()
    updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)


class Shift(BaseModel):
    """A shift of a unit's rosters (P, S, M …); its sub-units without their own use it. An
    `ends` earlier than `starts` ends the next day (a night shift)."""
    unit = ForeignKeyField(Unit, backref="+", on_delete="CASCADE")
    code = CharField(max_length=4)
    name = CharField(max_length=60)
    starts = TimeField()
    ends = TimeField()
    updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("unit", "code"), True),)


class RosterDay(BaseModel):
    """One day of an employee's roster (jadwal dinas): their shift, or none for a day off.
    A day the roster names replaces the unit's calendar for that person."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    day = DateField()
    year = IntegerField()
    month = IntegerField()
    shift = ForeignKeyField(Shift, null=True, backref="+", on_delete="RESTRICT")

    class Meta:
        indexes = ((("employee", "day"), True), (("year", "month", "employee"), False))


class MachineUser(BaseModel):
    """The attendance machine's user id of an employee, recorded once for tap imports."""
    machine_id = CharField(max_length=40, unique=True)
    employee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)


class AttendanceImport(BaseModel):
    """One confirmed attendance import. `unit` is the importing admin's OPD (null for
    BKPSDM): the days first_day..last_day of that scope count as recorded from then on."""
    unit = ForeignKeyField(Unit, null=True, backref="+", on_delete="SET NULL")
    filename = CharField(max_length=150, default="")
    first_day = DateField()
    last_day = DateField()
    rows = IntegerField(default=0)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("first_day", "last_day"), False),)


class AttendanceDay(BaseModel):
    """An employee's first and last tap of a day. Lateness, early leaving and whether the
    day was a working day are worked out from the calendar when the row is written (and
    again when the calendar changes), so the monthly figures are one SQL aggregate."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    day = DateField()
    year = IntegerField()
    month = IntegerField()
    time_in = TimeField(null=True)
    time_out = TimeField(null=True)
    minutes_late = IntegerField(default=0)
    minutes_early = IntegerField(default=0)
    working = BooleanField(default=True)
    batch = ForeignKeyField(AttendanceImport, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("employee", "day"), True), (("year", "month", "employee"), False),
                   (("day",), False))


class AttendanceMonth(BaseModel):
    """An employee's working days present and minutes late and early in one month, summed
    from attendance_day whenever those rows change: a unit's year is then a sum over a few
    rows per person instead of every day of everyone."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    year = IntegerField()
    month = IntegerField()
    present = IntegerField(default=0)
    minutes_late = IntegerField(default=0)
    minutes_early = IntegerField(default=0)

    class Meta:
        indexes = ((("employee", "year", "month"), True), (("year", "month"), False))


class Leave(BaseModel):
    """Izin, sakit, cuti (with its kind), dinas luar or tugas belajar over a span of days,
    entered by the admin OPD with its document: the working days in it are excused."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=14)
    leave_kind = CharField(max_length=60, default="")  # the kind of cuti (tahunan, sakit, …)
    starts = DateField()
    ends = DateField()
    year = IntegerField()
    note = CharField(max_length=255, default="")
    document_name = CharField(max_length=64, default="")
    document_filename = CharField(max_length=150, default="")
    document_mime = CharField(max_length=100, default="")
    entered_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("year", "employee"), False), (("employee", "starts"), False))


# [discipline: cases under PP 94/2021, migration 0024]

class DisciplineCase(BaseModel):
    """One discipline case under PP 94/2021: proposed from the attendance ladder or recorded
    by hand, examined and decided (or dismissed) by the official with authority. Levels,
    sanctions and states: kinerja/rules/discipline.py. `opd` is the employee's OPD when the
    case opened, so the head of OPD's queue and the admin OPD's list are one indexed filter;
    a decided case's sanction is the `decision` row in the ledger."""
    employee = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    unit = ForeignKeyField(Unit, null=True, backref="+", on_delete="SET NULL")
    opd = ForeignKeyField(Unit, null=True, backref="+", on_delete="SET NULL")
    year = IntegerField()
    source = CharField(max_length=10)
    days = DecimalField(max_digits=7, decimal_places=2, null=True)
    threshold = IntegerField(null=True)
    consecutive = BooleanField(default=False)
    incident_date = DateField(null=True)
    evidence = TextField(default="")
    level = CharField(max_length=8)
    kind = CharField(max_length=32)
    authority = CharField(max_length=16)
    status = CharField(max_length=10, default="diusulkan")
    proposed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    proposed_at = DateTimeField(default=utcnow)
    examined_on = DateField(null=True)
    examination = TextField(default="")
    document_stored = CharField(max_length=64, default="")
    document_name = CharField(max_length=150, default="")
    document_size = IntegerField(default=0)
    examined_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    reason = TextField(default="")
    decision = ForeignKeyField(PersonnelDecision, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        table_name = "discipline_case"
        indexes = ((("employee", "year", "source"), False), (("opd", "status", "proposed_at"), False),
                   (("status", "proposed_at"), False))


# [complaints: pengaduan, migration 0025]

COMPLAINT_STATES = {"diterima": "Diterima", "diproses": "Diproses", "dijawab": "Dijawab",
                    "selesai": "Selesai", "ditolak": "Ditolak"}
COMPLAINT_REJECTIONS = {"bukan_pengaduan": "Bukan pengaduan", "duplikat": "Duplikat",
                        "kasar": "Bernada kasar atau menyerang"}


class ComplaintDesk(BaseModel):
    """The complaint settings of one service unit: its handler, chosen by the admin OPD,
    and its service level in working days (field.md §3)."""
    service_unit = ForeignKeyField(ServiceUnit, unique=True, backref="+", on_delete="CASCADE")
    handler = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    first_response_days = IntegerField(default=5)
    resolution_days = IntegerField(default=14)


class Complaint(BaseModel):
    """A citizen's complaint. `code` is the tracking code the citizen keeps; the contact is
    never shown on the public side."""
    code = CharField(max_length=16, unique=True)
    # No index of their own: the (unit, received_at) indexes below start with them.
    service_unit = ForeignKeyField(ServiceUnit, backref="+", on_delete="RESTRICT", index=False)
    # Where it was filed, kept when it is forwarded.
    filed_unit = ForeignKeyField(ServiceUnit, backref="+", on_delete="RESTRICT", index=False)
    service = ForeignKeyField(Service, null=True, backref="+", on_delete="SET NULL")
    what = TextField()
    happened_on = DateField(null=True)
    place = CharField(max_length=200, default="")
    reporter_name = CharField(max_length=120, default="")
    reporter_contact = CharField(max_length=120, default="")
    received_at = DateTimeField(default=utcnow)
    received_on = DateField()
    state = CharField(max_length=10, default="diterima", choices=list(COMPLAINT_STATES.items()))
    rejection = CharField(max_length=20, default="", choices=list(COMPLAINT_REJECTIONS.items()))
    answer = TextField(default="")
    first_response_on = DateField(null=True)
    resolved_on = DateField(null=True)
    updated_at = DateTimeField(default=utcnow)
    # Flag-and-review, as the SKM: kept and shown to staff, counted once reviewed.
    flagged = BooleanField(default=False)
    flag_reason = CharField(max_length=200, null=True)
    client_hash = CharField(max_length=64, null=True)
    submission_token = CharField(max_length=64, unique=True)
    fill_seconds = IntegerField(null=True)

    class Meta:
        indexes = ((("service_unit", "received_at"), False), (("client_hash", "received_at"), False),
                   (("filed_unit", "received_at"), False))

    @property
    def state_label(self) -> str:
        return COMPLAINT_STATES.get(self.state, self.state)

    @property
    def rejection_label(self) -> str:
        return COMPLAINT_REJECTIONS.get(self.rejection, "")


class ComplaintPhoto(BaseModel):
    complaint = ForeignKeyField(Complaint, backref="photos", on_delete="CASCADE")
    stored_name = CharField(max_length=64)
    mime = CharField(max_length=100)
    size = IntegerField()


class ComplaintEvent(BaseModel):
    """A step in a complaint's life: a state change, a forward, an internal note. Notes are
    never shown publicly."""
    complaint = ForeignKeyField(Complaint, backref="events", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)
    actor = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    kind = CharField(max_length=10)  # state | forward | note
    state = CharField(max_length=10, default="")
    text = TextField(default="")

    class Meta:
        indexes = ((("complaint", "at"), False),)


# [turnaround: service logs, migration 0026]

class ServiceStandard(BaseModel):
    """The published service standard of a unit that issues documents: the SOP days a kind
    of document may take, counted in working days."""
    unit = ForeignKeyField(Unit, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=100)
    sop_days = IntegerField()
    updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("unit", "kind"), True),)


class ServiceRecord(BaseModel):
    """One document from a unit's imported service log: when it was received and finished,
    and who handled it. Turnaround is counted when read, on the unit's working calendar."""
    unit = ForeignKeyField(Unit, backref="+", on_delete="RESTRICT")
    kind = CharField(max_length=100)
    received_at = DateTimeField()
    finished_at = DateTimeField()
    handler = ForeignKeyField(Employee, backref="+", on_delete="RESTRICT")
    imported_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("unit", "finished_at"), False), (("handler", "finished_at"), False),
                   (("unit", "handler", "kind", "received_at"), True))
