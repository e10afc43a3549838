"""`flask copy-db --to URL`: the demo regency moved from SQLite into an empty PostgreSQL (or
SQLite) database, checked table by table, and the refusals that keep a copy from landing on
data or leaving half of itself behind."""
import datetime
import decimal
import re
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest
from peewee import BooleanField, DateTimeField, DecimalField, Model, TextField, fn
from playhouse.migrations import Runner

from kinerja import copy_db, create_app
from kinerja.schema import MIGRATIONS, migrate
from kinerja.demo import demo_accounts, seed
from kinerja.models import (
    Employee,
    Notification,
    SurveyPeriod,
    SurveyResponse,
    SurveyTally,
    Unit,
    connect_url,
    database_for,
    db,
)

from ..support import database, postgres
from ..support.app import TODAY, config, login, make_app

_SEEDED: Path | None = None


def _seeded_sqlite() -> Path:
    """The demo regency in a SQLite file, seeded once per process (the PostgreSQL run's own
    template is a PostgreSQL database, not a file)."""
    global _SEEDED
    if _SEEDED is None:
        directory = Path(tempfile.mkdtemp(prefix="kinerja-copy-db-"))
        app = create_app(config(directory, DATABASE_URL=f"sqlite:///{directory / 'demo.sqlite3'}"))
        with app.app_context():
            migrate()
            seed(TODAY)
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        _SEEDED = directory / "demo.sqlite3"
    return _SEEDED


@pytest.fixture
def source(tmp_path):
    """An app on the demo regency in SQLite, where every regency starts, on either run."""
    directory = tmp_path / "lama"
    directory.mkdir()
    if postgres.enabled():
        shutil.copyfile(_seeded_sqlite(), directory / "test.sqlite3")
        app = create_app(config(directory, DATABASE_URL=f"sqlite:///{directory / 'test.sqlite3'}"))
    else:
        app = make_app(directory)
    yield app
    if not db.is_closed():
        db.close()


def _empty_postgresql() -> str:
    # Never skipped: without Debian's PostgreSQL binaries this fails and says how to install
    # them (`make test` installs them).
    return postgres.server().create()


def _use(app):
    """Bind the models to this app's database again: every create_app() rebinds them."""
    if not db.is_closed():
        db.close()
    connect_url(app.config["DATABASE_URL"])
    return app


def _copy(app, target: str, *options: str):
    result = _use(app).test_cli_runner().invoke(args=["copy-db", "--to", target, *options])
    db.close()
    return result


def _counts(url: str) -> dict[str, int]:
    """Rows per table, read without the app's models."""
    database = database_for(url)
    database.connect()
    try:
        return {name: database.execute_sql(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
                for name in database.get_tables()}
    finally:
        database.close()


def _checksums(url: str) -> dict[str, tuple[int, str]]:
    database = database_for(url)
    database.connect()
    try:
        return {name: copy_db.table_checksum(database, model)
                for name, model in copy_db.app_models().items()}
    finally:
        database.close()


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _visible(html: str) -> str:
    """A page's text as a person reads it (no tags, so no CSRF token)."""
    main = html[html.find("<main"):]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()


def _pages(app) -> dict[str, str]:
    """What an admin BKPSDM and an employee with an SKP see on a few pages."""
    with database(_use(app)):
        admin, employee = "admin", demo_accounts()[-1][1]
    seen, clients = {}, {}
    # Everyone logs in before any page is read: the admin's Beranda counts accounts never used.
    for username in (admin, employee):
        clients[username] = app.test_client()
        assert login(clients[username], username).status_code == 302
    for username, paths in ((admin, ["/", "/skm", "/ikm", "/organisasi/pegawai"]),
                            (employee, ["/", "/skp/"])):
        client = clients[username]
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (username, path)
            seen[f"{username} {path}"] = _visible(response.get_data(as_text=True))
    db.close()
    return seen


def test_the_demo_regency_moves_into_an_empty_postgresql_database(source, tmp_path):
    source_url = source.config["DATABASE_URL"]
    pages = _pages(source)  # logging in writes sessions: before the source is counted
    counts, checksums = _counts(source_url), _checksums(source_url)
    target = _empty_postgresql()

    result = _copy(source, target)

    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()
             if line.split() and line.split()[0] in checksums}
    assert set(lines) == set(checksums)
    assert all(words[1] == "cocok" for words in lines.values()), result.output
    assert lines["survey_response"][0] == _number(counts["survey_response"])
    assert "Total: " in result.output
    assert source.config["UPLOAD_DIR"] in result.output
    assert source.config["SECRET_KEY_FILE"] in result.output
    assert "Ubah DATABASE_URL" in result.output

    assert _counts(target) == counts
    assert _checksums(source_url) == checksums, "the source must not change"
    # Vacuumed and analysed once copied: the planner knows the tables from the first page.
    with psycopg.connect(target) as pg:
        visible, analysed = pg.execute(
            "SELECT c.relallvisible, (SELECT count(*) FROM pg_stats s WHERE s.tablename = c.relname)"
            " FROM pg_class c WHERE c.relname = 'survey_response'").fetchone()
    assert visible > 0 and analysed > 0

    moved = create_app(config(tmp_path / "baru", DATABASE_URL=target))
    assert _pages(moved) == pages
    with database(_use(moved)):
        # New rows take the next id, not one the copy already used.
        for model, values in ((Unit, {"code": "BARU", "name": "Unit baru"}),
                              (Notification, {"recipient": Employee.select().first(), "text": "Halo"})):
            highest = model.select(fn.MAX(model.id)).scalar()
            assert model.create(**values).id == highest + 1


