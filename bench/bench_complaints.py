"""Complaints benchmark: the public complaint POST and the public tracking page, over a
demo regency with many stored complaints.

    .venv/bin/python -m bench.bench_complaints [--complaints 200000] [-n 500]
"""
import argparse
import datetime
import itertools
import os
import random
import sqlite3
import statistics
import threading
import time

from .common import OUT, bench_app, count_queries, machine, measure, print_table


def build(db_path, complaints: int) -> tuple[str, int, list[str]]:
    """The demo regency with `complaints` more complaints spread over its service units
    and two years; (service unit code, its id, some tracking codes)."""
    from kinerja import create_app
    from kinerja.demo import seed
    from kinerja.models import db
    from kinerja.rules.complaints import ALPHABET, CODE_LENGTH
    from kinerja.schema import migrate
    db_path.unlink(missing_ok=True)
    app = create_app({"DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": "bench",
                      "PASSWORD_HASH_FAST": True})
    with app.app_context():
        migrate()
        seed(datetime.date(2026, 11, 24))
        db.close()
    conn = sqlite3.connect(db_path)
    units = conn.execute("SELECT id FROM service_unit").fetchall()
    rng = random.Random(15)
    codes = []
    rows = []
    start = datetime.date(2024, 11, 24)
    for n in range(complaints):
        code = "".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
        codes.append(code)
        day = start + datetime.timedelta(days=rng.randint(0, 730))
        su = rng.choice(units)[0]
        rows.append((code, su, su, "Pengaduan contoh nomor %d tentang antrean." % n, day,
                     f"{day} 03:00:00", day, "selesai", "Sudah ditindaklanjuti.", day, day,
                     f"{day} 03:00:00", f"bench-{n}", f"h{n % 5000}"))
    conn.executemany(
        "INSERT INTO complaint (code, service_unit_id, filed_unit_id, what, happened_on, received_at,"
        " received_on, state, answer, first_response_on, resolved_on, updated_at, submission_token,"
        " client_hash, place, reporter_name, reporter_contact, rejection, flagged)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,'','','','',0)", rows)
    conn.commit()
    code, su_id = conn.execute("SELECT code, id FROM service_unit WHERE code = 'pkm-sukamaju'").fetchone()
    conn.close()
    return code, su_id, rng.sample(codes, 200)


def fsync_ms(folder, n: int = 200) -> tuple[float, float]:
    """p50 and mean of one 8 KiB write + fdatasync in `folder`, the way a WAL commit with
    synchronous FULL waits for the disk: the floor under each complaint POST."""
    path = folder / "fsync-probe"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC)
    try:
        os.write(fd, b"\0" * (n * 8192))
        os.fsync(fd)
        times = []
        for i in range(n):
            t0 = time.perf_counter()
            os.pwrite(fd, b"x" * 8192, i * 8192)
            os.fdatasync(fd)
            times.append((time.perf_counter() - t0) * 1000)
    finally:
        os.close(fd)
        path.unlink()
    return statistics.median(times), statistics.mean(times)


def post_statements(app, client, url: str, data: dict) -> int:
    """SQL statements of one POST, BEGIN and COMMIT not counted."""
    from kinerja.models import db
    statements = []
    database = db.obj
    original = database.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return original(sql, params, *args, **kwargs)

    database.execute_sql = recording
    try:
        response = client.post(url, data=data)
    finally:
        database.execute_sql = original
    assert response.status_code == 303, response.status_code
    return len(statements)


def concurrent_posts(app, url: str, data, threads: int, n: int) -> dict:
    """n POSTs from `threads` citizens at once, each with its own client, in this process:
    p50/p95 of each request and the total per second."""
    lock = threading.Lock()
    times: list[float] = []

    def citizen(count: int) -> None:
        client = app.test_client()
        for _ in range(count):
            with lock:
                fields = data()     # the address generator is shared
            client.environ_base["REMOTE_ADDR"] = fields.pop("_address")
            t0 = time.perf_counter()
            response = client.post(url, data=fields)
            elapsed = (time.perf_counter() - t0) * 1000
            if response.status_code != 303:
                raise AssertionError(f"POST {url} answered {response.status_code}")
            with lock:
                times.append(elapsed)

    workers = [threading.Thread(target=citizen, args=(n // threads,)) for _ in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    total = time.perf_counter() - start
    if len(times) != n // threads * threads:
        raise AssertionError("a citizen's thread stopped early")
    times.sort()
    return {"n": len(times), "p50": statistics.median(times),
            "p95": times[int(0.95 * (len(times) - 1))], "rps": len(times) / total}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("-n", type=int, default=500)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / "complaints.sqlite3"
    code, su_id, samples = build(db_path, args.complaints)
    print(f"Data: demo regency + {args.complaints} complaints")
    print(f"Machine: {machine()}")
    # Each POST comes from another address, as phones do; the minimum time is off because
    # the benchmark answers at once (the limits are counted all the same).
    app = bench_app(db_path, COMPLAINT_MIN_SECONDS=0, SURVEY_MIN_SECONDS=0)
    from kinerja.stores.complaints.intake import issue_stamp
    citizen = app.test_client()
    addresses = (f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in itertools.count(1))

    def complaint():
        citizen.environ_base["REMOTE_ADDR"] = next(addresses)
        return {"stamp": issue_stamp("bench", su_id), "what": "Antrean panjang di loket pendaftaran.",
                "place": "Loket 1", "happened_on": "2026-11-20"}

    def complaint_from_anywhere():
        return {**complaint(), "_address": next(addresses)}

    def skm_answer():
        citizen.environ_base["REMOTE_ADDR"] = next(addresses)
        return {"stamp": issue_stamp("bench", su_id), **{f"u{i}": "3" for i in range(1, 10)}}

    tracked = itertools.cycle(samples)
    rows = [
        ("public form GET /pengaduan/<unit>", measure(citizen, f"/pengaduan/{code}", n=args.n)),
        ("complaint POST (PRG 303)", measure(citizen, f"/pengaduan/{code}", n=args.n, method="POST",
                                             data=complaint, expect=(303,))),
    ]

    # A server answers several citizens at once (waitress: 8 threads in one process); while
    # one complaint's commit waits for the disk, another request's Python runs.
    rows.append(("complaint POST, 4 citizens at once (threads)",
                 concurrent_posts(app, f"/pengaduan/{code}", complaint_from_anywhere, threads=4, n=args.n)))

    class Rotating:
        """The tracking page of a different complaint each time."""
        def get(self, url, **kwargs):
            return citizen.get(f"/pengaduan/lacak/{next(tracked)}", **kwargs)

        open = True

    rows.append(("tracking page GET /pengaduan/lacak/<kode>", measure(Rotating(), "", n=args.n)))
    # The SKM POST on the same machine at the same moment: a yardstick when the machine is busy.
    rows.append(("for comparison: SKM POST /survei/<unit> (303)", measure(
        citizen, f"/survei/{code}", n=args.n, method="POST", data=skm_answer, expect=(303,))))
    print_table("Complaints, public side (server-side, one worker, in-process)", rows)
    print(f"\nSQL statements: complaint POST "
          f"{post_statements(app, citizen, f'/pengaduan/{code}', complaint())} + BEGIN/COMMIT, "
          f"tracking page {count_queries(app, citizen, f'/pengaduan/lacak/{samples[0]}')}")
    p50, mean = fsync_ms(OUT)
    # Each complaint's commit waits for one of these (synchronous FULL); the SKM's does not.
    print(f"Disk: write + fdatasync p50 {p50:.1f} ms, mean {mean:.1f} ms; "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
