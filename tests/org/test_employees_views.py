"""Employees: active search, paging, filters, detail, create/edit with inline validation,
deactivation (never deletion), the appraiser override, and the audit rows of each change."""
import re

from kinerja.demo import DEMO_PASSWORD
from kinerja.models import AuditLog, Employee, Unit, User

from ..support.app import login
from ..support.org import HX, audit_rows, fresh, holder, position, unit
from ..support import counting_queries

NEW_NIP = "199203152019032001"


def _new_employee(**overrides):
    data = {"nip": NEW_NIP, "name": "Ratih Kusumawardani", "title_front": "",
            "title_back": "S.Kep., Ns.", "rank": "Penata Muda", "grade": "iii/a",
            "employment_type": "pns", "position": position("Perawat Ahli Pertama").id,
            "active": "y"}
    data.update(overrides)
    return data


def _rows(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    return re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S) if body else []


# --- the list: active search, filters, paging -------------------------------------------

def test_search_by_part_of_a_name_and_by_nip_prefix(as_role):
    client = as_role("admin")
    perawat = holder("Perawat Ahli Pertama")
    fragment = perawat.name.split()[0][1:4].lower()  # "iti" of "Siti": inside the name
    page = client.get(f"/organisasi/pegawai?q={fragment}").get_data(as_text=True)
    expected = Employee.select().where(Employee.name.contains(fragment) & Employee.active).count()
    assert 0 < len(_rows(page)) == expected
    assert perawat.full_name in page
    by_nip = client.get(f"/organisasi/pegawai?q={perawat.nip[:12]}").get_data(as_text=True)
    assert perawat.nip in by_nip
    for prefix in (perawat.nip[:4], perawat.nip[:3], perawat.nip):
        born = [e for e in Employee.select().where(Employee.active) if e.nip.startswith(prefix)]
        page = client.get(f"/organisasi/pegawai?q={prefix}").get_data(as_text=True)
        assert len(_rows(page)) == len(born) and all(e.nip in page for e in born), prefix
    spaced = f"{perawat.nip[:8]} {perawat.nip[8:14]}"
    assert perawat.nip in client.get("/organisasi/pegawai", query_string={"q": spaced}).get_data(as_text=True)


def test_active_search_answers_htmx_with_only_the_results(as_role):
    client = as_role("admin")
    full = client.get("/organisasi/pegawai?q=Siti").get_data(as_text=True)
    assert 'hx-trigger="input changed delay:300ms, search"' in full
    assert 'hx-replace-url="true"' in full and 'name="q" value="Siti"' in full
    response = client.get("/organisasi/pegawai?q=Siti", headers=HX)
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="employee-results"')
    assert "<html" not in fragment and "<form" not in fragment
    assert "HX-Request" in response.headers["Vary"]
    assert _rows(fragment) == _rows(full)


def test_a_search_without_results_says_so(as_role):
    page = as_role("admin").get("/organisasi/pegawai?q=Zzzqx").get_data(as_text=True)
    assert "Tidak ada pegawai yang cocok" in page and _rows(page) == []


def test_paging_shows_50_per_page(as_role):
    client = as_role("admin")
    total = Employee.select().where(Employee.active).count()
    assert total > 50
    first = client.get("/organisasi/pegawai").get_data(as_text=True)
    second = client.get("/organisasi/pegawai?page=2").get_data(as_text=True)
    assert len(_rows(first)) == 50 and len(_rows(second)) == total - 50
    assert "Halaman 1 dari 2" in first and 'rel="next"' in first
    assert f"menampilkan 51–{total}" in second
    assert not set(_rows(first)) & set(_rows(second))
    for bad in ("abc", "-4", "999"):
        assert client.get(f"/organisasi/pegawai?page={bad}").status_code == 200
    assert len(_rows(client.get("/organisasi/pegawai?page=999").get_data(as_text=True))) == total - 50


def test_pager_links_keep_the_search(as_role):
    client = as_role("admin")
    page = client.get("/organisasi/pegawai?status=semua").get_data(as_text=True)
    assert re.search(r'href="/organisasi/pegawai\?page=2&amp;status=semua"', page)


