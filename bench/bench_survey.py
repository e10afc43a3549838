"""SKM benchmark: the public form (GET, POST), a unit's results and the regency overview
(/ikm) over a million responses of 60 service units in 5 years.

    .venv/bin/python -m bench.bench_survey [--responses 1000000] [-n 300] [--reuse]
"""
import argparse
import itertools
import multiprocessing
import sqlite3
import statistics
import time

from .baseline import replay_app
from .common import (OUT, bench_app, count_queries, machine, measure, peak_memory_mb, print_table,
                     recorded_reads)
from .survey_data import build_survey

# The same figures summed from the responses, as without the tally (timed for the record).
SUM_SQL = """
SELECT r.period_id, r.status, count(*), sum(u1), count(u1), sum(u2), count(u2), sum(u3), count(u3),
       sum(u4), count(u4), sum(u5), count(u5), sum(u6), count(u6), sum(u7), count(u7),
       sum(u8), count(u8), sum(u9), count(u9)
FROM survey_response r WHERE r.period_id IN (SELECT id FROM survey_period WHERE is_open = 1)
GROUP BY r.period_id, r.status"""


def time_sql(db_path, sql, n=20) -> dict:
    conn = sqlite3.connect(db_path)
    conn.execute(sql).fetchall()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        conn.execute(sql).fetchall()
        times.append((time.perf_counter() - t0) * 1000)
    conn.close()
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(0.95 * (n - 1))]}


def _post_worker(args):
    db_path, code, su_id, worker, n = args
    app = bench_app(db_path, SURVEY_MIN_SECONDS=0)
    from kinerja.stores.survey.intake import issue_stamp
    client = app.test_client()
    bodies = [{"stamp": issue_stamp("bench", su_id), **{f"u{i}": "3" for i in range(1, 10)}}
              for _ in range(n)]
    codes = []
    start = time.perf_counter()
    for i, body in enumerate(bodies):
        client.environ_base["REMOTE_ADDR"] = f"10.{100 + worker}.{i // 256 % 256}.{i % 256}"
        codes.append(client.post(f"/survei/{code}", data=body).status_code)
    return time.perf_counter() - start, codes


def concurrent_posts(db_path, code, su_id, workers: int, n: int) -> dict:
    """Several processes posting at once, as a server's workers would: total answers/s."""
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        start = time.perf_counter()
        results = pool.map(_post_worker, [(db_path, code, su_id, w, n) for w in range(workers)])
        wall = time.perf_counter() - start
    codes = [c for _, cs in results for c in cs]
    return {"rps": len(codes) / wall, "ok": codes.count(303), "total": len(codes)}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--reuse", action="store_true", help="keep an existing data set")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / "survey.sqlite3"
    if args.reuse and db_path.exists():
        conn = sqlite3.connect(db_path)
        biggest = conn.execute(
            "SELECT su.code FROM survey_response r JOIN service_unit su ON su.id = r.service_unit_id"
            " JOIN survey_period p ON p.id = r.period_id WHERE p.is_open = 1 GROUP BY su.code"
            " ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        facts = {"responses": conn.execute("SELECT count(*) FROM survey_response").fetchone()[0],
                 "biggest": biggest}
        conn.close()
        print(f"Data: reused {db_path} ({facts['responses']} responses)")
    else:
        facts = build_survey(db_path, args.responses)
        print(f"Data: {facts['responses']} responses, {facts['service_units']} service units, "
              f"{facts['periods']} periods, generated in {facts['seconds']:.0f} s, "
              f"{facts['size_mb']:.0f} MB")
    print(f"Machine: {machine()}")

    # Each POST comes from another address, as citizens' phones do; the minimum time is
    # off because the benchmark answers at once (the limits are counted all the same).
    app = bench_app(db_path, SURVEY_MIN_SECONDS=0)
    code = facts["biggest"]
    form_url, results_url = f"/survei/{code}", f"/survei/{code}/hasil"
    citizen = app.test_client()
    from kinerja.models import ServiceUnit, db
    from kinerja.stores.survey.intake import issue_stamp
    with app.app_context():
        db.connect(reuse_if_open=True)
        su_id = ServiceUnit.get(ServiceUnit.code == code).id
        db.close()
    addresses = (f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in itertools.count(1))

    def answer():
        citizen.environ_base["REMOTE_ADDR"] = next(addresses)
        return {"stamp": issue_stamp("bench", su_id), **{f"u{i}": str(1 + i % 4) for i in range(1, 10)},
                "sex": "P", "age": "40"}

    rows = [
        ("public form GET /survei/<unit>", measure(citizen, form_url, n=args.n)),
        ("public form POST (PRG 303)", measure(citizen, form_url, n=args.n * 2, method="POST",
                                               data=answer, expect=(303,))),
        ("public form POST (htmx fragment)", measure(
            citizen, form_url, n=args.n, method="POST", data=answer, expect=(200,),
            headers={"HX-Request": "true"})),
    ]
    rows += [
        ("unit results /survei/<unit>/hasil (10 periods)", measure(citizen, results_url, n=args.n)),
        ("regency overview /ikm (60 units)", measure(citizen, "/ikm", n=args.n)),
    ]
    base = replay_app(str(db_path), {"/ikm": recorded_reads(app, citizen, "/ikm")})
    rows.append(("baseline: bare Flask, the same reads as /ikm",
                 measure(base.test_client(), "/ikm", n=args.n)))
    print_table("SKM public pages (server-side, one worker, in-process)", rows)
    for workers in (1, 2, 4):
        result = concurrent_posts(db_path, code, su_id, workers, args.n)
        print(f"public form POST with {workers} worker process(es) at once: "
              f"{result['rps']:.0f} answers/s ({result['ok']}/{result['total']} answered 303)")
    print(f"\nSQL statements: form GET {count_queries(app, citizen, form_url)}, "
          f"results {count_queries(app, citizen, results_url)}, "
          f"/ikm {count_queries(app, citizen, '/ikm')}")
    summed = time_sql(db_path, SUM_SQL)
    print(f"Without the tally, summing the current periods' responses (covering index) takes "
          f"{summed['p50']:.0f} ms (p50), {summed['p95']:.0f} ms (p95) in SQL alone")
    print(f"Peak memory of this process: {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
