"""The test app: the demo regency built once per process and copied for each test, the
frozen date, and logging in. Fixtures in tests/conftest.py are built on these."""
import datetime
import re
import shutil
import tempfile
from pathlib import Path

from kinerja import clock, create_app
from kinerja.schema import migrate
from kinerja.demo import DEMO_PASSWORD, seed
from kinerja.models import db

from . import postgres

# The one place the suite sets the date: the app's clock reads this day (and runs on from
# 10.00), whatever the machine's clock says, so that `make test-dates` passes on any date.
TODAY = datetime.date(2026, 11, 24)
clock.travel_to(TODAY)

_TEMPLATE: Path | None = None


def config(directory: Path, **overrides) -> dict:
    """The test app's settings; its database is a new, empty one in `directory` (on
    PostgreSQL, a new empty database) unless DATABASE_URL is given."""
    if "DATABASE_URL" not in overrides:
        overrides["DATABASE_URL"] = (postgres.server().create() if postgres.enabled()
                                     else f"sqlite:///{directory / 'test.sqlite3'}")
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "UPLOAD_DIR": str(directory / "uploads"),
        "SECRET_KEY_FILE": str(directory / "secret_key"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_FAST": True,
        # Hundreds of apps in one process: don't leave a connection open per test database.
        "DB_KEEP_CONNECTION": False,
        # Background jobs (mail) run at once, in the thread that queues them.
        "JOBS_IMMEDIATE": True,
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
        url = (postgres.server().create(name=postgres.TEMPLATE) if postgres.enabled()
               else f"sqlite:///{directory / 'test.sqlite3'}")
        app = create_app(config(directory, DATABASE_URL=url))
        with app.app_context():
            migrate()
            seed(TODAY)
            if not postgres.enabled():
                db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        _TEMPLATE = directory
    return _TEMPLATE


def make_app(tmp_path, **overrides):
    template = _template()
    if postgres.enabled():
        overrides.setdefault("DATABASE_URL", postgres.server().create(template=postgres.TEMPLATE))
    else:
        shutil.copyfile(template / "test.sqlite3", tmp_path / "test.sqlite3")
    if (template / "uploads").exists():
        shutil.copytree(template / "uploads", tmp_path / "uploads", dirs_exist_ok=True)
    return create_app(config(tmp_path, **overrides))


def login(client, username, password=DEMO_PASSWORD):
    return client.post("/masuk", data={"username": username, "password": password})


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'"X-CSRFToken": "([^"]+)"', html)
    return match.group(1)


def signed_in(app, username):
    """A client of an app with CSRF switched on, logged in the way a browser does."""
    client = app.test_client()
    token = csrf_token(client.get("/masuk").get_data(as_text=True))
    response = client.post("/masuk", data={"username": username, "password": DEMO_PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    return client
