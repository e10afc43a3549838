"""Shared benchmark helpers: a regency-scale data set and server-side timings.

Timings are taken in-process through the WSGI app (Flask's test client): that is
the server-side cost of a page — routing, queries, templates — without the
network or a load generator competing for the two cores. Each figure comes with
a bare-Flask baseline doing the same reads where a page has one, measured in the
same run, so the README can compare like with like.
"""
import datetime
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

BENCH_PASSWORD = "Kinerja2026!"

JPT_OPDS = ["Dinas Pendidikan", "Dinas Kesehatan", "Dinas Pekerjaan Umum dan Penataan Ruang",
            "Dinas Sosial", "Dinas Perhubungan", "Dinas Lingkungan Hidup",
            "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Pertanian", "Dinas Perikanan",
            "Dinas Koperasi dan UKM", "Dinas Perdagangan", "Dinas Pariwisata",
            "Dinas Komunikasi dan Informatika", "Dinas Perumahan dan Kawasan Permukiman",
            "Dinas Penanaman Modal dan PTSP", "Dinas Tenaga Kerja", "Dinas Ketahanan Pangan",
            "Dinas Pemberdayaan Masyarakat dan Desa", "Dinas Pemuda dan Olahraga",
            "Dinas Perpustakaan dan Kearsipan", "Badan Perencanaan Pembangunan Daerah",
            "Badan Pengelolaan Keuangan dan Aset Daerah", "Badan Pendapatan Daerah",
            "Badan Kepegawaian dan Pengembangan SDM", "Badan Penanggulangan Bencana Daerah",
            "Inspektorat Daerah", "Sekretariat Daerah", "Sekretariat DPRD",
            "Satuan Polisi Pamong Praja", "Badan Kesatuan Bangsa dan Politik"]
KECAMATAN = ["Sukamaju", "Cibening", "Sukaresmi", "Mekarsari", "Cikadu", "Pasirjaya", "Sindangsari",
             "Karangtengah", "Sukadana", "Tanjungsari", "Cijati", "Margamulya"]


def _nip(rng, seq):
    birth = datetime.date(rng.randint(1966, 1998), rng.randint(1, 12), rng.randint(1, 28))
    tmt_year = min(birth.year + rng.randint(22, 30), 2025)
    return f"{birth:%Y%m%d}{tmt_year}{rng.randint(1, 12):02d}{rng.choice('12')}{seq % 1000 or 1:03d}"


