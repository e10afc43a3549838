"""Units and positions: the tree, create/edit/deactivate, scope of an admin OPD, denials."""
import re

import pytest

from kinerja.models import Employee, Position, Unit

from ..support.org import HX, audit_rows, fresh, holder, position, unit
from ..support import counting_queries


def _option_values(html: str, select_name: str) -> set[str]:
    block = re.search(rf'<select[^>]*name="{select_name}".*?</select>', html, re.S).group(0)
    return set(re.findall(r'<option[^>]*value="([^"]*)"', block))


# --- who may open these pages ---------------------------------------------------

ADMIN_GETS = ["/organisasi/unit", "/organisasi/unit/baru", "/organisasi/unit/{dinkes}",
              "/organisasi/unit/{dinkes}/ubah", "/organisasi/unit/{dinkes}/jabatan/baru",
              "/organisasi/jabatan/{kadinkes}/ubah", "/organisasi/pegawai",
              "/organisasi/pegawai/baru", "/organisasi/pegawai/{employee}",
              "/organisasi/pegawai/{employee}/ubah"]
ADMIN_POSTS = ["/organisasi/unit/baru", "/organisasi/unit/{dinkes}/ubah",
               "/organisasi/unit/{dinkes}/nonaktifkan", "/organisasi/unit/{dinkes}/aktifkan",
               "/organisasi/unit/{dinkes}/jabatan/baru", "/organisasi/jabatan/{kadinkes}/ubah",
               "/organisasi/jabatan/{kadinkes}/nonaktifkan",
               "/organisasi/jabatan/{kadinkes}/aktifkan", "/organisasi/pegawai/baru",
               "/organisasi/pegawai/{employee}/ubah", "/organisasi/pegawai/{employee}/nonaktifkan",
               "/organisasi/pegawai/{employee}/penilai"]


def _ids():
    return {"dinkes": unit("DINKES").id, "kadinkes": position("Kepala Dinas Kesehatan").id,
            "employee": holder("Perawat Ahli Pertama").id}


@pytest.mark.parametrize("role", ["pegawai", "penilai", "atasan"])
def test_employees_get_403_on_every_admin_page(app, as_role, role):
    client = as_role(role)
    ids = _ids()
    for url in ADMIN_GETS:
        assert client.get(url.format(**ids)).status_code == 403, url
    for url in ADMIN_POSTS:
        assert client.post(url.format(**ids), data={"name": "x"}).status_code == 403, url
    assert Employee.get_by_id(ids["employee"]).active
    assert Unit.get_by_id(ids["dinkes"]).active


def test_anonymous_visitors_are_sent_to_the_login(app, client):
    ids = _ids()
    for url in ADMIN_GETS:
        response = client.get(url.format(**ids))
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert client.post(f"/organisasi/pegawai/{ids['employee']}/nonaktifkan").status_code == 302
    assert Employee.get_by_id(ids["employee"]).active


def test_admin_opd_gets_404_for_every_page_of_another_opd(app, as_role):
    client = as_role("admin_opd")
    disdik = unit("DISDIK")
    other_position = position("Kepala Dinas Pendidikan")
    other_employee = holder("Kepala Dinas Pendidikan")
    gets = [f"/organisasi/unit/{disdik.id}", f"/organisasi/unit/{disdik.id}/ubah",
            f"/organisasi/unit/baru?induk={disdik.id}",
            f"/organisasi/unit/{disdik.id}/jabatan/baru",
            f"/organisasi/jabatan/{other_position.id}/ubah",
            f"/organisasi/pegawai/{other_employee.id}",
            f"/organisasi/pegawai/{other_employee.id}/ubah",
            f"/organisasi/pegawai?unit={disdik.id}", "/organisasi/unit/999999",
            "/organisasi/pegawai/999999", "/organisasi/jabatan/999999/ubah"]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [(f"/organisasi/unit/{disdik.id}/ubah", {"name": "Diambil", "code": "DISDIK"}),
             (f"/organisasi/unit/{disdik.id}/nonaktifkan", {}),
             (f"/organisasi/unit/{disdik.id}/aktifkan", {}),
             (f"/organisasi/unit/{disdik.id}/jabatan/baru",
              {"name": "Sisipan", "kind": "pelaksana", "unit": disdik.id}),
             (f"/organisasi/jabatan/{other_position.id}/ubah",
              {"name": "Diambil", "kind": "pelaksana", "unit": unit("DINKES").id}),
             (f"/organisasi/jabatan/{other_position.id}/nonaktifkan", {}),
             (f"/organisasi/pegawai/{other_employee.id}/ubah", {"name": "Diambil"}),
             (f"/organisasi/pegawai/{other_employee.id}/nonaktifkan", {}),
             (f"/organisasi/pegawai/{other_employee.id}/penilai", {"appraiser_nip": ""})]
    for url, data in posts:
        assert client.post(url, data=data).status_code == 404, url
    assert fresh(disdik).name == "Dinas Pendidikan" and fresh(disdik).active
    assert fresh(other_position).name == "Kepala Dinas Pendidikan" and fresh(other_position).active
    assert fresh(other_employee).active and fresh(other_employee).name == other_employee.name
    assert not Position.select().where(Position.name == "Sisipan").exists()


