"""Memory of a real worker: gunicorn as in production (one worker, 4 threads) on the data sets
of bench_evaluation (10,000 employees, a year of progress) and bench_survey_report (a million
survey responses), driven over HTTP through the heaviest pages — exports and PDFs included —
then the worker's resident memory and its peak (VmHWM) read from /proc.

    .venv/bin/python -m bench.bench_worker      (after bench_evaluation and bench_survey_report)
"""
import argparse
import http.cookiejar
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.support import free_port

from .common import BENCH_PASSWORD, OUT, ROOT, machine

LIMIT_MB = 150


def _status_mb(pid: int) -> dict:
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields


class Server:
    """gunicorn on one data set, with a logged-in admin session."""

    def __init__(self, db_path):
        self.port = free_port()
        # MALLOC_ARENA_MAX=2 as in the README's systemd unit: glibc's per-thread arenas
        # otherwise keep ~7 MB more per worker after concurrent exports.
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", SECRET_KEY="bench-worker",
                   MALLOC_ARENA_MAX="2")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "1", "--threads", "4",
             "--bind", f"127.0.0.1:{self.port}", "app:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for _ in range(100):
            try:
                self.opener.open(f"{self.base}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        login = self.opener.open(f"{self.base}/masuk").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "username": "admin",
                                       "password": BENCH_PASSWORD}).encode()
        self.opener.open(f"{self.base}/masuk", data=body).read()

    def get(self, path: str) -> int:
        with self.opener.open(f"{self.base}{path}", timeout=60) as response:
            response.read()
            return response.status

    def worker_pid(self) -> int:
        children = open(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read().split()
        return int(children[0])

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def _drive(db_path, paths: list[str], rounds: int) -> dict:
    server = Server(db_path)
    try:
        for path in paths:  # every page answers, or the figure means nothing
            status = server.get(path)
            assert status == 200, f"{path}: {status}"
        after_start = _status_mb(server.worker_pid())
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(server.get, paths * rounds))
        return {"start": after_start, "end": _status_mb(server.worker_pid())}
    finally:
        server.stop()


def _evaluation_paths(db_path) -> list[str]:
    db = sqlite3.connect(db_path)
    opd = db.execute("SELECT id FROM unit WHERE parent_id IS NULL AND name = 'Dinas Pendidikan'").fetchone()[0]
    plan = db.execute("SELECT id FROM skp WHERE status = 'approved' ORDER BY id DESC LIMIT 1").fetchone()[0]
    evaluation = db.execute("SELECT id FROM evaluation ORDER BY id DESC LIMIT 1").fetchone()[0]
    db.close()
    return ["/organisasi/pegawai", "/organisasi/pegawai?q=Siti", f"/skp/tim?unit={opd}",
            f"/skp/kaskade?unit={opd}", f"/skp/{plan}", f"/skp/{plan}/cetak", f"/kinerja/evaluasi/{evaluation}",
            f"/kinerja/kurva?unit={opd}", f"/kinerja/rekap.xlsx?unit={opd}", "/audit"]


def _survey_paths(db_path) -> list[str]:
    db = sqlite3.connect(db_path)
    su, period = db.execute("SELECT service_unit_id, period_id FROM survey_response "
                            "GROUP BY period_id ORDER BY count(*) DESC LIMIT 1").fetchone()
    code = db.execute("SELECT code FROM service_unit WHERE id = ?", (su,)).fetchone()[0]
    db.close()
    base = f"/skm/unit/{su}/periode/{period}"
    return ["/ikm", f"/survei/{code}", f"/survei/{code}/hasil", "/skm", "/skm/tinjauan",
            f"{base}/laporan.pdf", f"{base}/tanggapan.xlsx", f"{base}/tanggapan.csv",
            f"/skm/unit/{su}/poster.pdf"]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    sets = [("10,000 employees, a year of progress (bench_evaluation)", OUT / "evaluation.sqlite3",
             _evaluation_paths),
            ("1,000,000 survey responses (bench_survey_report)", OUT / "survey_report.sqlite3", _survey_paths)]
    print(f"Machine: {machine()}")
    print(f"gunicorn, 1 worker x 4 threads, MALLOC_ARENA_MAX=2; every page {args.rounds} times, 4 at once\n")
    print(f"{'data set':<58} {'RSS after start':>16} {'RSS at end':>11} {'peak':>8}")
    worst = 0.0
    for label, db_path, paths in sets:
        if not db_path.exists():
            print(f"{label:<58} missing: run the bench it names first")
            continue
        figures = _drive(db_path, paths(db_path), args.rounds)
        worst = max(worst, figures["end"]["VmHWM"])
        print(f"{label:<58} {figures['start']['VmRSS']:>13.0f} MB {figures['end']['VmRSS']:>8.0f} MB "
              f"{figures['end']['VmHWM']:>5.0f} MB")
    verdict = "OK" if worst < LIMIT_MB else "OVER"
    print(f"\nLargest worker peak: {worst:.0f} MB (limit {LIMIT_MB} MB) — {verdict}")


if __name__ == "__main__":
    sys.exit(main())
