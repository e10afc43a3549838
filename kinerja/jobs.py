"""The one job runner: huey, with its queue in a SQLite file in instance/ (JOBS_FILE), or in
Redis when REDIS_URL is set, or run at once in the calling thread when JOBS_IMMEDIATE is on
(the tests). `flask worker` runs the consumer: two worker threads for the jobs, and the
scheduler for the periodic ones.

Every job runs inside the app's context with the database connected, so a job calls the
same stores a view does. Jobs are small and carry ids, never models: a job may run in
another process, minutes after it was queued.

Sending mail: a store that writes a message to the outbox inside its transaction notes that
it did (stores/mail.take_queued); after the request, when every transaction of the view has
committed, `send_outbox` is queued once. In immediate mode it runs there and then, which
keeps the tests deterministic. Every minute the worker also sends whatever is due (retries,
mail queued from the CLI) and, once a day from MAIL_DIGEST_HOUR, writes the digests and
reminders."""
import functools
import logging

from huey import Huey, crontab
from huey.storage import MemoryStorage, SqliteStorage

from .models import db
from .stores import exports, mail

log = logging.getLogger("kinerja.jobs")
WORKER_THREADS = 2

_app = None


class Jobs(Huey):
    """A huey whose queue is chosen when the app is configured and opened at first use, so
    that creating an app (every test, every gunicorn worker) touches no file or server."""

    def __init__(self, name: str):
        self._backend = None
        self._storage = None
        super().__init__(name, results=False, immediate=True)

    def create_storage(self):
        return None  # opened lazily by `storage`

    @property
    def storage(self):
        if self._storage is None:
            self._storage = (self._backend() if self._backend is not None and not self._immediate
                             else MemoryStorage(self.name))
        return self._storage

    @storage.setter
    def storage(self, value):
        self._storage = value

    def use(self, backend, immediate: bool) -> None:
        self._backend, self._immediate, self._storage = backend, immediate, None


huey = Jobs("kinerja")


def _backend(config):
    """The queue's storage factory for the settings: Redis (imported only then) or SQLite."""
    if config.get("REDIS_URL"):
        def redis():
            from huey.storage import RedisStorage  # raises ConfigurationError without `redis`
            return RedisStorage("kinerja", url=config["REDIS_URL"])
        return redis
    filename = config["JOBS_FILE"]
    return lambda: SqliteStorage("kinerja", filename=filename)


def in_app(job):
    """Run `job` inside the app's context with the database connected; a connection the job
    opened is closed after it (in immediate mode the request's own is left alone)."""
    @functools.wraps(job)
    def run(*args, **kwargs):
        with _app.app_context():
            opened = db.is_closed()
            db.connect(reuse_if_open=True)
            try:
                return job(*args, **kwargs)
            finally:
                if opened and not db.is_closed():
                    db.close()
    return run


@huey.task(name="send_outbox")
@in_app
def send_outbox():
    """Send every message that is due."""
    return mail.send_all()


@huey.periodic_task(crontab(minute="*"), name="mail_every_minute")
@in_app
def mail_every_minute():
    """Today's digests and reminders once the hour has come, then whatever is due."""
    mail.daily_if_due()
    mail.take_queued()
    return mail.send_all()


@huey.task(name="export")
@in_app
def run_export(job_id: int):
    """Build a long download (stores/exports.py); the page polls its progress."""
    exports.run(job_id, _app.config["UPLOAD_DIR"])


def queue_export(job_id: int) -> None:
    """Queue an export once its row has committed (in immediate mode it is built here)."""
    run_export(job_id)


def flush_outbox() -> None:
    """Queue `send_outbox` (run it, in immediate mode). A queue that cannot be reached only
    delays the mail: the worker's minute round sends it."""
    try:
        send_outbox()
    except Exception:  # noqa: BLE001 - the request that queued the mail has succeeded
        log.exception("Tugas pengiriman email tidak dapat diantrekan")


def register(app) -> None:
    """Configure the queue and the mail settings from the app's config (create_app)."""
    global _app
    _app = app
    mail.configure(app.config)
    huey.use(_backend(app.config), bool(app.config.get("JOBS_IMMEDIATE")))

    @app.before_request
    def _forget_queued():
        mail.take_queued()

    @app.after_request
    def _send_queued(response):
        # after_request runs once the view returned: its transactions have committed.
        if mail.take_queued():
            flush_outbox()
        return response


def run_worker(workers: int = WORKER_THREADS) -> None:
    """The consumer: worker threads and the periodic scheduler, until SIGINT or SIGTERM."""
    if huey.immediate:
        raise RuntimeError("JOBS_IMMEDIATE aktif: tugas dijalankan langsung, pekerja tidak diperlukan.")
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                    check_worker_health=True)
    consumer.run()
