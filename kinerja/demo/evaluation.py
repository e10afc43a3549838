"""Demo monitoring and evaluation: progress entries with evidence (small generated files),
feedback, evaluations in every state, one open objection, the organisation predikat of every
OPD and one OPD (Dinas Kesehatan) whose curve breaks the caps. Runs after the SKP seeder and
works on the plans it approved."""
import datetime
import random
import secrets
import struct
import zlib
from decimal import Decimal
from pathlib import Path

from flask import current_app

from ..models import (
    Employee, Evaluation, EvaluationFeedback, EvaluationItem, Evidence, Feedback, Indicator,
    Notification, Objection, OrgPerformance, PeerFeedback, PerformanceYear, ProgressEntry, Rhk, Skp,
    Unit, User, utcnow,
)
from ..stores.notifications import excerpt, thread_link
from ..rules import evaluation as rules
from ..rules.skp import CORE_VALUE_CODES

ACTIVITIES = ["Melayani {n} pasien/pemohon sesuai SOP", "Menyusun laporan kegiatan minggu ini",
              "Mengikuti rapat koordinasi dan menindaklanjuti hasilnya",
              "Memperbarui data pada aplikasi layanan", "Melakukan verifikasi berkas {n} pemohon",
              "Menyelesaikan {n} dokumen sesuai target", "Melaksanakan kunjungan lapangan"]
RATINGS_OF = {"sangat_baik": ("above", "above"), "baik": ("meets", "meets"),
              "butuh_perbaikan": ("below", "meets"), "kurang": ("meets", "below"),
              "sangat_kurang": ("below", "below")}
