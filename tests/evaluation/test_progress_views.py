"""Monitoring views: progress with evidence, continuous feedback and notifications, My performance
— with every denial."""
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja.models import (
    AuditLog, Evaluation, Evidence, Feedback, Notification, ProgressEntry, Rhk, Skp, User,
)
from kinerja.rules import evaluation as rules

from ..support.app import TODAY
from ..support.evaluation import (
    PDF, YEAR, as_employee, as_user, evaluation_of, make_admin_opd, upload,
)
from ..support.org import HX
from ..support import counting_queries, zip_bomb

from ..support.evaluation import (CURRENT, LAST, file_evidence_of, first_indicator, record)


# --- Progress and evidence --------------------------------------------------------------

def test_recording_progress_with_an_evidence_file(app, client, cast):
    as_employee(client, cast.worker)
    indicator = first_indicator(cast.worker)
    before = ProgressEntry.select().where(ProgressEntry.employee == cast.worker.id).count()
    response = record(client, indicator, quantity="2,5", start_time="08:00", end_time="10:30",
                      evidence_link="https://drive.example.id/x",
                      evidence_file=upload(name="Laporan Minggu 1.pdf"))
    assert response.status_code == 302
    entry = ProgressEntry.select().where(ProgressEntry.employee == cast.worker.id) \
        .order_by(ProgressEntry.id.desc()).first()
    assert ProgressEntry.select().where(ProgressEntry.employee == cast.worker.id).count() == before + 1
    assert entry.quantity == Decimal("2.5")
    files = {e.kind: e for e in Evidence.select().where(Evidence.entry == entry.id)}
    assert files["link"].url == "https://drive.example.id/x"
    stored = files["file"]
    assert stored.filename == "Laporan Minggu 1.pdf"
    assert "Laporan" not in stored.stored_name and stored.stored_name.endswith(".pdf")
    path = Path(app.config["UPLOAD_DIR"]) / "evidence" / stored.stored_name
    assert path.read_bytes() == PDF
    assert "static" not in str(path.resolve().relative_to(Path(app.config["UPLOAD_DIR"]).resolve()))
    page = client.get("/kinerja/progres").get_data(as_text=True)
    assert "Laporan Minggu 1.pdf" in page and "Melayani pasien" in page


def test_recording_progress_in_place_announces_the_change(client, cast):
    as_employee(client, cast.worker)
    response = client.post("/kinerja/progres", headers=HX, content_type="multipart/form-data", data={
        "indicator": str(first_indicator(cast.worker).id), "day": TODAY.isoformat(),
        "description": "Menyusun laporan"})
    assert response.status_code == 200
    assert "progress-changed" in response.headers["HX-Trigger"]
    assert 'id="progress-form"' in response.get_data(as_text=True)
    timeline = client.get("/kinerja/progres/daftar", headers=HX).get_data(as_text=True)
    assert "Menyusun laporan" in timeline


