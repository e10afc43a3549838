"""The job runner: immediate in the tests, a SQLite queue by default, jobs inside the app's
context, the minute round with the daily digest, and `flask worker` as its own process."""
import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from huey.exceptions import ConfigurationError
from huey.storage import SqliteStorage

from kinerja import clock, jobs
from kinerja.models import MailPreference, Notification, OutboxMessage, db
from kinerja.stores import mail

from ..support import database
from ..support.app import login, make_app
from ..support.http import ROOT
from .conftest import BASE_URL, set_email


def _queued_app(tmp_path, smtp, **overrides):
    """The test app with a real queue: a SQLite file, consumed by whoever runs the jobs."""
    return make_app(tmp_path, JOBS_IMMEDIATE=False, JOBS_FILE=str(tmp_path / "jobs.sqlite3"),
                    MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_USE_TLS=False,
                    BASE_URL=BASE_URL, **overrides)


def _queue_notice(app, employee_id, text="SKP 2027 Anda disetujui"):
    with database(app):
        with db.atomic():
            notice = Notification.create(recipient=employee_id, text=text, link="/skp/1")
            return mail.queue_notice(employee_id, "skp", text, "/skp/1", notification_id=notice.id)


def test_the_tests_run_jobs_at_once(app):
    assert jobs.huey.immediate


def test_by_default_the_queue_is_a_sqlite_file_opened_at_first_use(tmp_path, smtp, accounts):
    app = _queued_app(tmp_path, smtp)
    assert not jobs.huey.immediate
    assert not (tmp_path / "jobs.sqlite3").exists(), "creating the app touches no file"
    _, employee_id, address = set_email(app, accounts["pegawai"])
    _queue_notice(app, employee_id)
    jobs.flush_outbox()
    assert isinstance(jobs.huey.storage, SqliteStorage)
    assert (tmp_path / "jobs.sqlite3").exists()
    assert jobs.huey.pending_count() == 1
    assert smtp.messages == [], "nothing is sent by the process that queued it"
    # What a worker thread does: no app context, no connection of its own yet.
    assert db.is_closed()
    jobs.huey.execute(jobs.huey.dequeue())
    assert [m.recipients for m in smtp.messages] == [[address]]
    assert db.is_closed(), "the job closes the connection it opened"


def test_a_request_that_queued_mail_queues_the_sending_after_it(tmp_path, smtp, accounts):
    app = _queued_app(tmp_path, smtp)
    client = app.test_client()
    login(client, accounts["pegawai"])
    client.get("/email")
    assert jobs.huey.pending_count() == 0
    client.post("/email", data={"email": "wulan@sukamaju.test"})
    assert jobs.huey.pending_count() == 1
    with database(app):
        assert OutboxMessage.get().state == "queued"
    jobs.huey.execute(jobs.huey.dequeue())
    assert [m.subject for m in smtp.messages] == ["Kinerja: konfirmasi alamat email Anda"]


def test_the_minute_round_writes_the_daily_mail_once_from_its_hour(app, smtp, with_email, travel):
    user_id, employee_id, address = with_email("pegawai")
    with database(app):
        MailPreference.create(account=user_id, kind="skp", mode="digest")
    _queue_notice(app, employee_id)
    zone = clock.zone()
    travel(datetime.datetime(2026, 11, 25, 5, 30, tzinfo=zone))
    jobs.mail_every_minute.call_local()
    assert smtp.messages == [], "before 06.00"
    travel(datetime.datetime(2026, 11, 25, 6, 1, tzinfo=zone))
    jobs.mail_every_minute.call_local()
    [digest] = smtp.to(address)
    assert "ringkasan harian 25 November 2026" in digest.subject
    _queue_notice(app, employee_id, "Notifikasi sesudah ringkasan")
    travel(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=zone))
    jobs.mail_every_minute.call_local()
    assert len(smtp.messages) == 1, "once a day"
    travel(datetime.datetime(2026, 11, 26, 6, 0, tzinfo=zone))
    jobs.mail_every_minute.call_local()
    assert len(smtp.messages) == 2


def test_redis_is_needed_only_when_redis_url_is_set(tmp_path, smtp):
    try:
        import redis  # noqa: F401
    except ImportError:
        _queued_app(tmp_path, smtp, REDIS_URL="redis://127.0.0.1:1/0")
        with pytest.raises(ConfigurationError, match="redis"):
            jobs.huey.storage
    else:
        pytest.skip("redis is installed here")


def _environment(app, smtp, tmp_path, **extra) -> dict:
    environment = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test",
                   "JOBS_FILE": str(tmp_path / "jobs.sqlite3"), "MAIL_SERVER": "127.0.0.1",
                   "MAIL_PORT": str(smtp.port), "MAIL_USE_TLS": "0", "BASE_URL": BASE_URL,
                   "UPLOAD_DIR": str(tmp_path / "uploads")}
    environment.update(extra)
    return environment


# Under libfaketime (make test-dates) the consumer's main thread stays in Event.wait(0.1) for
# good once the worker threads run (seen with py-spy), so it never reads the SIGINT; nothing
# here depends on the date.
@pytest.mark.skipif(bool(os.environ.get("FAKETIME")),
                    reason="libfaketime menggantung tunggu berbatas waktu di konsumen Huey")
def test_flask_worker_sends_what_the_web_process_queued(tmp_path, smtp, accounts):
    app = _queued_app(tmp_path, smtp)
    _, employee_id, address = set_email(app, accounts["pegawai"])
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker"], cwd=ROOT,
                              env=_environment(app, smtp, tmp_path), stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        _queue_notice(app, employee_id)
        jobs.flush_outbox()
        [received] = smtp.wait_for(1)
        assert received.recipients == [address]
        # The worker marks the message sent just after the server took it.
        deadline = time.monotonic() + 20
        while True:
            with database(app):
                state = OutboxMessage.get().state
            if state == "sent" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert state == "sent"
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            raise
    output = (tmp_path / "worker.log").read_text()
    assert "Pekerja latar belakang berjalan (2 utas)" in output
    assert worker.returncode == 0, output


def test_flask_worker_refuses_immediate_mode(tmp_path, app, smtp):
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "worker"], cwd=ROOT,
                            env=_environment(app, smtp, tmp_path, JOBS_IMMEDIATE="1"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "JOBS_IMMEDIATE" in result.stderr