ORG_PREDIKAT = {"BKPSDM": "istimewa", "DLH": "butuh_perbaikan"}  # the rest: baik
FEEDBACK = ["Bagus, lanjutkan. Lampirkan juga daftar hadirnya.",
            "Mohon bukti dukung diunggah dalam bentuk PDF agar mudah diverifikasi.",
            "Capaian minggu ini baik; perhatikan ketepatan waktu laporan.",
            "Koordinasikan dengan bagian umum untuk kebutuhan formulir."]


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text, built by hand (no library needed)."""
    safe = text.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 11 Tf 20 60 Td (" + safe + b") Tj ET"
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 420 120]/Contents 4 0 R"
               b"/Resources<</Font<</F1 5 0 R>>>>>>",
               b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png(seed: int) -> bytes:
    """A 16×16 PNG of one colour (a stand-in for a photo of the activity)."""
    colour = bytes([(seed * 53) % 256, (seed * 97) % 256, (seed * 31) % 256])
    raw = b"".join(b"\x00" + colour * 16 for _ in range(16))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _store(folder: Path, ext: str, data: bytes) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    (folder / name).write_bytes(data)
    return name


def _at(day: datetime.date, hour: int = 2) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0)


def seed(holders: dict, today: datetime.date) -> None:
    years = {y.year: y for y in PerformanceYear.select().where(PerformanceYear.year <= today.year)}
    plans = list(Skp.select().where(Skp.year.in_(list(years) or [0]) & (Skp.status == "approved"))
                 .order_by(Skp.year, Skp.employee))
    if not plans:
        return
    rng = random.Random(4)
    indicators = {}
    for ind in (Indicator.select(Indicator, Rhk).join(Rhk)
                .where(Rhk.skp.in_([s.id for s in plans])).order_by(Indicator.id)):
        indicators.setdefault(ind.rhk.skp_id, []).append(ind)
    employees = {e.id: e for e in Employee.select().where(Employee.id.in_([s.employee_id for s in plans]))}
    cast = _cast(holders, plans, today)
    entries = _progress(rng, plans, indicators, today, cast)
    _feedback(cast, entries, today)
    admin = User.get_or_none(User.username == "admin")
    opd_code = {u.id: u.opd().code for u in Unit.select()}
    counters = {}
    for skp in plans:
        row = years[skp.year_id]
        cadence = row.evaluation_cadence if row.evaluation_cadence in rules.CADENCES else rules.DEFAULT_CADENCE
        employee = employees[skp.employee_id]
        periods = rules.periods(skp.year_id, cadence)
        if periods[-1].ends < today:
            periods.append(rules.annual_period(skp.year_id))
        for period in periods:
            state = cast["states"].get((employee.id, skp.year_id, period.kind, period.number))
            if state is None:
                if period.ends >= today:
                    continue  # the current period is the employee's to fill in
                if period.kind == rules.ANNUAL and (employee.id, skp.year_id) in cast["busy"]:
                    continue  # the year's annual evaluation waits for its last quarter
                state = "approved"
            key = (opd_code.get(employee.unit_id, ""), skp.year_id, period.kind, period.number)
            predikat = None
            if state in ("approved", "objected", "decided"):
                counters[key] = counters.get(key, 0) + 1
                predikat = _predikat_for(counters[key] - 1, key[0])
            _evaluation(employee, skp, period, state, predikat, indicators.get(skp.id, []),
                        entries.get(employee.id, []), admin, today,
                        acknowledged=(employee.id, skp.year_id, period.number) in cast["acknowledged"])
    _org_predikat(list(years), today)
    _peer_feedback(cast, today)


PEER_COMMENTS = ["Selalu sigap membantu rekan yang kewalahan saat layanan ramai.",
                 "Laporan kadang terlambat dikumpulkan.",
                 "Terbuka menerima masukan dan cepat belajar aplikasi baru.",
                 "Ramah kepada pasien lansia dan sabar menjelaskan."]


def _cast_year(today) -> tuple[int, str]:
    """The year whose evaluations the demo cast is busy with, and its cadence: this year once
    one of its periods has ended, else last year (whose last quarter is rated in January)."""
    for year in (today.year, today.year - 1):
        row = PerformanceYear.get_or_none(PerformanceYear.year == year)
        cadence = row.evaluation_cadence if row and row.evaluation_cadence in rules.CADENCES \
            else rules.DEFAULT_CADENCE
        if rules.periods(year, cadence)[0].ends < today:
            return year, cadence
    return today.year, rules.DEFAULT_CADENCE


def _peer_feedback(cast, today):
    """360° answers for the evaluations waiting in the demo: the first team member's (from
    their colleagues) and the Pejabat Penilai's own (from the team), enough to be shown."""
    penilai, team = cast["penilai"], cast["team"]
    year, cadence = _cast_year(today)
    ended = [p for p in rules.periods(year, cadence) if p.ends < today]
    colleagues = [e.id for e in penilai.subordinates()] if penilai else []
    if not team or len(colleagues) < 4 or not ended:
        return
    period = ended[-1]
    rng = random.Random(360)
    rows = []
    raters_of_worker = [c for c in colleagues if c != team[0]][:5]
    for ratee, raters in ((team[0], raters_of_worker), (penilai.id, colleagues[:5])):
        for index, rater in enumerate(raters):
            for code in CORE_VALUE_CODES:
                level = rng.choices(["above", "meets", "below"], weights=[3, 6, 1])[0]
                comment = PEER_COMMENTS[(index + len(code)) % len(PEER_COMMENTS)] if rng.random() < 0.25 else ""
                rows.append({"ratee": ratee, "rater": rater, "year": period.year, "kind": period.kind,
                             "number": period.number, "value": code, "level": level, "comment": comment,
                             "updated_at": utcnow()})
    PeerFeedback.insert_many(rows).execute()


