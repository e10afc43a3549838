"""Follow-up views: the proposals with their decisions in place, the coaching plan, its PDF, the
settings, and every denial (another Pejabat Penilai, the employee acting as appraiser, an admin
of another OPD, anonymous)."""
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pypdf import PdfReader

from kinerja.models import AuditLog, CoachingPlan, FollowUp, Notification
from kinerja.stores.follow_up import plans

from ..support import HX, counted_get
from ..support.app import TODAY
from ..support.evaluation import LAST, as_employee, as_user, evaluation_of, make_admin_opd, rate_url
from ..support.org import holder


def demo_proposal():
    return FollowUp.select().where(FollowUp.status == "proposed").order_by(FollowUp.id).first()


def test_the_demo_proposal_waits_on_the_pejabat_penilai_beranda_and_list(client, cast):
    proposal = demo_proposal()
    assert proposal.kind == "coaching" and proposal.appraiser_id == cast.penilai.id
    assert proposal.predikat == "butuh_perbaikan"
    as_employee(client, cast.penilai)
    html = client.get("/").get_data(as_text=True)
    assert "Usulan tindak lanjut menunggu keputusan Anda" in html
    assert f"/tindak-lanjut/usulan/{proposal.id}" in html
    page = client.get("/tindak-lanjut")
    assert page.status_code == 200 and "HX-Request" in page.headers.get("Vary", "")
    body = page.get_data(as_text=True)
    assert f'id="usulan-{proposal.id}"' in body and "Terima dan buka rencana pembinaan" in body
    assert client.get(f"/tindak-lanjut/usulan/{proposal.id}").status_code == 200


