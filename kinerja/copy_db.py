"""`flask copy-db --to URL`: move a regency into another database (SQLite to PostgreSQL, the
usual case) in one go, with the server stopped.

The target must be empty: a freshly created database, or one where only `flask init-db` ran.
It gets the schema from the same numbered migrations, then every table is copied in
foreign-key order, keeping ids, in one transaction. Before that transaction commits, each
table is read back and compared with the source by row count and checksum; any difference
rolls everything back, so a failed copy leaves the target as empty as it was.

Only the database moves. The uploaded evidence and the secret key are files; the command
ends by saying where they are.
"""
import datetime
import decimal
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from peewee import (
    SQL,
    AutoField,
    CharField,
    CompositeKey,
    ForeignKeyField,
    PeeweeException,
    PostgresqlDatabase,
    SqliteDatabase,
    __exception_wrapper__,
    fn,
)
from playhouse.migrations import Runner

from . import models
from .schema import MIGRATIONS
from .models import database_for, db

# Rows per INSERT and per read: a million survey responses never sit in memory at once.
BATCH = 1000
# SQLite allows 32766 parameters per statement; PostgreSQL 65535.
MAX_PARAMETERS = 30000
HISTORY = "schema_migration"
# Tables the migrations' triggers (0005 on SQLite, 0013 on PostgreSQL) keep from
# survey_response. Copying the responses rebuilds them in the target, so they are not copied
# but compared: without their ids (the target numbers its rows as the trigger inserts them)
# and without rows left at zero, which the trigger leaves behind when a period's last response
# of a status moves away (a review) but never creates when building afresh.
DERIVED = {"survey_tally": "responses <> 0"}


class CopyError(Exception):
    """A copy that cannot go on or did not verify; the message is for the operator."""

    def __init__(self, message: str, tables: list["TableResult"] | None = None):
        super().__init__(message)
        self.tables = tables or []


@dataclass
class TableResult:
    name: str
    rows: int
    matches: bool | None = None  # None: only counted (--check)


@dataclass
class Outcome:
    source: str
    target: str
    tables: list[TableResult] = field(default_factory=list)
    seconds: float = 0.0
    copied: bool = False

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


def masked(url: str) -> str:
    """The URL as it may be printed: without the password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _kind(url: str) -> str:
    if url.startswith("sqlite:///"):
        return "sqlite"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql"
    return "other"


def _same_database(a: str, b: str) -> bool:
    if a == b:
        return True
    if _kind(a) != _kind(b):
        return False
    if _kind(a) == "sqlite":
        return Path(a[len("sqlite:///"):]).resolve() == Path(b[len("sqlite:///"):]).resolve()
    from playhouse.db_url import parse
    keys = ("host", "port", "database")
    first, second = parse(a), parse(b)
    return all(first.get(key) == second.get(key) for key in keys)


# --- Checksums ------------------------------------------------------------------

def plain(value):
    """One value in a form that is the same whichever engine stored it. Read through the
    model's fields both engines give Python types, but not always the same value: SQLite
    keeps 12.50 as the float 12.5 (Decimal('12.5')), PostgreSQL as Decimal('12.50'); a table
    read without the app's model may give SQLite's 0/1 where PostgreSQL gives a bool."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        value = decimal.Decimal(repr(value))
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def row_hash(values) -> int:
    # JSON keeps None (null) apart from "" and a number apart from the same digits as text.
    text = json.dumps([plain(value) for value in values], ensure_ascii=False,
                      separators=(",", ":"))
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


def _fields(model):
    return list(model._meta.sorted_fields)


