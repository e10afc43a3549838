"""The nine-box talent map at regency scale: every employee with an annual predikat for the
two previous years (a plan for each) and most with a potential assessment, then the map of
the regency and of the largest OPD as the admin BKPSDM and the head of that OPD see them,
a box's names (htmx) and the XLSX for the talent committee, with the SQL statements of each.
The regency's XLSX is made by the export worker: its builder is timed directly (what the
job spends, the request only starts it); one OPD's is still made in the request.

    .venv/bin/python -m bench.bench_talent [--employees 10000]
"""
import argparse
import datetime
import random
import time

from .common import (OUT, bench_app, build_regency, count_queries, logged_in_client, machine,
                     measure, print_table)

PREDIKATS = ["sangat_baik", "baik", "baik", "baik", "butuh_perbaikan"]
LEVELS = ["rendah", "menengah", "menengah", "tinggi"]


def seed_talent(db_path, today: datetime.date, seed: int = 14) -> None:
    from kinerja.models import (Employee, Evaluation, PerformanceYear, PotentialAssessment, Skp,
                                db)
    from kinerja.rules.evaluation import annual_period
    from kinerja.stores.talent import standing
    app = bench_app(db_path)
    rng = random.Random(seed)
    years = (today.year - 2, today.year - 1)
    with app.app_context():
        db.connect(reuse_if_open=True)
        employees = list(Employee.select(Employee.id, Employee.unit).tuples())
        now = datetime.datetime.now()
        with db.atomic():
            for year in years:
                PerformanceYear.insert(year=year, skp_deadline=datetime.date(year, 1, 31),
                                       is_open=False).on_conflict_ignore().execute()
                for batch in range(0, len(employees), 500):
                    chunk = employees[batch:batch + 500]
                    Skp.insert_many([{"employee": emp, "year": year, "status": "approved",
                                      "period_start": datetime.date(year, 1, 1),
                                      "period_end": datetime.date(year, 12, 31), "unit": unit,
                                      "created_at": now, "updated_at": now}
                                     for emp, unit in chunk]).on_conflict_ignore().execute()
                plans = dict(Skp.select(Skp.employee, Skp.id).where(Skp.year == year).tuples())
                period = annual_period(year)
                rows = [{"employee": emp, "skp": plans[emp], "year": year, "kind": "annual",
                         "number": 1, "starts": period.starts, "ends": period.ends,
                         "unit": unit, "status": "approved", "predikat": rng.choice(PREDIKATS),
                         "created_at": now, "updated_at": now}
                        for emp, unit in employees if emp in plans]
                for batch in range(0, len(rows), 500):
                    Evaluation.insert_many(rows[batch:batch + 500]).on_conflict_ignore().execute()
            assessed = [{"employee": emp, "year": years[1], "level": rng.choice(LEVELS),
                         "source": "Assessment Center", "assessed_on": datetime.date(years[1], 5, 1),
                         "entered_at": now}
                        for emp, _ in employees if rng.random() < 0.85]
            for batch in range(0, len(assessed), 500):
                PotentialAssessment.insert_many(assessed[batch:batch + 500]).execute()
            # Loaded round the stores, as the demo is: the map's stored inputs built once.
            standing.rebuild()
        db.close()


def time_builder(app, n: int) -> dict:
    """The export worker's side of the regency's XLSX (the builder the job runs), timed as
    `measure` times a request: the rights checked again, the map, the names, the workbook."""
    import statistics
    from kinerja.models import User, db
    from kinerja.stores import exports
    from kinerja.stores.talent import export, placement
    with app.app_context():
        db.connect(reuse_if_open=True)
        owner = User.get(User.username == "admin").id
        year = placement.default_year(datetime.date.today())
        build = exports.BUILDERS[export.KIND]
        params = {"owner": owner, "year": year, "opd": None}
        build(params, lambda done, total: None)
        times = []
        start = time.perf_counter()
        for _ in range(n):
            t0 = time.perf_counter()
            data, _ = build(params, lambda done, total: None)
            times.append((time.perf_counter() - t0) * 1000)
            assert data[:2] == b"PK"
        elapsed = time.perf_counter() - start
        db.close()
    times.sort()
    return {"n": n, "p50": statistics.median(times), "p95": times[int(0.95 * (n - 1))],
            "rps": n / elapsed}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / "talent.sqlite3"
    today = datetime.date.today()
    facts = build_regency(db_path, args.employees)
    t0 = time.perf_counter()
    seed_talent(db_path, today)
    print(f"Machine: {machine()}")
    print(f"Data: {facts['employees']} employees (generated in {time.perf_counter() - t0:.0f} s)")

    from kinerja.models import Employee, Position, Unit, db
    app = bench_app(db_path)
    with app.app_context():
        db.connect(reuse_if_open=True)
        opd = Unit.get_by_id(facts["largest_opd"])
        head = (Employee.select().join(Position, on=(Employee.position == Position.id))
                .where((Position.unit == opd.id) & Position.parent.is_null()).first())
        db.close()
    admin = logged_in_client(app, "admin")
    urls = [("Talent map of the regency (admin BKPSDM)", admin, "/talenta/"),
            (f"Talent map of one OPD (admin, ?opd={opd.id})", admin, f"/talenta/?opd={opd.id}"),
            ("Names of box 5 of the regency (htmx)", admin, "/talenta/kotak/5"),
            ("Names of box 9 of the regency (htmx)", admin, "/talenta/kotak/9"),
            (f"XLSX of one OPD in the request (?opd={opd.id})", admin,
             f"/talenta/ekspor.xlsx?opd={opd.id}")]
    if head is not None:
        urls.append(("Talent map of the head of the largest OPD", logged_in_client(app, head.nip),
                     "/talenta/"))
    rows = []
    for name, client, url in urls:
        headers = {"HX-Request": "true"} if "kotak" in url else None
        # An export writes a workbook of every employee in scope: a few are enough to time it.
        n = max(3, args.n // 10) if ".xlsx" in url else args.n
        rows.append((f"{name} [{count_queries(app, client, url)} queries]",
                     measure(client, url, n=n, headers=headers, warmup=1)))
    rows.append(("XLSX of the regency for Baperjakat (the worker's builder)",
                 time_builder(app, max(3, args.n // 10))))
    print_table(f"Talent map, {facts['employees']} employees", rows)


if __name__ == "__main__":
    main()
