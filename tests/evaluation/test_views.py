"""Monitoring and evaluation views: progress with evidence, feedback, evaluations and their
states, objections, the curve, the documents — with every denial."""
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja import clock
from kinerja.models import (
    AuditLog, Evaluation, Evidence, Feedback, Indicator, Notification, Objection, OrgPerformance,
    ProgressEntry, Rhk, Skp, db,
)
from kinerja.rules import evaluation as rules

from ..support import postgres
from ..support.app import TODAY
from ..support.evaluation import (
    PDF, YEAR, as_employee, as_user, demo_cast, evaluation_of, make_admin_opd, upload,
)
from ..support.org import HX, audit_rows, fresh, unit
from ..support import counting_queries, zip_bomb

CURRENT = rules.period_of(TODAY, "triwulanan").number
LAST = CURRENT - 1


@pytest.fixture
def cast(app):
    return demo_cast()


def first_indicator(employee):
    skp = Skp.approved_for(employee.id, YEAR)
    return (Indicator.select().join(Rhk).where((Rhk.skp == skp.id) & (Indicator.aspect == "kuantitas"))
            .order_by(Rhk.kind.desc(), Rhk.order, Indicator.order).first())


def record(client, ind, **extra):
    data = {"indicator": str(ind.id), "day": TODAY.isoformat(), "description": "Melayani pasien",
            "quantity": "3"}
    data.update(extra)
    return client.post("/kinerja/progres", data=data, content_type="multipart/form-data")


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


def _file_evidence_of(employee):
    return (Evidence.select().join(ProgressEntry)
            .where((ProgressEntry.employee == employee.id) & (Evidence.kind == "file")).first())


def test_evidence_file_is_served_to_those_allowed(client, accounts, cast):
    evidence = _file_evidence_of(cast.worker)
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
    evidence = _file_evidence_of(cast.worker)
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
    counter = client.get("/kinerja/notifikasi/jumlah", headers=HX).get_data(as_text=True)
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
    page = client.get("/kinerja/notifikasi")
    assert f'<a href="/kinerja/umpan-balik/entry/{entry.id}">Umpan balik baru' in page.get_data(as_text=True)
    assert Notification.unread_count(cast.worker.id) == 0
    assert client.get("/kinerja/notifikasi/jumlah").get_data(as_text=True).strip() == ""


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


# --- The employee's periodic evaluation -----------------------------------------------------

def own_url(number, slug="periodik"):
    return f"/kinerja/evaluasi/{YEAR}/{slug}/{number}"


def test_the_form_is_prefilled_from_the_period_progress(client, cast):
    as_employee(client, cast.worker)
    indicator = first_indicator(cast.worker)
    record(client, indicator, quantity="4")
    record(client, indicator, quantity="1,5")
    html = client.get(own_url(CURRENT)).get_data(as_text=True)
    period = rules.periods(YEAR, "triwulanan")[CURRENT - 1]
    total = sum((e.quantity for e in ProgressEntry.select().where(
        (ProgressEntry.employee == cast.worker.id) & (ProgressEntry.indicator == indicator.id)
        & (ProgressEntry.day >= period.starts) & (ProgressEntry.day <= period.ends))))
    shown = format(total.normalize(), "f").replace(".", ",")
    assert re.search(rf'name="real_{indicator.id}"[^>]*value="{re.escape(shown)}"', html)
    assert "Melayani pasien" in html


