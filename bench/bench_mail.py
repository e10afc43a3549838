"""Email benchmark: the morning's mail of a regency of 10,000 employees, every one with a
verified address — digests of three held notices for the 30 % who chose "harian", the
supervisors' summaries of 3,000 submitted SKPs, and an SKP reminder (7 days before the
deadline) to everyone without an approved SKP — written in one run, then the same run
again (which must write nothing); and writing the outbox rows for 1,000 immediate notices.
No SMTP: what is measured is the database and the templates (sending is the SMTP server's
speed). The target: under 60 s for the daily run, a constant number of statements.

    .venv/bin/python -m bench.bench_mail [--employees 10000] [--reuse]
"""
import argparse
import datetime
import random
import time

from .common import OUT, bench_app, build_regency, machine, peak_memory_mb

DB = OUT / "mail.sqlite3"


def _prepare(app, rng) -> dict:
    from kinerja import clock
    from kinerja.models import (Employee, MailPreference, Notification, OutboxMessage, PerformanceYear,
                                Position, Skp, User, db, utcnow)
    today = clock.today()
    year = today.year + 1
    with app.app_context():
        db.connect(reuse_if_open=True)
        with db.atomic():
            OutboxMessage.delete().execute()
            MailPreference.delete().execute()
            Notification.delete().execute()
            Skp.delete().execute()
            PerformanceYear.delete().where(PerformanceYear.year == year).execute()
            User.update(email=User.username.concat("@sukamaju.test"), email_verified_at=utcnow()).execute()
            PerformanceYear.create(year=year, skp_deadline=today + datetime.timedelta(days=7))
            accounts = list(User.select(User.id, User.employee).where(User.employee.is_null(False)).tuples())
            supervisors = [e for (e,) in Employee.select(Employee.id).join(
                Position, on=(Employee.position == Position.id)).where(
                Position.kind.in_(["jpt_pratama", "administrator", "pengawas"])).tuples()]
            digest = rng.sample(accounts, len(accounts) * 3 // 10)
            preferences = [{"account": a, "kind": "skp", "mode": "digest"} for a, _ in digest]
            for i in range(0, len(preferences), 500):
                MailPreference.insert_many(preferences[i:i + 500]).execute()
            held = [{"account": a, "to_address": "x@sukamaju.test", "subject": f"SKP {year} Anda dikembalikan ({n})",
                     "text_body": "http://127.0.0.1:5000/skp/1", "kind": "skp", "state": "held",
                     "created_at": utcnow()} for a, _ in digest for n in range(3)]
            for i in range(0, len(held), 500):
                OutboxMessage.insert_many(held[i:i + 500]).execute()
            submitted = rng.sample(accounts, 3000)
            plans = [{"employee": e, "year": year, "status": "submitted", "appraiser": rng.choice(supervisors),
                      "period_start": datetime.date(year, 1, 1), "period_end": datetime.date(year, 12, 31)}
                     for _, e in submitted]
            for i in range(0, len(plans), 500):
                Skp.insert_many(plans[i:i + 500]).execute()
        facts = {"accounts": len(accounts), "digest_accounts": len(digest), "held": len(held),
                 "submitted": len(plans), "today": today}
        db.close()
    return facts


def _daily(app, today) -> tuple[float, int, dict]:
    from kinerja.models import db
    from kinerja.stores import mail
    with app.app_context():
        db.connect(reuse_if_open=True)
        statements = []
        original = db.obj.execute_sql

        def counted(sql, params=None, *args, **kwargs):
            statements.append(sql)
            return original(sql, params, *args, **kwargs)

        db.obj.execute_sql = counted
        try:
            start = time.perf_counter()
            counts = mail.run_daily(today)
            elapsed = time.perf_counter() - start
        finally:
            db.obj.execute_sql = original
        db.close()
    return elapsed, len(statements), counts


def _immediate(app, n: int) -> float:
    from kinerja.models import Notification, User, db
    from kinerja.stores import mail
    with app.app_context():
        db.connect(reuse_if_open=True)
        employees = [e for (e,) in User.select(User.employee).where(User.employee.is_null(False))
                     .limit(n).tuples()]
        start = time.perf_counter()
        for employee in employees:
            with db.atomic():
                notice = Notification.create(recipient=employee, text="SKP Anda disetujui", link="/skp/1")
                mail.queue_notice(employee, "evaluation", "SKP Anda disetujui", "/skp/1", notice.id)
        elapsed = time.perf_counter() - start
        db.close()
    return elapsed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("--reuse", action="store_true", help="use bench/out/mail.sqlite3 as it is")
    args = parser.parse_args(argv)
    if not (args.reuse and DB.exists()):
        t0 = time.perf_counter()
        build_regency(DB, employees=args.employees)
        print(f"regency of {args.employees} employees built in {time.perf_counter() - t0:.0f} s")
    app = bench_app(DB, JOBS_IMMEDIATE=True, MAIL_SERVER="")
    facts = _prepare(app, random.Random(1))
    print(f"\nEmail: {facts['accounts']} accounts with a verified address, {facts['digest_accounts']} "
          f"in digest mode holding {facts['held']} notices, {facts['submitted']} SKPs submitted")
    first, first_statements, counts = _daily(app, facts["today"])
    second, second_statements, again = _daily(app, facts["today"])
    per_notice = _immediate(app, 1000) / 1000 * 1000
    print(f"{'what':<60} {'seconds':>8} {'statements':>11}")
    print(f"{'daily run: ' + ', '.join(f'{n} {k}' for k, n in counts.items()):<60} "
          f"{first:>8.1f} {first_statements:>11}")
    print(f"{'the same run again: ' + ', '.join(f'{n} {k}' for k, n in again.items()):<60} "
          f"{second:>8.1f} {second_statements:>11}")
    print(f"{'one immediate notice with its outbox row (ms, 1,000 in a row)':<60} {per_notice:>8.2f}")
    print(f"peak memory {peak_memory_mb():.0f} MB; {machine()}")
    assert first < 60, "the daily run must take under a minute"
    assert not any(again.values()), "a second run must write nothing"


if __name__ == "__main__":
    main()