def test_dismissing_needs_a_reason_and_replaces_the_row(client, cast):
    proposal = demo_proposal()
    as_employee(client, cast.penilai)
    url = f"/tindak-lanjut/usulan/{proposal.id}/tolak"
    response = client.post(url, data={"reason": "  "}, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<article class="rhk" id="usulan-{proposal.id}"')
    assert "Tuliskan alasan" in html
    # Without htmx the page comes back whole, with what was typed.
    plain = client.post(url, data={"reason": "x" * 1001})
    assert plain.status_code == 422 and "Maksimal 1000 karakter" in plain.get_data(as_text=True)
    response = client.post(url, data={"reason": "Sudah mengikuti pelatihan bulan lalu"}, headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Tidak dilanjutkan" in html and "Sudah mengikuti pelatihan" in html and "<form" not in html
    assert FollowUp.get_by_id(proposal.id).status == "dismissed"
    assert AuditLog.select().where((AuditLog.entity == "follow_up") & (AuditLog.action == "dismiss")).exists()
    # Decided: a second decision is refused.
    again = client.post(f"/tindak-lanjut/usulan/{proposal.id}/terima", data={}, headers=HX)
    assert again.status_code == 409


def test_changing_a_proposal(client, cast):
    proposal = demo_proposal()
    as_employee(client, cast.penilai)
    url = f"/tindak-lanjut/usulan/{proposal.id}/ubah"
    bad = client.post(url, data={"changed_to": "coaching", "note": "sama"}, headers=HX)
    assert bad.status_code == 422 and "berbeda" in bad.get_data(as_text=True)
    odd = client.post(url, data={"changed_to": "\x00", "note": "x"}, headers=HX)
    assert odd.status_code == 422
    ok = client.post(url, data={"changed_to": "discipline_referral", "note": "Sering absen"}, headers=HX)
    assert ok.status_code == 200 and "Diubah" in ok.get_data(as_text=True)
    assert FollowUp.get_by_id(proposal.id).changed_to == "discipline_referral"


def test_accepting_a_coaching_proposal_opens_the_plan(client, cast):
    proposal = demo_proposal()
    as_employee(client, cast.penilai)
    response = client.post(f"/tindak-lanjut/usulan/{proposal.id}/terima", data={}, headers=HX)
    plan = CoachingPlan.get(CoachingPlan.employee == proposal.employee_id)
    assert response.headers["HX-Redirect"] == f"/tindak-lanjut/pembinaan/{plan.id}"
    html = client.get(f"/tindak-lanjut/pembinaan/{plan.id}").get_data(as_text=True)
    assert "Kesenjangan kinerja" in html and "Hasil kerja di bawah ekspektasi" in html
    assert Notification.select().where((Notification.recipient == proposal.employee_id)
                                       & (Notification.link == f"/tindak-lanjut/pembinaan/{plan.id}")).exists()


def test_accepting_a_reward_goes_to_the_reward_proposal(client, cast):
    ev = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.penilai)
    client.post(rate_url(ev), data={"action": "approve", "result_rating": "above", "behaviour_rating": "above"})
    reward = FollowUp.get((FollowUp.evaluation == ev.id) & (FollowUp.kind == "reward"))
    response = client.post(f"/tindak-lanjut/usulan/{reward.id}/terima", data={})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/penghargaan-sanksi/usul?")
    assert f"pegawai={cast.worker.id}" in location and f"evaluasi={ev.id}" in location
    assert "kategori=penghargaan" in location
    assert FollowUp.get_by_id(reward.id).status == "accepted"


def test_the_evaluation_page_offers_the_plan_to_its_pejabat_penilai_only(client, cast):
    ev = FollowUp.get_by_id(demo_proposal().id).evaluation
    as_employee(client, cast.penilai)
    html = client.get(f"/kinerja/evaluasi/{ev.id}").get_data(as_text=True)
    assert "Buka rencana pembinaan" in html
    response = client.post(f"/tindak-lanjut/pembinaan/dari-evaluasi/{ev.id}", data={})
    assert response.status_code == 302 and "/tindak-lanjut/pembinaan/" in response.headers["Location"]
    as_employee(client, ev.employee)
    assert "Buka rencana pembinaan" not in client.get(f"/kinerja/evaluasi/{ev.id}").get_data(as_text=True)
    assert client.post(f"/tindak-lanjut/pembinaan/dari-evaluasi/{ev.id}", data={}).status_code == 403


# --- Denials -----------------------------------------------------------------------------

def _actions(proposal_id):
    return [f"/tindak-lanjut/usulan/{proposal_id}/{step}" for step in ("terima", "ubah", "tolak")]


def test_another_pejabat_penilai_an_employee_and_another_opd_admin_see_nothing(client, cast):
    proposal = demo_proposal()
    outsiders = [lambda: as_employee(client, holder("Kepala Bidang Pembinaan SD")),
                 lambda: as_employee(client, holder("Kepala UPTD Puskesmas Cibening")),
                 lambda: as_employee(client, proposal.employee),
                 lambda: as_user(client, make_admin_opd("DISDIK", "admin.disdik"))]
    for login in outsiders:
        login()
        assert client.get(f"/tindak-lanjut/usulan/{proposal.id}").status_code == 404
        for url in _actions(proposal.id):
            assert client.post(url, data={"reason": "x"}).status_code == 404
        assert f"usulan-{proposal.id}" not in client.get("/tindak-lanjut").get_data(as_text=True)
    assert FollowUp.get_by_id(proposal.id).status == "proposed"


def test_the_head_of_opd_and_admins_see_read_only(client, cast):
    proposal = demo_proposal()
    for login in (lambda: as_employee(client, cast.atasan), lambda: as_user(client, "admin.dinkes"),
                  lambda: as_user(client, "admin")):
        login()
        html = client.get("/tindak-lanjut").get_data(as_text=True)
        assert f'id="usulan-{proposal.id}"' in html and "Terima dan buka" not in html
        for url in _actions(proposal.id):
            assert client.post(url, data={"reason": "x"}).status_code == 403
    assert FollowUp.get_by_id(proposal.id).status == "proposed"


def test_anonymous_is_sent_to_login(client):
    for url in ("/tindak-lanjut", "/tindak-lanjut/usulan/1", "/tindak-lanjut/pembinaan/1",
                "/tindak-lanjut/pembinaan/pegawai/1", "/tindak-lanjut/pengaturan"):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert client.post("/tindak-lanjut/usulan/1/terima").status_code in (302, 400)
    assert client.get("/tindak-lanjut", headers=HX).status_code in (200, 401)


@pytest.mark.parametrize("url", ["/tindak-lanjut/usulan/99999999", "/tindak-lanjut/usulan/abc",
                                 "/tindak-lanjut/usulan/99999999999999999999999",
                                 "/tindak-lanjut/pembinaan/99999999", "/tindak-lanjut/pembinaan/pegawai/999999",
                                 "/tindak-lanjut/pembinaan/1/pdf", "/tindak-lanjut/usulan/1/entah"])
def test_odd_addresses_are_not_found(client, cast, url):
    as_employee(client, cast.penilai)
    assert client.get(url).status_code == 404


def test_odd_page_numbers(client, cast):
    as_employee(client, cast.penilai)
    for raw in ("-1", "abc", "999999999999", "\x00"):
        assert client.get("/tindak-lanjut", query_string={"page": raw}).status_code == 200


# --- The coaching plan -------------------------------------------------------------------

def _open_plan(client, cast):
    as_employee(client, cast.penilai)
    response = client.post(f"/tindak-lanjut/pembinaan/pegawai/{cast.worker.id}/buka", data={})
    assert response.status_code == 302
    return CoachingPlan.get(CoachingPlan.employee == cast.worker.id)


def test_coaching_for_offers_the_plan_then_leads_to_it(client, cast):
    as_employee(client, cast.penilai)
    html = client.get(f"/tindak-lanjut/pembinaan/pegawai/{cast.worker.id}").get_data(as_text=True)
    assert "Buka rencana pembinaan" in html
    plan = _open_plan(client, cast)
    response = client.get(f"/tindak-lanjut/pembinaan/pegawai/{cast.worker.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/pembinaan/{plan.id}")
    as_employee(client, cast.worker)
    assert client.get(f"/tindak-lanjut/pembinaan/pegawai/{cast.worker.id}").status_code == 302
    as_employee(client, holder("Kepala Bidang Pembinaan SD"))
    assert client.get(f"/tindak-lanjut/pembinaan/pegawai/{cast.worker.id}").status_code == 404
    assert client.post(f"/tindak-lanjut/pembinaan/pegawai/{cast.worker.id}/buka").status_code == 404


def test_the_plan_journey_in_place(client, cast):
    plan = _open_plan(client, cast)
    base = f"/tindak-lanjut/pembinaan/{plan.id}"
    bad = client.post(f"{base}/tindakan", data={"description": "Pelatihan", "owner": "employee",
                                                "due": "bukan tanggal"}, headers=HX)
    assert bad.status_code == 422 and "Pelatihan" in bad.get_data(as_text=True)
    ok = client.post(f"{base}/tindakan", data={"description": "Pelatihan SIMPUS", "owner": "employee",
                                               "due": "2026-11-26"}, headers=HX)
    assert ok.status_code == 200 and ok.get_data(as_text=True).lstrip().startswith('<article id="plan-actions">')
    assert client.post(f"{base}/pertemuan", data={"day": TODAY.isoformat(), "note": "Pertemuan pertama"},
                       headers=HX).status_code == 200
    assert client.post(f"{base}/kesenjangan", data={"gap": "Pencatatan terlambat"}).status_code == 302
    # The employee comments, changes their own action and agrees; they may not edit the plan.
    as_employee(client, cast.worker)
    html = client.get(base).get_data(as_text=True)
    assert "Pencatatan terlambat" in html and "Setujui rencana pembinaan" in html
    assert client.post(f"{base}/tindakan", data={"description": "x", "owner": "employee",
                                                 "due": "2026-12-01"}).status_code == 403
    assert client.post(f"{base}/tutup", data={"outcome": "membaik"}).status_code == 403
    action = plans.detail(plan).actions[0]
    assert client.post(f"{base}/tindakan/{action.id}/status", data={"status": "done"},
                       headers=HX).status_code == 200
    assert client.post(f"{base}/tanggapan", data={"body": "Saya setuju"}, headers=HX).status_code == 200
    ack = client.post(f"{base}/setujui", data={}, headers=HX)
    assert ack.status_code == 200 and "Disetujui pegawai" in ack.get_data(as_text=True)
    assert client.post(f"{base}/setujui", data={}).status_code == 403
    # The PDF reads back.
    pdf = client.get(f"{base}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "RENCANA PEMBINAAN" in text and "Pelatihan SIMPUS" in text and "Pencatatan terlambat" in text
    # The Atasan sees everything; admins only the status; outsiders nothing.
    as_employee(client, cast.atasan)
    assert "Pencatatan terlambat" in client.get(base).get_data(as_text=True)
    assert client.post(f"{base}/tanggapan", data={"body": "x"}).status_code == 403
    for username in ("admin", "admin.dinkes"):
        as_user(client, username)
        html = client.get(base).get_data(as_text=True)
        assert "Berjalan" in html and "Pencatatan terlambat" not in html and "Pertemuan pertama" not in html
        assert client.get(f"{base}/pdf").status_code == 403
    as_user(client, make_admin_opd("DISDIK", "admin.disdik"))
    assert client.get(base).status_code == 404
    as_employee(client, holder("Kepala UPTD Puskesmas Cibening"))
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/tanggapan", data={"body": "x"}).status_code == 404
    # The Pejabat Penilai closes it.
    as_employee(client, cast.penilai)
    assert client.post(f"{base}/tutup", data={"outcome": "entah"}).status_code == 422
    assert client.post(f"{base}/tutup", data={"outcome": "membaik", "note": "Tepat waktu"}).status_code == 302
    assert CoachingPlan.get_by_id(plan.id).outcome == "membaik"


def test_the_employee_beranda_shows_the_open_plan(client, cast):
    plan = _open_plan(client, cast)
    as_employee(client, cast.worker)
    html = client.get("/").get_data(as_text=True)
    assert f"/tindak-lanjut/pembinaan/{plan.id}" in html and "baca dan setujui" in html


def test_settings_for_the_admin_bkpsdm_only(client, cast):
    for login in (lambda: as_user(client, "admin.dinkes"), lambda: as_employee(client, cast.penilai)):
        login()
        assert client.get("/tindak-lanjut/pengaturan").status_code == 403
        assert client.post("/tindak-lanjut/pengaturan", data={}).status_code == 403
    as_user(client, "admin")
    html = client.get("/tindak-lanjut/pengaturan").get_data(as_text=True)
    assert checked(html, "m__sangat_baik__reward") and not checked(html, "m__baik__coaching")
    response = client.post("/tindak-lanjut/pengaturan", data={"m__baik__coaching": "y"})
    assert response.status_code == 302
    html = client.get("/tindak-lanjut/pengaturan").get_data(as_text=True)
    assert checked(html, "m__baik__coaching") and not checked(html, "m__sangat_baik__reward")


def test_the_regency_may_let_admins_see_the_plan(client, cast):
    plan = _open_plan(client, cast)
    client.post(f"/tindak-lanjut/pembinaan/{plan.id}/kesenjangan", data={"gap": "Laporan terlambat"})
    as_user(client, "admin.dinkes")
    assert "Laporan terlambat" not in client.get(f"/tindak-lanjut/pembinaan/{plan.id}").get_data(as_text=True)
    as_user(client, "admin")
    assert client.post("/tindak-lanjut/pengaturan", data={"admins_see_notes": "y",
                                                         "m__butuh_perbaikan__coaching": "y"}).status_code == 302
    as_user(client, "admin.dinkes")
    assert "Laporan terlambat" in client.get(f"/tindak-lanjut/pembinaan/{plan.id}").get_data(as_text=True)
    assert client.get(f"/tindak-lanjut/pembinaan/{plan.id}/pdf").status_code == 200
    assert client.post(f"/tindak-lanjut/pembinaan/{plan.id}/kesenjangan", data={"gap": "x"}).status_code == 403


def checked(html, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return " checked" in tag


def test_the_improvement_period_and_its_next_steps(client, cast):
    from ..support.evaluation import PDF
    ev = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.penilai)
    client.post(rate_url(ev), data={"action": "approve", "result_rating": "below", "behaviour_rating": "below"})
    improvement = FollowUp.get((FollowUp.evaluation == ev.id) & (FollowUp.kind == "improvement_period"))
    response = client.post(f"/tindak-lanjut/usulan/{improvement.id}/terima", data={})
    plan = CoachingPlan.get(CoachingPlan.employee == cast.worker.id)
    assert response.headers["Location"].endswith(f"/tindak-lanjut/pembinaan/{plan.id}")
    assert plan.improvement_starts == TODAY and plan.improvement_ends.isoformat() == "2027-05-24"
    base = f"/tindak-lanjut/pembinaan/{plan.id}"
    step = {"kind": "competency_retest", "step_date": "2027-06-01", "sk_number": "800/12/BKPSDM/2027"}
    # Not before the period is closed as not improved.
    assert client.post(f"{base}/langkah", data=step).status_code == 409
    assert client.post(f"{base}/tutup", data={"outcome": "belum_membaik"}).status_code == 302
    script = client.post(f"{base}/langkah", data={**step, "document": (io.BytesIO(b"#!/bin/sh\nrm -rf /"), "sk.pdf")},
                         content_type="multipart/form-data")
    assert script.status_code == 422 and "800/12/BKPSDM/2027" in script.get_data(as_text=True)
    ok = client.post(f"{base}/langkah", data={**step, "document": (io.BytesIO(PDF), "sk.pdf")},
                     content_type="multipart/form-data")
    assert ok.status_code == 302
    recorded = FollowUp.get((FollowUp.plan == plan.id) & (FollowUp.kind == "competency_retest"))
    assert recorded.sk_number == "800/12/BKPSDM/2027" and recorded.filename == "sk.pdf"
    html = client.get(base).get_data(as_text=True)
    assert "Uji kompetensi kembali" in html and "1 Juni 2027" in html
    document = f"{base}/langkah/{recorded.id}/dokumen"
    assert client.get(document).data == PDF
    as_user(client, "admin.dinkes")
    assert client.get(document).status_code == 404
    as_employee(client, cast.worker)
    assert client.post(f"{base}/langkah", data=step).status_code == 403
    # The steps are not proposals waiting in anyone's list.
    as_employee(client, cast.penilai)
    assert f"usulan-{recorded.id}" not in client.get("/tindak-lanjut").get_data(as_text=True)


# --- Whatever is sent, never a 500; the list's queries do not grow ------------------------

_text = st.text(max_size=40)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changed_to=_text, note=_text, reason=_text)
def test_no_decision_input_gives_a_500(client, cast, changed_to, note, reason):
    proposal = FollowUp.select().order_by(FollowUp.id).first()  # decided or not
    as_employee(client, cast.penilai)
    changed = client.post(f"/tindak-lanjut/usulan/{proposal.id}/ubah", headers=HX,
                          data={"changed_to": changed_to, "note": note})
    assert changed.status_code in (200, 409, 422)
    dismissed = client.post(f"/tindak-lanjut/usulan/{proposal.id}/tolak", data={"reason": reason})
    assert dismissed.status_code in (302, 409, 422)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(description=_text, owner=_text, due=_text, day=_text, body=_text, outcome=_text, status=_text)
def test_no_plan_input_gives_a_500(client, cast, description, owner, due, day, body, outcome, status):
    plan = CoachingPlan.get_or_none(CoachingPlan.employee == cast.worker.id) or _open_plan(client, cast)
    as_employee(client, cast.penilai)
    base = f"/tindak-lanjut/pembinaan/{plan.id}"
    for url, data in ((f"{base}/tindakan", {"description": description, "owner": owner, "due": due}),
                      (f"{base}/pertemuan", {"day": day, "note": body}),
                      (f"{base}/tanggapan", {"body": body}),
                      (f"{base}/kesenjangan", {"gap": body})):
        assert client.post(url, data=data, headers=HX).status_code in (200, 422)
    assert client.post(f"{base}/tindakan/1/status", data={"status": status}).status_code in (302, 403, 409, 422)
    assert client.post(f"{base}/tutup", data={"outcome": outcome}).status_code in (302, 409, 422)


def test_the_list_runs_the_same_queries_whatever_the_number_of_proposals(client, cast, in_db):
    as_employee(client, cast.penilai)
    few, _ = counted_get(client, "/tindak-lanjut")

    def more():
        proposal = demo_proposal()
        for kind in ("reward", "talent_pool", "practice_invite", "discipline_referral"):
            FollowUp.create(employee=proposal.employee_id, evaluation=proposal.evaluation_id,
                            appraiser=proposal.appraiser_id, unit=proposal.unit_id, kind=kind,
                            predikat=proposal.predikat)
    in_db(more)
    many, html = counted_get(client, "/tindak-lanjut")
    assert html.count('class="rhk" id="usulan-') == 5 and many == few


def test_the_plan_shows_the_training_completed_since_it_opened(client, cast, in_db):
    import datetime
    from kinerja.models import TrainingRecord
    plan = _open_plan(client, cast)

    def trainings():
        for title, ends in (("Pelatihan SIMPUS", TODAY + datetime.timedelta(days=2)),
                            ("Pelatihan lama", TODAY - datetime.timedelta(days=200))):
            TrainingRecord.create(employee=cast.worker.id, title=title, kind="klasikal", starts=ends,
                                  ends=ends, year=ends.year, hours=8)
    in_db(trainings)
    as_employee(client, cast.worker)
    card = client.get(f"/tindak-lanjut/pembinaan/{plan.id}").get_data(as_text=True)
    assert "Pelatihan SIMPUS" in card and "8 JP" in card and "Pelatihan lama" not in card
    as_user(client, "admin.dinkes")
    assert "Pelatihan SIMPUS" not in client.get(f"/tindak-lanjut/pembinaan/{plan.id}").get_data(as_text=True)
