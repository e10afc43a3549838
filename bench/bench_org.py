"""Organisation benchmark: login, the employee list and its active search at 10,000 employees.

    .venv/bin/python -m bench.bench_org [--employees 10000]
"""
import argparse

from flask import url_for

from .baseline import baseline_app
from .common import (OUT, bench_app, build_regency, count_queries, logged_in_client, machine,
                     measure, peak_memory_mb, print_table)

EMPLOYEE_PAGE_SQL = """
SELECT e.nip, e.name, e.title_back, p.name, u.name FROM employee e
LEFT JOIN position p ON p.id = e.position_id LEFT JOIN unit u ON u.id = e.unit_id
WHERE e.active = 1 AND (:q = '' OR e.name LIKE '%' || :q || '%') ORDER BY e.name LIMIT 50"""
# What the employee page reads besides the list: the logged-in account and the unit filter.
SAME_READS = ["SELECT u.*, e.* FROM user u LEFT JOIN employee e ON e.id = u.employee_id "
              "WHERE u.id = 1", "SELECT id, code, name, parent_id, active FROM unit ORDER BY name"]
EMPLOYEE_COUNT_SQL = """SELECT count(*) FROM employee e WHERE e.active = 1
AND (:q = '' OR e.name LIKE '%' || :q || '%')"""


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / "org.sqlite3"
    facts = build_regency(db_path, args.employees)
    print(f"Machine: {machine()}")
    print(f"Data: {facts['employees']} employees, {facts['units']} units")

    app = bench_app(db_path)
    admin = logged_in_client(app, "admin")
    with app.test_request_context():
        employees_url = url_for("org.employees")
    rows = [
        ("login (POST /masuk, argon2id)", measure(
            app.test_client, "/masuk", n=50, method="POST",
            data={"username": facts["sample_nip"], "password": "Kinerja2026!"}, expect=(302,))),
        ("employee list, page 1 (admin)", measure(admin, employees_url, n=args.n)),
        ("employee list, page 100 (admin)", measure(admin, f"{employees_url}?page=100", n=args.n)),
        ("active search 'Siti' (htmx fragment)", measure(
            admin, f"{employees_url}?q=Siti", n=args.n, headers={"HX-Request": "true"})),
        ("active search by NIP prefix (htmx fragment)", measure(
            admin, f"{employees_url}?q={facts['sample_nip'][:6]}", n=args.n,
            headers={"HX-Request": "true"})),
    ]
    base = baseline_app(str(db_path), {"/list": (EMPLOYEE_PAGE_SQL, EMPLOYEE_COUNT_SQL)},
                        extra_reads=SAME_READS)
    base_client = base.test_client()
    rows += [
        ("baseline: bare Flask, same list reads", measure(base_client, "/list", n=args.n)),
        ("baseline: bare Flask, same search reads", measure(base_client, "/list?q=Siti", n=args.n)),
    ]
    print_table("Organisation pages (server-side, one worker)", rows)
    queries_p1 = count_queries(app, admin, employees_url)
    queries_p2 = count_queries(app, admin, f"{employees_url}?page=2")
    print(f"\nSQL statements per employee-list page: {queries_p1} (page 1), {queries_p2} (page 2)")
    print(f"Peak memory of this process: {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
