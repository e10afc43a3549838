"""Evaluation views: the employee's periodic evaluation, rating by the Pejabat Penilai, objections
and decisions — with every denial."""
import datetime
import re
from decimal import Decimal

import pytest

from kinerja import clock
from kinerja.models import (
    Evaluation, Notification, Objection, ProgressEntry, Rhk,
)
from kinerja.rules import evaluation as rules

from ..support.evaluation import (
    YEAR, as_employee, as_user, evaluation_of, make_admin_opd,
)
from ..support.org import HX, audit_rows, fresh

from ..support.evaluation import (CURRENT, LAST, approve, first_indicator, own_url,
                                 rate_url, record)


# --- The employee's periodic evaluation -----------------------------------------------------


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