def test_a_second_copy_into_the_same_database_is_refused(source):
    target = _empty_postgresql()
    assert _copy(source, target).exit_code == 0
    counts = _counts(target)

    again = _copy(source, target)

    assert again.exit_code != 0
    assert "Basis data tujuan tidak kosong" in again.output
    assert "tidak ada yang ditulis" in again.output
    assert _counts(target) == counts


def test_the_app_database_itself_is_refused_as_target(source):
    result = _copy(source, source.config["DATABASE_URL"])
    assert result.exit_code != 0
    assert "Tujuan sama dengan basis data yang sedang dipakai" in result.output


def test_check_counts_the_rows_and_writes_nothing(source):
    target = _empty_postgresql()

    result = _copy(source, target, "--check")

    assert result.exit_code == 0, result.output
    assert "Tidak ada yang ditulis" in result.output
    responses = _number(_counts(source.config["DATABASE_URL"])["survey_response"])
    assert re.search(rf"^survey_response +{re.escape(responses)}$", result.output, re.MULTILINE)
    assert _counts(target) == {}, "no schema either"


def test_a_failed_comparison_leaves_the_target_empty(source, monkeypatch):
    target = _empty_postgresql()
    copy_table = copy_db._copy_table

    def corrupting(source_db, target_db, model):
        copy_table(source_db, target_db, model)
        if model is Notification:
            Notification.update(text="diubah").where(Notification.id == 1).execute(target_db)

    monkeypatch.setattr(copy_db, "_copy_table", corrupting)
    result = _copy(source, target)

    assert result.exit_code != 0
    assert "tidak cocok dengan sumber pada tabel notification" in result.output
    notifications = _counts(source.config["DATABASE_URL"])["notification"]
    assert re.search(rf"^notification +{notifications} +TIDAK COCOK$", result.output, re.MULTILINE)
    # The schema stays (init-db alone would have left the same), the rows are gone.
    assert not any(rows for name, rows in _counts(target).items() if name != "schema_migration")


def test_text_too_long_for_postgresql_is_named_before_anything_is_written(source):
    # SQLite keeps any length in a VARCHAR(200); PostgreSQL refuses it.
    with database(_use(source)):
        unit = Unit.select().order_by(Unit.id).first()
        Unit.update(name="x" * 201).where(Unit.id == unit.id).execute()
    target = _empty_postgresql()

    result = _copy(source, target)

    assert result.exit_code != 0
    assert f"unit.name (> 200 karakter; id {unit.id})" in result.output
    assert _counts(target) == {}


def test_a_table_without_a_model_is_copied_by_its_columns(source, monkeypatch, tmp_path):
    # A table the migrations create and no model describes is read from the target's schema:
    # PostgreSQL's booleans and timestamps, not SQLite's integers and text.
    models = copy_db.app_models()
    monkeypatch.setattr(copy_db, "app_models",
                        lambda: {name: m for name, m in models.items() if name != "user"})
    target = _empty_postgresql()

    result = _copy(source, target)

    assert result.exit_code == 0, result.output
    users = _counts(source.config["DATABASE_URL"])["user"]
    assert re.search(rf"^user +{users} +cocok$", result.output, re.MULTILINE)
    moved = create_app(config(tmp_path / "baru", DATABASE_URL=target))
    assert login(moved.test_client(), "admin").status_code == 302
    db.close()


