"""A throwaway PostgreSQL server for the suite, used when KINERJA_TEST_DB=postgresql.

Debian's own binaries (/usr/lib/postgresql/<version>/bin, the `postgresql` package; `make
test-postgresql` installs it when missing) run a cluster in a temporary directory: no system
service, no Docker, no network. The server listens on a unix socket in that directory only
(`-h ''`), with fsync off (`-F`: the data is thrown away at the end) and trust
authentication; it is started the first time a test needs a database and stopped, with its
directory removed, when the process exits.

PostgreSQL refuses to run as root, so as root the cluster belongs to Debian's `postgres`
system user (created by the package) and initdb/pg_ctl run through `runuser -u postgres`; the
tests themselves connect over the socket as the database role `postgres`.

The cluster is created with the C.UTF-8 locale: text sorts by code point as on SQLite, so the
same tests hold on both. Each test gets its own database, copied from the migrated demo
regency with `CREATE DATABASE … TEMPLATE` (the counterpart of copying the SQLite file) and
dropped after the test.
"""
import atexit
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from . import free_port

ENV = "KINERJA_TEST_DB"
TEMPLATE = "kinerja_template"


def enabled() -> bool:
    return os.environ.get(ENV, "sqlite").lower() in ("postgresql", "postgres", "pg")


def _bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if not found:
        raise RuntimeError(
            "KINERJA_TEST_DB=postgresql butuh PostgreSQL Debian: apt-get install postgresql "
            "(atau jalankan `make test-postgresql`, yang memasangnya bila belum ada).")
    return found[-1].parent


class Server:
    def __init__(self):
        self.bin = _bin_dir()
        self.directory = Path(tempfile.mkdtemp(prefix="kinerja-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self._names = itertools.count(1)
        self.created: list[str] = []
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        self._run("pg_ctl", "-D", self.data, "-l", self.directory / "server.log", "-w",
                  "-o", f"-k {self.directory} -p {self.port} -h '' -F "
                        "-c max_connections=200 -c full_page_writes=off", "start")
        atexit.register(self.stop)
        # A run stopped with SIGTERM (a CI timeout, `kill`) still stops the server.
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, lambda *_: exit(143))

    def _run(self, program: str, *args) -> None:
        command = [*self.as_owner, str(self.bin / program), *map(str, args)]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.directory)
        if result.returncode:
            log = self.directory / "server.log"
            raise RuntimeError(f"{' '.join(command)} gagal:\n{result.stdout}{result.stderr}"
                               + (log.read_text() if log.exists() else ""))

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data),
                            "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.directory}&port={self.port}"

    def admin(self, sql: str) -> None:
        import psycopg
        with psycopg.connect(dbname="postgres", user="postgres", host=str(self.directory),
                             port=self.port, autocommit=True) as connection:
            connection.execute(sql)

    def create(self, template: str | None = None, name: str | None = None) -> str:
        """A new database (empty, or a copy of `template`); its URL."""
        name = name or f"test_{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}"'
                   + (f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""))
        if name != TEMPLATE:
            self.created.append(name)
        return self.url(name)

    def drop_created(self) -> None:
        """Drop the databases the last test made (connections it left open are ended)."""
        while self.created:
            self.admin(f'DROP DATABASE IF EXISTS "{self.created.pop()}" WITH (FORCE)')


_server: Server | None = None


def server() -> Server:
    global _server
    if _server is None:
        _server = Server()
    return _server


def after_test() -> None:
    if _server is not None:
        _server.drop_created()
