import re

import pytest

from kinerja.models import AuditLog, Employee, LoginAttempt, Unit, User

from ..support.app import login
from ..support import counting_queries, database
from ..support.accounts import get_user
from ..support import HX

NEW_PASSWORD = "Sandiku2026baru"


def user_in(app, unit_code) -> User:
    """The first employee account of a unit (by code)."""
    with database(app):
        unit = Unit.get(Unit.code == unit_code)
        return (User.select().join(Employee).where(Employee.unit == unit)
                .order_by(User.id).first())


def one_time_password(html: str) -> str:
    match = re.search(r'<code class="secret" id="one-time-[\w-]+">([^<]+)</code>', html)
    assert match, "no one-time password shown"
    return match.group(1)


# --- The list ------------------------------------------------------------------

def test_admin_sees_every_account_with_role_unit_and_last_login_in_wib(app, as_role, accounts):
    client = as_role("admin")
    page = client.get("/akun/?q=admin").get_data(as_text=True)
    assert "<code>admin</code>" in page and "<code>admin.dinkes</code>" in page
    assert "Admin BKPSDM" in page and "Admin OPD" in page
    assert "Dinas Kesehatan" in page  # admin.dinkes's scope unit
    assert re.search(r"\d{1,2} \w+ \d{4} \d\d\.\d\d WIB", page), "last login of admin in WIB"
    page = client.get(f"/akun/?q={accounts['pegawai']}").get_data(as_text=True)
    assert "UPTD Puskesmas Sukamaju" in page  # the employee's unit
    assert "Belum pernah" in page


def test_search_by_name_nip_role_and_status(app, as_role, accounts):
    client = as_role("admin")
    nip = accounts["pegawai"]
    with database(app):
        name = User.get(User.username == nip).employee.name
    spaced = f"{nip[:8]} {nip[8:14]}"
    page = client.get("/akun/", query_string={"q": spaced}).get_data(as_text=True)
    assert nip in page
    page = client.get("/akun/", query_string={"q": name.split()[0].lower()}).get_data(as_text=True)
    assert name in page
    page = client.get("/akun/?role=admin_opd").get_data(as_text=True)
    assert "admin.dinkes" in page and nip not in page
    page = client.get("/akun/?status=nonaktif").get_data(as_text=True)
    assert "Tidak ada akun yang cocok" in page


def test_paging_and_bad_page_numbers(app, as_role):
    client = as_role("admin")
    first = client.get("/akun/").get_data(as_text=True)
    assert "Menampilkan 1–25 dari" in first and 'rel="next"' in first
    second = client.get("/akun/?page=2").get_data(as_text=True)
    assert "Menampilkan 26–50" in second
    assert set(re.findall(r'id="account-(\d+)"', first)).isdisjoint(
        re.findall(r'id="account-(\d+)"', second))
    for bad in ("abc", "-4", "999999"):
        assert client.get(f"/akun/?page={bad}").status_code == 200


def test_bad_filter_value_answers_422_not_500(as_role):
    response = as_role("admin").get("/akun/?role=raja&status=x")
    assert response.status_code == 422
    assert "Pilihan tidak sah." in response.get_data(as_text=True)


def test_list_costs_the_same_queries_for_25_rows_as_for_1(app, as_role, accounts):
    client = as_role("admin")
    with counting_queries() as many:
        page = client.get("/akun/", headers=HX).get_data(as_text=True)
    assert page.count("<tbody id=") == 25
    with counting_queries() as one:
        page = client.get(f"/akun/?q={accounts['pegawai']}", headers=HX).get_data(as_text=True)
    assert page.count("<tbody id=") == 1
    assert len(many) == len(one)


