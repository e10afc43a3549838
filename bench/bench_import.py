"""SIASN import benchmark: a 10,000-row export, dry run and confirmation through the web views.

    .venv/bin/python -m bench.bench_import [--rows 10000]

Three runs against the demo regency: the first import (everything new), the same file again
(nothing changes: the dry run only), and the file with every employee's golongan raised
(10,000 updates). Each is timed server-side through the WSGI app, as the other benchmarks do.
"""
import argparse
import datetime
import io
import random
import re
import time
from pathlib import Path

from .common import OUT, bench_app, logged_in_client, machine, peak_memory_mb

GRADES = ["II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"]
STAFF_JOBS = [("Pengadministrasi Perkantoran", "Pelaksana"), ("Pengolah Data", "Pelaksana"),
              ("Analis Kebijakan Ahli Pertama", "Jabatan Fungsional Tertentu"),
              ("Guru Ahli Pertama", "Fungsional"), ("Perawat Terampil", "Fungsional")]
NAMES = ["Agus", "Budi", "Siti", "Dewi", "Rina", "Eko", "Sri", "Joko", "Wulan", "Hendra"]


def _siasn_id(rng) -> str:
    """SIASN identifies a unor by a 32-character hexadecimal id."""
    return f"{rng.getrandbits(128):032X}"


