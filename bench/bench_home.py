"""The Beranda of each role at regency scale: the data of bench_evaluation (every employee
with an SKP, a year of progress, the past quarters evaluated, some still waiting), then the
Beranda of a staff member, of the Pejabat Penilai with the largest team, of the head of the
largest OPD and of the admin BKPSDM, with the SQL statements of each and a bare-Flask
baseline doing the same reads.

    .venv/bin/python -m bench.bench_home [--employees 10000]
"""
import argparse
import datetime
import time

from .baseline import replay_app
from .bench_evaluation import seed_evaluations
from .bench_skp import seed_plans
from .common import (OUT, bench_app, build_regency, count_queries, logged_in_client, machine,
                     measure, print_table, recorded_reads)


def enqueue_ms(db_path, n: int = 200) -> float:
    """What queueing a job adds to the request that queues it: the mail-sending task put on
    the worker's queue (not run: the app here is not in immediate mode)."""
    from kinerja import jobs
    app = bench_app(db_path, JOBS_IMMEDIATE=False, JOBS_FILE=str(OUT / "bench-jobs.sqlite3"))
    with app.app_context():
        jobs.send_outbox()
        start = time.perf_counter()
        for _ in range(n):
            jobs.send_outbox()
        elapsed = (time.perf_counter() - start) * 1000 / n
        jobs.huey.flush()
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("-n", type=int, default=100)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / "home.sqlite3"
    today = datetime.date.today()
    facts = build_regency(db_path, args.employees)
    t0 = time.perf_counter()
    seed_plans(db_path, today.year)
    seed_evaluations(db_path, today.year, today)
    print(f"Machine: {machine()}")
    print(f"Data: {facts['employees']} employees (generated in {time.perf_counter() - t0:.0f} s)")

    from peewee import fn

    from kinerja.models import Employee, Position, Skp, Unit, db
    app = bench_app(db_path)
    with app.app_context():
        db.connect(reuse_if_open=True)
        supervisor_id, team_size = (Skp.select(Skp.appraiser, fn.COUNT(Skp.id))
                                    .where((Skp.year == today.year) & Skp.appraiser.is_null(False))
                                    .group_by(Skp.appraiser).order_by(fn.COUNT(Skp.id).desc())
                                    .tuples().first())
        supervisor = Employee.get_by_id(supervisor_id)
        staff = Employee.select().where(Employee.id.in_(Skp.select(Skp.employee).where(
            Skp.appraiser == supervisor_id))).order_by(Employee.id).first()
        opd = Unit.get_by_id(facts["largest_opd"])
        head = (Employee.select().join(Position, on=(Employee.position == Position.id))
                .where((Position.unit == opd.id) & Position.parent.is_null()).first())
        opd_size = (Employee.select().join(Unit, on=(Employee.unit == Unit.id))
                    .where(Unit.within(opd)).count())
        db.close()
    people = {"staff": logged_in_client(app, staff.nip),
              "supervisor": logged_in_client(app, supervisor.nip),
              "head": logged_in_client(app, head.nip),
              "admin": logged_in_client(app, "admin")}
    rows = [
        ("Beranda of a staff member", measure(people["staff"], "/", n=args.n)),
        (f"Beranda of a Pejabat Penilai ({team_size} in team)", measure(people["supervisor"], "/", n=args.n)),
        (f"Beranda of the head of an OPD ({opd_size} staff)", measure(people["head"], "/", n=args.n)),
        ("Beranda of the admin BKPSDM (whole regency)", measure(people["admin"], "/", n=args.n)),
        ("Beranda counts refreshed (htmx poll, supervisor)", measure(
            people["supervisor"], "/", n=args.n, headers={"HX-Request": "true"})),
        ("overview cards of the head of an OPD (htmx)", measure(
            people["head"], "/beranda/ikhtisar", n=args.n, headers={"HX-Request": "true"})),
        ("overview cards of the admin BKPSDM (htmx)", measure(
            people["admin"], "/beranda/ikhtisar", n=args.n, headers={"HX-Request": "true"})),
    ]
    replay = replay_app(str(db_path), {
        "/staff": recorded_reads(app, people["staff"], "/"),
        "/supervisor": recorded_reads(app, people["supervisor"], "/"),
        "/admin": recorded_reads(app, people["admin"], "/beranda/ikhtisar")}).test_client()
    rows += [("baseline: bare Flask, the staff Beranda's reads", measure(replay, "/staff", n=args.n)),
             ("baseline: bare Flask, the supervisor Beranda's reads", measure(replay, "/supervisor", n=args.n)),
             ("baseline: bare Flask, the admin overview's reads", measure(replay, "/admin", n=args.n))]
    print_table(f"Beranda at {facts['employees']} employees (server-side, one worker)", rows)
    print(f"\nEnqueueing a job (huey on its SQLite file, as `make run`): {enqueue_ms(db_path):.2f} ms "
          "per job, mean of 200")
    print("SQL statements per Beranda: " + ", ".join(
        f"{who} {count_queries(app, client, '/')}" for who, client in people.items())
          + "; overview: " + ", ".join(f"{who} {count_queries(app, people[who], '/beranda/ikhtisar')}"
                                       for who in ("head", "admin")))


if __name__ == "__main__":
    main()
