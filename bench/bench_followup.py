"""Issue 14 at regency scale: the employee record (rekam pegawai) and the 20 JP list.

The data of bench_talent (two years of annual predikat, potential assessments) plus a year of
training records for everyone (some above 20 JP, most below), approved rewards and sanctions
for one in ten, and one functional employee with a long career: ten years of quarterly and
annual predikat, a coaching plan, training and a decision every year. Then the record of that
employee as the admin BKPSDM and as the head of their OPD, its PDF, and the 20 JP recap of the
regency and of the largest OPD, with the SQL statements of each.

    .venv/bin/python -m bench.bench_followup [--employees 10000]
"""
import argparse
import datetime
import random
import time

from .bench_talent import seed_talent
from .common import (OUT, bench_app, build_regency, count_queries, logged_in_client, machine,
                     measure, print_table)

KINDS = ["klasikal", "non_klasikal", "e_learning", "seminar", "coaching", "mentoring"]
CAREER_YEARS = 10


def _batches(model, rows, size=500):
    for start in range(0, len(rows), size):
        model.insert_many(rows[start:start + size]).execute()


def seed_followup(db_path, today: datetime.date, seed: int = 15) -> int:
    """Training and decisions for the regency and a long career for one functional employee;
    returns that employee's id."""
    from kinerja.models import (CoachingPlan, Employee, Evaluation, PerformanceYear,
                                PersonnelDecision, Position, Skp, TrainingRecord, db)
    from kinerja.rules.evaluation import annual_period, periods
    from kinerja.stores.training.totals import rebuild as rebuild_training_totals
    app = bench_app(db_path)
    rng = random.Random(seed)
    now = datetime.datetime.now()
    with app.app_context():
        db.connect(reuse_if_open=True)
        employees = list(Employee.select(Employee.id, Employee.unit).tuples())
        with db.atomic():
            training = []
            for emp, _ in employees:
                for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
                    ends = datetime.date(today.year, rng.randint(1, today.month), rng.randint(1, 28))
                    if ends > today:
                        ends = today
                    training.append({"employee": emp, "title": "Pelatihan teknis", "kind": rng.choice(KINDS),
                                     "organiser": "BPSDM Provinsi", "starts": ends, "ends": ends,
                                     "year": today.year, "hours": rng.choice([2, 4, 6, 8, 12, 24]),
                                     "created_at": now, "updated_at": now})
            _batches(TrainingRecord, training)
            _batches(PersonnelDecision, [
                {"employee": emp, "unit": unit, "category": "penghargaan", "kind": "piagam",
                 "basis": "Predikat Sangat Baik", "status": "disetujui", "proposed_at": now,
                 "decided_at": now, "sk_number": f"800/{emp}/BKPSDM/{today.year - 1}",
                 "sk_date": datetime.date(today.year - 1, 12, 1),
                 "valid_from": datetime.date(today.year - 1, 12, 1)}
                for emp, unit in employees if rng.random() < 0.1])

            career = (Employee.select(Employee.id, Employee.unit)
                      .join(Position, on=(Employee.position == Position.id))
                      .where(Position.kind == "fungsional").order_by(Employee.id).first())
            first = today.year - 2 - CAREER_YEARS
            for year in range(first, today.year - 2):
                PerformanceYear.insert(year=year, skp_deadline=datetime.date(year, 1, 31),
                                       is_open=False).on_conflict_ignore().execute()
                skp = Skp.create(employee=career.id, year=year, status="approved", unit=career.unit_id,
                                 period_start=datetime.date(year, 1, 1),
                                 period_end=datetime.date(year, 12, 31))
                evaluations = [(p.kind, p.number, p.starts, p.ends)
                               for p in periods(year, "triwulanan") + [annual_period(year)]]
                for kind, number, starts, ends in evaluations:
                    ev = Evaluation.create(employee=career.id, skp=skp.id, year=year, kind=kind,
                                           number=number, starts=starts, ends=ends,
                                           unit=career.unit_id, status="approved",
                                           predikat=rng.choice(["baik", "sangat_baik", "butuh_perbaikan"]))
                CoachingPlan.create(employee=career.id, evaluation=ev.id, unit=career.unit_id,
                                    status="closed", outcome="membaik")
                TrainingRecord.create(employee=career.id, title=f"Diklat {year}", kind="klasikal",
                                      starts=datetime.date(year, 5, 1), ends=datetime.date(year, 5, 3),
                                      year=year, hours=24)
                PersonnelDecision.create(employee=career.id, unit=career.unit_id, category="penghargaan",
                                         kind="piagam", basis="Predikat Sangat Baik", status="disetujui",
                                         sk_number=f"800/{year}", sk_date=datetime.date(year, 12, 1),
                                         valid_from=datetime.date(year, 12, 1))
            # insert_many goes round the store: the stored yearly totals summed once from all.
            rebuild_training_totals()
        db.close()
    return career.id


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("-n", type=int, default=100)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / "followup.sqlite3"
    today = datetime.date.today()
    facts = build_regency(db_path, args.employees)
    t0 = time.perf_counter()
    seed_talent(db_path, today)
    career_id = seed_followup(db_path, today)
    print(f"Machine: {machine()}")
    print(f"Data: {facts['employees']} employees (generated in {time.perf_counter() - t0:.0f} s)")

    from kinerja.models import Employee, TrainingRecord, TrainingYearTotal, Unit, db
    from kinerja.stores.evaluation.access import head_of
    app = bench_app(db_path)
    with app.app_context():
        db.connect(reuse_if_open=True)
        career = Employee.get_by_id(career_id)
        opd_id = Unit.path_ids(Unit.get_by_id(career.unit_id).path)[0]
        head = head_of(Unit.get_by_id(opd_id))
        records = TrainingRecord.select().count()
        totals = TrainingYearTotal.select().count()
        largest = facts["largest_opd"]
        db.close()
    print(f"Training records: {records} ({totals} stored yearly totals); the long career: "
          f"{CAREER_YEARS} years of a functional employee ({career_id})")
    admin = logged_in_client(app, "admin")
    urls = [("Employee record, 10-year career (admin BKPSDM)", admin, f"/rekam-pegawai/{career_id}", args.n),
            ("Employee record PDF (admin BKPSDM)", admin, f"/rekam-pegawai/{career_id}/pdf",
             max(3, args.n // 10)),
            ("20 JP recap of the regency (admin BKPSDM)", admin, "/pengembangan/rekap", args.n),
            (f"20 JP recap of the largest OPD (?opd={largest})", admin,
             f"/pengembangan/rekap?opd={largest}", args.n)]
    if head is not None:
        urls.insert(1, ("Employee record (the head of their OPD)", logged_in_client(app, head.nip),
                        f"/rekam-pegawai/{career_id}", args.n))
    rows = []
    for name, client, url, n in urls:
        rows.append((f"{name} [{count_queries(app, client, url)} queries]",
                     measure(client, url, n=n, warmup=2)))
    print_table(f"Follow-up, {facts['employees']} employees", rows)


if __name__ == "__main__":
    main()