def build_regency(db_path: Path | str, employees: int = 10000, seed: int = 1,
                  regencies: int = 1) -> dict:
    """Create a regency of `employees` civil servants in a fresh SQLite file (or, given a
    postgresql:// URL, in that empty database); with `regencies` > 1, a province: that many
    regencies' OPDs side by side, the employees shared out among them.

    Every OPD has a head (JPT Pratama), a secretary and Kepala Bidang (Administrator),
    Kepala Seksi (Pengawas) and staff; Dinas Pendidikan and Dinas Kesehatan are the
    large ones, as in a real regency (schools and Puskesmas). Returns facts the
    benchmarks use: the admin username, the largest OPD, some NIPs.
    """
    from kinerja import create_app
    from kinerja.schema import migrate
    from kinerja.models import Employee, Position, Unit, User, db
    from kinerja.security import hash_password

    if isinstance(db_path, str):
        url = db_path
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db_path}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    rng = random.Random(seed)
    with app.app_context():
        migrate()
        password_hash = hash_password(BENCH_PASSWORD)
        regency_opds = JPT_OPDS + [f"Kecamatan {k}" for k in KECAMATAN]
        opd_names = [name if regencies == 1 else f"{name} Kab. {r + 1:02d}"
                     for r in range(regencies) for name in regency_opds]
        # Education and health hold most of a regency's staff.
        weights = [30 if n.startswith("Dinas Pendidikan") else 18 if n.startswith("Dinas Kesehatan")
                   else 1 for n in opd_names]
        total_weight = sum(weights)
        sizes = [max(12, employees * w // total_weight) for w in weights]
        sizes[0] += employees - sum(sizes)  # the rounding remainder goes to the schools
        seq = 0
        nips = set()
        staff_rows, user_rows = [], []
        with db.atomic():
            for index, (name, size) in enumerate(zip(opd_names, sizes)):
                opd = Unit.create(code=f"OPD{index:03d}" if regencies > 1 else f"OPD{index:02d}",
                                  name=name)
                opd.refresh_path()
                head = Position.create(name=f"Kepala {name}", kind="jpt_pratama", unit=opd)
                n_sub = max(2, min(25, size // 60))
                sub_positions = []
                for s in range(n_sub):
                    sub = Unit.create(code=f"{opd.code}-{s:02d}", name=f"{name} — Bidang {s + 1}",
                                      parent=opd)
                    sub.refresh_path()
                    kabid = Position.create(name=f"Kepala Bidang {s + 1}", kind="administrator",
                                            unit=sub, parent=head)
                    kasi = Position.create(name=f"Kepala Seksi {s + 1}", kind="pengawas", unit=sub,
                                           parent=kabid)
                    staff = Position.create(name="Pelaksana", kind="pelaksana", unit=sub, parent=kasi)
                    func = Position.create(name="Fungsional Ahli Pertama", kind="fungsional",
                                           unit=sub, parent=kabid)
                    sub_positions.append((sub, [kabid, kasi], [staff, func]))
                plan = [(head, opd)]
                for sub, structural, _ in sub_positions:
                    plan += [(p, sub) for p in structural]
                remaining = size - len(plan)
                for i in range(max(0, remaining)):
                    sub, _, staff_positions = sub_positions[i % n_sub]
                    plan.append((staff_positions[i % 2], sub))
                for position, unit in plan:
                    seq += 1
                    nip = _nip(rng, seq)
                    while nip in nips:
                        seq += 1
                        nip = _nip(rng, seq)
                    nips.add(nip)
                    female = nip[14] == "2"
                    staff_rows.append({
                        "nip": nip, "name": f"Pegawai {seq:05d} {'Siti' if female else 'Budi'}",
                        "title_back": "S.E.", "rank": "Penata Muda", "grade": "III/a",
                        "employment_type": "pns", "position": position.id, "unit": unit.id})
            for chunk in range(0, len(staff_rows), 500):
                Employee.insert_many(staff_rows[chunk:chunk + 500]).execute()
            for emp_id, nip in Employee.select(Employee.id, Employee.nip).tuples():
                user_rows.append({"username": nip, "employee": emp_id, "password_hash": password_hash,
                                  "role": "pegawai", "must_change_password": False})
            for chunk in range(0, len(user_rows), 500):
                User.insert_many(user_rows[chunk:chunk + 500]).execute()
            User.create(username="admin", password_hash=password_hash, role="admin",
                        must_change_password=False)
        largest = Unit.select().where(Unit.parent.is_null() & Unit.name.startswith("Dinas Pendidikan")
                                      ).order_by(Unit.id).get()
        facts = {"admin": "admin", "largest_opd": largest.id,
                 "employees": Employee.select().count(), "units": Unit.select().count(),
                 "sample_nip": staff_rows[len(staff_rows) // 2]["nip"]}
        db.close()
    return facts


def bench_app(db_path: Path, **config):
    from kinerja import create_app
    settings = {"DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False, "LOGIN_MAX_PER_ACCOUNT": 10 ** 9,
                "LOGIN_MAX_PER_ADDRESS": 10 ** 9}
    settings.update(config)
    return create_app(settings)


def logged_in_client(app, username: str, password: str = BENCH_PASSWORD):
    client = app.test_client()
    response = client.post("/masuk", data={"username": username, "password": password})
    assert response.status_code == 302, f"login failed for {username}: {response.status_code}"
    return client


def measure(client, url: str, n: int = 200, method: str = "GET", data=None, headers=None,
            warmup: int = 5, expect: tuple = (200,)) -> dict:
    """Time n sequential requests; p50/p95 in ms and requests/s of one worker.

    `client` may be a factory (e.g. `app.test_client`) for requests that must not share
    a session, such as logging in.
    """
    def call(*args, **kwargs):
        target = client() if callable(client) and not hasattr(client, "open") else client
        return getattr(target, method.lower())(*args, **kwargs)

    for _ in range(warmup):
        call(url, data=data() if callable(data) else data, headers=headers)
    times = []
    start = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        response = call(url, data=data() if callable(data) else data, headers=headers)
        times.append((time.perf_counter() - t0) * 1000)
        if response.status_code not in expect:
            raise AssertionError(f"{method} {url} answered {response.status_code}")
    elapsed = time.perf_counter() - start
    times.sort()
    return {"n": n, "p50": statistics.median(times), "p95": times[int(0.95 * (n - 1))],
            "rps": n / elapsed}


def recorded_reads(app, client, url: str) -> list[tuple[str, tuple]]:
    """The SQL statements (with their parameters) one request runs, in order."""
    from kinerja.models import db
    statements = []
    database = db.obj
    original = database.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        statements.append((sql, tuple(params or ())))
        return original(sql, params, *args, **kwargs)

    database.execute_sql = recording
    try:
        client.get(url)
    finally:
        database.execute_sql = original
    return statements


def count_queries(app, client, url: str) -> int:
    """How many SQL statements one request runs (to check they don't grow with rows)."""
    return len(recorded_reads(app, client, url))


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_table(title: str, rows: list[tuple[str, dict]]) -> None:
    print(f"\n{title}")
    print(f"{'what':<52} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}")
    for name, m in rows:
        print(f"{name:<52} {m['p50']:>8.1f} {m['p95']:>8.1f} {m['rps']:>8.0f}")


def machine() -> str:
    cpus = os.cpu_count()
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = "unknown CPU"
    return f"{cpus} cores, {model}, Python {sys.version.split()[0]}"
