"""A regency-scale SKM data set: service units, semester periods and a million responses.

Written straight through sqlite3 `executemany` in large transactions (with fsync off for
the load only), rows in period order so the covering index grows at its end.
"""
import datetime
import random
import sqlite3
import time
from pathlib import Path

from .common import build_regency

KINDS = ["Puskesmas"] * 25 + ["Kecamatan"] * 12 + ["Layanan"] * 23
COLUMNS = ["service_unit_id", "period_id", "service_id", "submitted_at", "u1", "u2", "u3", "u4",
           "u5", "u6", "u7", "u8", "u9", "age", "sex", "education", "occupation", "suggestion",
           "source", "status", "flag_reason", "client_hash", "submission_token", "fill_seconds"]
EDUCATIONS = ["SD", "SMP", "SMA", "D1-D4", "S1", "S2", "S3"]
OCCUPATIONS = ["PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya"]


def _semesters(today: datetime.date, years: int):
    current = (today.year, 1 if today.month <= 6 else 2)
    out = []
    for year in range(today.year - years + 1, today.year + 1):
        for number in (1, 2):
            if (year, number) <= current:
                starts = datetime.date(year, 1 if number == 1 else 7, 1)
                ends = datetime.date(year, 6, 30) if number == 1 else datetime.date(year, 12, 31)
                out.append((year, number, starts, ends))
    return out


def build_survey(db_path: Path, responses: int = 1_000_000, units: int = 60, years: int = 5,
                 today: datetime.date | None = None, seed: int = 7) -> dict:
    """Create the regency (small staff) and the survey data; returns facts for the bench."""
    today = today or datetime.date.today()
    started = time.perf_counter()
    build_regency(db_path, employees=600)
    rng = random.Random(seed)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    opds = conn.execute("SELECT id, name FROM unit WHERE parent_id IS NULL ORDER BY id").fetchall()
    health = next(i for i, n in opds if n == "Dinas Kesehatan")
    kecamatan = [i for i, n in opds if n.startswith("Kecamatan")]
    others = [i for i, n in opds if i != health and not n.startswith("Kecamatan")]
    semesters = _semesters(today, years)

    with conn:
        unit_rows = []
        for index in range(units):
            kind = KINDS[index % len(KINDS)]
            if kind == "Puskesmas":
                owner, name = health, f"UPTD Puskesmas {index + 1:02d}"
            elif kind == "Kecamatan":
                owner = kecamatan[index % len(kecamatan)]
                name = f"Pelayanan {dict(opds)[owner]} ({index + 1:02d})"
            else:
                owner = others[index % len(others)]
                name = f"Layanan {dict(opds)[owner]} ({index + 1:02d})"
            unit_rows.append((f"su-{index + 1:02d}", name, owner, "semester", "", 1))
        conn.executemany("INSERT INTO service_unit (code, name, unit_id, period_kind, kiosk_token, "
                         "active) VALUES (?, ?, ?, ?, ?, ?)", unit_rows)
        su_ids = [r[0] for r in conn.execute("SELECT id FROM service_unit ORDER BY id")]
        conn.executemany("INSERT INTO service (service_unit_id, name, active) VALUES (?, ?, 1)",
                         [(su, f"Layanan {k + 1}") for su in su_ids for k in range(4)])
        services = {}
        for sid, su in conn.execute("SELECT id, service_unit_id FROM service"):
            services.setdefault(su, []).append(sid)
        period_rows = []
        for su in su_ids:
            for i, (year, number, starts, ends) in enumerate(semesters):
                period_rows.append((su, "semester", year, number, starts.isoformat(),
                                    ends.isoformat(), rng.randint(2000, 20000),
                                    int(i == len(semesters) - 1)))
        conn.executemany("INSERT INTO survey_period (service_unit_id, kind, year, number, starts, "
                         "ends, population, is_open) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", period_rows)
        periods = conn.execute("SELECT id, service_unit_id, starts, ends, is_open FROM survey_period "
                               "ORDER BY starts, service_unit_id").fetchall()

    # Busy units get more answers; the open semester is only partly filled.
    size = {su: rng.uniform(0.4, 1.6) for su in su_ids}
    weights = [size[su] * (0.4 if is_open else 1.0) for _, su, _, _, is_open in periods]
    scale = responses / sum(weights)
    quality = {su: rng.uniform(2.7, 3.7) for su in su_ids}
    yesterday = today - datetime.timedelta(days=1)
    serial = 0
    batch = []
    insert = (f"INSERT INTO survey_response ({', '.join(COLUMNS)}) "
              f"VALUES ({', '.join('?' * len(COLUMNS))})")
    for (period_id, su, starts, ends, is_open), weight in zip(periods, weights):
        count = round(weight * scale)
        first = datetime.date.fromisoformat(starts)
        last = min(datetime.date.fromisoformat(ends), yesterday)
        days = max((last - first).days, 0)
        mean = quality[su] + (period_id % 7) * 0.02
        p4 = max(0.02, min(0.9, mean - 2.9))
        p3 = 0.55
        p2 = max(0.02, 1 - p4 - p3 - 0.03)
        dist = [0.03, p2, p3, p4]
        for _ in range(count):
            serial += 1
            answers = rng.choices((1, 2, 3, 4), dist, k=9)
            day = first + datetime.timedelta(days=rng.randint(0, days))
            moment = f"{day.isoformat()} {rng.randint(1, 8):02d}:{rng.randint(0, 59):02d}:00"
            flagged = rng.random() < 0.01
            batch.append((su, period_id, rng.choice(services[su]), moment, *answers,
                          rng.randint(17, 75), rng.choice("LP"), rng.choice(EDUCATIONS),
                          rng.choice(OCCUPATIONS),
                          "Mohon antrean dipercepat." if rng.random() < 0.05 else None,
                          "online", "flagged" if flagged else "valid",
                          "Diisi terlalu cepat (3 detik)" if flagged else None,
                          f"{rng.getrandbits(128):032x}", f"b{serial:09d}", rng.randint(20, 600)))
            if len(batch) >= 50_000:
                with conn:
                    conn.executemany(insert, batch)
                batch.clear()
    if batch:
        with conn:
            conn.executemany(insert, batch)
    total = conn.execute("SELECT count(*) FROM survey_response").fetchone()[0]
    biggest = conn.execute(
        "SELECT su.code FROM survey_response r JOIN service_unit su ON su.id = r.service_unit_id "
        "JOIN survey_period p ON p.id = r.period_id WHERE p.is_open = 1 "
        "GROUP BY su.code ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    conn.close()
    return {"responses": total, "service_units": len(su_ids), "periods": len(periods),
            "biggest": biggest, "seconds": time.perf_counter() - started,
            "size_mb": db_path.stat().st_size / 1024 / 1024}