def _cast(holders, plans, today):
    """Who plays which part: the Pejabat Penilai of the demo (Kepala Puskesmas Sukamaju) finds
    evaluations waiting, the demo Atasan (Kepala Dinas Kesehatan) an open objection."""
    y, cadence = _cast_year(today)
    current = {s.employee_id for s in plans if s.year_id == y}
    penilai = (holders.get("kapus-skm") or [None])[0]
    atasan = (holders.get("kadinkes") or [None])[0]
    team = sorted(s.employee_id for s in plans
                  if s.year_id == y and penilai and s.appraiser_id == penilai.id)
    states, acknowledged = {}, set()
    ended = [p.number for p in rules.periods(y, cadence) if p.ends < today]
    current_number = rules.period_of(today, cadence).number if today.year == y else None
    last = ended[-1] if ended else None
    before = ended[-2] if len(ended) > 1 else None
    if last:
        if team:
            states[(team[0], y, "periodic", last)] = "submitted"
        if len(team) > 1:
            states[(team[1], y, "periodic", last)] = "objected"
        for other in team[2:]:
            states[(other, y, "periodic", last)] = "submitted"
        if penilai and penilai.id in current:
            states[(penilai.id, y, "periodic", last)] = "submitted"  # waits for the Kepala Dinas
        if atasan and atasan.id in current:
            states[(atasan.id, y, "periodic", last)] = "submitted"  # waits for the admin BKPSDM
        outside = sorted(current - set(team) - {getattr(penilai, "id", 0), getattr(atasan, "id", 0)})
        if outside:
            states[(outside[0], y, "periodic", last)] = "returned"
    if before:
        if team:
            acknowledged.add((team[0], y, before))
        if len(team) > 1:
            states[(team[1], y, "periodic", before)] = "decided"
    if current_number and len(team) > 1:
        states[(team[1], y, "periodic", current_number)] = "draft"
    demo_employee = (holders.get("perawat-skm") or [None])[0]
    with_files = set(team[:2]) | ({demo_employee.id} if demo_employee else set())
    busy = {(employee, year) for employee, year, _, _ in states}
    return {"states": states, "acknowledged": acknowledged, "team": team, "penilai": penilai, "busy": busy,
            "with_files": with_files, "demo_employee": demo_employee}


def _progress(rng, plans, indicators, today, cast) -> dict[int, list]:
    """Entries every other week (weekly, with evidence files, for the demo cast), up to today."""
    rows = []
    for skp in plans:
        inds = indicators.get(skp.id, [])
        if not inds:
            continue
        weekly = skp.employee_id in cast["with_files"]
        per_year = 52 if weekly else 26
        day = skp.period_start + datetime.timedelta(days=rng.randint(2, 9))
        while day <= min(today, skp.period_end):
            ind = rng.choice(inds)
            n = rng.randint(1, 6)
            quantity = None
            if skp.approach == "kuantitatif" and ind.target_min is not None:
                quantity = _quantity(rng, ind, per_year)
                if ind.aspect == "kuantitas" and quantity is not None and quantity == int(quantity):
                    n = int(quantity)
            rows.append({"employee": skp.employee_id, "skp": skp.id, "indicator": ind.id, "day": day,
                         "start_time": datetime.time(8, 0) if weekly else None,
                         "end_time": datetime.time(11, 30) if weekly else None,
                         "description": rng.choice(ACTIVITIES).format(n=n), "quantity": quantity,
                         "created_at": _at(day, 9)})
            day += datetime.timedelta(days=7 if weekly else 14)
    for start in range(0, len(rows), 500):
        ProgressEntry.insert_many(rows[start:start + 500]).execute()
    saved = list(ProgressEntry.select().order_by(ProgressEntry.id))
    folder = Path(current_app.config["UPLOAD_DIR"]) / "evidence"
    evidence = []
    for entry in saved:
        if entry.employee_id in cast["with_files"] and entry.id % 2 == 0:
            if entry.id % 3:
                data, ext, mime = tiny_pdf(f"Bukti: {entry.description[:60]}"), "pdf", "application/pdf"
            else:
                data, ext, mime = tiny_png(entry.id), "png", "image/png"
            evidence.append({"entry": entry.id, "kind": "file", "stored_name": _store(folder, ext, data),
                             "filename": f"bukti-{entry.day:%Y%m%d}.{ext}", "mime": mime,
                             "size": len(data), "url": ""})
        elif entry.id % 4 == 1:
            evidence.append({"entry": entry.id, "kind": "link", "url":
                             f"https://drive.sukamaju.go.id/bukti/{entry.id}", "stored_name": "",
                             "filename": "", "mime": "", "size": 0})
    for start in range(0, len(evidence), 500):
        Evidence.insert_many(evidence[start:start + 500]).execute()
    by_employee = {}
    for entry in saved:
        by_employee.setdefault(entry.employee_id, []).append(entry)
    return by_employee