def test_copy_into_sqlite_keeps_references_to_later_rows_and_rebuilds_the_tally(source, tmp_path):
    with database(_use(source)):
        # An override pointing at an employee added later: that row is not there yet when
        # the first employee is written.
        first, last = (Employee.select(fn.MIN(Employee.id)).scalar(),
                       Employee.select(fn.MAX(Employee.id)).scalar())
        Employee.update(appraiser_override=last).where(Employee.id == first).execute()
        # A period whose only response was deleted: the trigger leaves its tally row at zero.
        period = SurveyPeriod.select().first()
        extra = SurveyPeriod.create(service_unit=period.service_unit_id, kind="tahun", year=2031,
                                    number=1, starts=datetime.date(2031, 1, 1),
                                    ends=datetime.date(2031, 12, 31))
        response = SurveyResponse.create(service_unit=period.service_unit_id, period=extra, u1=4)
        response.delete_instance()
        assert SurveyTally.get(SurveyTally.period == extra).responses == 0
    target = f"sqlite:///{tmp_path / 'salinan.sqlite3'}"
    with database(create_app(config(tmp_path / "baru", DATABASE_URL=target))):
        migrate()  # `flask init-db` alone leaves the target empty: still a valid target

    result = _copy(source, target)

    assert result.exit_code == 0, result.output
    counts, copied = _counts(source.config["DATABASE_URL"]), _counts(target)
    assert copied.pop("survey_tally") == counts.pop("survey_tally") - 1
    assert copied == counts
    assert _checksums(target) == _checksums(source.config["DATABASE_URL"])
    with database(create_app(config(tmp_path / "baru", DATABASE_URL=target))):
        assert Employee.get_by_id(first).appraiser_override_id == last


def test_a_source_behind_the_migrations_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'lama.sqlite3'}"
    app = create_app(config(tmp_path, DATABASE_URL=url))
    with app.app_context():
        db.connect()
        Runner(db.obj, str(MIGRATIONS)).up("0012_peer_feedback_snapshot")
    target = f"sqlite:///{tmp_path / 'baru.sqlite3'}"

    result = _copy(app, target)

    assert result.exit_code != 0
    assert "belum pada migrasi terakhir" in result.output and "flask init-db" in result.output
    assert not Path(target[len("sqlite:///"):]).exists()


class Sample(Model):
    at = DateTimeField()
    amount = DecimalField(max_digits=14, decimal_places=2, null=True)
    flag = BooleanField()
    note = TextField(null=True)


SAMPLES = [
    {"at": datetime.datetime(2026, 11, 24, 10, 15, 30, 250000), "amount": decimal.Decimal("12.50"),
     "flag": True, "note": ""},
    {"at": datetime.datetime(2026, 1, 2, 3, 4, 5), "amount": decimal.Decimal(100),
     "flag": False, "note": None},
]


def _sample_checksum(url: str, rows) -> tuple[int, str]:
    database = database_for(url)
    with database.bind_ctx([Sample]):
        database.connect()
        try:
            Sample.create_table()
            Sample.insert_many(rows).execute()
            return copy_db.table_checksum(database, Sample)
        finally:
            database.close()


def test_the_checksum_reads_the_same_data_alike_on_both_engines(tmp_path):
    pg = _empty_postgresql
    sqlite = iter(f"sqlite:///{tmp_path / f'{n}.sqlite3'}" for n in range(4))

    on_sqlite = _sample_checksum(next(sqlite), SAMPLES)
    assert _sample_checksum(pg(), SAMPLES) == on_sqlite
    assert on_sqlite[0] == 2

    changed = [dict(SAMPLES[0], amount=decimal.Decimal("12.51")), SAMPLES[1]]
    assert _sample_checksum(next(sqlite), changed) != on_sqlite
    empty_not_none = [SAMPLES[0], dict(SAMPLES[1], note="")]
    assert _sample_checksum(next(sqlite), empty_not_none) != on_sqlite
    later = [dict(SAMPLES[0], at=SAMPLES[0]["at"] + datetime.timedelta(microseconds=1)), SAMPLES[1]]
    assert _sample_checksum(pg(), later) != on_sqlite
