"""Audit trail benchmark: the trail of a regency after a few years — 1,000,000 rows by
10,000 employees' accounts — browsed and filtered by the admin and by an admin OPD; and
the list of those 10,000 accounts.

    .venv/bin/python -m bench.bench_audit [--rows 1000000] [--reuse]
"""
import argparse
import datetime
import json
import random
import sqlite3

from flask import url_for

from .baseline import baseline_app
from .common import (OUT, bench_app, build_regency, count_queries, logged_in_client, machine,
                     measure, peak_memory_mb, print_table)

# (entity, action, summary, share): what a year of SKP and evaluation work leaves behind.
KINDS = [("skp", "update", "SKP {year} {name} diubah", 30),
         ("rhk", "create", "RHK ditambahkan pada SKP {year} {name}", 20),
         ("skp", "submit", "SKP {year} {name} diajukan", 8),
         ("skp", "approve", "SKP {year} {name} disetujui", 7),
         ("evaluation", "submit", "Evaluasi Triwulan {quarter} {year} {name} diajukan", 12),
         ("evaluation", "rate", "Evaluasi Triwulan {quarter} {year} {name} dinilai", 12),
         ("evaluation", "approve", "Evaluasi Triwulan {quarter} {year} {name} ditetapkan", 8),
         ("employee", "update", "Data pegawai {name} diubah", 2),
         ("user", "password_changed", "Kata sandi {name} diganti", 1)]

PAGE_SQL = """
SELECT a.*, u.username, e.name, un.name FROM audit_log a
LEFT JOIN user u ON u.id = a.actor_id LEFT JOIN employee e ON e.id = u.employee_id
LEFT JOIN unit un ON un.id = a.unit_id ORDER BY a.id DESC LIMIT 30"""
COUNT_SQL = "SELECT count(*) FROM (SELECT 1 FROM audit_log LIMIT 10001)"
# The account of the session, and the filter choices (the codes present, by a loose index scan).
LOOSE_SCAN = ('WITH RECURSIVE code(value) AS (SELECT min({c}) FROM audit_log UNION ALL '
              'SELECT (SELECT min({c}) FROM audit_log WHERE {c} > value) FROM code '
              'WHERE value IS NOT NULL) SELECT value FROM code WHERE value IS NOT NULL')
SAME_READS = ["SELECT u.*, e.* FROM user u LEFT JOIN employee e ON e.id = u.employee_id WHERE u.id = 1",
              LOOSE_SCAN.format(c="entity"), LOOSE_SCAN.format(c="action")]