def test_the_list_costs_one_query_for_the_page_and_one_count_whatever_the_rows(as_role):
    client = as_role("admin")
    with counting_queries() as few:
        client.get("/organisasi/pegawai?q=Siti")
    with counting_queries() as many:
        client.get("/organisasi/pegawai")
    employee_queries = [sql for sql in many if 'FROM "employee"' in sql]
    assert len(employee_queries) == 2  # the count and the page
    assert len(many) == len(few)


def test_filter_by_unit_includes_its_sub_units(as_role):
    client = as_role("admin")
    dinkes = unit("DINKES")
    page = client.get(f"/organisasi/pegawai?unit={dinkes.id}").get_data(as_text=True)
    in_tree = Employee.select().join(Unit, on=(Employee.unit == Unit.id)).where(
        Unit.within(dinkes) & Employee.active).count()
    assert len(_rows(page)) == in_tree == 21
    assert holder("Perawat Ahli Pertama").full_name in page
    assert holder("Kepala Dinas Pendidikan").full_name not in page
    assert client.get("/organisasi/pegawai?unit=abc").status_code == 200
    assert client.get("/organisasi/pegawai?unit=999999").status_code == 404


def test_filter_active_and_inactive(as_role):
    client = as_role("admin")
    gone = holder("Bidan Terampil")
    client.post(f"/organisasi/pegawai/{gone.id}/nonaktifkan")
    active = client.get("/organisasi/pegawai").get_data(as_text=True)
    inactive = client.get("/organisasi/pegawai?status=nonaktif").get_data(as_text=True)
    everyone = client.get("/organisasi/pegawai?status=semua&q=" + gone.name).get_data(as_text=True)
    assert gone.nip not in active
    assert gone.nip in inactive and len(_rows(inactive)) == 1
    assert gone.nip in everyone and "Nonaktif" in everyone
    assert client.get("/organisasi/pegawai?status=rusak").status_code == 200


def test_admin_opd_lists_only_their_units_employees(as_role):
    page = as_role("admin_opd").get("/organisasi/pegawai?status=semua").get_data(as_text=True)
    assert len(_rows(page)) == 21
    assert holder("Kepala Dinas Pendidikan").nip not in page
    assert "Dinas Pendidikan" not in page  # not even in the unit filter


# --- the detail page --------------------------------------------------------------------

def test_detail_shows_identity_position_unit_and_appraisers(as_role):
    client = as_role("admin_opd")
    perawat = holder("Perawat Ahli Pertama")
    kapus, kadinkes = holder("Kepala UPTD Puskesmas Sukamaju"), holder("Kepala Dinas Kesehatan")
    page = client.get(f"/organisasi/pegawai/{perawat.id}").get_data(as_text=True)
    for text in (perawat.nip, perawat.full_name, "Perawat Ahli Pertama", "UPTD Puskesmas Sukamaju",
                 perawat.rank_grade):
        assert text in page
    appraisers = page[page.index('id="appraisers"'):]
    assert kapus.full_name in appraisers and kadinkes.full_name in appraisers
    assert "Kepala Daerah" in client.get(f"/organisasi/pegawai/{kadinkes.id}").get_data(as_text=True)


# --- creating an employee -------------------------------------------------------------------

