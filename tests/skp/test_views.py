"""SKP planning pages: drafting in the page, submission, the Pejabat Penilai's decision,
revisions, overviews, the printed plan, years and goals — and every denial."""
import io
import re

import pytest
from pypdf import PdfReader

from kinerja.models import (
    AuditLog, BehaviourExpectation, Indicator, OrgGoal, PerformanceYear, Rhk,
    Skp, SkpDecision, Unit, User,
)
from kinerja.rules import DomainError
from kinerja.stores.skp import content as skp_content
from kinerja.stores.skp import workflow as skp_workflow

from ..support.app import login
from ..support import counted_get
from ..support.skp import YEAR, holder
from ..support import HX



def login_as(client, q, key, index=0):
    nip = q(lambda: holder(key, index).nip)
    client.post("/keluar")
    assert login(client, nip).status_code == 302
    return client


def new_plan(client, copy=False):
    data = {"year": str(YEAR), "approach": "kuantitatif"}
    if copy:
        data["copy_previous"] = "y"
    response = client.post("/skp/baru", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def kapus_rhk_id(q):
    return q(lambda: Rhk.select().join(Skp).where((Skp.employee == holder("kapus-skm").id)
                                                   & (Skp.year == YEAR) & (Skp.status == "approved"))
             .order_by(Rhk.order).first().id)


def rhk_data(q, text="Terlaksananya asuhan keperawatan", parent=True, **indicator):
    data = {"text": text, "parent": str(kapus_rhk_id(q)) if parent else "", "op": "save",
            "indicators-0-aspect": "kuantitas", "indicators-0-text": "Jumlah pasien dilayani",
            "indicators-0-target_min": "2.400", "indicators-0-target_max": "",
            "indicators-0-target_unit": "pasien"}
    data.update({f"indicators-0-{k}": v for k, v in indicator.items()})
    return data


def add_rhk(client, q, skp_id, kind="utama", **kw):
    response = client.post(f"/skp/{skp_id}/rhk?jenis={kind}", data=rhk_data(q, **kw), headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response


def ready_plan(client, q):
    """The demo employee's plan with two Utama RHK, submitted."""
    skp_id = new_plan(client)
    add_rhk(client, q, skp_id, text="Terlaksananya asuhan keperawatan")
    add_rhk(client, q, skp_id, text="Terlaksananya kunjungan rumah keluarga rawan")
    assert client.post(f"/skp/{skp_id}/ajukan").status_code == 302
    return skp_id


def audit_actions(q, entity, entity_id):
    return q(lambda: [a.action for a in AuditLog.select().where((AuditLog.entity == entity)
                                                                 & (AuditLog.entity_id == entity_id))
                      .order_by(AuditLog.id)])


# --- demo data ------------------------------------------------------------------------

def test_demo_has_every_state_and_the_demo_roles_are_ready(q):
    statuses = q(lambda: {s for (s,) in Skp.select(Skp.status).where(Skp.year == YEAR).tuples()})
    assert {"draft", "submitted", "returned", "approved", "superseded"} <= statuses
    assert q(lambda: Skp.select().where((Skp.employee == holder("perawat-skm").id) & (Skp.year == YEAR)).count()) == 0
    assert q(lambda: Skp.approved_for(holder("kapus-skm").id, YEAR)) is not None
    assert q(lambda: Skp.select().where((Skp.appraiser == holder("kapus-skm").id)
                                        & (Skp.status == "submitted")).count()) >= 2
    year = q(lambda: PerformanceYear.get_by_id(YEAR))
    assert (year.evaluation_cadence, year.objection_days, year.skp_deadline.month) == ("triwulanan", 14, 1)


# --- drafting ------------------------------------------------------------------------

def test_employee_creates_a_draft_with_audit_and_appraiser_snapshot(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    skp = q(lambda: Skp.get_by_id(skp_id))
    assert (skp.status, skp.revision, skp.appraiser_id) == ("draft", 1, q(lambda: holder("kapus-skm").id))
    assert skp.position_name == "Perawat Ahli Pertama"
    assert audit_actions(q, "skp", skp_id) == ["create"]
    page = client.get(f"/skp/{skp_id}").get_data(as_text=True)
    assert "Berorientasi Pelayanan" in page and "Menggerakkan pemanfaatan berbagai sumber daya" in page
    assert "SKP harus memiliki paling sedikit satu RHK Utama." in page
    # a second plan for the same year is refused
    assert client.post("/skp/baru", data={"year": str(YEAR), "approach": "kuantitatif"}).status_code == 422


def test_start_from_last_years_plan(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client, copy=True)
    texts = q(lambda: [(r.text, r.parent_id) for r in Rhk.select().where(Rhk.skp == skp_id).order_by(Rhk.order)])
    assert texts[0] == ("Terlaksananya asuhan keperawatan pasien rawat jalan sesuai standar", None)
    assert q(lambda: Indicator.select().join(Rhk).where(Rhk.skp == skp_id).count()) >= 3


def test_rhk_is_added_in_the_page_and_bad_input_keeps_what_was_typed(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    form = client.get(f"/skp/{skp_id}/rhk/baru?jenis=utama", headers=HX).get_data(as_text=True)
    assert 'id="rhk-form-new-utama"' in form and "<html" not in form
    bad = rhk_data(q, text="", parent=False, target_unit="", target_min="dua")
    response = client.post(f"/skp/{skp_id}/rhk?jenis=utama", data=bad, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Rencana Hasil Kerja wajib diisi." in body
    assert "Pilih RHK Pejabat Penilai yang diintervensi." in body
    assert "Target harus berupa angka" in body
    assert "Satuan target wajib diisi" in body
    assert 'value="Jumlah pasien dilayani"' not in body and "Jumlah pasien dilayani" in body  # textarea keeps it
    assert 'value="dua"' in body
    assert q(lambda: Rhk.select().where(Rhk.skp == skp_id).count()) == 0
    response = add_rhk(client, q, skp_id)
    assert response.headers["HX-Trigger"] and "skpChanged" in response.headers["HX-Trigger"]
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="rhk-list-utama"') and "2.400 pasien" in body
    rhk = q(lambda: Rhk.get(Rhk.skp == skp_id))
    assert rhk.parent_id == kapus_rhk_id(q)
    assert audit_actions(q, "rhk", rhk.id) == ["create"]


def test_indicators_are_added_and_removed_in_the_form_without_saving(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    data = rhk_data(q, op="add_indicator")
    data["op"] = "add_indicator"
    body = client.post(f"/skp/{skp_id}/rhk?jenis=utama", data=data, headers=HX).get_data(as_text=True)
    assert 'name="indicators-1-text"' in body and "Hapus indikator 2" in body
    data.update({"op": "remove_indicator-0", "indicators-1-aspect": "waktu", "indicators-1-text": "Tepat waktu",
                 "indicators-1-target_min": "12", "indicators-1-target_unit": "bulan"})
    body = client.post(f"/skp/{skp_id}/rhk?jenis=utama", data=data, headers=HX).get_data(as_text=True)
    assert "Tepat waktu" in body and "Jumlah pasien dilayani" not in body
    assert q(lambda: Rhk.select().where(Rhk.skp == skp_id).count()) == 0


def test_rhk_edit_reorder_delete_and_tambahan(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    add_rhk(client, q, skp_id, text="Pertama")
    add_rhk(client, q, skp_id, text="Kedua")
    add_rhk(client, q, skp_id, kind="tambahan", text="Menjadi narasumber", parent=False)
    first, second = q(lambda: [r.id for r in Rhk.select().where((Rhk.skp == skp_id) & (Rhk.kind == "utama")).order_by(Rhk.order)])
    edit = client.get(f"/skp/{skp_id}/rhk/{first}/ubah", headers=HX).get_data(as_text=True)
    assert f'id="rhk-{first}"' in edit and 'value="2400"' in edit
    data = rhk_data(q, text="Pertama diubah", target_min="2500")
    body = client.post(f"/skp/{skp_id}/rhk/{first}", data=data, headers=HX).get_data(as_text=True)
    assert body.lstrip().startswith(f'<article id="rhk-{first}"') and "Pertama diubah" in body and "2.500 pasien" in body
    body = client.post(f"/skp/{skp_id}/rhk/{second}/geser", data={"arah": "naik"}, headers=HX).get_data(as_text=True)
    assert body.index("Kedua") < body.index("Pertama diubah")
    assert client.post(f"/skp/{skp_id}/rhk/{second}/geser", data={"arah": "samping"}).status_code == 400
    body = client.post(f"/skp/{skp_id}/rhk/{first}/hapus", headers=HX).get_data(as_text=True)
    assert "Pertama diubah" not in body and "Kedua" in body
    assert audit_actions(q, "rhk", first) == ["create", "update", "delete"]
    tambahan = q(lambda: Rhk.get((Rhk.skp == skp_id) & (Rhk.kind == "tambahan")))
    assert tambahan.parent_id is None and tambahan.text == "Menjadi narasumber"


def test_approach_and_appendix_change_in_the_page(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    response = client.post(f"/skp/{skp_id}/pendekatan", data={"approach": "kualitatif"}, headers=HX)
    assert response.status_code == 200 and 'id="hasil-kerja"' in response.get_data(as_text=True)
    assert q(lambda: Skp.get_by_id(skp_id).approach) == "kualitatif"
    assert client.post(f"/skp/{skp_id}/pendekatan", data={"approach": "acak"}, headers=HX).status_code == 422
    body = client.post(f"/skp/{skp_id}/lampiran/resources", data={"resources-text": ""}, headers=HX)
    assert body.status_code == 422 and "Uraian wajib diisi." in body.get_data(as_text=True)
    body = client.post(f"/skp/{skp_id}/lampiran/resources", data={"resources-text": "Laptop kerja"}, headers=HX)
    assert body.status_code == 200 and "Laptop kerja" in body.get_data(as_text=True)
    item = q(lambda: __import__("kinerja.models", fromlist=["SkpAppendixItem"]).SkpAppendixItem.get())
    assert client.post(f"/skp/{skp_id}/lampiran/consequences/{item.id}/hapus", headers=HX).status_code == 404
    body = client.post(f"/skp/{skp_id}/lampiran/resources/{item.id}/hapus", headers=HX).get_data(as_text=True)
    assert "Laptop kerja" not in body
    assert client.post(f"/skp/{skp_id}/lampiran/rahasia", data={"rahasia-text": "x"}).status_code == 404


def test_qualitative_target_is_one_text(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    client.post(f"/skp/{skp_id}/pendekatan", data={"approach": "kualitatif"})
    data = rhk_data(q, target_text="")
    response = client.post(f"/skp/{skp_id}/rhk?jenis=utama", data=data, headers=HX)
    assert response.status_code == 422 and "uraian target" in response.get_data(as_text=True)
    data["indicators-0-target_text"] = "Asuhan keperawatan terdokumentasi lengkap"
    assert client.post(f"/skp/{skp_id}/rhk?jenis=utama", data=data, headers=HX).status_code == 200
    ind = q(lambda: Indicator.select().join(Rhk).where(Rhk.skp == skp_id).get())
    assert (ind.target_min, ind.target_unit, ind.target_text) == (None, "", "Asuhan keperawatan terdokumentasi lengkap")


# --- submission and decision ------------------------------------------------------------

def test_submit_needs_a_complete_plan_then_locks_it(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    response = client.post(f"/skp/{skp_id}/ajukan")
    assert response.status_code == 422 and "SKP belum dapat diajukan" in response.get_data(as_text=True)
    add_rhk(client, q, skp_id)
    assert client.post(f"/skp/{skp_id}/ajukan").status_code == 302
    assert q(lambda: Skp.get_by_id(skp_id).status) == "submitted"
    assert audit_actions(q, "skp", skp_id) == ["create", "submit"]
    assert q(lambda: [d.action for d in SkpDecision.select().where(SkpDecision.skp == skp_id).order_by(SkpDecision.id)]) == ["created", "submitted"]
    rhk_id = q(lambda: Rhk.get(Rhk.skp == skp_id).id)
    for url in (f"/skp/{skp_id}/rhk?jenis=utama", f"/skp/{skp_id}/rhk/{rhk_id}", f"/skp/{skp_id}/rhk/{rhk_id}/hapus",
                f"/skp/{skp_id}/pendekatan", f"/skp/{skp_id}/ajukan", f"/skp/{skp_id}/lampiran/resources"):
        response = client.post(url, data=rhk_data(q))
        assert response.status_code == 403, url
    assert "sudah diajukan" in client.post(f"/skp/{skp_id}/ajukan").get_data(as_text=True)


def test_appraiser_returns_with_a_comment_on_one_rhk_and_employee_sees_it(client, as_role, q):
    as_role("pegawai")
    skp_id = ready_plan(client, q)
    first, second = q(lambda: [r.id for r in Rhk.select().where(Rhk.skp == skp_id).order_by(Rhk.order)])
    as_role("penilai")
    inbox = client.get("/skp/persetujuan").get_data(as_text=True)
    assert f'id="inbox-row-{skp_id}"' in inbox
    panel = client.get(f"/skp/{skp_id}/tinjau", headers=HX).get_data(as_text=True)
    assert f'name="rhk_comment-{second}"' in panel
    response = client.post(f"/skp/{skp_id}/keputusan", data={"decision": "return", "comment": ""}, headers=HX)
    assert response.status_code == 422 and "Tuliskan alasan pengembalian" in response.get_data(as_text=True)
    response = client.post(f"/skp/{skp_id}/keputusan", data={"decision": "return", f"rhk_comment-{first}": " "})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Tuliskan alasan pengembalian" in body and "<html" in body
    response = client.post(f"/skp/{skp_id}/keputusan", headers=HX, data={
        "decision": "return", "comment": "", f"rhk_comment-{second}": "Target kunjungan terlalu rendah."})
    assert response.status_code == 200
    assert "skpDecided" in response.headers["HX-Trigger"]
    body = response.get_data(as_text=True)
    assert f'<tr id="inbox-row-{skp_id}" hx-swap-oob="true">' in body and "Dikembalikan" in body
    assert "dikembalikan untuk diperbaiki" in body
    skp = q(lambda: Skp.get_by_id(skp_id))
    assert skp.status == "returned" and skp.decided_by_id is not None
    assert q(lambda: Rhk.get_by_id(second).review_comment) == "Target kunjungan terlalu rendah."
    assert q(lambda: Rhk.get_by_id(first).review_comment) == ""
    assert audit_actions(q, "skp", skp_id)[-1] == "return"
    counter = client.get("/skp/persetujuan/jumlah", headers=HX).get_data(as_text=True)
    assert 'data-count="' in counter
    as_role("pegawai")
    page = client.get(f"/skp/{skp_id}").get_data(as_text=True)
    article = page[page.index(f'id="rhk-{second}"'):]
    article = article[:article.index("</article>")]
    assert "Target kunjungan terlalu rendah." in article
    assert "Ajukan lagi" in page
    add = client.post(f"/skp/{skp_id}/rhk/{second}", data=rhk_data(q, text="Kunjungan rumah 150 keluarga"), headers=HX)
    assert add.status_code == 200
    assert client.post(f"/skp/{skp_id}/ajukan").status_code == 302
    history = client.get(f"/skp/{skp_id}").get_data(as_text=True)
    assert "Target kunjungan terlalu rendah." in history  # the history keeps the comment


def test_approval_locks_and_a_revision_goes_through_approval_again(client, as_role, q):
    as_role("pegawai")
    skp_id = ready_plan(client, q)
    as_role("penilai")
    response = client.post(f"/skp/{skp_id}/keputusan", data={"decision": "approve", "comment": "Lanjutkan."})
    assert response.status_code == 302
    assert q(lambda: Skp.get_by_id(skp_id).status) == "approved"
    assert audit_actions(q, "skp", skp_id)[-1] == "approve"
    assert client.post(f"/skp/{skp_id}/keputusan", data={"decision": "approve"}).status_code == 403
    as_role("pegawai")
    rhk_id = q(lambda: Rhk.select().where(Rhk.skp == skp_id).first().id)
    assert client.post(f"/skp/{skp_id}/rhk/{rhk_id}", data=rhk_data(q)).status_code == 403
    assert client.post(f"/skp/{skp_id}/revisi", data={"change_note": ""}).status_code == 422
    response = client.post(f"/skp/{skp_id}/revisi", data={"change_note": "Tambahan anggaran"})
    assert response.status_code == 302
    new_id = int(response.headers["Location"].split("/")[-1])
    assert client.post(f"/skp/{skp_id}/revisi", data={"change_note": "lagi"}).status_code == 403
    new_rhk = q(lambda: Rhk.select().where(Rhk.skp == new_id).order_by(Rhk.order).first())
    assert new_rhk.origin_id == rhk_id
    client.post(f"/skp/{new_id}/rhk/{new_rhk.id}", data=rhk_data(q, text="Asuhan keperawatan diperluas"), headers=HX)
    page = client.get(f"/skp/{new_id}").get_data(as_text=True)
    assert "Perubahan dibanding revisi 1" in page and "Asuhan keperawatan diperluas" in page
    assert client.post(f"/skp/{new_id}/ajukan").status_code == 302
    as_role("penilai")
    panel = client.get(f"/skp/{new_id}/tinjau", headers=HX).get_data(as_text=True)
    assert "Perubahan dibanding revisi 1" in panel
    client.post(f"/skp/{new_id}/keputusan", data={"decision": "approve"}, headers=HX)
    assert q(lambda: (Skp.get_by_id(skp_id).status, Skp.get_by_id(new_id).status)) == ("superseded", "approved")
    assert q(lambda: Skp.approved_for(holder("perawat-skm").id, YEAR).id) == new_id
    as_role("pegawai")
    old_page = client.get(f"/skp/{skp_id}").get_data(as_text=True)
    assert "Diganti revisi" in old_page and "ini bukan revisi terbaru" in old_page


def test_subordinates_links_follow_an_approved_revision_of_the_appraiser(client, q, app):
    """When the Kepala Puskesmas revises their plan, staff RHK move to the copies."""
    staff_rhk = q(lambda: Rhk.select().join(Skp).where(
        (Skp.appraiser == holder("kapus-skm").id) & (Skp.status == "submitted") & Rhk.parent.is_null(False)).first())
    old_parent = staff_rhk.parent_id
    login_as(client, q, "kapus-skm")
    kapus_plan = q(lambda: Skp.approved_for(holder("kapus-skm").id, YEAR))
    new_id = int(client.post(f"/skp/{kapus_plan.id}/revisi", data={"change_note": "APBD-P"}).headers["Location"].split("/")[-1])
    assert client.post(f"/skp/{new_id}/ajukan").status_code == 302
    admin = app.test_client()
    login_as(admin, q, "kadinkes")
    assert admin.post(f"/skp/{new_id}/keputusan", data={"decision": "approve"}).status_code == 302
    moved = q(lambda: Rhk.get_by_id(staff_rhk.id).parent)
    assert moved.skp_id == new_id and moved.origin_id == old_parent


@pytest.mark.parametrize("who,status", [("atasan", 403), ("admin", 403), ("admin_opd", 403)])
def test_only_the_pejabat_penilai_decides(client, as_role, q, who, status):
    as_role("pegawai")
    skp_id = ready_plan(client, q)
    response = client.post(f"/skp/{skp_id}/keputusan", data={"decision": "approve"})
    assert response.status_code == 403  # not even the owner
    as_role(who)
    assert client.post(f"/skp/{skp_id}/keputusan", data={"decision": "approve"}).status_code == status
    assert q(lambda: Skp.get_by_id(skp_id).status) == "submitted"


def test_strangers_get_404_and_supervisors_above_may_read(client, as_role, q):
    as_role("pegawai")
    skp_id = ready_plan(client, q)
    login_as(client, q, "perawat-skm", 1)  # a colleague, not a subordinate
    for url in (f"/skp/{skp_id}", f"/skp/{skp_id}/cetak", f"/skp/{skp_id}/tinjau", f"/skp/{skp_id}/status"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/skp/{skp_id}/keputusan", data={"decision": "approve"}).status_code == 404
    login_as(client, q, "kapus-cbn")  # another Puskesmas head
    assert client.get(f"/skp/{skp_id}").status_code == 404
    as_role("atasan")  # Kepala Dinas: the Atasan Pejabat Penilai
    assert client.get(f"/skp/{skp_id}").status_code == 200
    as_role("admin_opd")  # Dinas Kesehatan is in scope
    assert client.get(f"/skp/{skp_id}").status_code == 200
    dlh_plan = q(lambda: Skp.get(Skp.employee == holder("kadlh").id).id)
    assert client.get(f"/skp/{dlh_plan}").status_code == 404
    assert client.get("/skp/999999").status_code == 404


def test_appraiser_writes_expectations_and_others_cannot(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    response = client.post(f"/skp/{skp_id}/perilaku/akuntabel", data={"akuntabel-special_expectation": "x"})
    assert response.status_code == 403
    as_role("penilai")
    page = client.get(f"/skp/{skp_id}").get_data(as_text=True)
    assert 'name="akuntabel-special_expectation"' in page
    response = client.post(f"/skp/{skp_id}/perilaku/akuntabel", headers=HX,
                           data={"akuntabel-special_expectation": "Laporan harian tepat waktu"})
    assert response.status_code == 200 and "Tersimpan." in response.get_data(as_text=True)
    assert q(lambda: BehaviourExpectation.get(BehaviourExpectation.skp == skp_id).special_expectation) == "Laporan harian tepat waktu"
    saved = q(lambda: BehaviourExpectation.get(BehaviourExpectation.skp == skp_id).id)
    assert audit_actions(q, "skp_expectation", saved) == ["update"]
    assert client.post(f"/skp/{skp_id}/perilaku/bukan-nilai", data={}).status_code == 404
    as_role("pegawai")
    assert "Laporan harian tepat waktu" in client.get(f"/skp/{skp_id}").get_data(as_text=True)


def test_admin_decides_for_the_kepala_daerah_on_a_head_of_opd(client, as_role, q):
    head_plan = q(lambda: Skp.get((Skp.employee == holder("kadukcapil").id) & (Skp.year == YEAR)))
    assert head_plan.appraiser_id is None and head_plan.status == "submitted"
    as_role("admin")
    assert f'inbox-row-{head_plan.id}' in client.get("/skp/persetujuan").get_data(as_text=True)
    assert client.post(f"/skp/{head_plan.id}/keputusan", data={"decision": "approve"}).status_code == 302
    assert q(lambda: Skp.get_by_id(head_plan.id).status) == "approved"


def test_admin_sets_the_appraiser_of_one_plan(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    assert client.post(f"/skp/{skp_id}/pejabat-penilai", data={"appraiser_nip": "1"}).status_code == 403
    other = q(lambda: holder("kabid-yankes"))
    as_role("admin_opd")
    response = client.post(f"/skp/{skp_id}/pejabat-penilai", data={"appraiser_nip": other.nip})
    assert response.status_code == 302
    assert q(lambda: Skp.get_by_id(skp_id).appraiser_id) == other.id
    assert audit_actions(q, "skp", skp_id)[-1] == "set_appraiser"
    outside = q(lambda: holder("kadlh"))
    client.post(f"/skp/{skp_id}/pejabat-penilai", data={"appraiser_nip": outside.nip})
    assert q(lambda: Skp.get_by_id(skp_id).appraiser_id) == other.id


def test_inbox_without_team_says_so(client, as_role):
    as_role("pegawai")
    assert "tidak memiliki bawahan langsung" in client.get("/skp/persetujuan").get_data(as_text=True)
    as_role("admin_opd")
    assert "tidak memiliki bawahan langsung" in client.get("/skp/persetujuan").get_data(as_text=True)


# --- overviews ---------------------------------------------------------------------------

def test_team_overview_for_supervisor_admin_opd_and_admin(app, client, as_role, q):
    as_role("pegawai")
    assert "tidak memiliki bawahan" in client.get("/skp/tim").get_data(as_text=True)
    as_role("penilai")
    page = client.get("/skp/tim").get_data(as_text=True)
    assert "UPTD Puskesmas Sukamaju" in page and "Dinas Lingkungan Hidup" not in page
    assert "lewat" in page  # days past the deadline of 31 January
    counts = dict(re.findall(r'data-status="(\w+)"><strong>(\d+)</strong>', page))
    assert int(counts["submitted"]) >= 2 and int(counts["belum"]) >= 1
    only = client.get("/skp/tim?status=submitted").get_data(as_text=True)
    assert only.count('id="team-row-') == int(counts["submitted"])
    as_role("admin_opd")
    page = client.get("/skp/tim").get_data(as_text=True)
    assert "Dinas Kesehatan" in page and "Dinas Lingkungan Hidup" not in page
    dlh = q(lambda: Unit.get(Unit.code == "DLH").id)
    assert "Dinas Lingkungan Hidup" not in client.get(f"/skp/tim?unit={dlh}").get_data(as_text=True)
    as_role("admin")
    pkm = q(lambda: Unit.get(Unit.code == "PKM-CIBENING").id)
    small, page = counted_get(client, f"/skp/tim?unit={pkm}")
    assert page.count('id="team-row-') < 10
    large, page = counted_get(client, "/skp/tim")
    assert page.count('id="team-row-') > 40
    assert large == small  # no query per row
    for junk in ("/skp/tim?tahun=abc&unit=x&status=zz&page=-4", "/skp/tim?tahun=1900&q=%00"):
        assert client.get(junk).status_code == 200
    partial = client.get("/skp/tim?status=belum", headers=HX).get_data(as_text=True)
    assert partial.lstrip().startswith('<section id="team-results"')


def _expand(client, page, text):
    """The children of the RHK shown with `text`, fetched as the htmx expansion does."""
    rhk_id = re.search(r'<li class="cascade-rhk" id="cascade-rhk-(\d+)">\s*<details hx-get="([^"]+)"[^>]*>\s*'
                       r'<summary><span class="rhk-text">' + re.escape(text), page)
    assert rhk_id, text
    url = rhk_id.group(2).replace("&amp;", "&")
    response = client.get(url, headers=HX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_cascade_from_goals_to_staff_highlights_goals_nobody_works_on(app, client, as_role, q):
    as_role("admin")
    dlh = q(lambda: Unit.get(Unit.code == "DLH").id)
    queries_dlh, page = counted_get(client, f"/skp/kaskade?unit={dlh}")
    assert "Menurunnya timbulan sampah plastik di kabupaten" in page
    assert page.index("Menurunnya timbulan sampah plastik di kabupaten") < \
        page.index("Terlaksananya program pengurangan sampah plastik kabupaten")
    # Deeper levels are not on the page; each opens in place, one level at a time.
    assert "Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan" not in page
    level2 = _expand(client, page, "Terlaksananya program pengurangan sampah plastik kabupaten")
    assert "Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan" in level2
    level3 = _expand(client, level2, "Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan")
    assert "Tersusunnya data timbulan sampah plastik per kecamatan" in level3
    unattended = page[page.index("Meningkatnya ketaatan usaha terhadap izin lingkungan"):]
    assert unattended.index("Belum ada RHK yang mengintervensi sasaran ini") < 400
    assert 'class="cascade-goal unattended" id="goal-' in page
    dinkes = q(lambda: Unit.get(Unit.code == "DINKES").id)
    queries_dinkes, page = counted_get(client, f"/skp/kaskade?unit={dinkes}")
    assert "Meningkatnya cakupan pelayanan kesehatan dasar di puskesmas" in page
    level2 = _expand(client, page, "Meningkatnya cakupan pelayanan kesehatan dasar di puskesmas")
    assert "Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Sukamaju sesuai standar" in level2
    assert queries_dinkes == queries_dlh
    as_role("pegawai")
    assert "tersedia bagi pejabat yang memiliki bawahan" in client.get("/skp/kaskade").get_data(as_text=True)
    as_role("penilai")
    page = client.get(f"/skp/kaskade?unit={dlh}").get_data(as_text=True)
    assert "sampah plastik" not in page and "UPTD Puskesmas Sukamaju" in page
    level2 = _expand(client, page, "Meningkatnya cakupan pelayanan kesehatan dasar di puskesmas")
    assert "Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Sukamaju sesuai standar" in level2
    assert "Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Cibening" not in level2


# --- print -------------------------------------------------------------------------------

def _pdf_text(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_printed_plan_has_the_official_parts_and_a_draft_watermark_until_approved(client, as_role, q):
    as_role("pegawai")
    skp_id = ready_plan(client, q)
    reader, text = _pdf_text(client.get(f"/skp/{skp_id}/cetak"))
    me, kapus = q(lambda: holder("perawat-skm")), q(lambda: holder("kapus-skm"))
    squashed = " ".join(text.split())
    for expected in ("SASARAN KINERJA PEGAWAI", "Terlaksananya asuhan keperawatan",
                     "Terlaksananya kunjungan rumah keluarga rawan", me.nip, kapus.nip, "2.400 pasien",
                     "Berorientasi Pelayanan", "Dukungan Sumber Daya", "Skema Pertanggungjawaban",
                     "Konsekuensi", "Sukamaju,", "Pejabat Penilai Kinerja", "RHK Atasan yang Diintervensi",
                     "Terselenggaranya pelayanan kesehatan dasar"):
        assert expected in squashed, expected
    assert me.name in squashed and kapus.name in squashed
    assert "DRAFT" in text
    assert len(reader.pages) >= 1
    as_role("penilai")
    approved = q(lambda: Skp.approved_for(kapus.id, YEAR).id)
    reader, text = _pdf_text(client.get(f"/skp/{approved}/cetak"))
    assert "DRAFT" not in text
    assert "Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Sukamaju sesuai standar" in " ".join(text.split())
    assert "Meningkatnya cakupan pelayanan kesehatan dasar di puskesmas" in " ".join(text.split())


# --- years and goals -------------------------------------------------------------------

def test_admin_opens_a_year_with_default_settings(client, as_role, q):
    as_role("admin_opd")
    assert client.get("/skp/tahun").status_code == 403
    as_role("pegawai")
    assert client.post("/skp/tahun", data={"year": "2027"}).status_code == 403
    as_role("admin")
    page = client.get("/skp/tahun").get_data(as_text=True)
    assert f'value="{YEAR + 1}"' in page and f'value="{YEAR + 1}-01-31"' in page
    bad = client.post("/skp/tahun", data={"year": str(YEAR + 1), "skp_deadline": "2030-01-31",
                                          "evaluation_cadence": "triwulanan", "objection_days": "14"})
    assert bad.status_code == 422 and "Batas persetujuan harus" in bad.get_data(as_text=True)
    dup = client.post("/skp/tahun", data={"year": str(YEAR), "skp_deadline": f"{YEAR}-01-31",
                                          "evaluation_cadence": "triwulanan", "objection_days": "14", "peer_min_raters": "3"})
    assert dup.status_code == 422 and "sudah dibuka" in dup.get_data(as_text=True)
    ok = client.post("/skp/tahun", data={"year": str(YEAR + 1), "skp_deadline": f"{YEAR + 1}-01-31",
                                         "evaluation_cadence": "semesteran", "objection_days": "21", "peer_min_raters": "3", "is_open": "y"})
    assert ok.status_code == 302
    year = q(lambda: PerformanceYear.get_by_id(YEAR + 1))
    assert (year.evaluation_cadence, year.objection_days, year.is_open) == ("semesteran", 21, True)
    assert audit_actions(q, "performance_year", YEAR + 1) == ["create"]
    response = client.post(f"/skp/tahun/{YEAR + 1}", data={"skp_deadline": f"{YEAR + 1}-02-15",
                                                           "evaluation_cadence": "bulanan", "objection_days": "0"})
    assert response.status_code == 422 and "antara 1 dan 90 hari" in response.get_data(as_text=True)
    client.post(f"/skp/tahun/{YEAR + 1}", data={"skp_deadline": f"{YEAR + 1}-02-15",
                                                "evaluation_cadence": "bulanan", "objection_days": "10", "peer_min_raters": "4"})
    assert q(lambda: (PerformanceYear.get_by_id(YEAR + 1).objection_days, PerformanceYear.get_by_id(YEAR + 1).peer_min_raters)) == (10, 4)
    assert client.get("/skp/tahun/1999").status_code == 404


def test_goals_per_opd_within_scope(client, as_role, q):
    dinkes, dlh = q(lambda: (Unit.get(Unit.code == "DINKES").id, Unit.get(Unit.code == "DLH").id))
    as_role("pegawai")
    assert client.get("/skp/sasaran").status_code == 403
    as_role("admin_opd")
    page = client.get("/skp/sasaran").get_data(as_text=True)
    assert "Dinas Kesehatan" in page and "Dinas Lingkungan Hidup" not in page
    response = client.post(f"/skp/sasaran?unit={dinkes}&tahun={YEAR}", headers=HX,
                           data={"goal": "", "indicator": "IKU", "target": ""})
    assert response.status_code == 422 and "Sasaran strategis wajib diisi." in response.get_data(as_text=True)
    response = client.post(f"/skp/sasaran?unit={dinkes}&tahun={YEAR}", headers=HX,
                           data={"goal": "Menurunnya prevalensi stunting", "indicator": "Prevalensi stunting", "target": "14 %"})
    assert response.status_code == 200 and "Menurunnya prevalensi stunting" in response.get_data(as_text=True)
    goal = q(lambda: OrgGoal.get(OrgGoal.goal == "Menurunnya prevalensi stunting"))
    assert audit_actions(q, "org_goal", goal.id) == ["create"]
    assert client.post(f"/skp/sasaran?unit={dlh}&tahun={YEAR}", data={"goal": "x", "indicator": "y"}).status_code == 404
    dlh_goal = q(lambda: OrgGoal.get(OrgGoal.unit == dlh).id)
    assert client.get(f"/skp/sasaran/{dlh_goal}/ubah").status_code == 404
    assert client.post(f"/skp/sasaran/{dlh_goal}/hapus").status_code == 404
    used = q(lambda: OrgGoal.select().join(Rhk, on=(Rhk.org_goal == OrgGoal.id)).where(OrgGoal.unit == dinkes).first().id)
    assert client.post(f"/skp/sasaran/{used}/hapus", headers=HX).status_code == 409
    assert client.post(f"/skp/sasaran/{goal.id}/hapus", headers=HX).status_code == 200
    assert q(lambda: OrgGoal.get_or_none(OrgGoal.id == goal.id)) is None


def test_head_of_opd_cascades_from_organisation_goals(client, q):
    login_as(client, q, "kadlh")
    plan = q(lambda: Skp.get((Skp.employee == holder("kadlh").id) & (Skp.year == YEAR)))
    client.post(f"/skp/{plan.id}/revisi", data={"change_note": "Tambah sasaran"})
    new = q(lambda: Skp.latest_for(holder("kadlh").id, YEAR))
    form = client.get(f"/skp/{new.id}/rhk/baru?jenis=utama", headers=HX).get_data(as_text=True)
    assert "Sasaran/IKU organisasi yang diintervensi" in form
    assert "Meningkatnya ketaatan usaha terhadap izin lingkungan" in form
    goal = q(lambda: OrgGoal.get((OrgGoal.goal == "Meningkatnya ketaatan usaha terhadap izin lingkungan")
                                 & (OrgGoal.year == YEAR)))
    data = rhk_data(q, text="Meningkatnya pengawasan izin lingkungan")
    data["parent"] = str(goal.id)
    assert client.post(f"/skp/{new.id}/rhk?jenis=utama", data=data, headers=HX).status_code == 200
    rhk = q(lambda: Rhk.get(Rhk.text == "Meningkatnya pengawasan izin lingkungan"))
    assert (rhk.org_goal_id, rhk.parent_id) == (goal.id, None)


# --- nothing anyone sends causes a 500 ---------------------------------------------------

def test_junk_never_causes_a_server_error(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    junk = [("get", f"/skp/{skp_id}/rhk/baru?jenis=lain"), ("get", f"/skp/{skp_id}/rhk/999999/ubah"),
            ("post", f"/skp/{skp_id}/rhk?jenis=utama"), ("post", f"/skp/{skp_id}/rhk/abc"),
            ("get", "/skp/persetujuan?tinjau=abc&tampil=zzz"), ("get", "/skp/persetujuan?tinjau=999999"),
            ("get", "/skp/kaskade?unit=abc&tahun=x"), ("get", "/skp/sasaran?unit=x"),
            ("post", f"/skp/{skp_id}/keputusan"), ("get", f"/skp/{skp_id}/rhk/daftar?jenis=utama")]
    for method, url in junk:
        response = getattr(client, method)(url, data={"parent": "abc", "indicators-0-target_min": "1e999",
                                                      "op": "remove_indicator-x"})
        assert response.status_code < 500, (url, response.status_code)
    many = rhk_data(q)
    many.update({f"indicators-{i}-text": f"Indikator {i}" for i in range(25)})
    many["op"] = "add_indicator"
    response = client.post(f"/skp/{skp_id}/rhk?jenis=utama", data=many, headers=HX)
    assert response.status_code == 200 and 'name="indicators-19-text"' in response.get_data(as_text=True)
    data = rhk_data(q, target_min="9" * 40)
    data["parent"] = "999999"
    response = client.post(f"/skp/{skp_id}/rhk?jenis=utama", data=data, headers=HX)
    assert response.status_code == 422 and "Pilihan tidak sah." in response.get_data(as_text=True)


def test_an_approved_plan_does_not_read_as_overdue_months_later(client, q, as_role):
    """Demo plans were approved in January; on 24 November the page says so, not 'lewat 297 hari'."""
    worker = holder("kapus-skm")
    plan = q(lambda: Skp.approved_for(worker.id, YEAR))
    as_role("penilai")
    page = client.get(f"/skp/{plan.id}").get_data(as_text=True)
    assert "disetujui" in page and "lewat " not in page


def _latest_notice(q, key):
    from kinerja.models import Notification
    return q(lambda: Notification.select().where(Notification.recipient == holder(key).id)
             .order_by(Notification.id.desc()).first())


def test_each_step_of_a_plan_tells_the_other_side_with_a_link_to_that_plan(client, as_role, q):
    as_role("pegawai")
    skp_id = ready_plan(client, q)
    owner = q(lambda: holder("perawat-skm").full_name)
    notice = _latest_notice(q, "kapus-skm")
    assert notice.text == f"{owner} mengajukan SKP {YEAR} untuk disetujui"
    assert notice.link == f"/skp/{skp_id}/tinjau"

    as_role("penilai")
    assert f'href="/skp/{skp_id}/tinjau"' in client.get("/kinerja/notifikasi").get_data(as_text=True)
    opened = client.get(notice.link, follow_redirects=True).get_data(as_text=True)
    assert f'hx-get="/skp/{skp_id}/tinjau"' in opened  # the inbox opens that plan's panel
    client.post(f"/skp/{skp_id}/keputusan", data={"decision": "return", "comment": "Lengkapi target mutu."})
    notice = _latest_notice(q, "perawat-skm")
    penilai = q(lambda: holder("kapus-skm").full_name)
    assert notice.text == f"SKP {YEAR} Anda dikembalikan oleh {penilai} untuk diperbaiki: Lengkapi target mutu."
    assert notice.link == f"/skp/{skp_id}"

    as_role("pegawai")
    assert "Lengkapi target mutu." in client.get(notice.link).get_data(as_text=True)
    client.post(f"/skp/{skp_id}/ajukan")
    as_role("penilai")
    client.post(f"/skp/{skp_id}/keputusan", data={"decision": "approve"})
    assert _latest_notice(q, "perawat-skm").text == f"SKP {YEAR} Anda disetujui oleh {penilai}"

    as_role("pegawai")
    new_id = int(client.post(f"/skp/{skp_id}/revisi", data={"change_note": "Tambahan anggaran"})
                 .headers["Location"].split("/")[-1])
    notice = _latest_notice(q, "kapus-skm")
    assert notice.text == f"{owner} membuka revisi 2 SKP {YEAR}: Tambahan anggaran"
    assert notice.link == f"/skp/{new_id}"
    client.post(f"/skp/{new_id}/ajukan")
    assert _latest_notice(q, "kapus-skm").text == f"{owner} mengajukan SKP {YEAR} revisi 2 untuk disetujui"


def test_a_step_decided_on_a_stale_page_is_refused_inside_the_transaction(client, as_role, q, accounts):
    """The store re-reads the plan in its transaction and asks the rule again: a submit or a
    decision sent from a page that no longer shows the plan as it is changes nothing."""
    as_role("pegawai")
    skp_id = ready_plan(client, q)
    owner = q(lambda: User.get(User.username == accounts["pegawai"]))
    penilai = q(lambda: User.get(User.username == accounts["penilai"]))
    with pytest.raises(DomainError, match="sudah diajukan"):
        q(lambda: skp_workflow.submit(skp_id, owner))
    with pytest.raises(DomainError, match="sudah diajukan"):
        q(lambda: skp_content.set_approach(skp_id, "kualitatif", owner))
    with pytest.raises(DomainError, match="Tuliskan alasan pengembalian") as refused:
        q(lambda: skp_workflow.decide(skp_id, penilai, False, " ", {1: " "}))
    assert refused.value.field == "comment"
    assert q(lambda: skp_workflow.decide(skp_id, penilai, True, "", {}).status) == "approved"
    with pytest.raises(DomainError, match="sudah disetujui"):
        q(lambda: skp_workflow.decide(skp_id, penilai, False, "Perbaiki target.", {}))
    assert audit_actions(q, "skp", skp_id) == ["create", "submit", "approve"]
    assert q(lambda: (Skp.get_by_id(skp_id).status, Skp.get_by_id(skp_id).approach)) == ("approved", "kuantitatif")