def test_adjusting_without_a_reason_keeps_what_was_typed(client, cast):
    as_employee(client, cast.worker)
    indicator = first_indicator(cast.worker)
    response = client.post(own_url(CURRENT), data={f"real_{indicator.id}": "999",
                                                    "self_note": "Catatan saya", "action": "submit"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "tuliskan alasannya" in html and 'value="999"' in html and "Catatan saya" in html
    assert evaluation_of(cast.worker, CURRENT) is None


def test_submitting_the_evaluation(client, cast):
    as_employee(client, cast.worker)
    indicator = first_indicator(cast.worker)
    data = {f"real_{indicator.id}": "999", f"reason_{indicator.id}": "Termasuk layanan malam",
            "self_note": "Target tercapai.", "action": "save"}
    assert client.post(own_url(CURRENT), data=data).status_code == 302
    draft = evaluation_of(cast.worker, CURRENT)
    assert draft.status == "draft" and draft.appraiser_id == cast.penilai.id
    assert draft.superior_id == cast.atasan.id
    data["action"] = "submit"
    response = client.post(own_url(CURRENT), data=data)
    assert response.status_code == 302 and f"/kinerja/evaluasi/{draft.id}" in response.headers["Location"]
    ev = fresh(draft)
    assert ev.status == "submitted" and ev.self_note == "Target tercapai."
    item = ev.items.where(ev.items.model.indicator == indicator.id).get()
    assert item.realisation == Decimal(999) and item.adjustment_reason == "Termasuk layanan malam"
    actions = [r.action for r in audit_rows("evaluation", ev.id)]
    assert actions == ["create", "submit"]
    assert audit_rows("evaluation", ev.id)[-1].after_dict()["status"] == "submitted"
    assert Notification.select().where(Notification.recipient == cast.penilai.id).exists()
    # Submitted: the form is closed, the owner sees the evaluation instead.
    assert client.get(own_url(CURRENT)).status_code == 302
    assert client.post(own_url(CURRENT), data=data).status_code == 302


@pytest.mark.parametrize("url, code", [
    (f"/kinerja/evaluasi/{YEAR}/mingguan/1", 404),
    (f"/kinerja/evaluasi/{YEAR}/periodik/9", 404),
    (f"/kinerja/evaluasi/{YEAR}/tahunan/2", 404),
    (f"/kinerja/evaluasi/{YEAR + 1}/periodik/1", 403),
])
def test_own_evaluation_denials(client, cast, url, code):
    as_employee(client, cast.worker)
    assert client.get(url).status_code == code


def test_approved_period_opens_the_evaluation_not_the_form(client, cast):
    as_employee(client, cast.worker)
    response = client.get(own_url(1))
    assert response.status_code == 302
    assert f"/kinerja/evaluasi/{evaluation_of(cast.worker, 1).id}" in response.headers["Location"]


def test_planless_employee_cannot_fill_an_evaluation(client, cast):
    as_employee(client, cast.planless)
    assert client.get(own_url(CURRENT)).status_code == 403


# --- Rating by the Pejabat Penilai --------------------------------------------------------

def rate_url(ev, what="nilai"):
    return f"/kinerja/evaluasi/{ev.id}/{what}"


def test_predikat_preview_before_confirming(client, cast):
    ev = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.penilai)
    response = client.post(rate_url(ev, "pratinjau"), headers=HX,
                           data={"result_rating": "above", "behaviour_rating": "above"})
    assert "Sangat Baik" in response.get_data(as_text=True)
    half = client.post(rate_url(ev, "pratinjau"), headers=HX, data={"result_rating": "below"})
    assert "setelah kedua rating dipilih" in half.get_data(as_text=True)
    assert fresh(ev).status == "submitted" and fresh(ev).predikat is None
    as_employee(client, cast.worker)
    assert client.post(rate_url(ev, "pratinjau"), data={}).status_code == 403


def test_the_review_page_shows_guidance_and_expectations(client, cast):
    as_employee(client, cast.penilai)
    html = client.get("/kinerja/tim/penilaian").get_data(as_text=True)
    assert cast.worker.full_name in html
    assert rules.RESULT_GUIDANCE["above"] in html and "Ekspektasi khusus pimpinan" in html
    assert "Berorientasi Pelayanan" in html


def test_a_quarter_is_measured_against_its_share_of_the_yearly_target(client, cast):
    """A count realised in one quarter is shown against that quarter's share of the year,
    with the year so far against the whole target beside it."""
    ev = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.penilai)
    html = client.get(f"/kinerja/evaluasi/{ev.id}").get_data(as_text=True)
    assert "% dari target periode ini" in html and "Sejak awal tahun:" in html
    assert "% dari target tahunan" in html


def test_approving_needs_both_ratings(client, cast):
    ev = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.penilai)
    response = client.post(rate_url(ev), headers=HX, data={"action": "approve", "result_rating": "meets"})
    assert response.status_code == 422
    assert "Pilih Rating Hasil Kerja dan Rating Perilaku Kerja" in response.get_data(as_text=True)
    assert fresh(ev).status == "submitted"


