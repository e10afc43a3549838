"""SKP pages: submission, the Pejabat Penilai's decision, revisions, expectations, who may
decide or read, and the notices each step sends."""

import pytest

from kinerja.models import (
    BehaviourExpectation, Rhk,
    Skp, SkpDecision, User,
)
from kinerja.rules import DomainError
from kinerja.stores.skp import content as skp_content
from kinerja.stores.skp import workflow as skp_workflow

from ..support import HX
from ..support.skp import (YEAR, add_rhk, audit_actions, holder, login_as, new_plan,
                           ready_plan, rhk_data)


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
    assert f'href="/notifikasi/{notice.id}/buka"' in client.get("/notifikasi").get_data(as_text=True)
    opened = client.get(f"/notifikasi/{notice.id}/buka", follow_redirects=True).get_data(as_text=True)
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
