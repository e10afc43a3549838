"""SKP benchmark at regency scale: every employee with an SKP (about 5 RHK and 8 indicators),
cascading head → Kepala Bidang → Kepala Seksi → staff. Measures the team overview of the
largest OPD, the cascade view, the approval action and the printed SKP.

    .venv/bin/python -m bench.bench_skp [--employees 10000]
"""
import argparse
import datetime
import random
import statistics
import time
from decimal import Decimal

from .baseline import baseline_app
from .common import (OUT, bench_app, build_regency, count_queries, logged_in_client, machine,
                     measure, peak_memory_mb, print_table)

KIND_ORDER = ["jpt_pratama", "administrator", "pengawas", "fungsional", "pelaksana"]
STAFF_STATES = [("approved", 60), ("submitted", 15), ("returned", 10), ("draft", 10), ("none", 5)]
# Indicators per RHK: five RHK, eight indicators.
INDICATORS_PER_RHK = [2, 2, 2, 1, 1]

TEAM_PAGE_SQL = """
SELECT e.nip, e.name, p.name, u.name, s.status, s.revision FROM employee e
LEFT JOIN position p ON p.id = e.position_id LEFT JOIN unit u ON u.id = e.unit_id
LEFT JOIN (SELECT employee_id, max(revision) AS revision FROM skp WHERE year_id = :year GROUP BY employee_id) l
  ON l.employee_id = e.id
LEFT JOIN skp s ON s.employee_id = e.id AND s.year_id = :year AND s.revision = l.revision
WHERE e.active = 1 AND e.unit_id IN (SELECT id FROM unit WHERE path LIKE :path || '%')
ORDER BY u.name, e.name LIMIT 100"""
# The counters above the list: employees per unit and status, over the same joins.
TEAM_COUNTS_SQL = """
SELECT u.id, coalesce(s.status, 'belum'), count(e.id) FROM employee e
LEFT JOIN unit u ON u.id = e.unit_id
LEFT JOIN (SELECT employee_id, max(revision) AS revision FROM skp WHERE year_id = :year GROUP BY employee_id) l
  ON l.employee_id = e.id
LEFT JOIN skp s ON s.employee_id = e.id AND s.year_id = :year AND s.revision = l.revision
WHERE e.active = 1 AND e.unit_id IN (SELECT id FROM unit WHERE path LIKE :path || '%')
GROUP BY u.id, coalesce(s.status, 'belum')"""


