"""flaskr-style fixtures: an app on a temporary SQLite file with the demo regency.
What they are built on lives in tests/support/, which tests import; nothing imports this file."""
import pytest

from kinerja import clock
from kinerja.demo import demo_accounts
from kinerja.models import db

from .support import postgres
from .support.app import TODAY, login, make_app


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only(reason): a test of SQLite itself (its file, pragmas, locking); "
                   "skipped when the suite runs on PostgreSQL (KINERJA_TEST_DB=postgresql)")


def pytest_collection_modifyitems(config, items):
    if not postgres.enabled():
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker:
            reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
            item.add_marker(pytest.mark.skip(reason=f"hanya SQLite: {reason}"))


@pytest.fixture(autouse=True)
def _drop_test_databases():
    """On PostgreSQL each test's databases are dropped after it (SQLite's live in tmp_path)."""
    yield
    postgres.after_test()


@pytest.fixture
def travel():
    """Move the app's clock for one test (`travel(day)`); it is back at TODAY afterwards."""
    yield clock.travel_to
    clock.travel_to(TODAY)


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    if not db.is_closed():
        db.close()


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 for this test (tests/support/smtp.py)."""
    from .support.smtp import Mailbox
    box = Mailbox().start()
    yield box
    box.stop()


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


@pytest.fixture
def as_role(client, accounts):
    """as_role("admin") logs the test client in as that demo account."""
    def _login(role):
        client.post("/keluar")
        response = login(client, accounts[role])
        assert response.status_code == 302, response.data[:500]
        return client
    return _login


@pytest.fixture
def in_db(app):
    """in_db(lambda: ...) runs a function against the test database, outside any request."""
    from .support import database

    def run(fn):
        with database(app):
            return fn()
    return run


@pytest.fixture
def q(in_db):
    """Run database reads in the test: q(lambda: ...)."""
    return in_db