# --- the unit tree ----------------------------------------------------------------

def test_admin_sees_the_whole_tree_with_codes_and_counts(as_role):
    page = as_role("admin").get("/organisasi/unit").get_data(as_text=True)
    for name in ("Dinas Kesehatan", "UPTD Puskesmas Sukamaju", "Dinas Pendidikan", "Kecamatan Cibening"):
        assert name in page
    assert "PKM-SUKAMAJU" in page
    assert "Tambah OPD" in page
    assert re.search(r"UPTD Puskesmas Sukamaju</a>\s*<small[^>]*>PKM-SUKAMAJU</small>\s*"
                     r"<small[^>]*>· 4 jabatan · 10 pegawai", page)


def test_admin_opd_sees_only_their_unit_and_its_sub_units(as_role):
    page = as_role("admin_opd").get("/organisasi/unit").get_data(as_text=True)
    assert "Dinas Kesehatan" in page and "UPTD Puskesmas Cibening" in page
    assert "Dinas Pendidikan" not in page and "Sekretariat Daerah" not in page
    assert "Tambah OPD" not in page


def test_unit_page_lists_positions_with_holders_and_parent(as_role):
    page = as_role("admin").get(f"/organisasi/unit/{unit('PKM-SUKAMAJU').id}").get_data(as_text=True)
    assert "Perawat Ahli Pertama" in page and "Bidan Terampil" in page
    assert "Kepala UPTD Puskesmas Sukamaju" in page
    assert holder("Perawat Ahli Pertama").full_name in page
    row = re.search(r'<tr id="position-\d+">\s*<td>Perawat Ahli Pertama.*?</tr>', page, re.S).group(0)
    assert "Kepala UPTD Puskesmas Sukamaju" in row  # its jabatan atasan


def test_unit_pages_cost_the_same_queries_however_big_the_tree(app, as_role):
    client = as_role("admin")
    with counting_queries() as before:
        client.get("/organisasi/unit")
    parent = unit("DINKES")
    for i in range(30):
        extra = Unit.create(code=f"X-{i}", name=f"Unit Tambahan {i}", parent=parent)
        extra.refresh_path()
        Position.create(name=f"Jabatan {i}", kind="pelaksana", unit=extra)
    with counting_queries() as after:
        page = client.get("/organisasi/unit").get_data(as_text=True)
    assert "Unit Tambahan 29" in page
    assert len(after) == len(before)


# --- creating and editing units ------------------------------------------------------

def test_admin_creates_an_opd_and_a_sub_unit(as_role):
    client = as_role("admin")
    response = client.post("/organisasi/unit/baru",
                           data={"name": "Dinas Sosial", "code": " dinsos ", "parent": ""})
    assert response.status_code == 302
    dinsos = unit("DINSOS")
    assert dinsos.parent_id is None and dinsos.path == f"/{dinsos.id}/"
    response = client.post(f"/organisasi/unit/baru?induk={dinsos.id}",
                           data={"name": "Bidang Rehabilitasi Sosial", "code": "DINSOS-REHAB",
                                 "parent": dinsos.id})
    sub = unit("DINSOS-REHAB")
    assert response.headers["Location"].endswith(f"/organisasi/unit/{sub.id}")
    assert sub.path == f"/{dinsos.id}/{sub.id}/"
    rows = audit_rows("unit", sub.id, "create")
    assert len(rows) == 1 and rows[0].unit_id == sub.id
    assert rows[0].after_dict()["parent"] == dinsos.id
    assert "Bidang Rehabilitasi Sosial" in rows[0].summary