def seed_plans(db_path, year: int, seed: int = 7) -> dict:
    """Plans for every employee of the regency built by bench/common.build_regency."""
    from kinerja.models import (Employee, Indicator, OrgGoal, PerformanceYear, Position, Rhk, Skp,
                                Unit, User, db)
    from kinerja.rules.skp import default_deadline
    app = bench_app(db_path)
    rng = random.Random(seed)
    with app.app_context():
        db.connect(reuse_if_open=True)
        with db.atomic():
            PerformanceYear.create(year=year, skp_deadline=default_deadline(year))
            goals = {}
            for opd in Unit.select().where(Unit.parent.is_null()):
                goals[opd.id] = [OrgGoal.create(unit=opd.id, year=year, goal=f"Sasaran {n} {opd.name}",
                                                indicator=f"IKU {n}", target="90 %", order=n).id
                                 for n in (1, 2, 3)]
            rows = list(Employee.select(Employee.id, Employee.position, Employee.unit, Position.parent,
                                        Position.kind, Position.name, Unit.name, Unit.path)
                        .join(Position).switch(Employee).join(Unit).order_by(Employee.id)
                        .tuples())
            holder = {}
            for emp_id, pos_id, *_ in rows:
                holder.setdefault(pos_id, emp_id)
            user_of = dict(User.select(User.employee, User.id).where(User.employee.is_null(False)).tuples())
            admin_user = User.get(User.username == "admin").id
            utama_of = {}  # employee id -> Utama RHK ids of the approved plan
            start = datetime.datetime(year, 1, 5, 2, 0)
            for kind in KIND_ORDER:
                level = [r for r in rows if r[4] == kind]
                skp_rows, states = [], {}
                for emp_id, pos_id, unit_id, parent_pos, _, pos_name, unit_name, path in level:
                    appraiser = holder.get(parent_pos) if parent_pos else None
                    state = "approved" if kind in KIND_ORDER[:3] else \
                        rng.choices([s for s, _ in STAFF_STATES], [w for _, w in STAFF_STATES])[0]
                    if state == "none":
                        continue
                    if appraiser is not None and appraiser not in utama_of:
                        state = "draft"
                    states[emp_id] = (state, appraiser, int(path.strip("/").split("/")[0]))
                    decided = state in ("approved", "returned")
                    skp_rows.append({
                        "employee": emp_id, "year": year, "revision": 1, "status": state,
                        "approach": "kuantitatif", "period_start": datetime.date(year, 1, 1),
                        "period_end": datetime.date(year, 12, 31), "unit": unit_id,
                        "position_name": pos_name, "unit_name": unit_name, "appraiser": appraiser,
                        "submitted_at": start if state != "draft" else None,
                        "submitted_by": user_of.get(emp_id) if state != "draft" else None,
                        "decided_at": start if decided else None,
                        "decided_by": (user_of.get(appraiser, admin_user) if decided else None),
                        "created_at": start, "updated_at": start})
                for chunk in range(0, len(skp_rows), 500):
                    Skp.insert_many(skp_rows[chunk:chunk + 500]).execute()
                skp_of = dict(Skp.select(Skp.employee, Skp.id).where(
                    Skp.employee.in_(list(states)) & (Skp.year == year)).tuples()) if states else {}
                rhk_rows = []
                for emp_id, (state, appraiser, opd_id) in states.items():
                    for order in range(1, 6):
                        kind_rhk = "utama" if order <= 4 else "tambahan"
                        parent = goal = None
                        if kind_rhk == "utama":
                            if appraiser is None:
                                goal = goals[opd_id][(order - 1) % 2]  # the third goal stays unattended
                            elif appraiser in utama_of:
                                parent = rng.choice(utama_of[appraiser])
                        rhk_rows.append({"skp": skp_of[emp_id], "kind": kind_rhk, "order": order,
                                         "text": f"RHK {order} pegawai {emp_id}: terlaksananya layanan",
                                         "parent": parent, "org_goal": goal, "review_comment": ""})
                for chunk in range(0, len(rhk_rows), 500):
                    Rhk.insert_many(rhk_rows[chunk:chunk + 500]).execute()
                by_skp = {}
                for rhk_id, skp_id, rhk_kind in (Rhk.select(Rhk.id, Rhk.skp, Rhk.kind)
                                                 .where(Rhk.skp.in_(list(skp_of.values())))
                                                 .order_by(Rhk.id).tuples()):
                    by_skp.setdefault(skp_id, []).append((rhk_id, rhk_kind))
                skp_owner = {v: k for k, v in skp_of.items()}
                indicator_rows = []
                for skp_id, rhks in by_skp.items():
                    if states[skp_owner[skp_id]][0] == "approved":
                        utama_of[skp_owner[skp_id]] = [r for r, k in rhks if k == "utama"]
                    for (rhk_id, _), count in zip(rhks, INDICATORS_PER_RHK):
                        for n in range(count):
                            indicator_rows.append({
                                "rhk": rhk_id, "aspect": "kuantitas" if n == 0 else "waktu",
                                "text": "Jumlah dokumen" if n == 0 else "Ketepatan waktu",
                                "target_min": Decimal(12), "target_unit": "dokumen" if n == 0 else "bulan",
                                "target_text": "", "order": n + 1})
                for chunk in range(0, len(indicator_rows), 500):
                    Indicator.insert_many(indicator_rows[chunk:chunk + 500]).execute()
        facts = {"skps": Skp.select().count(), "rhks": Rhk.select().count(),
                 "indicators": Indicator.select().count(),
                 "submitted": list(Skp.select(Skp.id, Skp.appraiser).where(
                     (Skp.status == "submitted") & Skp.appraiser.is_null(False)).tuples())}
        db.close()
    return facts