def test_htmx_search_returns_only_the_results(as_role):
    response = as_role("admin").get("/akun/?q=admin", headers=HX)
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="account-results">')
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_admin_opd_sees_only_employee_accounts_in_scope(app, as_role, accounts):
    client = as_role("admin_opd")
    outside = user_in(app, "DISDIK")
    inside = user_in(app, "PKM-CIBENING")
    page = client.get("/akun/?q=admin", headers=HX).get_data(as_text=True)
    assert "<code>admin</code>" not in page and "admin.dinkes" not in page
    page = client.get(f"/akun/?q={outside.username}", headers=HX).get_data(as_text=True)
    assert outside.username not in page
    page = client.get(f"/akun/?q={inside.username}").get_data(as_text=True)
    assert f"<code>{inside.username}</code>" in page
    assert "Ubah peran" not in page and "Buat akun sistem" not in page
    with database(app):
        in_scope = (User.select().join(Employee).join(Unit)
                    .where(Unit.path.startswith(Unit.get(Unit.code == "DINKES").path)
                           & (User.role == "pegawai")).count())
    assert f"dari {in_scope} akun" in client.get("/akun/").get_data(as_text=True)


def test_pegawai_gets_403_everywhere_here(app, as_role):
    client = as_role("pegawai")
    target = get_user(app, "admin.dinkes").id
    assert client.get("/akun/").status_code == 403
    assert client.get(f"/akun/{target}").status_code == 403
    for action in ("atur-ulang-sandi", "nonaktifkan", "aktifkan", "peran"):
        assert client.post(f"/akun/{target}/{action}").status_code == 403
    assert client.get("/akun/baru").status_code == 403
    assert client.post("/akun/baru", data={"username": "x.y", "role": "admin"}).status_code == 403
    assert get_user(app, "admin.dinkes").active


