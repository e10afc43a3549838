"""flaskr-style fixtures: an app on a temporary SQLite file with the demo regency."""
import datetime
import re

import pytest

from kinerja import create_app
from kinerja.cli import migrate
from kinerja.demo import DEMO_PASSWORD, demo_accounts, seed
from kinerja.models import db

TODAY = datetime.date(2026, 11, 24)


def make_app(tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_FAST": True,
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        migrate()
        seed(TODAY)
    db.close()
    return app


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
    keys = ["admin", "admin_opd", "pegawai", "penilai", "atasan"]
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
