"""On PostgreSQL an app process keeps its connections in a pool: requests reuse them instead
of starting a server process each (SQLite keeps one connection per thread instead)."""
import threading

import pytest

from kinerja.models import PooledOneWriterPostgresqlDatabase, db

from ..support import postgres
from ..support.app import login, make_app

pytestmark = pytest.mark.skipif(not postgres.enabled(), reason="hanya PostgreSQL")


def test_requests_reuse_a_few_pooled_connections(tmp_path, accounts):
    app = make_app(tmp_path, DB_KEEP_CONNECTION=True, DB_POOL_SIZE=3)
    assert isinstance(db.obj, PooledOneWriterPostgresqlDatabase)
    backends, errors = set(), []

    def browse():
        client = app.test_client()
        try:
            assert login(client, accounts["admin"]).status_code == 302
            for _ in range(10):
                assert client.get("/organisasi/pegawai").status_code == 200
                with app.app_context():
                    backends.add(db.execute_sql("SELECT pg_backend_pid()").fetchone()[0])
                    db.close()
        except Exception as failure:  # noqa: BLE001 - reported below
            errors.append(failure)
    threads = [threading.Thread(target=browse) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert 1 <= len(backends) <= 3  # 33 logins and pages, three server processes at most
    db.close_all()
