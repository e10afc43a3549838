"""Attendance benchmark: a month's import for 10,000 employees (~220,000 daily rows), dry run
and confirmation, and the unit attendance page of an OPD of about 4,000 employees.

    .venv/bin/python -m bench.bench_attendance [--employees 11800] [--imported 10000]

The import is timed through the store (read the file, check every row, then the confirmation
that checks again and writes all or nothing, discipline proposals included); the page through
the WSGI app like the other benchmarks, with its query count checked against a smaller OPD.
"""
import argparse
import datetime
import time

from .common import (OUT, bench_app, build_regency, count_queries, logged_in_client, machine,
                     measure, peak_memory_mb, print_table)


def month_file(nips, year: int, month: int, seed: int = 3) -> bytes:
    import random
    rng = random.Random(seed)
    lines = ["NIP,Tanggal,Jam masuk,Jam pulang"]
    day = datetime.date(year, month, 1)
    while day.month == month:
        if day.weekday() < 5:
            for nip in nips:
                if rng.random() < 0.97:
                    lines.append(f"{nip},{day},07:{rng.randint(10, 45):02d},16:{rng.randint(0, 40):02d}")
        day += datetime.timedelta(days=1)
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=11800)
    parser.add_argument("--imported", type=int, default=10000)
    args = parser.parse_args()
    db_path = OUT / "attendance.sqlite3"
    facts = build_regency(db_path, args.employees)
    app = bench_app(db_path)
    from kinerja import clock
    from kinerja.models import AttendanceDay, Employee, Unit, User, db
    from kinerja.spreadsheets import read_rows
    from kinerja.stores.attendance import imports
    clock.travel_to(datetime.date(2026, 11, 24))
    with app.app_context():
        db.connect(reuse_if_open=True)
        nips = [n for (n,) in Employee.select(Employee.nip).order_by(Employee.id)
                .limit(args.imported).tuples()]
        admin = User.get(User.username == "admin")
        content = month_file(nips, 2026, 10)
        started = time.perf_counter()
        headers, rows = read_rows("oktober.csv", content, max_rows=imports.MAX_ROWS)
        read = time.perf_counter() - started
        plan = imports.plan_import(headers, rows, None, clock.today())
        dry = time.perf_counter() - started
        assert not plan.bad, plan.bad[:3]
        _, written = imports.confirm_import(admin, headers, rows, None, clock.today(), "oktober.csv")
        total = time.perf_counter() - started
        largest = Unit.get_by_id(facts["largest_opd"])
        people = (Employee.select().join(Unit, on=(Employee.unit == Unit.id))
                  .where(Unit.within(largest) & Employee.active).count())
        small = (Unit.select().where(Unit.parent.is_null() & (Unit.id != largest.id))
                 .order_by(Unit.id).first())
        stored = AttendanceDay.select().count()
        db.close()
    print(f"\nAttendance import ({machine()})")
    print(f"rows {len(rows):,}, days written {written:,} (stored {stored:,}), bytes {len(content):,}")
    print(f"read file {read:.1f} s, dry run {dry:.1f} s, dry run + confirmation {total:.1f} s")
    client = logged_in_client(app, facts["admin"])
    url = f"/presensi/unit?unit={largest.id}&bulan=10&tahun=2026"
    page = measure(client, url, n=40)
    queries = count_queries(app, client, url)
    small_queries = count_queries(app, client, f"/presensi/unit?unit={small.id}&bulan=10&tahun=2026")
    print_table(f"Attendance page of an OPD of {people:,} employees", [("unit page, October", page)])
    print(f"queries: {queries} (an OPD of another size: {small_queries}); "
          f"peak memory {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