def siasn_rows(count: int, seed: int = 7) -> list[dict]:
    """A SIASN-like export: OPDs with a head, bidang with a kepala bidang and kepala seksi,
    and staff under them; every NIP valid and unique, every atasan present in the file."""
    from kinerja.stores.siasn.columns import COLUMNS
    rng = random.Random(seed)
    used, rows = set(), []

    def new_nip():
        while True:
            birth = datetime.date(rng.randint(1966, 1998), rng.randint(1, 12), rng.randint(1, 28))
            tmt = min(birth.year + rng.randint(22, 30), 2025)
            nip = f"{birth:%Y%m%d}{tmt}{rng.randint(1, 12):02d}{rng.choice('12')}{rng.randint(1, 999):03d}"
            if nip not in used:
                used.add(nip)
                return nip

    def add(job, kind, unit, opd, atasan, pppk=False, eselon=""):
        nip = new_nip()
        rows.append({
            "NIP_BARU": nip, "NAMA": f"{rng.choice(NAMES)} {len(rows):05d}", "GELAR_DEPAN": "",
            "GELAR_BELAKANG": rng.choice(["S.E.", "S.Kom.", "S.Pd.", ""]),
            "JENIS_PEGAWAI": "PPPK" if pppk else "PNS",
            "GOL_AKHIR_NAMA": rng.choice(["VII", "IX"]) if pppk else rng.choice(GRADES),
            "PANGKAT": "", "JABATAN_NAMA": job, "JENIS_JABATAN_NAMA": kind, "ESELON": eselon,
            "UNOR_ID": unit[0], "UNOR_NAMA": unit[1], "UNOR_INDUK_ID": opd[0],
            "UNOR_INDUK_NAMA": opd[1], "NIP_ATASAN": atasan,
            "EMAIL": f"pegawai{len(rows) + 1}@sukamajukab.go.id"})
        return nip

    opd_count = max(1, count // 250)
    per_opd = count // opd_count
    for o in range(opd_count):
        opd = (_siasn_id(rng), f"Dinas Impor {o + 1:02d}")
        head = add(f"Kepala Dinas Impor {o + 1:02d}", "Struktural", opd, opd, "", eselon="II.b")
        bidang = max(1, per_opd // 50)
        staff = per_opd - 1 - 2 * bidang
        for b in range(bidang):
            unit = (_siasn_id(rng), f"Bidang {b + 1} Dinas Impor {o + 1:02d}")
            kabid = add(f"Kepala Bidang {b + 1}", "Administrator", unit, opd, head)
            kasi = add(f"Kepala Seksi {b + 1}", "Pengawas", unit, opd, kabid)
            for s in range(staff // bidang + (1 if b < staff % bidang else 0)):
                job, kind = STAFF_JOBS[s % len(STAFF_JOBS)]
                add(job, kind, unit, opd, kasi, pppk=rng.random() < 0.2)
    while len(rows) < count:  # the rounding remainder joins the last bidang
        job, kind = STAFF_JOBS[0]
        add(job, kind, (rows[-1]["UNOR_ID"], rows[-1]["UNOR_NAMA"]),
            (rows[-1]["UNOR_INDUK_ID"], rows[-1]["UNOR_INDUK_NAMA"]), rows[-1]["NIP_ATASAN"])
    assert [c.header for c in COLUMNS] == list(rows[0])
    return rows[:count]


def _raised(grade: str) -> str:
    """The next golongan (a promotion), so that every employee of the file changes."""
    if grade in ("VII", "IX"):
        return {"VII": "IX", "IX": "X"}[grade]
    return GRADES[GRADES.index(grade) + 1] if grade != GRADES[-1] else "IV/c"


def xlsx_file(rows: list[dict]) -> bytes:
    from kinerja.spreadsheets import xlsx_bytes
    headers = list(rows[0])
    return xlsx_bytes({"Data Pegawai": (headers, [[r[h] for h in headers] for r in rows])})


def _demo_database(db_path: Path) -> None:
    from kinerja.schema import migrate
    from kinerja.demo import seed
    from kinerja.models import db
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    app = bench_app(db_path)
    with app.app_context():
        migrate()
        seed()
        db.close()


class _QueryCounter:
    """Counts SQL statements while active, to show the import does not query per row."""

    def __enter__(self):
        from kinerja.models import db
        self.database, self.n = db.obj, 0
        self.original = self.database.execute_sql

        def counting(sql, params=None, *args, **kwargs):
            self.n += 1
            return self.original(sql, params, *args, **kwargs)
        self.database.execute_sql = counting
        return self

    def __exit__(self, *exc):
        self.database.execute_sql = self.original


def _timed(call):
    with _QueryCounter() as counter:
        start = time.perf_counter()
        response = call()
        elapsed = time.perf_counter() - start
    return response, elapsed, counter.n


def _preview(client, data: bytes):
    return client.post("/impor/pratinjau", data={"file": (io.BytesIO(data), "siasn.xlsx")},
                       content_type="multipart/form-data")


def _run(client, name: str, data: bytes, confirm: bool, results: list) -> None:
    response, seconds, queries = _timed(lambda: _preview(client, data))
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:500]
    assert "Baris bermasalah" not in html, "the generated file should have no bad rows"
    results.append((f"{name}: dry run", seconds, queries))
    if not confirm:
        return
    fields = {key: re.search(rf'name="{key}" type="hidden" value="([^"]+)"', html).group(1)
              for key in ("token", "digest")}
    response, seconds, queries = _timed(lambda: client.post("/impor/simpan", data=fields))
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    results.append((f"{name}: confirmation (re-read, re-plan, write)", seconds, queries))


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / "import.sqlite3"
    _demo_database(db_path)
    rows = siasn_rows(args.rows)
    first = xlsx_file(rows)
    for item in rows:
        item["GOL_AKHIR_NAMA"] = _raised(item["GOL_AKHIR_NAMA"])
    promoted = xlsx_file(rows)
    print(f"Machine: {machine()}")
    print(f"File: {args.rows} rows, {len(first) / 1024:.0f} KiB (.xlsx); demo regency database")

    app = bench_app(db_path, UPLOAD_DIR=str(OUT / "uploads"))
    client = logged_in_client(app, "admin")
    results = []
    _run(client, "first import (all new)", first, True, results)
    _run(client, "same file again (nothing changes)", first, False, results)
    _run(client, "every golongan raised (updates)", promoted, True, results)

    print(f"\n{'what':<70} {'seconds':>8} {'queries':>8}")
    for name, seconds, queries in results:
        print(f"{name:<70} {seconds:>8.2f} {queries:>8}")
    print(f"\nPeak memory: {peak_memory_mb():.0f} MB")
    slowest = max(seconds for _, seconds, _ in results)
    print(f"Slowest step: {slowest:.2f} s (limit 30 s) — {'OK' if slowest < 30 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
