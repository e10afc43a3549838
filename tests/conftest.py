"""flaskr-style fixtures: an app on a temporary SQLite file with the demo regency."""
import datetime
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from kinerja import clock, create_app
from kinerja.cli import migrate
from kinerja.demo import DEMO_PASSWORD, demo_accounts, seed
from kinerja.models import db

# The one place the suite sets the date: the app's clock reads this day (and runs on from
# 10.00), whatever the machine's clock says, so that `make test-dates` passes on any date.
TODAY = datetime.date(2026, 11, 24)
clock.travel_to(TODAY)


@pytest.fixture
def travel():
    """Move the app's clock for one test (`travel(day)`); it is back at TODAY afterwards."""
    yield clock.travel_to
    clock.travel_to(TODAY)


_TEMPLATE: Path | None = None


def _config(directory: Path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "DATABASE_URL": f"sqlite:///{directory / 'test.sqlite3'}",
        "UPLOAD_DIR": str(directory / "uploads"),
        "SECRET_KEY_FILE": str(directory / "secret_key"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_FAST": True,
        # Hundreds of apps in one process: don't leave a connection open per test database.
        "DB_KEEP_CONNECTION": False,
    }
    config.update(overrides)
    return config


def _template() -> Path:
    """The migrated demo regency (database and uploaded evidence), built once per process.

    Seeding takes far longer than copying a file, and every test starts from it.
    """
    global _TEMPLATE
    if _TEMPLATE is None:
        directory = Path(tempfile.mkdtemp(prefix="kinerja-template-"))
        app = create_app(_config(directory))
        with app.app_context():
            migrate()
            seed(TODAY)
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        _TEMPLATE = directory
    return _TEMPLATE


def make_app(tmp_path, **overrides):
    template = _template()
    shutil.copyfile(template / "test.sqlite3", tmp_path / "test.sqlite3")
    if (template / "uploads").exists():
        shutil.copytree(template / "uploads", tmp_path / "uploads", dirs_exist_ok=True)
    return create_app(_config(tmp_path, **overrides))


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    if not db.is_closed():
        db.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def accounts(app):
    """Demo usernames by role label: admin, admin_opd, pegawai, penilai, atasan."""
    with app.app_context():
        db.connect(reuse_if_open=True)
        rows = demo_accounts()
        db.close()
    keys = ["admin", "admin_opd", "pegawai", "penilai", "atasan", "pegawai_skp"]
    return {key: username for key, (_, username, _) in zip(keys, rows)}


def login(client, username, password=DEMO_PASSWORD):
    return client.post("/masuk", data={"username": username, "password": password})


@pytest.fixture
def as_role(client, accounts):
    """as_role("admin") logs the test client in as that demo account."""
    def _login(role):
        client.post("/keluar")
        response = login(client, accounts[role])
        assert response.status_code == 302, response.data[:500]
        return client
    return _login


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'"X-CSRFToken": "([^"]+)"', html)
    return match.group(1)


@pytest.fixture
def in_db(app):
    """in_db(lambda: ...) runs a function against the test database, outside any request."""
    from .support import database

    def run(fn):
        with database(app):
            return fn()
    return run