def _quantity(rng, ind, per_year: int):
    """What one entry realises: a share of the yearly target for a count (so a year of entries
    lands near the target), a measured level near the target for a percentage or an index."""
    target = Decimal(ind.target_min)
    if ind.aspect != "kuantitas" or ind.target_unit.strip() in ("%", "poin", "menit"):
        return (target * Decimal(rng.randint(85, 110)) / 100).quantize(Decimal("0.1"))
    share = target / per_year * Decimal(rng.randint(70, 140)) / 100
    if share >= 1:
        return share.quantize(Decimal(1))
    return Decimal(1) if rng.random() < float(share) else None


def _feedback(cast, entries, today):
    """The Kepala Puskesmas comments on recent entries of the team and of the demo employee;
    one of them replied."""
    penilai = cast["penilai"]
    if penilai is None:
        return
    people = cast["team"][:2] + ([cast["demo_employee"].id] if cast["demo_employee"] else [])
    for index, emp_id in enumerate(people):
        recent = [e for e in entries.get(emp_id, []) if e.day <= today][-3:]
        for offset, entry in enumerate(recent[:2]):
            note = Feedback.create(employee=emp_id, author=penilai.id, entry=entry.id,
                                   body=FEEDBACK[(index + offset) % len(FEEDBACK)],
                                   created_at=_at(entry.day + datetime.timedelta(days=1)))
            if offset == 0:
                Feedback.create(employee=emp_id, author=emp_id, entry=entry.id, parent=note.id,
                                body="Baik, Bu/Pak. Daftar hadir sudah saya unggah.",
                                created_at=_at(entry.day + datetime.timedelta(days=2)))
        if recent:
            last = len(recent[:2]) - 1
            # Worded as notify() words it for a note on a progress entry.
            Notification.create(recipient=emp_id, text=(
                f"{penilai.full_name} memberi umpan balik atas progres Anda: "
                f"{excerpt(FEEDBACK[(index + last) % len(FEEDBACK)])}")[:255],
                link=thread_link("entry", recent[:2][-1].id), created_at=utcnow())


def _predikat_for(index: int, unit_code: str) -> str:
    """The index-th employee's predikat in an OPD: a spread within the caps of the OPD's
    organisation predikat, except Dinas Kesehatan, where nobody is below Baik (the curve the
    demo shows breaking its caps)."""
    if unit_code == "DINKES":
        return "sangat_baik" if index % 5 == 0 else "baik"
    if unit_code == "DLH":  # Butuh Perbaikan: at least 60 % Butuh Perbaikan
        return "baik" if index % 3 == 2 else "butuh_perbaikan"
    if unit_code == "BKPSDM":  # Istimewa: at most 70 % Sangat Baik
        return "sangat_baik" if index % 2 == 0 else "baik"
    return "butuh_perbaikan" if index % 10 == 0 else "sangat_baik" if index % 10 in (1, 2) else "baik"


