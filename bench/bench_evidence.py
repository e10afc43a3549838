"""Hostile uploads: what refusing a zip bomb costs (an .odt whose `mimetype` inflates to 1 GB,
a .docx and an .xlsx of the same kind), and a dry run of an .xlsx that declares 16,384 columns.

    .venv/bin/python -m bench.bench_evidence
"""
import io
import statistics
import time
import tracemalloc
import zipfile

from .common import machine


def _bomb(member: str, megabytes: int, extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
        chunk = b"\0" * (1024 * 1024)
        with archive.open(member, "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(chunk)
    return out.getvalue()


def _measure(fn, runs=20):
    """(p50 ms, max ms, peak MB allocated); the peak from a run of its own, as tracing slows."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), max(times), peak / (1024 * 1024)


def _wide_sheet(rows: int) -> bytes:
    from openpyxl import Workbook
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIP_BARU", "NAMA", "JENIS_PEGAWAI"])
    for i in range(rows):
        sheet.append([f"199102032015011{i % 1000:03d}", f"Pegawai {i}", "PNS"])
    sheet.cell(row=1, column=16384, value=None)  # declares the sheet A1:XFD…
    sheet["XFD1"] = " "
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main(argv=None):
    from kinerja.rules import DomainError
    from kinerja.rules.evidence import check_file
    from kinerja.spreadsheets import read_rows
    print(machine())
    content_types = {"[Content_Types].xml": "<Types/>"}
    cases = [("odt, mimetype 1 GB", "laporan.odt", _bomb("mimetype", 1024)),
             ("docx, document.xml 1 GB", "laporan.docx", _bomb("word/document.xml", 1024, content_types)),
             ("xlsx, sheet1.xml 1 GB", "laporan.xlsx", _bomb("xl/worksheets/sheet1.xml", 1024, content_types))]
    print(f"{'refusing an evidence file':<40} {'size KB':>8} {'p50 ms':>8} {'max ms':>8} {'peak MB':>8}")
    for label, name, data in cases:
        def refuse():
            try:
                check_file(name, data)
            except DomainError:
                return
            raise AssertionError(f"{label} was accepted")
        p50, worst, peak = _measure(refuse)
        print(f"{label:<40} {len(data) / 1024:>8.0f} {p50:>8.2f} {worst:>8.2f} {peak:>8.2f}")
    wide = _wide_sheet(200)
    p50, worst, peak = _measure(lambda: read_rows("pegawai.xlsx", wide), runs=5)
    print(f"{'xlsx of 200 rows declaring 16,384 columns':<40} {len(wide) / 1024:>8.0f} {p50:>8.2f} "
          f"{worst:>8.2f} {peak:>8.2f}")


if __name__ == "__main__":
    main()