def test_creating_an_employee_makes_an_account_and_shows_its_password_once(app, as_role):
    client = as_role("admin_opd")
    response = client.post("/organisasi/pegawai/baru", data=_new_employee())
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    secret = re.search(r'<p class="secret">([^<]+)</p>', page).group(1)
    employee = Employee.get(Employee.nip == NEW_NIP)
    assert employee.unit_id == unit("PKM-SUKAMAJU").id  # the unit follows the position
    assert employee.grade == "III/a" and employee.full_name == "Ratih Kusumawardani, S.Kep., Ns."
    account = User.get(User.employee == employee.id)
    assert (account.username, account.role, account.must_change_password, account.active) == \
        (NEW_NIP, "pegawai", True, True)
    assert secret not in account.password_hash
    again = client.get(f"/organisasi/pegawai/{employee.id}").get_data(as_text=True)
    assert secret not in again and "belum mengganti kata sandi sekali pakai" in again
    newcomer = app.test_client()
    response = login(newcomer, NEW_NIP, secret)
    assert response.status_code == 302 and "/kata-sandi" in response.headers["Location"]
    created = audit_rows("employee", employee.id, "create")[0]
    assert created.actor.username == "admin.dinkes" and created.unit_id == employee.unit_id
    assert created.after_dict()["nip"] == NEW_NIP and "Ratih" in created.summary
    account_row = audit_rows("user", account.id, "create")[0]
    assert "sekali pakai" in account_row.summary and secret not in (account_row.after or "")