def test_returning_needs_a_comment_then_goes_back_to_the_employee(client, cast):
    ev = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.penilai)
    response = client.post(rate_url(ev), headers=HX, data={"action": "return", "comment": ""})
    assert response.status_code == 422 and "alasan pengembalian" in response.get_data(as_text=True)
    response = client.post(rate_url(ev), headers=HX, data={"action": "return", "comment": "Lengkapi bukti."})
    assert response.status_code == 200
    assert fresh(ev).status == "returned" and fresh(ev).return_comment == "Lengkapi bukti."
    assert audit_rows("evaluation", ev.id, "return")
    as_employee(client, cast.worker)
    page = client.get(own_url(LAST)).get_data(as_text=True)
    assert "Lengkapi bukti." in page


def test_approving_in_the_queue_moves_to_the_next_without_leaving_the_page(client, cast):
    ev = evaluation_of(cast.worker, LAST)
    rhk = Rhk.select().where(Rhk.skp == ev.skp_id).first()
    as_employee(client, cast.penilai)
    response = client.post(rate_url(ev), headers=HX, data={
        "action": "approve", "queue": "1", "result_rating": "above", "behaviour_rating": "meets",
        f"rhk_{rhk.id}": "Realisasi melampaui target.", "value_akuntabel": "Laporan selalu tepat waktu."})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="review-panel"' in html and "ditetapkan dengan predikat Baik" in html
    assert "evaluations-changed" in response.headers["HX-Trigger"]
    ev = fresh(ev)
    assert (ev.status, ev.result_rating, ev.behaviour_rating, ev.predikat) == ("approved", "above", "meets", "baik")
    assert ev.approved_at is not None
    row = audit_rows("evaluation", ev.id, "approve")[-1]
    assert row.before_dict()["status"] == "submitted" and row.after_dict()["predikat"] == "baik"
    assert ev.feedback.count() == 2
    queue = client.get("/kinerja/tim/penilaian/antrean", headers=HX).get_data(as_text=True)
    assert cast.worker.full_name not in queue
    as_employee(client, cast.worker)
    shown = client.get(f"/kinerja/evaluasi/{ev.id}").get_data(as_text=True)
    assert "Realisasi melampaui target." in shown and "Laporan selalu tepat waktu." in shown


def test_saving_a_rating_without_approving_is_audited_and_hidden_from_the_employee(client, cast):
    ev = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.penilai)
    client.post(rate_url(ev), headers=HX, data={"action": "rate", "result_rating": "below",
                                                 "behaviour_rating": "below"})
    assert fresh(ev).status == "submitted" and fresh(ev).predikat == "sangat_kurang"
    assert audit_rows("evaluation", ev.id, "rate")
    as_employee(client, cast.worker)
    assert "Sangat Kurang" not in client.get(f"/kinerja/evaluasi/{ev.id}").get_data(as_text=True)


def test_rating_denials(client, accounts, cast):
    ev = evaluation_of(cast.worker, LAST)
    data = {"action": "approve", "result_rating": "above", "behaviour_rating": "above"}
    as_employee(client, cast.worker)  # the owner
    assert client.post(rate_url(ev), data=data).status_code == 403
    as_employee(client, cast.atasan)  # the Atasan is not the Pejabat Penilai
    assert client.post(rate_url(ev), data=data).status_code == 403
    as_employee(client, cast.objector)  # a colleague
    assert client.post(rate_url(ev), data=data).status_code == 404
    as_user(client, make_admin_opd("DISDIK", "admin.disdik"))
    assert client.post(rate_url(ev), data=data).status_code == 404
    assert client.get(f"/kinerja/evaluasi/{ev.id}").status_code == 404
    as_user(client, "admin.dinkes")  # may see it, may not rate it
    assert client.get(f"/kinerja/evaluasi/{ev.id}").status_code == 200
    assert client.post(rate_url(ev), data=data).status_code == 403
    assert fresh(ev).status == "submitted"
    approved = evaluation_of(cast.worker, 1)
    as_employee(client, cast.penilai)
    assert client.post(rate_url(approved), data=data).status_code == 409
    assert client.post("/kinerja/evaluasi/999999/nilai", data=data).status_code == 404