@pytest.mark.parametrize("field, value, message", [
    ("day", (TODAY + datetime.timedelta(days=1)).isoformat(), "masa depan"),
    ("day", f"{YEAR - 1}-06-01", "periode SKP"),
    ("quantity", "dua", "Harus berupa angka"),
    ("quantity", "-1", "tidak boleh negatif"),
    ("end_time", "07:00", "setelah jam mulai"),
    ("evidence_link", "javascript:alert(1)", "http://"),
    ("description", "", "Tuliskan apa yang dikerjakan"),
    ("indicator", "999999", "Pilih dari daftar"),
    ("indicator", "None", "Pilihan tidak sah"),
    ("indicator", "9" * 30, "Pilihan tidak sah"),
])
def test_bad_progress_input_is_refused_next_to_the_field(client, cast, field, value, message):
    as_employee(client, cast.worker)
    before = ProgressEntry.select().count()
    response = record(client, first_indicator(cast.worker),
                      **{"start_time": "08:00", "description": "Tetap tertulis", field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if field != "description":
        assert "Tetap tertulis" in html
    assert ProgressEntry.select().count() == before


@pytest.mark.parametrize("data, name, message", [
    (b"<html><script>alert(1)</script>", "bukti.pdf", "bukan PDF yang sah"),
    (b"MZ\x90\x00", "program.exe", "Jenis berkas tidak diterima"),
    (PDF + b"0" * (5 * 1024 * 1024), "besar.pdf", "melebihi 5 MB"),
    (zip_bomb("odt", declared_mb=100), "notulen.odt", "Isi berkas terlalu besar setelah dibuka"),
])
def test_evidence_files_are_checked(app, client, cast, data, name, message):
    as_employee(client, cast.worker)
    before = Evidence.select().count()
    response = record(client, first_indicator(cast.worker), evidence_file=upload(data, name))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert Evidence.select().count() == before
    folder = Path(app.config["UPLOAD_DIR"]) / "evidence"
    assert not any(p.read_bytes() == data for p in folder.glob("*"))


def test_progress_needs_an_approved_plan(client, cast):
    as_employee(client, cast.planless)
    page = client.get("/kinerja/progres").get_data(as_text=True)
    assert "belum disetujui" in page
    assert client.post("/kinerja/progres", data={"description": "x"}).status_code == 403
    assert not ProgressEntry.select().where(ProgressEntry.employee == cast.planless.id,
                                            ProgressEntry.day.year == YEAR).exists()


def test_system_accounts_have_no_progress_page(client):
    as_user(client, "admin")
    assert client.get("/kinerja/progres").status_code == 403



def test_evidence_file_is_served_to_those_allowed(client, accounts, cast):
    evidence = file_evidence_of(cast.worker)
    url = f"/kinerja/bukti/{evidence.id}"
    for who in (cast.worker, cast.penilai, cast.atasan):
        as_employee(client, who)
        response = client.get(url)
        assert response.status_code == 200, who.name
        assert response.mimetype == evidence.mime
        assert "no-store" in response.headers["Cache-Control"]
    for username in ("admin", "admin.dinkes"):
        as_user(client, username)
        assert client.get(url).status_code == 200


def test_evidence_file_is_hidden_from_everyone_else(app, client, cast):
    evidence = file_evidence_of(cast.worker)
    url = f"/kinerja/bukti/{evidence.id}"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    as_employee(client, cast.objector)  # a colleague in the same Puskesmas
    assert client.get(url).status_code == 404
    as_user(client, make_admin_opd("DISDIK", "admin.disdik"))
    assert client.get(url).status_code == 404
    as_employee(client, cast.worker)
    assert client.get("/kinerja/bukti/999999").status_code == 404
    link = Evidence.select().where(Evidence.kind == "link").first()
    assert client.get(f"/kinerja/bukti/{link.id}").status_code == 404


def test_deleting_an_entry(app, client, cast):
    as_employee(client, cast.worker)
    record(client, first_indicator(cast.worker), evidence_file=upload())
    entry = ProgressEntry.select().where(ProgressEntry.employee == cast.worker.id) \
        .order_by(ProgressEntry.id.desc()).first()
    stored = Evidence.get(Evidence.entry == entry.id).stored_name
    as_employee(client, cast.objector)
    assert client.post(f"/kinerja/progres/{entry.id}/hapus").status_code == 404
    as_employee(client, cast.worker)
    response = client.post(f"/kinerja/progres/{entry.id}/hapus", headers=HX)
    assert response.status_code == 200 and "progress-changed" in response.headers["HX-Trigger"]
    assert ProgressEntry.get_or_none(ProgressEntry.id == entry.id) is None
    assert not (Path(app.config["UPLOAD_DIR"]) / "evidence" / stored).exists()


def test_entries_of_a_submitted_period_are_locked(client, cast):
    submitted = evaluation_of(cast.worker, LAST)
    assert submitted.status == "submitted"
    entry = ProgressEntry.select().where((ProgressEntry.employee == cast.worker.id)
                                         & (ProgressEntry.day >= submitted.starts)
                                         & (ProgressEntry.day <= submitted.ends)).first()
    as_employee(client, cast.worker)
    assert client.post(f"/kinerja/progres/{entry.id}/hapus").status_code == 403
    assert ProgressEntry.get_or_none(ProgressEntry.id == entry.id) is not None
    response = record(client, first_indicator(cast.worker), day=submitted.ends.isoformat())
    assert response.status_code == 422
    assert "sudah diajukan atau ditetapkan" in response.get_data(as_text=True)


def test_recording_and_removing_progress_are_audited_with_what_the_entry_said(client, cast):
    trail = AuditLog.select().where(AuditLog.entity == "progress_entry")
    before = trail.count()
    as_employee(client, cast.worker)
    response = record(client, first_indicator(cast.worker), description="Kunjungan rumah RT 03")
    assert response.status_code == 302
    entry = ProgressEntry.select().where(ProgressEntry.employee == cast.worker.id) \
        .order_by(ProgressEntry.id.desc()).first()
    created = trail.where(AuditLog.entity_id == entry.id).get()
    assert created.action == "create" and "Kunjungan rumah RT 03" in created.summary
    assert created.actor_id == User.get(User.employee == cast.worker.id).id
    assert created.unit_id == cast.worker.unit_id
    assert client.post(f"/kinerja/progres/{entry.id}/hapus").status_code in (200, 302, 303)
    deleted = trail.where((AuditLog.entity_id == entry.id) & (AuditLog.action == "delete")).get()
    assert deleted.before_dict()["description"] == "Kunjungan rumah RT 03"
    # Refused (the day's period is already submitted): no entry, so no audit row either.
    submitted = evaluation_of(cast.worker, LAST)
    assert record(client, first_indicator(cast.worker), day=submitted.ends.isoformat()).status_code == 422
    assert trail.count() == before + 2


# --- Continuous feedback and notifications --------------------------------------------------

def test_supervisor_comments_in_place_and_the_employee_is_notified(client, cast):
    entry = ProgressEntry.select().where(ProgressEntry.employee == cast.worker.id) \
        .order_by(ProgressEntry.day.desc()).first()
    Feedback.delete().where(Feedback.entry == entry.id).execute()
    as_employee(client, cast.worker)
    assert client.post(f"/kinerja/umpan-balik/entry/{entry.id}", data={"body": "Pertama"}).status_code == 403
    unread = Notification.unread_count(cast.worker.id)
    as_employee(client, cast.penilai)
    team = client.get("/kinerja/tim").get_data(as_text=True)
    assert cast.worker.full_name in team and f'id="thread-entry-{entry.id}"' in team
    response = client.post(f"/kinerja/umpan-balik/entry/{entry.id}", headers=HX,
                           data={"body": "Tolong lampirkan daftar hadir."})
    assert response.status_code == 200
    assert "feedback-added" in response.headers["HX-Trigger"]
    assert f'id="thread-entry-{entry.id}"' in response.get_data(as_text=True)
    assert Notification.unread_count(cast.worker.id) == unread + 1
    as_employee(client, cast.worker)
    counter = client.get("/notifikasi/jumlah", headers=HX).get_data(as_text=True)
    assert f">{unread + 1}<" in counter
    assert "Tolong lampirkan daftar hadir." in client.get("/kinerja/saya").get_data(as_text=True)
    notice = Notification.select().where(Notification.recipient == cast.worker.id).order_by(Notification.id.desc()).first()
    assert notice.link == f"/kinerja/umpan-balik/entry/{entry.id}"
    thread = client.get(notice.link).get_data(as_text=True)  # the notice opens that very thread
    assert "Tolong lampirkan daftar hadir." in thread and entry.description in thread and "Kirim balasan" in thread
    reply = client.post(f"/kinerja/umpan-balik/entry/{entry.id}", headers=HX, data={"body": "Siap, sudah."})
    assert reply.status_code == 200 and "Siap, sudah." in reply.get_data(as_text=True)
    assert Notification.select().where((Notification.recipient == cast.penilai.id)
                                       & Notification.text.contains("membalas")).exists()
    # The centre lists the notice; looking marks nothing read, opening it marks it and goes there.
    page = client.get("/notifikasi").get_data(as_text=True)
    assert f'<a href="/notifikasi/{notice.id}/buka">{cast.penilai.full_name} memberi umpan balik' in page
    assert Notification.unread_count(cast.worker.id) == unread + 1
    opened = client.get(f"/notifikasi/{notice.id}/buka")
    assert opened.status_code == 302 and opened.headers["Location"] == notice.link
    assert Notification.unread_count(cast.worker.id) == unread


def test_feedback_denials(client, accounts, cast):
    entry = ProgressEntry.select().where(ProgressEntry.employee == cast.worker.id).first()
    url = f"/kinerja/umpan-balik/entry/{entry.id}"
    as_employee(client, cast.objector)
    assert client.post(url, data={"body": "x"}).status_code == 404
    assert client.get(url).status_code == 404  # nor may a stranger read the thread
    as_employee(client, cast.atasan)
    assert client.post(url, data={"body": "x"}).status_code == 403
    assert "Kirim" not in client.get(url).get_data(as_text=True)  # the Atasan reads, does not post
    as_user(client, "admin")
    assert client.post(url, data={"body": "x"}).status_code == 403
    as_employee(client, cast.penilai)
    assert client.post("/kinerja/umpan-balik/lain/1", data={"body": "x"}).status_code == 404
    assert client.post("/kinerja/umpan-balik/entry/999999", data={"body": "x"}).status_code == 404
    empty = client.post(url, headers=HX, data={"body": "  "})
    assert empty.status_code == 422 and "Tuliskan umpan balik" in empty.get_data(as_text=True)


def test_feedback_on_an_rhk_from_the_team_page(client, cast):
    rhk = Rhk.select().where(Rhk.skp == Skp.approved_for(cast.worker.id, YEAR).id).first()
    as_employee(client, cast.penilai)
    url = f"/kinerja/tim/{cast.worker.id}/umpan-balik-rhk"
    prefix = f"m{cast.worker.id}-"
    team = client.get("/kinerja/tim").get_data(as_text=True)
    assert f'hx-get="{url}?tahun={YEAR}"' in team
    loaded = client.get(url, headers=HX).get_data(as_text=True)
    assert f'value="{rhk.id}"' in loaded and 'id="rhk-feedback-' in loaded
    response = client.post(url, headers=HX, data={f"{prefix}rhk": str(rhk.id),
                                                  f"{prefix}body": "Fokus pada target Utama."})
    assert response.status_code == 200 and "terkirim" in response.get_data(as_text=True)
    note = Feedback.get(Feedback.rhk == rhk.id)
    assert note.author_id == cast.penilai.id and note.employee_id == cast.worker.id
    as_employee(client, cast.worker)
    assert "Fokus pada target Utama." in client.get("/kinerja/saya").get_data(as_text=True)
    assert client.post(url, data={f"{prefix}rhk": str(rhk.id), f"{prefix}body": "x"}).status_code == 403
    as_employee(client, cast.penilai)
    missing = client.post(url, headers=HX, data={f"{prefix}body": "tanpa RHK"})
    assert missing.status_code == 422 and "Pilih RHK" in missing.get_data(as_text=True)
    for sent in ("None", "abc", "-1"):
        wrong = client.post(url, headers=HX, data={f"{prefix}rhk": sent, f"{prefix}body": "salah"})
        assert wrong.status_code == 422, sent
    assert not Feedback.select().where(Feedback.body == "salah").exists()
    assert client.post("/kinerja/tim/999999/umpan-balik-rhk", data={}).status_code == 404


def test_team_page_cost_does_not_grow_with_the_team(client, cast):
    as_employee(client, cast.penilai)
    client.get("/kinerja/tim")
    with counting_queries() as few:
        client.get("/kinerja/tim")
    for _ in range(3):
        record(as_employee(client, cast.worker), first_indicator(cast.worker))
    as_employee(client, cast.penilai)
    with counting_queries() as more:
        page = client.get("/kinerja/tim")
    assert page.status_code == 200
    assert len(more) == len(few)


# --- My performance ------------------------------------------------------------------------

def test_my_performance_shows_targets_periods_and_predikat(client, cast):
    as_employee(client, cast.worker)
    html = client.get("/kinerja/saya").get_data(as_text=True)
    assert "Progres terhadap target" in html
    first = evaluation_of(cast.worker, 1)
    assert rules.predikat_label(first.predikat) in html
    assert f"Triwulan {['I', 'II', 'III', 'IV'][CURRENT - 1]} {YEAR}" in html
    assert "Isi evaluasi" in html  # the current period


def test_my_performance_without_an_approved_plan(client, cast):
    as_employee(client, cast.planless)
    html = client.get("/kinerja/saya").get_data(as_text=True)
    assert "belum disetujui" in html
    last_year = client.get(f"/kinerja/saya?tahun={YEAR - 1}").get_data(as_text=True)
    annual = Evaluation.get((Evaluation.employee == cast.planless.id) & (Evaluation.year == YEAR - 1)
                            & (Evaluation.kind == "annual"))
    assert f"Tahunan {YEAR - 1}" in last_year
    assert f"<strong>{rules.predikat_label(annual.predikat)}</strong>" in last_year