def test_anonymous_is_sent_to_login(client):
    response = client.get("/akun/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert client.post("/akun/1/nonaktifkan", headers=HX).status_code == 401


def test_unknown_account_is_404(as_role):
    client = as_role("admin")
    assert client.post("/akun/999999/atur-ulang-sandi").status_code == 404
    assert client.get("/akun/999999/peran").status_code == 404


# --- Reset password ----------------------------------------------------------------

def test_reset_in_page_shows_the_one_time_password_in_the_row(app, as_role, accounts):
    client = as_role("admin")
    before = get_user(app, accounts["pegawai"])
    response = client.post(f"/akun/{before.id}/atur-ulang-sandi", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tbody id="account-{before.id}">')
    secret = one_time_password(html)
    after = get_user(app, accounts["pegawai"])
    assert after.must_change_password
    assert after.session_version == before.session_version + 1
    assert after.password_hash != before.password_hash and secret not in after.password_hash
    assert "Wajib ganti kata sandi" in html


def test_one_time_password_works_once_and_forces_a_change(app, client, as_role, accounts):
    admin = as_role("admin")
    target = get_user(app, accounts["pegawai"])
    secret = one_time_password(
        admin.post(f"/akun/{target.id}/atur-ulang-sandi", headers=HX).get_data(as_text=True))
    admin.post("/keluar")
    assert login(client, accounts["pegawai"]).status_code == 401  # the old password is gone
    response = login(client, accounts["pegawai"], secret)
    assert "/kata-sandi" in response.headers["Location"]
    assert "/kata-sandi" in client.get("/").headers["Location"]
    response = client.post("/kata-sandi", data={"current": secret, "new": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/keluar")
    assert login(client, accounts["pegawai"], secret).status_code == 401
    assert login(client, accounts["pegawai"], NEW_PASSWORD).status_code == 302


def test_reset_without_javascript_shows_the_password_on_a_page_not_in_a_flash(app, as_role,
                                                                                 accounts):
    client = as_role("admin")
    target = get_user(app, accounts["pegawai"])
    response = client.post(f"/akun/{target.id}/atur-ulang-sandi")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    secret = one_time_password(html)
    assert response.headers["Cache-Control"] == "no-store"
    with client.session_transaction() as session:
        assert secret not in str(session.get("_flashes", []))
    assert secret not in client.get("/akun/").get_data(as_text=True)


def test_reset_ends_the_owners_open_session_and_clears_their_lockout(app, as_role, accounts):
    owner = app.test_client()
    assert login(owner, accounts["pegawai"]).status_code == 302
    assert owner.get("/").status_code == 200
    with database(app):
        LoginAttempt.create(key=f"u:{accounts['pegawai']}")
    target = get_user(app, accounts["pegawai"])
    as_role("admin").post(f"/akun/{target.id}/atur-ulang-sandi", headers=HX)
    response = owner.get("/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    with database(app):
        assert not LoginAttempt.select().where(
            LoginAttempt.key == f"u:{accounts['pegawai']}").exists()


def test_admin_cannot_reset_or_deactivate_their_own_account(app, as_role):
    client = as_role("admin")
    me = get_user(app, "admin")
    response = client.post(f"/akun/{me.id}/nonaktifkan", headers=HX)
    assert response.status_code == 403
    assert "sendiri" in response.get_data(as_text=True)
    assert client.post(f"/akun/{me.id}/atur-ulang-sandi").status_code == 403
    after = get_user(app, "admin")
    assert after.active and after.session_version == me.session_version
    assert client.get("/").status_code == 200


# --- Deactivate / reactivate ----------------------------------------------------------

def test_deactivation_ends_the_session_at_once_and_blocks_login(app, as_role, accounts):
    owner = app.test_client()
    login(owner, accounts["pegawai"])
    assert owner.get("/").status_code == 200
    admin = as_role("admin")
    target = get_user(app, accounts["pegawai"])
    response = admin.post(f"/akun/{target.id}/nonaktifkan", headers=HX)
    html = response.get_data(as_text=True)
    assert "Nonaktif" in html and "Aktifkan kembali" in html
    assert owner.get("/").status_code == 302
    assert login(owner, accounts["pegawai"]).status_code == 401

    response = admin.post(f"/akun/{target.id}/aktifkan", headers=HX)
    assert "Nonaktifkan" in response.get_data(as_text=True)
    assert login(owner, accounts["pegawai"]).status_code == 302
    with database(app):
        actions = [row.action for row in AuditLog.select().where(
            AuditLog.entity == "user", AuditLog.entity_id == target.id).order_by(AuditLog.id)]
    assert actions == ["deactivate", "reactivate"]


def test_deactivate_without_javascript_redirects_to_the_row_with_a_message(app, as_role, accounts):
    client = as_role("admin")
    target = get_user(app, accounts["pegawai"])
    response = client.post(f"/akun/{target.id}/nonaktifkan")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "dinonaktifkan" in page and f"<code>{target.username}</code>" in page


def test_deactivating_twice_records_once(app, as_role, accounts):
    client = as_role("admin")
    target = get_user(app, accounts["pegawai"])
    client.post(f"/akun/{target.id}/nonaktifkan", headers=HX)
    client.post(f"/akun/{target.id}/nonaktifkan", headers=HX)
    with database(app):
        assert AuditLog.select().where(AuditLog.action == "deactivate").count() == 1


# --- Admin OPD ---------------------------------------------------------------------------

def test_admin_opd_resets_and_deactivates_in_scope(app, as_role, accounts):
    client = as_role("admin_opd")
    target = user_in(app, "PKM-CIBENING")
    assert one_time_password(
        client.post(f"/akun/{target.id}/atur-ulang-sandi", headers=HX).get_data(as_text=True))
    assert client.post(f"/akun/{target.id}/nonaktifkan", headers=HX).status_code == 200
    assert not get_user(app, target.username).active
    with database(app):
        row = AuditLog.select().where(AuditLog.action == "deactivate").get()
        assert row.actor.username == "admin.dinkes"
        assert row.unit_id == Unit.get(Unit.code == "PKM-CIBENING").id


def test_admin_opd_cannot_touch_accounts_outside_scope_or_admins(app, as_role):
    client = as_role("admin_opd")
    outside = user_in(app, "DISDIK")
    admin = get_user(app, "admin")
    for target in (outside, admin):
        for action in ("atur-ulang-sandi", "nonaktifkan", "aktifkan"):
            assert client.post(f"/akun/{target.id}/{action}", headers=HX).status_code == 404
        assert client.get(f"/akun/{target.id}").status_code == 404
    assert get_user(app, outside.username).active
    assert get_user(app, outside.username).password_hash == outside.password_hash


def test_admin_opd_cannot_grant_roles_or_create_accounts(app, as_role):
    client = as_role("admin_opd")
    inside = user_in(app, "PKM-CIBENING")
    dinkes = get_user(app, "admin.dinkes").scope_unit_id
    response = client.post(f"/akun/{inside.id}/peran", data={"role": "admin_opd",
                                                             "scope_unit": dinkes})
    assert response.status_code == 403
    assert client.get(f"/akun/{inside.id}/peran").status_code == 403
    assert client.post("/akun/baru", data={"username": "saya.admin", "role": "admin"}).status_code == 403
    assert get_user(app, inside.username).role == "pegawai"


# --- Roles ----------------------------------------------------------------------------

def test_admin_grants_and_removes_admin_opd_with_a_scope(app, as_role, client):
    admin = as_role("admin")
    target = user_in(app, "DISDIK-SD")
    with database(app):
        disdik = Unit.get(Unit.code == "DISDIK").id
    form = admin.get(f"/akun/{target.id}/peran", headers=HX).get_data(as_text=True)
    assert 'id="role' in form and "Simpan peran" in form
    response = admin.post(f"/akun/{target.id}/peran", headers=HX,
                          data={"role": "admin_opd", "scope_unit": disdik})
    assert response.status_code == 200
    assert "sekarang Admin OPD (Dinas Pendidikan)" in response.get_data(as_text=True)
    granted = get_user(app, target.username)
    assert (granted.role, granted.scope_unit_id) == ("admin_opd", disdik)

    other = app.test_client()
    login(other, target.username)
    assert other.get("/akun/").status_code == 200

    response = admin.post(f"/akun/{target.id}/peran", headers=HX, data={"role": "pegawai",
                                                                         "scope_unit": disdik})
    removed = get_user(app, target.username)
    assert (removed.role, removed.scope_unit_id) == ("pegawai", None)
    assert other.get("/akun/").status_code == 403
    with database(app):
        rows = list(AuditLog.select().where(AuditLog.action == "role_change").order_by(AuditLog.id))
    assert [(r.before_dict()["role"], r.after_dict()["role"]) for r in rows] == [
        ("pegawai", "admin_opd"), ("admin_opd", "pegawai")]


def test_admin_opd_needs_a_scope_unit(app, as_role):
    client = as_role("admin")
    target = user_in(app, "DISDIK-SD")
    response = client.post(f"/akun/{target.id}/peran", headers=HX,
                           data={"role": "admin_opd", "scope_unit": ""})
    assert response.status_code == 422
    assert "wajib diberi unit cakupan" in response.get_data(as_text=True)
    response = client.post(f"/akun/{target.id}/peran", data={"role": "admin_opd",
                                                              "scope_unit": "tidak-ada"})
    assert response.status_code == 422 and "<html" in response.get_data(as_text=True)
    assert client.post(f"/akun/{target.id}/peran",
                       data={"role": "admin_opd", "scope_unit": "999999"}).status_code == 422
    assert get_user(app, target.username).role == "pegawai"


def test_admin_cannot_change_their_own_role_nor_make_a_system_account_pegawai(app, as_role):
    client = as_role("admin")
    me = get_user(app, "admin")
    response = client.post(f"/akun/{me.id}/peran", data={"role": "pegawai"})
    assert response.status_code == 422
    assert "akun Anda sendiri" in response.get_data(as_text=True)
    system = get_user(app, "admin.dinkes")
    response = client.post(f"/akun/{system.id}/peran", data={"role": "pegawai"})
    assert response.status_code == 422
    assert get_user(app, "admin").role == "admin"
    assert get_user(app, "admin.dinkes").role == "admin_opd"


def test_role_form_without_javascript(app, as_role):
    client = as_role("admin")
    target = user_in(app, "DISDIK-SD")
    page = client.get(f"/akun/{target.id}/peran").get_data(as_text=True)
    assert "<html" in page and "Ubah peran akun" in page
    response = client.post(f"/akun/{target.id}/peran", data={"role": "admin", "scope_unit": ""})
    assert response.status_code == 302
    assert get_user(app, target.username).role == "admin"


# --- System accounts -------------------------------------------------------------------

def test_admin_creates_a_system_account_with_a_one_time_password(app, as_role, client):
    admin = as_role("admin")
    with database(app):
        dinkes = Unit.get(Unit.code == "DINKES").id
    response = admin.post("/akun/baru", headers=HX, data={"username": "Operator.Kesehatan",
                                                          "role": "admin_opd", "scope_unit": dinkes})
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "accountsChanged"
    secret = one_time_password(response.get_data(as_text=True))
    created = get_user(app, "operator.kesehatan")
    assert (created.role, created.scope_unit_id, created.employee_id) == ("admin_opd", dinkes, None)
    assert created.must_change_password
    admin.post("/keluar")
    assert "/kata-sandi" in login(client, "operator.kesehatan", secret).headers["Location"]


def test_create_without_javascript_shows_the_password_once(as_role):
    client = as_role("admin")
    assert "Buat akun sistem" in client.get("/akun/baru").get_data(as_text=True)
    response = client.post("/akun/baru", data={"username": "admin2", "role": "admin"})
    assert response.status_code == 200
    secret = one_time_password(response.get_data(as_text=True))
    assert secret not in client.get("/akun/?q=admin2").get_data(as_text=True)


@pytest.mark.parametrize("username, message", [
    ("admin", "sudah dipakai"),
    ("199001012015011001", "diawali huruf"),
    ("ab", "3–64 karakter"),
    ("nama dengan spasi", "3–64 karakter"),
])
def test_create_refuses_bad_usernames(as_role, username, message):
    response = as_role("admin").post("/akun/baru", headers=HX,
                                     data={"username": username, "role": "admin"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


# --- The audit rows ---------------------------------------------------------------------

def test_every_change_is_audited_without_any_secret(app, as_role, accounts):
    client = as_role("admin")
    target = get_user(app, accounts["pegawai"])
    with database(app):
        unit_id = Employee.get_by_id(target.employee_id).unit_id
    secrets = [one_time_password(client.post(f"/akun/{target.id}/atur-ulang-sandi",
                                             headers=HX).get_data(as_text=True))]
    client.post(f"/akun/{target.id}/nonaktifkan", headers=HX)
    client.post(f"/akun/{target.id}/aktifkan", headers=HX)
    client.post(f"/akun/{target.id}/peran", headers=HX,
                data={"role": "admin_opd", "scope_unit": unit_id})
    secrets.append(one_time_password(client.post("/akun/baru", headers=HX, data={
        "username": "operator.baru", "role": "admin"}).get_data(as_text=True)))
    with database(app):
        rows = list(AuditLog.select().where(AuditLog.entity == "user"))
        hashes = [user.password_hash for user in User.select()]
    assert sorted(row.action for row in rows) == sorted(
        ["password_reset", "deactivate", "reactivate", "role_change", "create"])
    for row in rows:
        text = f"{row.summary} {row.before} {row.after}"
        assert row.actor_id == get_user(app, "admin").id
        assert "argon2" not in text and "password_hash" not in text
        for secret in secrets:
            assert secret not in text
        for password_hash in hashes:
            assert password_hash not in text
    reset = next(row for row in rows if row.action == "password_reset")
    assert reset.before_dict()["must_change_password"] is False
    assert reset.after_dict()["must_change_password"] is True
    assert reset.unit_id == unit_id
