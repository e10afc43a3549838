"""Monitoring and evaluation at regency scale: every employee with an SKP (bench_skp's plans),
a year of weekly progress entries for everyone with an approved plan, the past quarters
evaluated, the organisation predikat of every OPD. Measures My performance, the team page,
the evaluation form, the rating panel and the curve of the largest OPD.

    .venv/bin/python -m bench.bench_evaluation [--employees 10000]
"""
import argparse
import datetime
import random
import time

from .bench_skp import seed_plans
from .baseline import replay_app
from .common import (OUT, bench_app, build_regency, count_queries, logged_in_client, machine,
                     measure, peak_memory_mb, print_table, recorded_reads)

PREDIKAT_SPREAD = [("sangat_baik", 15), ("baik", 70), ("butuh_perbaikan", 12), ("kurang", 3)]
RATINGS_OF = {"sangat_baik": ("above", "above"), "baik": ("meets", "meets"),
              "butuh_perbaikan": ("below", "meets"), "kurang": ("meets", "below")}


def seed_evaluations(db_path, year: int, today: datetime.date, seed: int = 11) -> dict:
    """Weekly progress (with evidence links on a quarter of them), evaluations of the past
    quarters (the last one partly waiting for a rating) and the organisation predikat."""
    from kinerja.models import Indicator, OrgPerformance, Rhk, Skp, Unit, db
    from kinerja.rules import evaluation as rules
    app = bench_app(db_path)
    rng = random.Random(seed)
    with app.app_context():
        db.connect(reuse_if_open=True)
        plans = list(Skp.select(Skp.id, Skp.employee, Skp.unit, Skp.appraiser)
                     .where((Skp.year == year) & (Skp.status == "approved")).tuples())
        indicators = {}
        for ind_id, skp_id, aspect in (Indicator.select(Indicator.id, Rhk.skp, Indicator.aspect)
                                       .join(Rhk).tuples()):
            indicators.setdefault(skp_id, []).append((ind_id, aspect))
        appraiser_of = {emp: appr for _, emp, _, appr in plans}
        conn = db.connection()
        now = datetime.datetime.now()
        with db.atomic():
            entries = []
            for skp_id, emp_id, _, _ in plans:
                day = datetime.date(year, 1, 2) + datetime.timedelta(days=rng.randint(0, 6))
                inds = indicators.get(skp_id, [])
                while day <= today and inds:
                    ind_id, aspect = rng.choice(inds)
                    entries.append((emp_id, skp_id, ind_id, day.isoformat(), "Kegiatan minggu ini",
                                    str(rng.randint(1, 3)) if aspect == "kuantitas" else "1", now))
                    day += datetime.timedelta(days=7)
            conn.executemany(
                "INSERT INTO progress_entry (employee_id, skp_id, indicator_id, day, description, "
                "quantity, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", entries)
            conn.execute("INSERT INTO evidence (entry_id, kind, url, stored_name, filename, mime, size, "
                         "created_at) SELECT id, 'link', 'https://drive.example.id/' || id, '', '', '', 0, "
                         "created_at FROM progress_entry WHERE id % 4 = 0")
            quarters = [p for p in rules.periods(year, "triwulanan") if p.ends < today]
            evaluations = []
            for skp_id, emp_id, unit_id, appraiser in plans:
                for period in quarters:
                    waiting = period is quarters[-1] and rng.random() < .3
                    predikat = None if waiting else rng.choices(
                        [p for p, _ in PREDIKAT_SPREAD], [w for _, w in PREDIKAT_SPREAD])[0]
                    result, behaviour = RATINGS_OF[predikat] if predikat else (None, None)
                    superior = appraiser_of.get(appraiser) if appraiser else None
                    evaluations.append((emp_id, skp_id, year, "periodic", period.number,
                                        period.starts.isoformat(), period.ends.isoformat(), unit_id,
                                        appraiser, superior, "submitted" if waiting else "approved",
                                        result, behaviour, predikat, now, None if waiting else now, now, now))
            conn.executemany(
                "INSERT INTO evaluation (employee_id, skp_id, year, kind, number, starts, ends, unit_id, "
                "appraiser_id, superior_id, status, result_rating, behaviour_rating, predikat, "
                "submitted_at, approved_at, created_at, updated_at, self_note, return_comment) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')", evaluations)
            conn.execute("INSERT INTO evaluation_item (evaluation_id, indicator_id, prefilled, realisation, "
                         "realisation_text, adjustment_reason) SELECT e.id, i.id, 3, 3, '', '' "
                         "FROM evaluation e JOIN rhk r ON r.skp_id = e.skp_id "
                         "JOIN indicator i ON i.rhk_id = r.id")
            predikats = ["istimewa", "baik", "baik", "butuh_perbaikan"]
            OrgPerformance.insert_many([{"unit": opd.id, "year": year, "predikat": predikats[n % 4],
                                         "note": "", "set_at": now}
                                        for n, opd in enumerate(Unit.opds())]).execute()
        facts = {"entries": len(entries), "evaluations": len(evaluations)}
        db.close()
    return facts


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("-n", type=int, default=100)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / "evaluation.sqlite3"
    today = datetime.date.today()
    year = today.year
    facts = build_regency(db_path, args.employees)
    t0 = time.perf_counter()
    plans = seed_plans(db_path, year)
    data = seed_evaluations(db_path, year, today)
    print(f"Machine: {machine()}")
    print(f"Data: {facts['employees']} employees, {plans['skps']} SKP, {plans['indicators']} indicators, "
          f"{data['entries']} progress entries, {data['evaluations']} evaluations "
          f"(generated in {time.perf_counter() - t0:.0f} s)")

    from peewee import fn

    from kinerja.models import Employee, Evaluation, ProgressEntry, Skp, Unit, db
    from kinerja.rules import evaluation as rules
    app = bench_app(db_path)
    with app.app_context():
        db.connect(reuse_if_open=True)
        opd = Unit.get_by_id(facts["largest_opd"])
        # The Pejabat Penilai with the largest team, and one of their staff.
        supervisor_id, team_size = (Skp.select(Skp.appraiser, fn.COUNT(Skp.id))
                                    .where((Skp.year == year) & Skp.appraiser.is_null(False))
                                    .group_by(Skp.appraiser).order_by(fn.COUNT(Skp.id).desc())
                                    .tuples().first())
        supervisor = Employee.get_by_id(supervisor_id)
        staff = (Employee.select().join(Skp, on=(Skp.employee == Employee.id))
                 .where((Skp.appraiser == supervisor_id) & (Skp.status == "approved"))
                 .order_by(Employee.id).first())
        staff_entries = ProgressEntry.select().where(ProgressEntry.employee == staff.id).count()
        pending = (Evaluation.select().where((Evaluation.appraiser == supervisor_id)
                                             & (Evaluation.status == "submitted")).first())
        indicator = (ProgressEntry.select(ProgressEntry.indicator)
                     .where(ProgressEntry.employee == staff.id).first().indicator_id)
        db.close()
    current = rules.period_of(today, "triwulanan")
    last_page = max(1, -(-team_size // 20))
    employee = logged_in_client(app, staff.nip)
    boss = logged_in_client(app, supervisor.nip)
    admin = logged_in_client(app, "admin")
    form = f"/kinerja/evaluasi/{year}/periodik/{current.number}"
    curve = f"/kinerja/kurva?unit={opd.id}&periode=periodik-{current.number - 1}"
    rows = [
        (f"My performance ({staff_entries} entries this year)", measure(employee, "/kinerja/saya", n=args.n)),
        ("progress page with its timeline", measure(employee, "/kinerja/progres", n=args.n)),
        ("record progress (POST, htmx)", measure(
            employee, "/kinerja/progres", n=args.n, method="POST", headers={"HX-Request": "true"},
            data={"indicator": str(indicator), "day": today.isoformat(), "description": "Bench",
                  "quantity": "1"})),
        (f"evaluation form {current.label}, prefilled", measure(employee, form, n=args.n)),
        (f"team page ({team_size} members, 20 shown)", measure(boss, "/kinerja/tim", n=args.n)),
        (f"team page, last page ({last_page})", measure(boss, f"/kinerja/tim?page={last_page}", n=args.n)),
    ]
    if pending is not None:
        rows.append(("rating panel of a pending evaluation", measure(
            boss, f"/kinerja/evaluasi/{pending.id}", n=args.n)))
    rows += [
        (f"curve of {opd.name} (admin)", measure(admin, curve, n=args.n)),
        ("curve overview, every OPD (admin)", measure(admin, "/kinerja/kurva", n=args.n)),
        (f"recap XLSX of {opd.name}", measure(admin, f"/kinerja/rekap.xlsx?unit={opd.id}"
                                                     f"&periode=periodik-1", n=10, warmup=1)),
    ]
    replay = replay_app(str(db_path), {
        "/saya": recorded_reads(app, employee, "/kinerja/saya"),
        "/tim": recorded_reads(app, boss, "/kinerja/tim")}).test_client()
    rows += [("baseline: bare Flask, My performance's reads", measure(replay, "/saya", n=args.n)),
             ("baseline: bare Flask, the team page's reads", measure(replay, "/tim", n=args.n))]
    print_table(f"Evaluation pages at {facts['employees']} employees (server-side, one worker)", rows)
    print(f"\nSQL statements per page: My performance {count_queries(app, employee, '/kinerja/saya')}, "
          f"team page 1 {count_queries(app, boss, '/kinerja/tim')}, last page "
          f"{count_queries(app, boss, f'/kinerja/tim?page={last_page}')}, evaluation form "
          f"{count_queries(app, employee, form)}, curve {count_queries(app, admin, curve)}, "
          f"overview {count_queries(app, admin, '/kinerja/kurva')}")
    print(f"Peak memory of this process: {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