def test_a_nip_with_month_13_answers_422_naming_the_birth_date_and_keeps_the_typing(as_role):
    client = as_role("admin")
    response = client.post("/organisasi/pegawai/baru",
                           data=_new_employee(nip="199213152019032001"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<small class="error" id="nip-error"[^>]*>([^<]+)</small>', page).group(1)
    assert "tanggal lahir" in error
    assert 'value="199213152019032001"' in page
    assert 'value="Ratih Kusumawardani"' in page and 'value="S.Kep., Ns."' in page
    assert re.search(rf'<option selected value="{position("Perawat Ahli Pertama").id}"', page)
    assert not Employee.select().where(Employee.name == "Ratih Kusumawardani").exists()
    assert not User.select().where(User.username == "199213152019032001").exists()


def test_the_nip_is_validated_inline_when_leaving_the_field(as_role):
    client = as_role("admin")
    before = AuditLog.select().count()
    response = client.post("/organisasi/pegawai/baru", headers={**HX, "HX-Trigger-Name": "nip"},
                           data=_new_employee(nip="1992 1315 2019032001", name=""))
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="field-nip"')
    assert "tanggal lahir" in fragment and 'value="199213152019032001"' in fragment
    assert 'hx-post="/organisasi/pegawai/baru"' in fragment  # still validates on the next blur
    assert "Nama wajib" not in fragment  # only the field that was left
    fixed = client.post("/organisasi/pegawai/baru", headers={**HX, "HX-Trigger-Name": "nip"},
                        data=_new_employee(name=""))
    assert '<small class="error"' not in fixed.get_data(as_text=True)
    assert AuditLog.select().count() == before
    assert not Employee.select().where(Employee.nip == NEW_NIP).exists()


def test_a_known_nip_or_a_grade_of_the_wrong_kind_is_refused(as_role):
    client = as_role("admin")
    taken = holder("Bidan Terampil").nip
    page = client.post("/organisasi/pegawai/baru", data=_new_employee(nip=taken)).get_data(as_text=True)
    assert "NIP ini sudah terdaftar" in page
    response = client.post("/organisasi/pegawai/baru",
                           data=_new_employee(employment_type="pppk", grade="III/a"))
    assert response.status_code == 422
    assert "Golongan PPPK" in response.get_data(as_text=True)


def test_admin_opd_cannot_place_an_employee_in_another_opd(as_role):
    client = as_role("admin_opd")
    form = client.get("/organisasi/pegawai/baru").get_data(as_text=True)
    assert f'value="{position("Kepala Dinas Pendidikan").id}"' not in form
    response = client.post("/organisasi/pegawai/baru",
                           data=_new_employee(position=position("Kepala Dinas Pendidikan").id))
    assert response.status_code == 422
    assert not Employee.select().where(Employee.nip == NEW_NIP).exists()


def test_garbage_in_the_employee_form_never_causes_a_500(as_role):
    client = as_role("admin")
    for data in ({}, {"position": "abc"}, {"position": "999999"}, {"nip": "x" * 300},
                 {"employment_type": "honorer"}, {"nip": "１９９２"}):
        assert client.post("/organisasi/pegawai/baru", data=data).status_code == 422


# --- editing -------------------------------------------------------------------------------

def test_editing_moves_the_unit_with_the_position_and_renames_the_login(as_role):
    client = as_role("admin")
    bidan = holder("Bidan Terampil")
    new_nip = bidan.nip[:15] + "999"
    data = _new_employee(nip=new_nip, name=bidan.name, title_back=bidan.title_back,
                         rank=bidan.rank, grade=bidan.grade, employment_type=bidan.employment_type,
                         position=position("Perawat Terampil").id)
    response = client.post(f"/organisasi/pegawai/{bidan.id}/ubah", data=data)
    assert response.status_code == 302
    moved = fresh(bidan)
    assert moved.unit_id == unit("PKM-CIBENING").id and moved.nip == new_nip
    assert User.get(User.employee == bidan.id).username == new_nip
    row = audit_rows("employee", bidan.id, "update")[-1]
    assert row.before_dict()["unit"] == unit("PKM-SUKAMAJU").id
    assert row.after_dict()["unit"] == unit("PKM-CIBENING").id
    assert audit_rows("user", User.get(User.employee == bidan.id).id, "update")


def test_the_edit_form_is_filled_with_the_current_values(as_role):
    bidan = holder("Bidan Terampil")
    page = as_role("admin").get(f"/organisasi/pegawai/{bidan.id}/ubah").get_data(as_text=True)
    assert f'value="{bidan.nip}"' in page and f'value="{bidan.name}"' in page
    assert re.search(rf'<option selected value="{bidan.position_id}"', page)


# --- deactivation, never deletion -----------------------------------------------------------

def test_deactivating_ends_the_employees_sessions_at_once(app, as_role, accounts):
    perawat_client = app.test_client()
    assert login(perawat_client, accounts["pegawai"]).status_code == 302
    assert perawat_client.get("/").status_code == 200
    employee = Employee.get(Employee.nip == accounts["pegawai"])
    account = User.get(User.employee == employee.id)
    admin = as_role("admin_opd")
    response = admin.post(f"/organisasi/pegawai/{employee.id}/nonaktifkan", follow_redirects=True)
    assert "dinonaktifkan" in response.get_data(as_text=True)
    assert not fresh(employee).active
    assert not fresh(account).active and fresh(account).session_version == account.session_version + 1
    kicked = perawat_client.get("/")
    assert kicked.status_code == 302 and "/masuk" in kicked.headers["Location"]
    assert login(app.test_client(), accounts["pegawai"], DEMO_PASSWORD).status_code == 401
    assert audit_rows("employee", employee.id, "deactivate")[0].unit_id == employee.unit_id
    assert audit_rows("user", account.id, "deactivate")


def test_unticking_active_in_the_edit_form_also_deactivates_the_account(as_role):
    client = as_role("admin")
    bidan = holder("Bidan Terampil")
    data = _new_employee(nip=bidan.nip, name=bidan.name, title_back=bidan.title_back,
                         rank=bidan.rank, grade=bidan.grade, employment_type=bidan.employment_type,
                         position=bidan.position_id)
    del data["active"]
    assert client.post(f"/organisasi/pegawai/{bidan.id}/ubah", data=data).status_code == 302
    account = User.get(User.employee == bidan.id)
    assert not fresh(bidan).active and not account.active and account.session_version == 2
    data["active"] = "y"
    client.post(f"/organisasi/pegawai/{bidan.id}/ubah", data=data)
    assert fresh(bidan).active and User.get(User.employee == bidan.id).active


def test_there_is_no_way_to_delete_an_employee(as_role):
    client = as_role("admin")
    employee = holder("Bidan Terampil")
    assert client.delete(f"/organisasi/pegawai/{employee.id}").status_code == 405
    assert client.post(f"/organisasi/pegawai/{employee.id}/hapus").status_code == 404
    assert fresh(employee).active


def test_deactivating_an_overriding_appraiser_returns_others_to_the_derived_one(as_role):
    client = as_role("admin")
    perawat, sekdinkes = holder("Perawat Ahli Pertama"), holder("Sekretaris Dinas Kesehatan")
    client.post(f"/organisasi/pegawai/{perawat.id}/penilai",
                data={"appraiser_nip": sekdinkes.nip, "superior_nip": ""})
    assert fresh(perawat).appraiser_override_id == sekdinkes.id
    client.post(f"/organisasi/pegawai/{sekdinkes.id}/nonaktifkan")
    assert fresh(perawat).appraiser_override_id is None
    assert fresh(perawat).appraiser().id == holder("Kepala UPTD Puskesmas Sukamaju").id
    assert "dilepas" in audit_rows("employee", perawat.id, "override")[-1].summary


# --- the appraiser override -----------------------------------------------------------------

def test_override_wins_and_clearing_returns_to_the_derived_appraiser(as_role):
    client = as_role("admin_opd")
    perawat = holder("Perawat Ahli Pertama")
    kapus, sek = holder("Kepala UPTD Puskesmas Sukamaju"), holder("Sekretaris Dinas Kesehatan")
    response = client.post(f"/organisasi/pegawai/{perawat.id}/penilai", headers=HX,
                           data={"appraiser_nip": sek.nip, "superior_nip": ""})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<article id="appraisers"')
    assert "appraisersChanged" in response.headers["HX-Trigger"]
    current = re.search(r'<dd id="current-appraiser">(.*?)</dd>', fragment, re.S).group(1)
    assert sek.full_name in current and "diganti admin" in current
    assert fresh(perawat).appraiser().id == sek.id
    row = audit_rows("employee", perawat.id, "override")[-1]
    assert row.before_dict()["appraiser_override"] is None
    assert row.after_dict()["appraiser_override"] == sek.id and row.unit_id == perawat.unit_id
    client.post(f"/organisasi/pegawai/{perawat.id}/penilai",
                data={"appraiser_nip": "", "superior_nip": ""})
    assert fresh(perawat).appraiser_override_id is None
    assert fresh(perawat).appraiser().id == kapus.id
    assert len(audit_rows("employee", perawat.id, "override")) == 2


def test_override_refuses_self_unknown_inactive_and_out_of_scope_choices(as_role):
    client = as_role("admin_opd")
    perawat = holder("Perawat Ahli Pertama")
    outsider = holder("Kepala Dinas Pendidikan")
    inactive = holder("Bidan Terampil")
    Employee.update(active=False).where(Employee.id == inactive.id).execute()
    for nip, message in ((perawat.nip, "dirinya sendiri"), ("199001012015011999", "Tidak ada pegawai"),
                         (outsider.nip, "Tidak ada pegawai"), (inactive.nip, "Tidak ada pegawai")):
        response = client.post(f"/organisasi/pegawai/{perawat.id}/penilai", headers=HX,
                               data={"appraiser_nip": nip, "superior_nip": ""})
        assert response.status_code == 422, nip
        assert message in response.get_data(as_text=True)
    assert fresh(perawat).appraiser_override_id is None
    assert audit_rows("employee", perawat.id, "override") == []


def test_override_nip_is_checked_inline_and_names_the_person(as_role):
    client = as_role("admin")
    perawat, sek = holder("Perawat Ahli Pertama"), holder("Sekretaris Dinas Kesehatan")
    response = client.post(f"/organisasi/pegawai/{perawat.id}/penilai",
                           headers={**HX, "HX-Trigger-Name": "appraiser_nip"},
                           data={"appraiser_nip": sek.nip, "superior_nip": ""})
    assert f"Dipilih: {sek.full_name}." in response.get_data(as_text=True)
    assert fresh(perawat).appraiser_override_id is None


def test_superior_override(as_role):
    client = as_role("admin")
    perawat, sekda = holder("Perawat Ahli Pertama"), holder("Sekretaris Daerah")
    client.post(f"/organisasi/pegawai/{perawat.id}/penilai",
                data={"appraiser_nip": "", "superior_nip": sekda.nip})
    assert fresh(perawat).appraiser_superior().id == sekda.id
    assert fresh(perawat).appraiser().id == holder("Kepala UPTD Puskesmas Sukamaju").id
    page = client.get(f"/organisasi/pegawai/{perawat.id}").get_data(as_text=True)
    superior = re.search(r'<dd id="current-superior">(.*?)</dd>', page, re.S).group(1)
    assert sekda.full_name in superior and "diganti admin" in superior


def test_a_double_click_racing_to_the_same_nip_answers_422_not_500(as_role, monkeypatch):
    from kinerja.forms.org import EmployeeForm
    client = as_role("admin")
    assert client.post("/organisasi/pegawai/baru", data=_new_employee()).status_code == 201
    # The second request validated before the first one committed.
    monkeypatch.setattr(EmployeeForm, "validate_nip", lambda form, field: None)
    response = client.post("/organisasi/pegawai/baru", data=_new_employee(name="Ratih Lain"))
    assert response.status_code == 422
    assert "NIP ini sudah terdaftar" in response.get_data(as_text=True)
    assert Employee.select().where(Employee.nip == NEW_NIP).count() == 1
    assert not Employee.select().where(Employee.name == "Ratih Lain").exists()


def test_a_pppk_is_created_with_a_real_ni_pppk_that_a_pns_could_not_have(as_role):
    client = as_role("admin")
    pppk = _new_employee(nip="199009132025242014", employment_type="pppk", grade="IX", rank="")
    refused = client.post("/organisasi/pegawai/baru", data={**pppk, "employment_type": "pns",
                                                               "grade": "iii/a"})
    assert refused.status_code == 422 and "bulan yang tidak sah" in refused.get_data(as_text=True)
    created = client.post("/organisasi/pegawai/baru", data=pppk)
    assert created.status_code == 201
    assert Employee.get(Employee.nip == "199009132025242014").employment_type == "pppk"


def test_the_demo_pppk_staff_carry_a_code_where_a_pns_has_a_month(as_role):
    pppk = list(Employee.select().where(Employee.employment_type == "pppk"))
    assert pppk and {e.nip[12:14] for e in pppk} <= {"21", "24"}


def test_a_control_character_in_a_name_is_refused_next_to_the_field_and_inline(as_role):
    client = as_role("admin")
    response = client.post("/organisasi/pegawai/baru", data=_new_employee(name="Ratih\x00 Kusuma"))
    assert response.status_code == 422
    error = re.search(r'<small class="error" id="name-error"[^>]*>([^<]+)</small>', response.get_data(as_text=True))
    assert error and "karakter tak terlihat" in error.group(1)
    assert not Employee.select().where(Employee.nip == NEW_NIP).exists()
    inline = client.post("/organisasi/pegawai/baru", headers={**HX, "HX-Trigger-Name": "name"},
                         data=_new_employee(name="Ratih\x07"))
    assert "karakter tak terlihat" in inline.get_data(as_text=True)


def test_a_name_matching_thousands_is_counted_to_a_cap_and_says_so(app, as_role):
    from kinerja.stores.org.employees import SEARCH_COUNT_CAP
    from ..support import database
    with database(app):
        opd = unit("DINKES")
        Employee.insert_many([{"nip": f"19900101202001{n:04d}", "name": f"Wulandari Uji {n:04d}",
                               "unit": opd.id} for n in range(SEARCH_COUNT_CAP + 5)]).execute()
    client = as_role("admin")
    many = client.get("/organisasi/pegawai?q=wulandari uji").get_data(as_text=True)
    assert f"Lebih dari {SEARCH_COUNT_CAP:,}".replace(",", ".") + " pegawai cocok" in many
    assert "persempit pencarian" in many and f"dari {SEARCH_COUNT_CAP // 50}+" in many
    # Under the cap the count is exact and says nothing more.
    few = client.get("/organisasi/pegawai?q=Wulandari Uji 000").get_data(as_text=True)
    assert "10 pegawai cocok" in few and "Lebih dari" not in few and "persempit" not in few