def _fill(db_path, rows: int, seed: int = 1) -> dict:
    """Append `rows` audit rows over the two years before today, oldest first."""
    rng = random.Random(seed)
    db = sqlite3.connect(db_path)
    people = db.execute("SELECT u.id, e.id, e.name, e.unit_id FROM user u "
                        "JOIN employee e ON e.id = u.employee_id").fetchall()
    kinds = [k for k in KINDS for _ in range(k[3])]
    end = datetime.datetime.utcnow().replace(microsecond=0)
    start = end - datetime.timedelta(days=730)
    step = (end - start) / rows

    def generate():
        for i in range(rows):
            actor, employee, name, unit = rng.choice(people)
            entity, action, summary, _ = rng.choice(kinds)
            at = start + step * i
            text = summary.format(year=at.year, quarter=(at.month - 1) // 3 + 1, name=name)
            after = json.dumps({"status": action}) if entity in ("skp", "evaluation") else None
            yield (at.strftime("%Y-%m-%d %H:%M:%S.%f"), actor, action, entity, employee, unit, text,
                   None, after)

    with db:
        db.executemany("INSERT INTO audit_log (at, actor_id, action, entity, entity_id, unit_id, "
                       "summary, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", generate())
    sample = db.execute("SELECT a.at, u.username FROM audit_log a JOIN user u ON u.id = a.actor_id "
                        "WHERE a.id = ?", (rows // 2,)).fetchone()
    db.close()
    return {"day": datetime.date.fromisoformat(sample[0][:10]), "actor": sample[1]}


def _add_admins_opd(db_path, largest_opd: int):
    """admin.besar for the largest OPD, admin.kecil for the smallest (a kecamatan)."""
    db = sqlite3.connect(db_path)
    password_hash = db.execute("SELECT password_hash FROM user WHERE username = 'admin'").fetchone()[0]
    smallest = db.execute("SELECT u.id FROM unit u JOIN employee e ON e.unit_id = u.id "
                          "WHERE u.parent_id IS NOT NULL GROUP BY u.parent_id "
                          "ORDER BY count(*) LIMIT 1").fetchone()[0]
    smallest_opd = db.execute("SELECT parent_id FROM unit WHERE id = ?", (smallest,)).fetchone()[0]
    with db:
        for username, unit in (("admin.besar", largest_opd), ("admin.kecil", smallest_opd)):
            db.execute("INSERT INTO user (username, password_hash, role, scope_unit_id, active, "
                       "must_change_password, session_version, created_at) VALUES "
                       "(?, ?, 'admin_opd', ?, 1, 0, 1, datetime('now'))", (username, password_hash, unit))
    db.close()


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("-n", type=int, default=100)
    args = parser.parse_args(argv)
    db_path = OUT / "audit.sqlite3"
    facts_path = OUT / "audit.json"
    if args.reuse and db_path.exists() and facts_path.exists():
        facts = json.loads(facts_path.read_text())
    else:
        facts = build_regency(db_path, args.employees)
        _add_admins_opd(db_path, facts["largest_opd"])
        filled = _fill(db_path, args.rows)
        facts.update(day=filled["day"].strftime("%d-%m-%Y"), year=filled["day"].year, actor=filled["actor"])
        facts_path.write_text(json.dumps(facts))
    print(f"Machine: {machine()}")
    print(f"Data: {facts['employees']} employees, {args.rows:,} audit rows over two years")

    app = bench_app(db_path)
    admin = logged_in_client(app, "admin")
    large_opd = logged_in_client(app, "admin.besar")
    small_opd = logged_in_client(app, "admin.kecil")
    htmx = {"HX-Request": "true"}
    with app.test_request_context():
        url = url_for("audit.index")
        accounts = url_for("accounts.index")
    cases = [
        ("audit trail, no filter (admin)", admin, url, None),
        ("audit trail, admin OPD of the largest OPD", large_opd, url, None),
        ("audit trail, admin OPD of the smallest OPD", small_opd, url, None),
        ("smallest OPD, last page (htmx)", small_opd, f"{url}?page=1000", htmx),
        ("one day (htmx)", admin, f"{url}?date_from={facts['day']}&date_to={facts['day']}", htmx),
        ("one year, evaluations approved (htmx)", admin,
         f"{url}?date_from=01-01-{facts['year']}&date_to=31-12-{facts['year']}&entity=evaluation"
         f"&action=approve", htmx),
        ("one actor by NIP (htmx)", admin, f"{url}?actor={facts['actor']}", htmx),
        ("entity + action: evaluations approved (htmx)", admin, f"{url}?entity=evaluation&action=approve",
         htmx),
        ("text in the summary: 'ditetapkan' (htmx)", admin, f"{url}?q=ditetapkan", htmx),
        ("text in the summary: a name (htmx)", admin, f"{url}?q=Pegawai+04321", htmx),
        ("rare action: passwords changed (htmx)", admin, f"{url}?action=password_changed", htmx),
        ("deepest page (htmx)", admin, f"{url}?page=1000000", htmx),
        ("accounts, 10,000 (admin)", admin, accounts, None),
        ("accounts, search by name (htmx)", admin, f"{accounts}?q=Siti", htmx),
        ("accounts, admin OPD of the largest OPD", large_opd, accounts, None),
    ]
    rows = [(name, measure(client, path, n=args.n, headers=headers)) for name, client, path, headers in cases]
    base = baseline_app(str(db_path), {"/audit": (PAGE_SQL, COUNT_SQL)}, extra_reads=SAME_READS)
    rows.append(("baseline: bare Flask, same page-1 reads", measure(base.test_client(), "/audit", n=args.n)))
    print_table("Audit trail (server-side, one worker)", rows)
    queries = {name: count_queries(app, client, path) for name, client, path, _ in cases[:2]}
    print(f"\nSQL statements per page: {queries}")
    print(f"Peak memory of this process: {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
