"""SKP pages: the demo plans, and drafting a plan in the page (RHK, indicators, approach,
appendix)."""


from kinerja.models import (
    Indicator, PerformanceYear, Rhk,
    Skp,
)

from ..support import HX
from ..support.skp import (YEAR, add_rhk, audit_actions, holder, kapus_rhk_id, new_plan,
                           rhk_data)


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