def _timed_decisions(app, submitted, n: int) -> dict:
    """Approve n different submitted plans, each as its own Pejabat Penilai, through htmx."""
    from kinerja.models import Employee, db
    with app.app_context():
        db.connect(reuse_if_open=True)
        nip = dict(Employee.select(Employee.id, Employee.nip).tuples())
        db.close()
    by_appraiser = {}
    for skp_id, appraiser in submitted:
        by_appraiser.setdefault(appraiser, []).append(skp_id)
    times, done = [], 0
    start = time.perf_counter()
    for appraiser, plan_ids in sorted(by_appraiser.items(), key=lambda kv: -len(kv[1])):
        client = logged_in_client(app, nip[appraiser])
        for skp_id in plan_ids:
            if done >= n:
                break
            t0 = time.perf_counter()
            response = client.post(f"/skp/{skp_id}/keputusan", data={"decision": "approve"},
                                   headers={"HX-Request": "true"})
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
            done += 1
        if done >= n:
            break
    elapsed = time.perf_counter() - start
    times.sort()
    return {"n": len(times), "p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))],
            "rps": len(times) / elapsed}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("-n", type=int, default=100)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / "skp.sqlite3"
    year = datetime.date.today().year
    facts = build_regency(db_path, args.employees)
    t0 = time.perf_counter()
    plans = seed_plans(db_path, year)
    print(f"Machine: {machine()}")
    print(f"Data: {facts['employees']} employees, {facts['units']} units, {plans['skps']} SKP, "
          f"{plans['rhks']} RHK, {plans['indicators']} indicators (generated in "
          f"{time.perf_counter() - t0:.0f} s)")

    app = bench_app(db_path)
    admin = logged_in_client(app, "admin")
    from kinerja.models import OrgGoal, Rhk, Skp, Unit, db
    with app.app_context():
        db.connect(reuse_if_open=True)
        opd = Unit.get_by_id(facts["largest_opd"])
        in_opd = Unit.select().where(Unit.within(opd)).count() - 1
        bidang = Unit.select().where(Unit.parent == opd.id).order_by(Unit.id).first()
        staff_plan = (Skp.select(Skp.id).where((Skp.status == "approved") & (Skp.unit == bidang.id))
                      .order_by(Skp.id.desc()).first().id)
        draft_plan = Skp.select(Skp.id).where(Skp.status == "draft").first().id
        head_rhk = (Rhk.select(Rhk.id).join(OrgGoal, on=(Rhk.org_goal == OrgGoal.id))
                    .where(OrgGoal.unit == opd.id).order_by(Rhk.id).first().id)
        kabid_rhk = Rhk.select(Rhk.id).where(Rhk.parent == head_rhk).order_by(Rhk.id).first().id
        db.close()
    cascade = f"/skp/kaskade?unit={opd.id}"
    hx = {"HX-Request": "true"}
    team = f"/skp/tim?unit={opd.id}"
    rows = [
        (f"team overview, {opd.name} (admin)", measure(admin, team, n=args.n)),
        ("team overview, page 10 (htmx fragment)", measure(admin, f"{team}&page=10", n=args.n,
                                                           headers={"HX-Request": "true"})),
        ("team overview, filter diajukan", measure(admin, f"{team}&status=submitted", n=args.n)),
        (f"cascade, one bidang of {opd.name}", measure(admin, f"/skp/kaskade?unit={bidang.id}", n=args.n)),
        (f"cascade, whole {opd.name}", measure(admin, cascade, n=args.n)),
        ("cascade, open a head's RHK in place (htmx)", measure(admin, f"{cascade}&rhk={head_rhk}", n=args.n,
                                                               headers=hx)),
        ("cascade, open a Kepala Bidang RHK in place (htmx)", measure(admin, f"{cascade}&rhk={kabid_rhk}",
                                                                      n=args.n, headers=hx)),
        ("cascade, a head's RHK as its own page (no JS)", measure(admin, f"{cascade}&rhk={head_rhk}",
                                                                  n=args.n)),
        ("SKP page (admin)", measure(admin, f"/skp/{staff_plan}", n=args.n)),
        ("approve (htmx, next plan in the panel)", _timed_decisions(app, plans["submitted"], args.n)),
        ("print SKP as PDF, approved", measure(admin, f"/skp/{staff_plan}/cetak", n=20, warmup=2)),
        ("print SKP as PDF, draft (watermark)", measure(admin, f"/skp/{draft_plan}/cetak", n=20, warmup=2)),
    ]
    def bound(sql):
        return sql.replace(":year", str(year)).replace(":path", f"'{opd.path}'")
    base = baseline_app(str(db_path), {"/team": (bound(TEAM_PAGE_SQL), None)},
                        extra_reads=[bound(TEAM_COUNTS_SQL)])
    rows.append(("baseline: bare Flask, same team reads", measure(base.test_client(), "/team", n=args.n)))
    print_table(f"SKP pages at {facts['employees']} employees (server-side, one worker; "
                f"{opd.name}: {in_opd} sub-units)", rows)
    print(f"\nSQL statements per page: team overview {count_queries(app, admin, team)}, "
          f"page 10 {count_queries(app, admin, f'{team}&page=10')}; cascade of a bidang "
          f"{count_queries(app, admin, f'/skp/kaskade?unit={bidang.id}')}, of the whole OPD "
          f"{count_queries(app, admin, cascade)}, a head's RHK on its own page "
          f"{count_queries(app, admin, f'{cascade}&rhk={head_rhk}')}, a Kepala Bidang RHK "
          f"{count_queries(app, admin, f'{cascade}&rhk={kabid_rhk}')}")
    print(f"Peak memory of this process: {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
