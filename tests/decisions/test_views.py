"""Views of the ledger: proposing (prefilled from the follow-up's link), BKPSDM's queue with
approval and refusal in place, withdrawal, the document, the honour page — with every denial
and odd input."""
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kinerja.models import PersonnelDecision
from kinerja.rules import decisions as rules
from kinerja.stores import decisions as store

from ..support.app import TODAY
from ..support.evaluation import PDF, as_employee, as_user, make_admin_opd
from ..support import counted_get
from ..support.org import HX, fresh
from .support import APPROVE, account, admin, outsider, prefixed, rated

URL = "/penghargaan-sanksi"


def _proposal(cast, kind="piagam", category="penghargaan"):
    return store.propose(account(cast.penilai), cast.worker.id, category, kind, "Kinerja sangat baik")


def _post_proposal(client, cast, **data):
    form = {"employee": str(cast.worker.id), "category": "penghargaan", "kind": "piagam",
            "basis": "Predikat Sangat Baik triwulan III"}
    form.update(data)
    return client.post(f"{URL}/usul?pegawai={cast.worker.id}", data=form)


# --- Proposing -------------------------------------------------------------------------------

def test_the_follow_up_link_prefills_the_proposal(client, cast):
    evaluation = rated(cast.worker)
    as_employee(client, cast.penilai)
    response = client.get(f"{URL}/usul?pegawai={cast.worker.id}&evaluasi={evaluation.id}&kategori=penghargaan")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<option selected value="{cast.worker.id}">' in html
    assert re.search(r'<input checked[^>]*value="penghargaan"', html)
    assert f'name="evaluation" type="hidden" value="{evaluation.id}"' in html
    assert "tidak dijatuhkan" in html and "Predikat" in html


def test_the_pejabat_penilai_proposes_and_it_waits_for_bkpsdm(client, cast):
    evaluation = rated(cast.worker)
    as_employee(client, cast.penilai)
    response = client.post(f"{URL}/usul?pegawai={cast.worker.id}&evaluasi={evaluation.id}",
                           data={"employee": str(cast.worker.id), "category": "penghargaan",
                                 "kind": "piagam", "basis": "Predikat Sangat Baik",
                                 "evaluation": str(evaluation.id), "public": "y"})
    decision = PersonnelDecision.select().order_by(PersonnelDecision.id.desc()).first()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{URL}/{decision.id}")
    assert decision.evaluation_id == evaluation.id and decision.status == rules.PROPOSED
    page = client.get(f"{URL}/{decision.id}").get_data(as_text=True)
    assert "Menunggu keputusan BKPSDM" in page and "Tarik usulan" in page


def test_the_head_of_the_opd_proposes_a_sanction(client, cast):
    as_employee(client, cast.atasan)
    response = _post_proposal(client, cast, category="sanksi", kind="teguran_tertulis")
    assert response.status_code == 302
    assert PersonnelDecision.get(PersonnelDecision.kind == "teguran_tertulis").proposer_id == account(cast.atasan).id


