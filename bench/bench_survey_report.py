"""SKM staff side benchmark: the SKM report PDF, the raw-data exports, the staff dashboard
and the review queue, over the survey data set of bench_survey (a million responses of
60 service units in 5 years).

    .venv/bin/python -m bench.bench_survey_report [--responses 1000000] [-n 10] [--reuse]
"""
import argparse
import io
import sqlite3

from pypdf import PdfReader

from .common import (OUT, bench_app, count_queries, logged_in_client, machine, measure,
                     peak_memory_mb, print_table)
from .survey_data import build_survey

from kinerja.schema import migrate  # noqa: E402  (common puts the project on sys.path)
from kinerja.models import db  # noqa: E402


def _largest_closed_period(db_path) -> tuple[int, int, int, int]:
    """(service unit id, period id, valid responses, suggestions) of the biggest closed period."""
    conn = sqlite3.connect(db_path)
    row = conn.execute(
        "SELECT r.service_unit_id, r.period_id, count(*), count(r.suggestion) "
        "FROM survey_response r JOIN survey_period p ON p.id = r.period_id "
        "WHERE p.is_open = 0 AND r.status = 'valid' GROUP BY r.period_id "
        "ORDER BY count(*) DESC LIMIT 1").fetchone()
    conn.close()
    return row


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("-n", type=int, default=10, help="repetitions of the PDF and exports")
    parser.add_argument("--reuse", action="store_true", help="keep an existing data set")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    # Its own file: bench_survey writes to its data set while it measures.
    db_path = OUT / "survey_report.sqlite3"
    if not (args.reuse and db_path.exists()):
        facts = build_survey(db_path, args.responses)
        print(f"Data: {facts['responses']} responses, {facts['service_units']} service units, "
              f"generated in {facts['seconds']:.0f} s")
    else:
        print(f"Data: reused {db_path}")
    print(f"Machine: {machine()}")
    su_id, period_id, valid, suggestions = _largest_closed_period(db_path)
    print(f"Report of the largest closed period: {valid} valid responses, "
          f"{suggestions} suggestions")

    app = bench_app(db_path)
    with app.app_context():
        migrate()
        db.close()
    admin = logged_in_client(app, "admin")
    base = f"/skm/unit/{su_id}/periode/{period_id}"
    pdf = admin.get(f"{base}/laporan.pdf")
    pages = len(PdfReader(io.BytesIO(pdf.data)).pages)
    rows = [
        ("report PDF (one period)", measure(admin, f"{base}/laporan.pdf", n=args.n, warmup=1)),
        ("raw responses CSV (one period)", measure(admin, f"{base}/tanggapan.csv", n=args.n,
                                                   warmup=1)),
        ("raw responses XLSX (one period)", measure(admin, f"{base}/tanggapan.xlsx", n=args.n,
                                                    warmup=1)),
        ("poster PDF with QR code", measure(admin, f"/skm/unit/{su_id}/poster.pdf", n=args.n,
                                            warmup=1)),
        ("staff dashboard /skm (60 units, admin)", measure(admin, "/skm", n=args.n * 5)),
        ("review queue /skm/tinjauan (page 1)", measure(admin, "/skm/tinjauan", n=args.n * 5)),
    ]
    print_table("SKM staff pages (server-side, one worker, in-process)", rows)
    print(f"\nReport PDF: {pages} pages, {len(pdf.data) / 1024:.0f} KiB")
    print(f"SQL statements: report {count_queries(app, admin, f'{base}/laporan.pdf')}, "
          f"dashboard {count_queries(app, admin, '/skm')}, "
          f"review queue {count_queries(app, admin, '/skm/tinjauan')}")
    print(f"Peak memory of this process: {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
