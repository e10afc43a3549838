"""A province on PostgreSQL: 100,000 employees in ten regencies' OPDs and 10,000,000 SKM
responses, on a throwaway PostgreSQL server (Debian's binaries, as the tests use) or on
--url. Measures the pages people open (p95, server-side), the public survey per app
process, the regency and province IKM overviews, the queries per page, and throughput with
one and with two app processes against the one database.

    .venv/bin/python -m bench.bench_postgresql                       # the province
    .venv/bin/python -m bench.bench_postgresql --employees 10000 --responses 1000000
"""
import argparse
import datetime
import itertools
import multiprocessing
import time

from .common import (build_regency, count_queries, logged_in_client, machine, measure,
                     print_table)

UNITS_PER_REGENCY = 60
SEMESTERS = 10  # five years


def _province_survey(url: str, responses: int, regencies: int, today: datetime.date) -> dict:
    """Service units, five years of semester periods and the responses, generated inside
    PostgreSQL. The tally trigger is off while they load and the tally is then built in one
    statement, exactly as migration 0013 builds it (per row the trigger would take ~30 min
    for 10 million); the benchmark's own submissions then run with the trigger on."""
    import psycopg
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as pg:
        opds = pg.execute("SELECT id, name FROM unit WHERE parent_id IS NULL ORDER BY id").fetchall()
        health = [i for i, n in opds if n.startswith("Dinas Kesehatan")]
        others = [i for i, n in opds if not n.startswith("Dinas Kesehatan")]
        units = []
        for index in range(UNITS_PER_REGENCY * regencies):
            owner = health[index % len(health)] if index % 2 else others[index % len(others)]
            units.append((f"su-{index + 1:04d}", f"Unit Layanan {index + 1:04d}", owner))
        with pg.cursor() as cursor:
            cursor.executemany("INSERT INTO service_unit (code, name, unit_id, period_kind, "
                               "kiosk_token, active) VALUES (%s, %s, %s, 'semester', '', true)", units)
        pg.execute("INSERT INTO service (service_unit_id, name, active) "
                   "SELECT su.id, 'Layanan ' || k, true FROM service_unit su, generate_series(1, 4) k")
        semesters = []
        year, number = today.year, 1 if today.month <= 6 else 2
        for _ in range(SEMESTERS):
            starts = datetime.date(year, 1 if number == 1 else 7, 1)
            ends = datetime.date(year, 6, 30) if number == 1 else datetime.date(year, 12, 31)
            semesters.append((year, number, starts, ends, not semesters))
            year, number = (year, 1) if number == 2 else (year - 1, 2)
        with pg.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO survey_period (service_unit_id, kind, year, number, starts, ends, "
                "population, is_open) SELECT id, 'semester', %s, %s, %s, %s, 5000, %s "
                "FROM service_unit", semesters)
        periods = pg.execute("SELECT count(*) FROM survey_period").fetchone()[0]
        per_period = max(1, responses // periods)
        # Answers lean to 3 and 4, as real IKM data does; 1 % flagged; a suggestion in 5 %.
        answer = "(CASE WHEN random() < 0.03 THEN 1 WHEN random() < 0.2 THEN 2 " \
                 "WHEN random() < 0.6 THEN 3 ELSE 4 END)"
        period_ids = [r[0] for r in pg.execute("SELECT id FROM survey_period ORDER BY starts, id")]
        pg.execute("ALTER TABLE survey_response DISABLE TRIGGER survey_tally_keep")
        for chunk in range(0, len(period_ids), 200):
            ids = period_ids[chunk:chunk + 200]
            pg.execute(f"""
                INSERT INTO survey_response (service_unit_id, period_id, service_id, submitted_at,
                    u1, u2, u3, u4, u5, u6, u7, u8, u9, age, sex, education, occupation, suggestion,
                    source, status, flag_reason, client_hash, submission_token, fill_seconds)
                SELECT p.service_unit_id, p.id,
                    (SELECT min(s.id) FROM service s WHERE s.service_unit_id = p.service_unit_id),
                    p.starts + (random() * (LEAST(p.ends, %s::date) - p.starts)) * interval '1 day'
                        + interval '2 hours',
                    {', '.join([answer] * 9)}, 17 + (random() * 58)::int,
                    CASE WHEN random() < 0.5 THEN 'L' ELSE 'P' END, 'SMA', 'Swasta',
                    CASE WHEN random() < 0.05 THEN 'Mohon antrean dipercepat.' END, 'online',
                    CASE WHEN random() < 0.01 THEN 'flagged' ELSE 'valid' END, NULL,
                    md5(p.id || '-' || g), 'b' || p.id || '-' || g, 20 + (random() * 580)::int
                FROM survey_period p CROSS JOIN generate_series(1, {per_period}) g
                WHERE p.id = ANY(%s)""", (today - datetime.timedelta(days=1), ids))
            print(f"  jawaban: {min(chunk + 200, len(period_ids)) * per_period:,} "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
        pg.execute("ALTER TABLE survey_response ENABLE TRIGGER survey_tally_keep")
        pg.execute(_tally_rebuild())
        # VACUUM as autovacuum would soon after: without the visibility map a count over an
        # index still visits every row, and the first figures would measure that.
        pg.execute("VACUUM ANALYZE")
        total = pg.execute("SELECT count(*) FROM survey_response").fetchone()[0]
        biggest = pg.execute("SELECT su.code FROM service_unit su ORDER BY su.id LIMIT 1").fetchone()[0]
        codes = [c for (c,) in pg.execute("SELECT code FROM service_unit ORDER BY id LIMIT 2 OFFSET 1")]
        size = pg.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {"responses": total, "service_units": len(units), "periods": periods,
            "biggest": biggest, "codes": codes, "seconds": time.perf_counter() - started,
            "size_mb": size / 2 ** 20}


def _tally_rebuild() -> str:
    """Migration 0013's own statement (a migration file is loaded by path, not imported)."""
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "kinerja/migrations/0013_postgresql_triggers.py"
    spec = importlib.util.spec_from_file_location("tally_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration.BUILD_TALLY


def _app(url: str, **config):
    from kinerja import create_app
    settings = {"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                "LOGIN_MAX_PER_ACCOUNT": 10 ** 9, "LOGIN_MAX_PER_ADDRESS": 10 ** 9,
                "SURVEY_MIN_SECONDS": 0}
    settings.update(config)
    return create_app(settings)


def _submitter(app, code: str, offset: int):
    """A function that sends one citizen's answers (POST → 303) from a new address, as
    phones do, with a stamp issued beforehand as the form page would (as bench_survey)."""
    from kinerja.models import ServiceUnit, db
    from kinerja.stores.survey.intake import issue_stamp
    with app.app_context():
        db.connect(reuse_if_open=True)
        su_id = ServiceUnit.get(ServiceUnit.code == code).id
        db.close()
    citizen = app.test_client()
    addresses = (f"10.{offset}.{i // 256 % 256}.{i % 256}" for i in itertools.count(1))
    answers = {f"u{i}": str(1 + i % 4) for i in range(1, 10)}

    def send():
        citizen.environ_base["REMOTE_ADDR"] = next(addresses)
        body = {"stamp": issue_stamp(app.config["SECRET_KEY"], su_id), **answers}
        response = citizen.post(f"/survei/{code}", data=body)
        assert response.status_code == 303, response.status_code
    return send


def _bare_survey(url: str, app, code: str, n: int) -> float:
    """Submissions per second of a bare Flask app sending the statements one Kinerja POST
    sent (baseline.survey_post_app), measured as the Kinerja POST is: the floor the
    database round trips and Flask alone set on this machine."""
    import secrets

    from .baseline import recorded_statements, survey_post_app
    from kinerja.models import SurveyResponse, db
    send = _submitter(app, code, 2)
    statements = recorded_statements(send)
    with app.app_context():
        db.connect(reuse_if_open=True)
        last = SurveyResponse.select().order_by(SurveyResponse.id.desc()).first()
        db.close()
    fresh = {last.submission_token: lambda: secrets.token_urlsafe(16),
             last.client_hash: lambda: secrets.token_hex(16)}
    citizen = survey_post_app(url, statements, fresh).test_client()
    answers = {f"u{i}": str(1 + i % 4) for i in range(1, 10)}
    for _ in range(5):
        citizen.post(f"/survei/{code}", data=answers)
    t0 = time.perf_counter()
    for _ in range(n):
        assert citizen.post(f"/survei/{code}", data=answers).status_code == 303
    return n / (time.perf_counter() - t0)


def _worker(url, code, admin, seconds, offset, results):
    """One app process: for `seconds`, a staff page and a citizen's form in turn."""
    app = _app(url)
    staff = logged_in_client(app, admin)
    send = _submitter(app, code, offset)
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        assert staff.get("/organisasi/pegawai").status_code == 200
        send()
        done += 2
    results.put(done)


def _survey_worker(url, code, admin, seconds, offset, results):
    """One app process taking only citizens' answers, to a unit of its own."""
    send = _submitter(_app(url), code, offset)
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        send()
        done += 1
    results.put(done)


def _throughput(url, codes, admin, processes: int, seconds: float = 20, target=_worker) -> float:
    """Requests per second of `processes` app processes at once; process n uses codes[n]."""
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=target,
                                       args=(url, codes[n], admin, seconds, 100 + n, results))
               for n in range(processes)]
    for worker in workers:
        worker.start()
    total = sum(results.get() for _ in workers)
    for worker in workers:
        worker.join()
    return total / seconds


def _existing(url: str) -> tuple[dict, dict]:
    """The facts of a province built by an earlier run, for --reuse."""
    import psycopg
    with psycopg.connect(url) as pg:
        def one(sql):
            return pg.execute(sql).fetchone()[0]
        facts = {"admin": "admin", "employees": one("SELECT count(*) FROM employee"),
                 "units": one("SELECT count(*) FROM unit"),
                 "sample_nip": one("SELECT nip FROM employee ORDER BY id OFFSET 50000 LIMIT 1")}
        survey = {"responses": one("SELECT sum(responses) FROM survey_tally"),
                  "service_units": one("SELECT count(*) FROM service_unit"),
                  "biggest": one("SELECT code FROM service_unit ORDER BY id LIMIT 1"),
                  "codes": [c for (c,) in pg.execute(
                      "SELECT code FROM service_unit ORDER BY id LIMIT 2 OFFSET 1")]}
    print(f"Data: {facts['employees']:,} pegawai, {survey['responses']:,} jawaban (dipakai ulang)")
    return facts, survey


def _explain(url: str, sql: str) -> str:
    import psycopg
    with psycopg.connect(url) as pg:
        return "\n".join(row[0] for row in pg.execute("EXPLAIN ANALYZE " + sql))


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--regencies", type=int, default=10)
    parser.add_argument("--url", help="an empty PostgreSQL database; else a throwaway server")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the province already in --url instead of building one")
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args(argv)
    print(f"Machine: {machine()}")
    url = args.url
    if not url:
        from tests.support import postgres
        server = postgres.server()
        url = server.create(name="bench_province")
    today = datetime.date.today()
    started = time.perf_counter()
    if args.reuse:
        facts, survey = _existing(url)
    else:
        facts = build_regency(url, args.employees, regencies=args.regencies)
        print(f"Data: {facts['employees']:,} pegawai, {facts['units']:,} unit "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
        survey = _province_survey(url, args.responses, args.regencies, today)
        print(f"Data: {survey['responses']:,} jawaban SKM, {survey['service_units']} unit layanan, "
              f"{survey['periods']:,} periode, {survey['seconds']:.0f} s, "
              f"{survey['size_mb']:,.0f} MB", flush=True)

    app = _app(url)
    admin = logged_in_client(app, facts["admin"])
    code = survey["biggest"]
    prefix = facts["sample_nip"][:8]
    pages = [
        ("Pegawai (admin BKPSDM, halaman 1)", "/organisasi/pegawai"),
        ("Pegawai, cari nama 'Siti'", "/organisasi/pegawai?q=Siti"),
        (f"Pegawai, cari NIP '{prefix}'", f"/organisasi/pegawai?q={prefix}"),
        ("Unit & Jabatan", "/organisasi/unit"),
        ("SKM, ringkasan semua unit layanan", "/skm"),
        ("SKM, antrean tinjauan (halaman 1)", "/skm/tinjauan"),
        ("SKM, antrean tinjauan (halaman 1.000)", "/skm/tinjauan?page=1000"),
        ("Hasil IKM publik (seluruh provinsi)", "/ikm"),
        (f"Hasil IKM satu unit ({code})", f"/survei/{code}/hasil"),
        ("Jejak audit", "/audit/"),
        ("Rekap SKP (seluruh pegawai)", "/skp/tim"),
    ]
    rows, queries = [], []
    for name, path in pages:
        rows.append((name, measure(admin, path, n=args.n)))
        queries.append((name, count_queries(app, admin, path)))
    send = _submitter(app, code, 1)
    t0 = time.perf_counter()
    for _ in range(args.n):
        send()
    per_second = args.n / (time.perf_counter() - t0)
    bare_per_second = _bare_survey(url, app, code, args.n)
    print_table(f"PostgreSQL, {facts['employees']:,} pegawai, {survey['responses']:,} jawaban "
                "(satu proses, di dalam proses)", rows)
    print(f"\nSurvei publik: {per_second:.0f} kiriman/detik per proses (POST → 303, "
          "dengan tally dan kunci tulis); Flask polos dengan pernyataan SQL yang sama: "
          f"{bare_per_second:.0f}/detik")
    print("\nKueri per halaman:")
    for name, count in queries:
        print(f"  {name:<52} {count}")
    print("\nEXPLAIN pencarian NIP berawalan, sebagai rentang (yang dipakai) dan sebagai ILIKE:")
    print(_explain(url, f"SELECT id FROM employee WHERE nip >= '{prefix}' AND nip < '{prefix}:' "
                        "ORDER BY name LIMIT 50"))
    print(_explain(url, f"SELECT id FROM employee WHERE nip ILIKE '{prefix}%' ORDER BY name LIMIT 50"))
    one = _throughput(url, [code] * 2, facts["admin"], 1)
    two = _throughput(url, [code] * 2, facts["admin"], 2)
    print(f"\nThroughput (halaman pegawai + kiriman survei bergantian): 1 proses {one:.0f} req/s, "
          f"2 proses {two:.0f} req/s, rasio {two / one:.2f}")
    # Citizens of two units, one unit per process (past the per-unit limit answers are stored
    # flagged, the same statements).
    codes = survey["codes"]
    alone = [_throughput(url, codes, facts["admin"], n, target=_survey_worker) for n in (1, 2)]
    print(f"Kiriman survei saja, proses terpisah: 1 proses {alone[0]:.0f}/detik, "
          f"2 proses {alone[1]:.0f}/detik")


if __name__ == "__main__":
    main()