@pytest.mark.parametrize("data, message", [
    ({"basis": ""}, "Tuliskan dasar usulan"),
    ({"category": "sanksi"}, "Jenis tidak sesuai"),
    ({"category": "lainnya"}, "Pilihan tidak sah"),
    ({"kind": "hukuman_mati"}, "Pilih jenis dari daftar"),
    ({"basis": "ada\x00nul"}, "karakter"),
    ({"employee": "abc"}, "Pilihan tidak sah"),
    ({"employee": str(10**30)}, "Pilihan tidak sah"),
])
def test_bad_input_is_answered_beside_its_field_and_kept(client, cast, data, message):
    as_employee(client, cast.penilai)
    before = PersonnelDecision.select().count()
    response = _post_proposal(client, cast, **data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    if "basis" not in data:
        assert "Predikat Sangat Baik triwulan III" in html
    assert PersonnelDecision.select().count() == before


def test_proposing_for_someone_of_another_team_posted_in_the_form_is_refused(client, cast):
    as_employee(client, cast.penilai)
    response = client.post(f"{URL}/usul", data={"employee": str(outsider().id), "category": "penghargaan",
                                                 "kind": "piagam", "basis": "x"})
    assert response.status_code == 422 and rules.NOT_A_PROPOSER in response.get_data(as_text=True)


@pytest.mark.parametrize("who, query, code", [
    ("planless", "", 403),                      # a pegawai with nobody to appraise
    ("planless", "?pegawai={worker}", 403),     # a colleague
    ("penilai", "?pegawai={outsider}", 403),    # the Pejabat Penilai of someone else
    ("penilai", "?pegawai={penilai}", 403),     # themselves
    ("penilai", "?pegawai=abc", 404),
    ("penilai", "?pegawai=99999999999999999999999", 404),
    ("penilai", "?pegawai={worker}&evaluasi={other_eval}", 404),  # not the employee's evaluation
    ("penilai", "?pegawai={worker}&evaluasi=x", 404),
    ("penilai", "?evaluasi={own_eval}", 404),   # an evaluation without its employee
    ("admin", "", 403),                         # BKPSDM decides, it does not propose
    ("admin_opd", "?pegawai={worker}", 403),
])
def test_who_may_not_propose(client, cast, accounts, who, query, code):
    values = {"worker": cast.worker.id, "outsider": outsider().id, "penilai": cast.penilai.id,
              "other_eval": rated(cast.objector).id, "own_eval": rated(cast.worker).id}
    if who in ("admin", "admin_opd"):
        as_user(client, accounts[who])
    else:
        as_employee(client, getattr(cast, who))
    url = f"{URL}/usul" + query.format(**values)
    assert client.get(url).status_code == code
    assert client.post(url, data={"employee": str(cast.worker.id), "category": "penghargaan",
                                  "kind": "piagam", "basis": "x"}).status_code == code


def test_anonymous_visitors_are_sent_to_log_in(client, cast):
    decision = _proposal(cast)
    for url in (f"{URL}/", f"{URL}/usul", f"{URL}/{decision.id}", f"{URL}/penghargaan",
                f"{URL}/{decision.id}/dokumen"):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert client.post(f"{URL}/{decision.id}/setujui", data=prefixed(decision, APPROVE),
                       headers=HX).status_code == 401
    assert fresh(decision).status == rules.PROPOSED


# --- BKPSDM's queue --------------------------------------------------------------------------

def test_the_queue_shows_waiting_proposals_oldest_first_with_their_forms(client, cast, accounts):
    first, second = _proposal(cast), _proposal(cast, "usulan_promosi")
    as_user(client, accounts["admin"])
    response = client.get(f"{URL}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert html.index(f'id="decision-{first.id}"') < html.index(f'id="decision-{second.id}"')
    assert f'name="d{first.id}-sk_number"' in html and "Simpan pengaturan" in html


def test_bkpsdm_approves_in_place_with_the_sk_and_a_document(client, cast, accounts):
    decision = _proposal(cast)
    as_user(client, accounts["admin"])
    data = prefixed(decision, {**APPROVE, "public": "y", "document": (io.BytesIO(PDF), "sk.pdf")})
    response = client.post(f"{URL}/{decision.id}/setujui", data=data, headers=HX,
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith(f'<article id="decision-{decision.id}"')
    assert "800.1.12/77/BKPSDM/2026" in html and "20 November 2026" in html and "dokumen SK" in html
    assert "decision-changed" in response.headers["HX-Trigger"]
    row = fresh(decision)
    assert row.status == rules.APPROVED and row.public and row.document_name == "sk.pdf"
    document = client.get(f"{URL}/{decision.id}/dokumen")
    assert document.status_code == 200 and document.data == PDF
    assert document.headers["Cache-Control"] == "private, no-store"
    # The employee now sees it, and hears of it.
    as_employee(client, cast.worker)
    assert "800.1.12/77/BKPSDM/2026" in client.get(f"{URL}/").get_data(as_text=True)
    assert client.get(f"{URL}/{decision.id}/dokumen").status_code == 200


def test_approving_without_the_sk_keeps_what_was_typed(client, cast, accounts):
    decision = _proposal(cast)
    as_user(client, accounts["admin"])
    response = client.post(f"{URL}/{decision.id}/setujui", headers=HX,
                           data=prefixed(decision, {"sk_number": "", "sk_date": "2026-11-20",
                                                    "valid_from": "2026-12-01", "valid_until": "2026-01-01"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nomor SK wajib diisi." in html and 'value="2026-11-20"' in html
    response = client.post(f"{URL}/{decision.id}/setujui", headers=HX,
                           data=prefixed(decision, {"sk_number": "SK 1", "sk_date": "2026-11-20",
                                                    "valid_from": "2026-12-01", "valid_until": "2026-01-01"}))
    assert response.status_code == 422 and "tidak boleh sebelum" in response.get_data(as_text=True)
    assert fresh(decision).status == rules.PROPOSED


@pytest.mark.parametrize("content, name, message", [
    (b"MZ\x90\x00 not a pdf", "sk.pdf", "bukan PDF yang sah"),
    (b"\x89PNG\r\n\x1a\n....", "sk.png", "harus berupa PDF"),
    (b"", "sk.pdf", None),  # an empty file part is no document: the approval goes on without
])
def test_a_bad_upload_is_refused_beside_its_field(client, cast, accounts, content, name, message):
    decision = _proposal(cast)
    as_user(client, accounts["admin"])
    data = prefixed(decision, {**APPROVE, "document": (io.BytesIO(content), name)})
    response = client.post(f"{URL}/{decision.id}/setujui", data=data, headers=HX,
                           content_type="multipart/form-data")
    if message is None:
        assert response.status_code in (200, 422)
        return
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert fresh(decision).status == rules.PROPOSED and not fresh(decision).document_stored


def test_an_oversized_upload_is_refused_by_its_declared_size(app, client, cast, accounts):
    app.config["EVIDENCE_MAX_BYTES"] = 1000
    decision = _proposal(cast)
    as_user(client, accounts["admin"])
    data = prefixed(decision, {**APPROVE, "document": (io.BytesIO(PDF + b"0" * 200_000), "sk.pdf")})
    response = client.post(f"{URL}/{decision.id}/setujui", data=data, headers=HX,
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "melebihi" in response.get_data(as_text=True)


def test_bkpsdm_rejects_with_a_reason(client, cast, accounts):
    decision = _proposal(cast)
    as_user(client, accounts["admin"])
    response = client.post(f"{URL}/{decision.id}/tolak", headers=HX, data=prefixed(decision, {"reason": ""}))
    assert response.status_code == 422 and "Tuliskan alasan penolakan." in response.get_data(as_text=True)
    response = client.post(f"{URL}/{decision.id}/tolak", headers=HX,
                           data=prefixed(decision, {"reason": "Belum ada SK kepala daerah"}))
    assert response.status_code == 200 and "Belum ada SK kepala daerah" in response.get_data(as_text=True)
    assert fresh(decision).status == rules.REJECTED
    # Decided: a second decision is a conflict, not a 500.
    assert client.post(f"{URL}/{decision.id}/setujui", data=prefixed(decision, APPROVE)).status_code == 409


def test_a_plain_form_approval_redirects_to_the_entry(client, cast, accounts):
    decision = _proposal(cast)
    as_user(client, accounts["admin"])
    response = client.post(f"{URL}/{decision.id}/setujui", data=prefixed(decision, APPROVE))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{URL}/{decision.id}")


def test_the_admin_opd_reads_their_ledger_but_does_not_decide(client, cast, accounts):
    decision = _proposal(cast)
    as_user(client, accounts["admin_opd"])
    html = client.get(f"{URL}/").get_data(as_text=True)
    assert f'id="decision-{decision.id}"' in html and "sk_number" not in html
    assert client.get(f"{URL}/{decision.id}").status_code == 200
    assert client.post(f"{URL}/{decision.id}/setujui", data=prefixed(decision, APPROVE)).status_code == 403
    assert client.post(f"{URL}/{decision.id}/tolak", data=prefixed(decision, {"reason": "x"})).status_code == 403
    assert client.post(f"{URL}/pengaturan", data={"enabled": ""}).status_code == 403
    assert fresh(decision).status == rules.PROPOSED


def test_another_opds_admin_and_colleagues_see_nothing(client, cast):
    decision = _proposal(cast)
    store.approve(admin(), decision.id, "SK 9", TODAY, None, None)
    as_user(client, make_admin_opd("DISDIK", "admin.disdik"))
    assert f'decision-{decision.id}' not in client.get(f"{URL}/").get_data(as_text=True)
    for url in (f"{URL}/{decision.id}", f"{URL}/{decision.id}/dokumen", f"{URL}/999999"):
        assert client.get(url).status_code == 404
    as_employee(client, cast.objector)
    assert client.get(f"{URL}/{decision.id}").status_code == 404
    assert client.post(f"{URL}/{decision.id}/tarik").status_code == 404


def test_the_employee_does_not_see_a_proposal_before_it_is_decided(client, cast):
    decision = _proposal(cast)
    as_employee(client, cast.worker)
    assert client.get(f"{URL}/{decision.id}").status_code == 404
    assert f"decision-{decision.id}" not in client.get(f"{URL}/").get_data(as_text=True)


def test_the_proposer_withdraws_in_place_and_nobody_else(client, cast):
    decision = _proposal(cast)
    as_employee(client, cast.atasan)  # the head of the OPD, but not the proposer
    assert client.post(f"{URL}/{decision.id}/tarik").status_code == 404
    as_employee(client, cast.penilai)
    response = client.post(f"{URL}/{decision.id}/tarik", headers=HX)
    assert response.status_code == 200 and "Ditarik pengusul" in response.get_data(as_text=True)
    assert fresh(decision).status == rules.WITHDRAWN
    assert client.post(f"{URL}/{decision.id}/tarik").status_code == 409


# --- The honour page -------------------------------------------------------------------------

def test_the_honour_page_lists_this_years_public_rewards(client, cast, accounts):
    shown = PersonnelDecision.get((PersonnelDecision.status == "disetujui") & PersonnelDecision.public)
    as_employee(client, cast.planless)
    response = client.get(f"{URL}/penghargaan")
    assert response.status_code == 200 and shown.employee.full_name in response.get_data(as_text=True)
    assert client.post(f"{URL}/pengaturan", data={"enabled": "y"}).status_code == 403
    as_user(client, accounts["admin"])
    assert client.post(f"{URL}/pengaturan", data={}).status_code == 302
    assert not store.honour_page_on()
    as_employee(client, cast.planless)
    assert client.get(f"{URL}/penghargaan").status_code == 404


def test_the_ledger_page_runs_a_constant_number_of_queries(client, cast, accounts):
    as_user(client, accounts["admin"])
    _proposal(cast)
    few, _ = counted_get(client, f"{URL}/")
    for kind in ("usulan_promosi", "finansial", "prioritas_pengembangan"):
        store.approve(admin(), _proposal(cast, kind).id, "SK", TODAY, None, None)
        _proposal(cast)
    many, html = counted_get(client, f"{URL}/")
    assert html.count('class="decision"') >= 4 and many == few


_text = st.text(max_size=40)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(employee=_text, category=_text, kind=_text, basis=_text, evaluation=_text, query=_text)
def test_no_proposal_input_gives_a_500(client, cast, employee, category, kind, basis, evaluation, query):
    as_employee(client, cast.penilai)
    response = client.post(f"{URL}/usul", query_string={"pegawai": query, "evaluasi": evaluation,
                                                        "kategori": category},
                           data={"employee": employee, "category": category, "kind": kind,
                                 "basis": basis, "evaluation": evaluation})
    assert response.status_code in (302, 403, 404, 422)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=_text, sk_date=_text, valid_from=_text, valid_until=_text, reason=_text)
def test_no_decision_input_gives_a_500(client, cast, accounts, number, sk_date, valid_from,
                                       valid_until, reason):
    decision = _proposal(cast)
    as_user(client, accounts["admin"])
    response = client.post(f"{URL}/{decision.id}/setujui", headers=HX, data=prefixed(decision, {
        "sk_number": number, "sk_date": sk_date, "valid_from": valid_from, "valid_until": valid_until}))
    assert response.status_code in (200, 422)
    response = client.post(f"{URL}/{decision.id}/tolak", headers=HX,
                           data=prefixed(decision, {"reason": reason}))
    assert response.status_code in (200, 409, 422)