def test_admin_rates_the_head_of_an_opd_for_the_kepala_daerah(client, cast):
    ev = evaluation_of(cast.atasan, LAST)  # the Kepala Dinas: appraised by the Kepala Daerah
    assert ev.status == "submitted" and ev.appraiser_id is None
    as_user(client, "admin")
    html = client.get("/kinerja/tim/penilaian").get_data(as_text=True)
    assert cast.atasan.full_name in html
    panel = client.get(f"/kinerja/evaluasi/{ev.id}").get_data(as_text=True)
    assert "Capaian Kinerja Organisasi" in panel and "Sesuai Ekspektasi</strong>" in panel
    assert re.search(r'value="meets"[^>]*checked|checked[^>]*value="meets"', panel)
    response = client.post(rate_url(ev), data={"action": "approve", "result_rating": "meets",
                                               "behaviour_rating": "above"})
    assert response.status_code == 302 and fresh(ev).status == "approved"


# --- Objection and decision ------------------------------------------------------------

def approve(client, ev, penilai, result="meets", behaviour="meets"):
    as_employee(client, penilai)
    client.post(rate_url(ev), data={"action": "approve", "result_rating": result,
                                    "behaviour_rating": behaviour})
    return fresh(ev)


def test_objection_and_the_final_decision(client, cast):
    ev = approve(client, evaluation_of(cast.worker, LAST), cast.penilai, "meets", "meets")
    as_employee(client, cast.worker)
    short = client.post(rate_url(ev, "keberatan"), headers=HX, data={"reasons": "tidak setuju"})
    assert short.status_code == 422 and "antara 20" in short.get_data(as_text=True)
    response = client.post(rate_url(ev, "keberatan"), headers=HX,
                           data={"reasons": "Realisasi saya jauh di atas target, bukti lengkap."})
    assert response.status_code == 200 and "Keberatan diajukan" in response.get_data(as_text=True)
    assert fresh(ev).status == "objected"
    assert audit_rows("evaluation", ev.id, "object")
    assert Notification.select().where(Notification.recipient == cast.atasan.id).exists()
    # The Pejabat Penilai cannot decide; the Atasan sees it in the team page and decides.
    as_employee(client, cast.penilai)
    assert client.post(rate_url(ev, "putuskan"), data={"result_rating": "above", "behaviour_rating": "meets",
                                                       "decision": "x"}).status_code == 403
    as_employee(client, cast.atasan)
    assert cast.worker.full_name in client.get("/kinerja/tim").get_data(as_text=True)
    missing = client.post(rate_url(ev, "putuskan"), headers=HX, data={"result_rating": "above"})
    assert missing.status_code == 422 and "Pilih Rating Perilaku Kerja" in missing.get_data(as_text=True)
    response = client.post(rate_url(ev, "putuskan"), headers=HX, data={
        "result_rating": "above", "behaviour_rating": "above", "decision": "Bukti mendukung; rating dinaikkan."})
    assert response.status_code == 200 and "final" in response.get_data(as_text=True)
    ev = fresh(ev)
    assert (ev.status, ev.predikat) == ("decided", "sangat_baik")
    objection = Objection.get(Objection.evaluation == ev.id)
    assert (objection.predikat_before, objection.predikat_after) == ("baik", "sangat_baik")
    row = audit_rows("evaluation", ev.id, "decide")[-1]
    assert row.before_dict()["predikat"] == "baik" and row.after_dict()["predikat"] == "sangat_baik"
    again = client.post(rate_url(ev, "putuskan"), data={"result_rating": "below", "behaviour_rating": "below",
                                                         "decision": "ubah lagi"})
    assert again.status_code == 409 and fresh(ev).predikat == "sangat_baik"
    as_employee(client, cast.worker)
    html = client.get(f"/kinerja/evaluasi/{ev.id}").get_data(as_text=True)
    assert "Bukti mendukung; rating dinaikkan." in html and "Sebelum keberatan" in html