def test_a_duplicate_or_malformed_code_answers_422_and_keeps_what_was_typed(as_role):
    client = as_role("admin")
    response = client.post("/organisasi/unit/baru",
                           data={"name": "Dinas Kesehatan Kedua", "code": "DINKES", "parent": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kode DINKES sudah dipakai unit lain." in page
    assert 'value="Dinas Kesehatan Kedua"' in page
    response = client.post("/organisasi/unit/baru",
                           data={"name": "Dinas Baru", "code": "DINAS BARU!", "parent": ""})
    assert response.status_code == 422
    assert "hanya boleh berisi huruf" in response.get_data(as_text=True)
    assert Unit.select().where(Unit.name.startswith("Dinas Baru")).count() == 0


def test_unit_code_is_checked_inline_when_leaving_the_field(as_role):
    client = as_role("admin")
    response = client.post("/organisasi/unit/baru", headers={**HX, "HX-Trigger-Name": "code"},
                           data={"name": "", "code": "DINKES", "parent": ""})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="field-code"')
    assert "sudah dipakai" in fragment and "Kolom ini wajib" not in fragment
    assert "<html" not in fragment


def test_admin_opd_cannot_create_a_top_level_opd(as_role):
    client = as_role("admin_opd")
    form = client.get("/organisasi/unit/baru").get_data(as_text=True)
    assert "" not in _option_values(form, "parent")
    response = client.post("/organisasi/unit/baru",
                           data={"name": "OPD Liar", "code": "LIAR", "parent": ""})
    assert response.status_code == 422
    assert not Unit.select().where(Unit.code == "LIAR").exists()


def test_admin_opd_creates_a_sub_unit_in_scope(as_role):
    client = as_role("admin_opd")
    pkm = unit("PKM-SUKAMAJU")
    response = client.post("/organisasi/unit/baru", data={
        "name": "Pustu Sukamaju Hilir", "code": "PUSTU-SKM-HILIR", "parent": pkm.id})
    assert response.status_code == 302
    assert unit("PUSTU-SKM-HILIR").path.startswith(pkm.path)


def test_admin_opd_cannot_set_a_parent_outside_their_scope(as_role):
    client = as_role("admin_opd")
    pkm, disdik = unit("PKM-SUKAMAJU"), unit("DISDIK")
    form = client.get(f"/organisasi/unit/{pkm.id}/ubah").get_data(as_text=True)
    assert str(disdik.id) not in _option_values(form, "parent")
    response = client.post(f"/organisasi/unit/{pkm.id}/ubah",
                           data={"name": pkm.name, "code": pkm.code, "parent": disdik.id})
    assert response.status_code == 422
    assert fresh(pkm).parent_id == pkm.parent_id and fresh(pkm).path == pkm.path
    response = client.post("/organisasi/unit/baru",
                           data={"name": "Sisipan", "code": "SISIPAN", "parent": disdik.id})
    assert response.status_code == 422
    assert not Unit.select().where(Unit.code == "SISIPAN").exists()


def test_admin_opd_may_rename_their_own_top_unit_but_not_move_it(as_role):
    client = as_role("admin_opd")
    dinkes = unit("DINKES")
    form = client.get(f"/organisasi/unit/{dinkes.id}/ubah").get_data(as_text=True)
    assert _option_values(form, "parent") == {""}
    response = client.post(f"/organisasi/unit/{dinkes.id}/ubah",
                           data={"name": "Dinas Kesehatan Kabupaten", "code": "DINKES", "parent": ""})
    assert response.status_code == 302
    assert fresh(dinkes).name == "Dinas Kesehatan Kabupaten" and fresh(dinkes).parent_id is None
    response = client.post(f"/organisasi/unit/{dinkes.id}/ubah", data={
        "name": "Dinas Kesehatan", "code": "DINKES", "parent": unit("PKM-SUKAMAJU").id})
    assert response.status_code == 422


def test_reparenting_moves_the_whole_subtree_and_is_audited(as_role):
    client = as_role("admin")
    yankes, disdik = unit("DINKES-YANKES"), unit("DISDIK")
    child = Unit.create(code="YANKES-RUJUKAN", name="Seksi Rujukan", parent=yankes)
    child.refresh_path()
    response = client.post(f"/organisasi/unit/{yankes.id}/ubah",
                           data={"name": yankes.name, "code": yankes.code, "parent": disdik.id})
    assert response.status_code == 302
    assert fresh(yankes).path == f"{disdik.path}{yankes.id}/"
    assert fresh(child).path == f"{disdik.path}{yankes.id}/{child.id}/"
    row = audit_rows("unit", yankes.id, "update")[-1]
    assert row.before_dict()["parent"] == unit("DINKES").id
    assert row.after_dict()["parent"] == disdik.id
    assert "dipindah" in row.summary


def test_a_unit_cannot_move_under_itself_or_its_sub_unit(as_role):
    client = as_role("admin")
    dinkes, pkm = unit("DINKES"), unit("PKM-SUKAMAJU")
    form = client.get(f"/organisasi/unit/{dinkes.id}/ubah").get_data(as_text=True)
    assert str(pkm.id) not in _option_values(form, "parent")
    for target in (pkm.id, dinkes.id):
        response = client.post(f"/organisasi/unit/{dinkes.id}/ubah",
                               data={"name": dinkes.name, "code": dinkes.code, "parent": target})
        assert response.status_code == 422
    assert fresh(dinkes).parent_id is None


def test_garbage_in_unit_forms_never_causes_a_500(as_role):
    client = as_role("admin")
    dinkes = unit("DINKES")
    for data in ({"parent": "abc"}, {"parent": "99999"}, {"name": "x" * 500, "code": "A"},
                 {"name": "Dinas Kesehatan", "code": "DINKES", "parent": "-1"}):
        assert client.post(f"/organisasi/unit/{dinkes.id}/ubah", data=data).status_code == 422
    # A post without any field keeps the unit as it is.
    assert client.post(f"/organisasi/unit/{dinkes.id}/ubah", data={}).status_code in (302, 422)
    assert (fresh(dinkes).name, fresh(dinkes).code, fresh(dinkes).parent_id) == \
        ("Dinas Kesehatan", "DINKES", None)
    assert client.get("/organisasi/unit/baru?induk=abc").status_code == 200
    assert client.get("/organisasi/unit/baru?induk=99999").status_code == 404


# --- deactivating units -----------------------------------------------------------------

def test_a_unit_with_people_or_positions_cannot_be_deactivated(as_role):
    client = as_role("admin")
    pkm = unit("PKM-SUKAMAJU")
    response = client.post(f"/organisasi/unit/{pkm.id}/nonaktifkan", follow_redirects=True)
    assert "belum dapat dinonaktifkan" in response.get_data(as_text=True)
    assert "jabatan aktif" in response.get_data(as_text=True)
    assert fresh(pkm).active
    assert audit_rows("unit", pkm.id, "deactivate") == []


def test_an_empty_unit_is_deactivated_and_reactivated_with_audit(as_role):
    client = as_role("admin_opd")
    empty = Unit.create(code="DINKES-LAMA", name="Seksi Lama", parent=unit("DINKES"))
    empty.refresh_path()
    response = client.post(f"/organisasi/unit/{empty.id}/nonaktifkan", follow_redirects=True)
    assert "Seksi Lama dinonaktifkan" in response.get_data(as_text=True)
    assert not fresh(empty).active
    row = audit_rows("unit", empty.id, "deactivate")[0]
    assert row.before_dict()["active"] is True and row.after_dict()["active"] is False
    assert row.unit_id == empty.id
    client.post(f"/organisasi/unit/{empty.id}/aktifkan")
    assert fresh(empty).active and audit_rows("unit", empty.id, "activate")


# --- positions ----------------------------------------------------------------------------

def test_admin_opd_creates_a_position_under_a_parent_in_scope(as_role):
    client = as_role("admin_opd")
    pkm = unit("PKM-SUKAMAJU")
    kapus = position("Kepala UPTD Puskesmas Sukamaju")
    response = client.post(f"/organisasi/unit/{pkm.id}/jabatan/baru", data={
        "name": "Apoteker Ahli Pertama", "kind": "fungsional", "unit": pkm.id, "parent": kapus.id})
    assert response.status_code == 302
    created = position("Apoteker Ahli Pertama")
    assert created.unit_id == pkm.id and created.parent_id == kapus.id
    row = audit_rows("position", created.id, "create")[0]
    assert row.unit_id == pkm.id and row.after_dict()["kind"] == "fungsional"
    page = client.get(f"/organisasi/unit/{pkm.id}").get_data(as_text=True)
    assert "Apoteker Ahli Pertama" in page and "Kosong" in page


def test_position_parent_choices_are_the_positions_in_scope_only(as_role):
    client = as_role("admin_opd")
    pkm = unit("PKM-SUKAMAJU")
    form = client.get(f"/organisasi/unit/{pkm.id}/jabatan/baru").get_data(as_text=True)
    parents = _option_values(form, "parent")
    assert str(position("Kepala Dinas Kesehatan").id) in parents
    assert str(position("Kepala Dinas Pendidikan").id) not in parents
    assert str(unit("DISDIK").id) not in _option_values(form, "unit")
    response = client.post(f"/organisasi/unit/{pkm.id}/jabatan/baru", data={
        "name": "Sisipan", "kind": "pelaksana", "unit": pkm.id,
        "parent": position("Kepala Dinas Pendidikan").id})
    assert response.status_code == 422
    assert 'value="Sisipan"' in response.get_data(as_text=True)
    response = client.post(f"/organisasi/unit/{pkm.id}/jabatan/baru", data={
        "name": "Sisipan", "kind": "pelaksana", "unit": unit("DISDIK").id})
    assert response.status_code == 422
    assert not Position.select().where(Position.name == "Sisipan").exists()


def test_a_position_cannot_report_to_its_own_subordinate(as_role):
    client = as_role("admin")
    kadinkes, perawat = position("Kepala Dinas Kesehatan"), position("Perawat Ahli Pertama")
    form = client.get(f"/organisasi/jabatan/{kadinkes.id}/ubah").get_data(as_text=True)
    assert str(perawat.id) not in _option_values(form, "parent")
    assert str(kadinkes.id) not in _option_values(form, "parent")
    response = client.post(f"/organisasi/jabatan/{kadinkes.id}/ubah", data={
        "name": kadinkes.name, "kind": kadinkes.kind, "unit": kadinkes.unit_id,
        "parent": perawat.id})
    assert response.status_code == 422
    assert fresh(kadinkes).parent_id is None


def test_moving_a_position_to_another_unit_moves_its_holders(as_role):
    client = as_role("admin_opd")
    bidan = position("Bidan Terampil")
    cibening = unit("PKM-CIBENING")
    response = client.post(f"/organisasi/jabatan/{bidan.id}/ubah", data={
        "name": "Bidan Terampil", "kind": "fungsional", "unit": cibening.id,
        "parent": position("Kepala UPTD Puskesmas Cibening").id})
    assert response.status_code == 302
    holders = list(Employee.select().where(Employee.position == bidan.id))
    assert len(holders) == 3 and {e.unit_id for e in holders} == {cibening.id}
    row = audit_rows("position", bidan.id, "update")[-1]
    assert row.before_dict()["unit"] == unit("PKM-SUKAMAJU").id
    assert row.after_dict()["unit"] == cibening.id and "3 pegawai" in row.summary


def test_a_held_position_cannot_be_deactivated_but_a_vacant_one_can(as_role):
    client = as_role("admin")
    perawat = position("Perawat Ahli Pertama")
    page = client.post(f"/organisasi/jabatan/{perawat.id}/nonaktifkan",
                       follow_redirects=True).get_data(as_text=True)
    assert "masih dipegang 4 pegawai aktif" in page
    assert fresh(perawat).active
    vacant = Position.create(name="Jabatan Kosong", kind="pelaksana", unit=perawat.unit_id)
    client.post(f"/organisasi/jabatan/{vacant.id}/nonaktifkan")
    assert not fresh(vacant).active
    assert audit_rows("position", vacant.id, "deactivate")[0].unit_id == perawat.unit_id
    form = client.get("/organisasi/pegawai/baru").get_data(as_text=True)
    assert str(vacant.id) not in _option_values(form, "position")


def test_ids_beyond_what_the_database_holds_are_simply_not_found(as_role):
    client = as_role("admin")
    huge = "9" * 25
    for url in (f"/organisasi/unit/{huge}", f"/organisasi/unit/{huge}/ubah",
                f"/organisasi/jabatan/{huge}/ubah", f"/organisasi/pegawai/{huge}",
                f"/organisasi/unit/baru?induk=-{huge}"):
        assert client.get(url).status_code in (200, 404), url
    assert client.post(f"/organisasi/pegawai/{huge}/nonaktifkan").status_code == 404
    assert client.get(f"/organisasi/pegawai?unit={huge}&page={huge}").status_code == 200