def _pages(database, model, where=None):
    """The table's rows, converted by the model's fields, one batch at a time in key order
    (keyset paging: each read starts after the last key, so memory stays one batch)."""
    key = model._meta.primary_key
    fields = _fields(model)
    at = fields.index(key)
    batch = max(1, min(BATCH, MAX_PARAMETERS // len(fields)))
    last = None
    while True:
        query = model.select(*fields).order_by(key).limit(batch)
        condition = SQL(where) if where else None
        if last is not None:
            condition = (key > last) if condition is None else (condition & (key > last))
        if condition is not None:
            query = query.where(condition)
        rows = list(query.tuples().execute(database))
        if not rows:
            return
        yield rows
        if len(rows) < batch:
            return
        last = rows[-1][at]


def table_checksum(database, model) -> tuple[int, str]:
    """(rows, checksum) of one table; a derived table is read without its ids.

    The checksum is the sum of the rows' SHA-256 hashes: the same rows give the same sum in
    whatever order they are read, so a text key that PostgreSQL's collation sorts otherwise,
    or a tally the target numbered otherwise, does not matter; a changed, missing or extra
    row does."""
    where = DERIVED.get(model._meta.table_name)
    skip = _fields(model).index(model._meta.primary_key) if where else None
    count = total = 0
    for rows in _pages(database, model, where):
        count += len(rows)
        total += sum(row_hash([v for i, v in enumerate(row) if i != skip]) for row in rows)
    return count, format(total % (1 << 256), "064x")


# --- Tables ---------------------------------------------------------------------

def app_models() -> dict:
    """Every model of kinerja.models by table name."""
    found, todo = {}, list(models.BaseModel.__subclasses__())
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        if model.__module__ == models.__name__:
            found[model._meta.table_name] = model
    return found


def _tables(database) -> list[str]:
    return sorted(name for name in database.get_tables()
                  if name != HISTORY and not name.startswith("sqlite_"))


def _models_for(tables: list[str], typed_by) -> dict:
    """The app's model for each table; a table the migrations create without a model gets one
    read from `typed_by` (the target once migrated: PostgreSQL knows which integer column is
    really a boolean, SQLite does not)."""
    known = app_models()
    found = {name: known[name] for name in tables if name in known}
    missing = [name for name in tables if name not in known]
    if missing:
        from playhouse.reflection import Introspector
        reflected = Introspector.from_database(typed_by).generate_models(
            table_names=missing, literal_column_names=True)
        found.update((name, reflected[name]) for name in missing)
    for name, model in found.items():
        if not model._meta.primary_key or isinstance(model._meta.primary_key, CompositeKey):
            raise CopyError(f"Tabel {name} tidak punya kunci primer; copy-db tidak dapat menyalinnya.")
    return found


def _in_fk_order(found: dict) -> list[str]:
    """Tables referenced before the tables referencing them (self-references aside)."""
    ordered, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for f in found[name]._meta.fields.values():
            if isinstance(f, ForeignKeyField):
                other = f.rel_model._meta.table_name
                if other != name and other in found:
                    visit(other)
        ordered.append(name)

    for name in sorted(found):
        visit(name)
    return ordered


def _check_columns(source, target, found: dict) -> None:
    """Same columns in the source, the target and the model, or data would be left behind."""
    for name, model in found.items():
        expected = {f.column_name for f in _fields(model)}
        for side, database in (("sumber", source), ("tujuan", target)):
            actual = {column.name for column in database.get_columns(name)}
            if actual != expected:
                raise CopyError(f"Kolom tabel {name} di basis data {side} tidak sesuai model "
                                f"(lebih: {sorted(actual - expected)}, kurang: "
                                f"{sorted(expected - actual)}).")


def _too_long(source, found: dict) -> list[str]:
    """Text longer than its column allows: SQLite stores it, PostgreSQL refuses it."""
    problems = []
    for name, model in sorted(found.items()):
        key = model._meta.primary_key
        for f in _fields(model):
            if isinstance(f, CharField) and not isinstance(f, ForeignKeyField) and f.max_length:
                query = (model.select(key).where(fn.LENGTH(f) > f.max_length)
                         .order_by(key).limit(5).tuples())
                keys = [row[0] for row in query.execute(source)]
                if keys:
                    problems.append(f"{name}.{f.column_name} (> {f.max_length} karakter; "
                                    f"{key.column_name} {', '.join(map(str, keys))})")
    return problems


def _non_empty(database) -> list[str]:
    return [name for name in _tables(database)
            if database.execute_sql(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()]


def _pending(database) -> list[str]:
    return [m.name for m in Runner(database, str(MIGRATIONS)).status()
            if m.applied is None and m.path is not None]


# --- Copying --------------------------------------------------------------------

def _copy_table(source, target, model) -> None:
    """Copy one table keeping its ids. A reference to a row of the same table that comes
    later in key order (an employee whose appraiser override was added after them) is
    written once that row exists: the foreign key is checked per statement."""
    fields = _fields(model)
    key = model._meta.primary_key
    at = fields.index(key)
    own = [i for i, f in enumerate(fields)
           if isinstance(f, ForeignKeyField) and f.rel_model is model]
    # One INSERT run over each batch (executemany): peewee building a thousand-row statement
    # per batch took most of the copy's time.
    sql = (f'INSERT INTO "{model._meta.table_name}" ('
           + ", ".join(f'"{f.column_name}"' for f in fields) + ") VALUES ("
           + ", ".join([target.param] * len(fields)) + ")")
    later = []
    for rows in _pages(source, model):
        batch = []
        for row in rows:
            row = list(row)
            for i in own:
                if row[i] is not None and row[i] > row[at]:
                    later.append((row[at], fields[i], row[i]))
                    row[i] = None
            batch.append([f.db_value(value) for f, value in zip(fields, row)])
        # What peewee wraps around its own statements, so that a refused row surfaces as
        # the same IntegrityError/DataError whichever driver refused it.
        with __exception_wrapper__:
            target.cursor().executemany(sql, batch)
    for row_key, f, value in later:
        model.update({f: value}).where(key == row_key).execute(target)


def _reset_sequences(target, found: dict) -> None:
    """PostgreSQL hands out ids from a sequence that the copied ids did not advance."""
    if not isinstance(target, PostgresqlDatabase):
        return
    for name, model in found.items():
        key = model._meta.primary_key
        if isinstance(key, AutoField):
            target.execute_sql(
                f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{key.column_name}"), 0) + 1, '
                f'false) FROM "{name}"', (f'"{name}"', key.column_name))


def _snapshot(database):
    """Read the source in one transaction, so that every table and its checksum come from
    one moment even if a forgotten worker still writes. Nothing is written in it."""
    if isinstance(database, SqliteDatabase):
        return database.atomic(lock_type="DEFERRED")
    return database.atomic(isolation_level="REPEATABLE READ")


def copy(source_url: str, target_url: str, check_only: bool = False) -> Outcome:
    """Copy the app's database (`source_url`, the one the models are bound to) into the empty
    one at `target_url`; with `check_only`, check both and count the rows, writing nothing."""
    if _kind(target_url) == "other":
        raise CopyError("Alamat tujuan harus sqlite:///… atau postgresql://…")
    if _same_database(source_url, target_url):
        raise CopyError("Tujuan sama dengan basis data yang sedang dipakai (DATABASE_URL).")
    started = time.monotonic()
    outcome = Outcome(source=masked(source_url), target=masked(target_url))
    source = db.obj
    source.connect(reuse_if_open=True)
    pending = _pending(source)
    if pending:
        raise CopyError(f"Basis data sumber belum pada migrasi terakhir (belum: {', '.join(pending)}). "
                        "Jalankan `flask init-db` dulu, lalu ulangi.")
    tables = _tables(source)
    target = _empty_target(target_url, check_only)
    try:
        if _kind(target_url) == "postgresql":
            _refuse_too_long(source, _models_for(tables, source))
        if check_only:
            outcome.tables = _counts(source, _models_for(tables, source))
        else:
            found = _prepare(source, target, tables)
            with _snapshot(source):
                outcome.tables = _copy_all(source, target, found)
            outcome.copied = True
            if _kind(target_url) == "postgresql":
                # Freshly loaded tables have no planner statistics and no visibility map (a count
                # over an index would still open every row) until autovacuum comes round.
                target.execute_sql("VACUUM ANALYZE")
    finally:
        if target is not None:
            target.close()
    outcome.seconds = time.monotonic() - started
    return outcome


def _empty_target(url: str, check_only: bool):
    """The target, connected, once it is known to hold no rows; None for a SQLite file that
    does not exist yet when only checking (connecting would create it)."""
    if _kind(url) == "sqlite":
        path = Path(url[len("sqlite:///"):])
        if not path.parent.is_dir():
            raise CopyError(f"Folder tujuan {path.parent} tidak ada.")
        if check_only and not path.exists():
            return None
    target = database_for(url)
    try:
        target.connect()
    except PeeweeException as exc:
        raise CopyError(f"Tidak dapat terhubung ke basis data tujuan: {exc}".strip())
    filled = _non_empty(target)
    if filled:
        target.close()
        raise CopyError(
            "Basis data tujuan tidak kosong (berisi data di tabel "
            f"{', '.join(filled[:8])}{' …' if len(filled) > 8 else ''}). copy-db hanya menulis ke "
            "basis data yang baru dibuat atau yang hanya pernah dijalankan `flask init-db`; "
            "tidak ada yang ditulis.")
    return target


def _refuse_too_long(source, found: dict) -> None:
    problems = _too_long(source, found)
    if problems:
        raise CopyError("Isian lebih panjang dari yang diizinkan kolomnya di PostgreSQL: "
                        + "; ".join(problems) + ". Perbaiki dulu di sumber; tidak ada yang ditulis.")


def _prepare(source, target, tables: list[str]) -> dict:
    """The target's schema from the same migrations, and the model of each table to copy."""
    try:
        Runner(target, str(MIGRATIONS)).up()
    except PeeweeException as exc:
        raise CopyError(f"Migrasi basis data tujuan gagal: {exc}")
    made = _tables(target)
    if set(tables) - set(made):
        raise CopyError("Tabel di sumber yang tidak dibuat oleh migrasi: "
                        f"{', '.join(sorted(set(tables) - set(made)))}.")
    found = _models_for(made, target)
    _check_columns(source, target, found)
    return found


def _copy_all(source, target, found: dict) -> list[TableResult]:
    """Every table in one transaction, compared with the source before it commits."""
    with target.atomic():
        for name in _in_fk_order(found):
            if name in DERIVED:
                continue
            try:
                _copy_table(source, target, found[name])
            except PeeweeException as exc:
                raise CopyError(f"Gagal menyalin tabel {name}: {exc}. Tidak ada yang ditulis.")
        _reset_sequences(target, found)
        results = []
        for name in sorted(found):
            rows, expected = table_checksum(source, found[name])
            copied_rows, actual = table_checksum(target, found[name])
            results.append(TableResult(name, rows, rows == copied_rows and expected == actual))
        wrong = [result.name for result in results if not result.matches]
        if wrong:
            # Raised inside atomic(): the whole copy is rolled back.
            raise CopyError(f"Hasil salinan tidak cocok dengan sumber pada tabel {', '.join(wrong)}; "
                            "semua dibatalkan, basis data tujuan tetap kosong.", results)
    return results


def _counts(source, found: dict) -> list[TableResult]:
    results = []
    with _snapshot(source):
        for name in sorted(found):
            query = found[name].select()
            if DERIVED.get(name):
                query = query.where(SQL(DERIVED[name]))
            results.append(TableResult(name, query.count(source)))
    return results


# --- What the command prints ----------------------------------------------------

def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def report_lines(tables: list[TableResult]) -> list[str]:
    """One line per table: name, rows, and whether the copy matched the source."""
    width = max((len(t.name) for t in tables), default=0)
    lines = []
    for t in tables:
        verdict = "" if t.matches is None else ("cocok" if t.matches else "TIDAK COCOK")
        note = " (dibangun ulang pemicu)" if t.name in DERIVED and t.matches is not None else ""
        lines.append(f"{t.name:<{width}}  {_number(t.rows):>9}  {verdict}{note}".rstrip())
    return lines


def summary_line(outcome: Outcome) -> str:
    seconds = f"{outcome.seconds:.1f}".replace(".", ",")
    if outcome.copied:
        return (f"Total: {_number(outcome.rows)} baris dalam {len(outcome.tables)} tabel disalin "
                f"dan cocok ({seconds} detik).")
    return (f"Pemeriksaan selesai: sumber pada migrasi terakhir, tujuan kosong; "
            f"{_number(outcome.rows)} baris dalam {len(outcome.tables)} tabel akan disalin. "
            "Tidak ada yang ditulis.")


def reminder_lines(upload_dir: str, secret_key_file: str, target: str) -> list[str]:
    key = (f"Salin berkas kunci rahasia {secret_key_file} ke tempat yang sama di server baru "
           "(izin 600): dengan kunci lain semua pengguna harus masuk lagi dan tablet kios survei "
           "tidak dikenali lagi." if secret_key_file else
           "Kunci rahasia diambil dari variabel lingkungan SECRET_KEY: pakai nilai yang sama di "
           "server baru.")
    uploads = (f"Salin folder unggahan {upload_dir} (berkas bukti dukung) ke server baru, "
               "lengkap dengan subfoldernya.")
    return [
        "Yang disalin hanya basis data. Sebelum menjalankan server dengan basis data baru:",
        f"  1. {uploads}",
        f"  2. {key}",
        f"  3. Ubah DATABASE_URL menjadi {target}, lalu jalankan lagi server.",
    ]