def test_objection_denials(client, cast):
    ev = approve(client, evaluation_of(cast.worker, LAST), cast.penilai)
    reasons = {"reasons": "Alasan yang cukup panjang untuk keberatan ini."}
    for who in (cast.penilai, cast.atasan):
        as_employee(client, who)
        assert client.post(rate_url(ev, "keberatan"), data=reasons).status_code == 403
    as_employee(client, cast.objector)
    assert client.post(rate_url(ev, "keberatan"), data=reasons).status_code == 404
    Evaluation.update(approved_at=clock.utcnow() - datetime.timedelta(days=20)) \
        .where(Evaluation.id == ev.id).execute()
    as_employee(client, cast.worker)
    late = client.post(rate_url(ev, "keberatan"), data=reasons)
    assert late.status_code == 409 and "Batas waktu keberatan" in late.get_data(as_text=True)
    assert fresh(ev).status == "approved" and not Objection.select().where(Objection.evaluation == ev.id).exists()


def test_accepting_closes_the_objection(client, cast):
    ev = approve(client, evaluation_of(cast.worker, LAST), cast.penilai)
    as_employee(client, cast.penilai)
    assert client.post(rate_url(ev, "terima")).status_code == 403
    as_employee(client, cast.worker)
    response = client.post(rate_url(ev, "terima"), headers=HX)
    assert response.status_code == 200 and "diterima" in response.get_data(as_text=True)
    assert fresh(ev).acknowledged_at is not None and audit_rows("evaluation", ev.id, "acknowledge")
    refused = client.post(rate_url(ev, "keberatan"), data={"reasons": "Alasan yang cukup panjang sekali."})
    assert refused.status_code == 409 and fresh(ev).status == "approved"


def test_the_demo_objection_waits_for_the_atasan(client, cast):
    ev = evaluation_of(cast.objector, LAST)
    assert ev.status == "objected" and ev.superior_id == cast.atasan.id
    as_employee(client, cast.atasan)
    html = client.get(f"/kinerja/evaluasi/{ev.id}").get_data(as_text=True)
    assert "Putuskan" in html and "Realisasi layanan saya melebihi target" in html


# --- Documents ---------------------------------------------------------------------------

def test_evaluation_document_pdf(client, cast):
    ev = evaluation_of(cast.worker, 1)
    as_employee(client, cast.worker)
    response = client.get(f"/kinerja/evaluasi/{ev.id}/dokumen.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in text
    assert "TRIWULAN I" in text
    assert cast.worker.nip in text and cast.penilai.nip in text and cast.atasan.nip in text
    assert "CAPAIAN KINERJA ORGANISASI" in text and "BAIK" in text
    assert "PREDIKAT KINERJA PEGAWAI" in text
    assert rules.predikat_label(ev.predikat).upper() in text
    assert "Berorientasi Pelayanan" in text and "Pejabat Penilai Kinerja" in text
    assert len(reader.pages) >= 1


def test_the_no_column_of_the_evaluation_pdf_is_narrow(client, cast):
    ev = evaluation_of(cast.worker, 1)
    as_employee(client, cast.worker)
    page = PdfReader(io.BytesIO(client.get(f"/kinerja/evaluasi/{ev.id}/dokumen.pdf").data)).pages[0]
    xs = {}

    def visit(text, cm, tm, font, size):
        if text.strip() in ("No", "Rencana Hasil Kerja") and text.strip() not in xs:
            xs[text.strip()] = tm[4] * cm[0] + cm[4]
    page.extract_text(visitor_text=visit)
    width = float(page.mediabox.width)
    assert 0 < xs["Rencana Hasil Kerja"] - xs["No"] < width * 0.1


def test_document_denials(client, cast):
    pending = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.worker)
    assert client.get(f"/kinerja/evaluasi/{pending.id}/dokumen.pdf").status_code == 409
    as_employee(client, cast.objector)
    assert client.get(f"/kinerja/evaluasi/{evaluation_of(cast.worker, 1).id}/dokumen.pdf").status_code == 404