def _evaluation(employee, skp, period, state, predikat, inds, entries, admin, today, acknowledged):
    appraiser = Employee.get_or_none(Employee.id == skp.appraiser_id) if skp.appraiser_id else None
    above = appraiser.appraiser() if appraiser else None
    superior_id = employee.appraiser_superior_override_id or (above.id if above else None)
    result, behaviour = RATINGS_OF[predikat] if predikat else (None, None)
    submitted = _at(min(period.ends + datetime.timedelta(days=3), today))
    approved = _at(min(period.ends + datetime.timedelta(days=10), today))
    decided_like = state in ("approved", "objected", "decided")
    ev = Evaluation.create(
        employee=employee.id, skp=skp.id, year=period.year, kind=period.kind, number=period.number,
        starts=period.starts, ends=period.ends, unit=employee.unit_id, appraiser=skp.appraiser_id,
        superior=superior_id, status=state,
        self_note="" if state == "draft" else
        "Target periode ini tercapai; beberapa kegiatan bergeser karena rapat koordinasi.",
        result_rating=result, behaviour_rating=behaviour, predikat=predikat,
        submitted_at=None if state == "draft" else submitted,
        approved_at=approved if decided_like else None,
        approved_by=(admin.id if admin else None) if decided_like else None,
        acknowledged_at=approved if acknowledged and state == "approved" else None,
        return_comment="Lengkapi bukti dukung untuk indikator kuantitas, lalu ajukan kembali."
        if state == "returned" else "", created_at=submitted, updated_at=approved)
    _items(ev, skp, inds, entries, period)
    if decided_like:
        EvaluationFeedback.insert_many(
            [{"evaluation": ev.id, "rhk": rhk_id, "value": "", "text": "Realisasi sesuai target."}
             for rhk_id in sorted({i.rhk_id for i in inds})]
            + [{"evaluation": ev.id, "rhk": None, "value": code,
                "text": "Menunjukkan perilaku yang diharapkan."} for code in CORE_VALUE_CODES[:3]]
        ).execute()
    if state in ("objected", "decided"):
        decided = state == "decided"
        after = rules.predikat("above", behaviour)
        Objection.create(
            evaluation=ev.id, filed_at=_at(min(approved.date() + datetime.timedelta(days=5), today)),
            reasons="Realisasi layanan saya melebihi target dan bukti dukung sudah lengkap; mohon "
                    "Rating Hasil Kerja ditinjau kembali.",
            status="decided" if decided else "open", result_before=result,
            behaviour_before=behaviour, predikat_before=predikat,
            result_after="above" if decided else None, behaviour_after=behaviour if decided else None,
            predikat_after=after if decided else None,
            decision="Bukti dukung menunjukkan realisasi di atas target; Rating Hasil Kerja diubah "
                     "menjadi Di Atas Ekspektasi." if decided else "",
            decided_at=_at(min(approved.date() + datetime.timedelta(days=12), today)) if decided else None,
            decided_by=(admin.id if admin else None) if decided else None)
        if decided:
            ev.result_rating, ev.predikat = "above", after
            ev.save()


def _items(evaluation, skp, inds, entries, period):
    rows = []
    for ind in inds:
        values = [(e.day, e.quantity) for e in entries
                  if e.indicator_id == ind.id and period.starts <= e.day <= period.ends]
        quantitative = skp.approach == "kuantitatif" and ind.target_min is not None
        real = rules.realisation(ind.aspect, values) if quantitative else None
        rows.append({"evaluation": evaluation.id, "indicator": ind.id, "prefilled": real,
                     "realisation": real, "adjustment_reason": "",
                     "realisation_text": "" if quantitative else "Terlaksana sesuai rencana."})
    if rows:
        EvaluationItem.insert_many(rows).execute()


def _org_predikat(years, today):
    admin = User.get_or_none(User.username == "admin")
    rows = [{"unit": opd.id, "year": year, "predikat": ORG_PREDIKAT.get(opd.code, "baik"),
             "note": "Hasil evaluasi SAKIP (demo)", "set_by": admin.id if admin else None,
             "set_at": _at(today)} for year in years for opd in Unit.opds()]
    if rows:
        OrgPerformance.insert_many(rows).execute()