def recap_rows(response):
    book = load_workbook(io.BytesIO(response.data))
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_recap_xlsx_of_a_unit(client, cast):
    dinkes = unit("DINKES")
    as_user(client, "admin.dinkes")
    response = client.get(f"/kinerja/rekap.xlsx?unit={dinkes.id}&tahun={YEAR}&periode=periodik-1")
    assert response.status_code == 200
    rows = recap_rows(response)
    assert rows[0][:3] == ["NIP", "Nama", "Jabatan"]
    by_nip = {r[0]: r for r in rows[1:]}
    worker = by_nip[cast.worker.nip]
    assert worker[5] == "Ditetapkan"
    assert worker[8] == rules.predikat_label(evaluation_of(cast.worker, 1).predikat)
    assert by_nip[cast.planless.nip][5] == "Belum diisi"
    assert all(r[4] == f"Triwulan I {YEAR}" for r in rows[1:])


def test_recap_denials(client, cast):
    disdik = unit("DISDIK")
    as_user(client, "admin.dinkes")
    assert client.get(f"/kinerja/rekap.xlsx?unit={disdik.id}").status_code == 404
    assert client.get("/kinerja/rekap.xlsx").status_code == 404
    as_employee(client, cast.penilai)  # heads a Puskesmas, not an OPD
    assert client.get(f"/kinerja/rekap.xlsx?unit={unit('DINKES').id}").status_code == 404
    assert client.get("/kinerja/rekap").status_code == 403
    as_employee(client, cast.atasan)  # the head of Dinas Kesehatan
    assert client.get(f"/kinerja/rekap.xlsx?unit={unit('DINKES').id}").status_code == 200
    assert client.get(f"/kinerja/rekap.xlsx?unit={disdik.id}").status_code == 404


# --- Organisation predikat and the curve ------------------------------------------------

def test_the_demo_curve_of_dinas_kesehatan_breaks_the_caps(client, cast):
    as_employee(client, cast.atasan)
    response = client.get("/kinerja/kurva", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Dinas Kesehatan" in html and "melampaui batas" in html
    assert "paling sedikit 1 pegawai" in html
    assert "Simpan predikat organisasi" not in html  # the head sees, the admin sets


def test_admin_overview_marks_the_broken_curve_only(client):
    as_user(client, "admin")
    html = client.get("/kinerja/kurva").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td><a [^>]*>([^<]+)</a></td>.*?</tr>", html, re.S)
    assert "Dinas Kesehatan" in rows
    warned = re.findall(r"<td><a [^>]*>([^<]+)</a></td>(?:(?!</tr>).)*peringatan", html, re.S)
    assert warned == ["Dinas Kesehatan"]


def test_admin_sets_the_organisation_predikat(client, cast):
    dinkes = unit("DINKES")
    as_user(client, "admin")
    url = f"/kinerja/kurva/{dinkes.id}/predikat"
    bad = client.post(url, headers=HX, data={"predikat": "luar_biasa", "tahun": YEAR})
    assert bad.status_code == 422 and "Pilih dari daftar" in bad.get_data(as_text=True)
    response = client.post(url, headers=HX, data={"predikat": "istimewa", "note": "SK 12/2026",
                                                  "tahun": YEAR, "periode": "periodik-1"})
    assert response.status_code == 200
    assert OrgPerformance.get((OrgPerformance.unit == dinkes.id) & (OrgPerformance.year == YEAR)).predikat == "istimewa"
    row = audit_rows("org_performance")[-1]
    assert row.before_dict()["predikat"] == "baik" and row.after_dict()["predikat"] == "istimewa"
    assert row.unit_id == dinkes.id
    assert "Istimewa" in response.get_data(as_text=True)


def test_organisation_predikat_denials(client, cast):
    dinkes = unit("DINKES")
    url = f"/kinerja/kurva/{dinkes.id}/predikat"
    as_user(client, "admin.dinkes")
    assert client.post(url, data={"predikat": "istimewa"}).status_code == 403
    as_employee(client, cast.atasan)
    assert client.post(url, data={"predikat": "istimewa"}).status_code == 403
    as_user(client, "admin")
    sub = unit("PKM-SUKAMAJU")
    assert client.post(f"/kinerja/kurva/{sub.id}/predikat", data={"predikat": "baik"}).status_code == 404
    assert OrgPerformance.get((OrgPerformance.unit == dinkes.id) & (OrgPerformance.year == YEAR)).predikat == "baik"


def test_curve_denials(client, cast):
    as_employee(client, cast.penilai)  # not the head of an OPD
    assert client.get("/kinerja/kurva").status_code == 403
    assert client.get(f"/kinerja/kurva?unit={unit('DINKES').id}").status_code == 404
    as_employee(client, cast.atasan)
    assert client.get(f"/kinerja/kurva?unit={unit('DISDIK').id}").status_code == 404
    as_user(client, "admin.dinkes")
    assert client.get(f"/kinerja/kurva?unit={unit('DISDIK').id}").status_code == 404
    assert client.get(f"/kinerja/kurva?unit={unit('DINKES').id}").status_code == 200


# --- Plans revised after approval ----------------------------------------------------------

def test_progress_follows_a_revised_plan(app, cast):
    from kinerja.stores.evaluation import progress as store
    revised = Skp.select().where((Skp.year == YEAR) & (Skp.revision == 2) & (Skp.status == "approved")).first()
    old = Skp.get((Skp.employee == revised.employee_id) & (Skp.year == YEAR) & (Skp.revision == 1))
    old_indicator = Indicator.select().join(Rhk).where(Rhk.skp == old.id).first()
    new_indicator = Indicator.get(Indicator.origin == old_indicator.id)
    ProgressEntry.create(employee=revised.employee_id, skp=old.id, indicator=old_indicator.id,
                         day=datetime.date(YEAR, 1, 20), description="Sebelum revisi", quantity=7)
    _, progress = store.plan_progress(revised, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 1, 31))
    assert progress[new_indicator.id].entries >= 1
    assert progress[new_indicator.id].realised >= 7


def test_every_state_change_is_audited_in_its_transaction(client, cast):
    """A failing audit write must undo the change it records."""
    from unittest import mock
    ev = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.penilai)
    with mock.patch.object(AuditLog, "record", side_effect=RuntimeError("disk penuh")):
        with pytest.raises(RuntimeError):
            client.post(rate_url(ev), data={"action": "approve", "result_rating": "above",
                                            "behaviour_rating": "above"})
    assert fresh(ev).status == "submitted"
    db.close()


def test_inline_validation_answers_with_the_field_alone(client, cast):
    as_employee(client, cast.worker)
    response = client.post("/kinerja/progres", headers={**HX, "HX-Trigger-Name": "quantity"},
                           data={"quantity": "banyak", "description": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="field-quantity"' in html and "Harus berupa angka" in html
    assert "Tuliskan apa yang dikerjakan" not in html


def test_the_navigation_counter_polls_for_employees_only(client, cast):
    as_employee(client, cast.worker)
    html = client.get("/kinerja/saya").get_data(as_text=True)
    assert 'hx-get="/kinerja/notifikasi/jumlah"' in html and "every 30s" in html
    as_user(client, "admin")
    assert "/kinerja/notifikasi/jumlah" not in client.get("/").get_data(as_text=True)


def test_recap_xlsx_writes_no_formula_and_opens_whatever_names_hold(client, cast):
    """A position named like a formula stays text; a NUL or vertical tab stored in a name
    (before they were refused) does not break the file."""
    from kinerja.models import Employee, Position
    Position.update(name='=HYPERLINK("http://evil","klik")').where(
        Position.id == cast.worker.position_id).execute()
    # PostgreSQL cannot store a NUL in text at all, so there only the vertical tab is old data.
    stored = "Sri Wahyuni\x0bBaru" if postgres.enabled() else "Sri\x00 Wahyuni\x0bBaru"
    Employee.update(name=stored).where(Employee.id == cast.objector.id).execute()
    as_user(client, "admin.dinkes")
    response = client.get(f"/kinerja/rekap.xlsx?unit={unit('DINKES').id}&tahun={YEAR}&periode=periodik-1")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert all(cell.data_type != "f" for row in book.worksheets[0].iter_rows() for cell in row)
    by_nip = {r[0]: r for r in recap_rows(response)[1:]}
    assert by_nip[cast.worker.nip][2] == '\'=HYPERLINK("http://evil","klik")'
    assert "Sri Wahyuni\nBaru" in by_nip[cast.objector.nip][1]
