import pytest

from kinerja.models import AuditLog, LoginAttempt, User, db

from ..support.app import login, make_app


def test_login_page_is_indonesian(client):
    page = client.get("/masuk").get_data(as_text=True)
    assert "Masuk ke Kinerja" in page
    assert "NIP atau nama pengguna" in page


def test_login_with_nip_reaches_dashboard(client, accounts):
    response = login(client, accounts["pegawai"])
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Pejabat Penilai Kinerja" in page
    assert accounts["pegawai"] in page


def test_login_accepts_nip_with_spaces(client, accounts):
    nip = accounts["pegawai"]
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert login(client, spaced).status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_answer(client, accounts):
    wrong = login(client, accounts["pegawai"], "salah-sekali-1")
    unknown = login(client, "199001012015011999", "salah-sekali-1")
    assert wrong.status_code == unknown.status_code == 401
    message = "NIP/nama pengguna atau kata sandi salah."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_repeated_failures_throttle_the_account_even_with_the_right_password(app, client, accounts):
    for _ in range(app.config["LOGIN_MAX_PER_ACCOUNT"]):
        login(client, accounts["pegawai"], "salah-sekali-1")
    response = login(client, accounts["pegawai"])
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)
    with app.app_context():
        db.connect(reuse_if_open=True)
        assert LoginAttempt.select().count() >= app.config["LOGIN_MAX_PER_ACCOUNT"] * 2


def test_throttle_does_not_reveal_unknown_accounts(app, client):
    for _ in range(app.config["LOGIN_MAX_PER_ACCOUNT"]):
        login(client, "tidakada", "salah-sekali-1")
    assert login(client, "tidakada", "apa-saja-123").status_code == 429


def test_throttle_per_address_across_accounts(tmp_path):
    app = make_app(tmp_path, LOGIN_MAX_PER_ADDRESS=3)
    client = app.test_client()
    for name in ("a1", "a2", "a3"):
        login(client, name, "salah-sekali-1")
    assert login(client, "admin").status_code == 429


def test_dashboard_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


def test_htmx_request_with_expired_session_is_redirected_by_header(client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/masuk")


def test_next_redirect_only_to_same_site(client, accounts):
    response = client.post("/masuk?next=//evil.example/x",
                           data={"username": accounts["admin"], "password": "Kinerja2026!"})
    assert response.headers["Location"] == "/"
    client.post("/keluar")
    response = client.post("/masuk?next=/kata-sandi",
                           data={"username": accounts["admin"], "password": "Kinerja2026!"})
    assert response.headers["Location"] == "/kata-sandi"


def test_logout_ends_the_session(client, accounts):
    login(client, accounts["pegawai"])
    client.post("/keluar")
    assert client.get("/").status_code == 302


def _set_must_change(app, username):
    with app.app_context():
        db.connect(reuse_if_open=True)
        User.update(must_change_password=True).where(User.username == username).execute()
        db.close()


def test_new_account_must_choose_a_password_first(app, client, accounts):
    _set_must_change(app, accounts["pegawai"])
    response = login(client, accounts["pegawai"])
    assert "/kata-sandi" in response.headers["Location"]
    assert "/kata-sandi" in client.get("/").headers["Location"]
    response = client.post("/kata-sandi", data={
        "current": "Kinerja2026!", "new": "Sandiku2026baru", "confirm": "Sandiku2026baru"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/keluar")
    assert login(client, accounts["pegawai"], "Sandiku2026baru").status_code == 302


def test_change_password_rejects_weak_and_mismatched(as_role):
    client = as_role("pegawai")
    response = client.post("/kata-sandi", data={"current": "Kinerja2026!", "new": "pendek",
                                                  "confirm": "lain"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "minimal 10 karakter" in page
    assert "Kedua kata sandi baru tidak sama." in page


def test_change_password_checks_the_current_one_and_audits(app, as_role):
    client = as_role("pegawai")
    response = client.post("/kata-sandi", data={"current": "bukan-ini-123", "new": "Sandiku2026baru",
                                                  "confirm": "Sandiku2026baru"})
    assert "Kata sandi saat ini salah." in response.get_data(as_text=True)
    client.post("/kata-sandi", data={"current": "Kinerja2026!", "new": "Sandiku2026baru",
                                     "confirm": "Sandiku2026baru"})
    with app.app_context():
        db.connect(reuse_if_open=True)
        assert AuditLog.select().where(AuditLog.action == "password_changed").count() == 1


def test_passwords_are_stored_as_argon2id(app):
    with app.app_context():
        db.connect(reuse_if_open=True)
        assert User.select().first().password_hash.startswith("$argon2id$")


def test_csrf_is_enforced_on_login(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/masuk", data={"username": "admin", "password": "Kinerja2026!"})
    assert response.status_code == 400
    assert "Muat ulang halaman" in response.get_data(as_text=True)


def test_fragments_do_not_redirect_while_the_password_must_change(app, client, accounts):
    _set_must_change(app, accounts["pegawai"])
    login(client, accounts["pegawai"])
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert "HX-Redirect" not in response.headers


def test_expired_session_on_a_fragment_returns_to_the_page_after_login(client):
    response = client.get("/", headers={"HX-Request": "true",
                                        "HX-Current-URL": "http://localhost/skp/persetujuan?page=2"})
    assert response.headers["HX-Redirect"] == "/masuk?next=/skp/persetujuan?page%3D2"


def test_only_fields_with_errors_are_announced_as_invalid(client):
    assert "aria-invalid" not in client.get("/masuk").get_data(as_text=True)
    page = client.post("/masuk", data={"username": "", "password": ""}).get_data(as_text=True)
    assert page.count('aria-invalid="true"') == 2


def test_fields_are_described_only_by_messages_that_exist(client):
    page = client.post("/masuk", data={"username": "", "password": ""}).get_data(as_text=True)
    assert 'aria-describedby="username-error"' in page
    assert "-help" not in client.get("/masuk").get_data(as_text=True)


def _session_cookie(client):
    return client.get_cookie("session").value


def test_a_session_cookie_saved_before_logout_no_longer_reads_or_writes(app, accounts):
    """A shared puskesmas PC: someone copies the cookie, the owner presses Keluar."""
    owner = app.test_client()
    assert login(owner, accounts["pegawai"]).status_code == 302
    saved = _session_cookie(owner)
    owner.post("/keluar")
    thief = app.test_client()
    thief.set_cookie("session", saved)
    assert thief.get("/").status_code == 302
    assert thief.post("/kata-sandi", data={"current": "x", "new": "y", "confirm": "y"}).status_code == 302


def test_logging_out_on_one_browser_keeps_the_other_signed_in(app, accounts):
    office, phone = app.test_client(), app.test_client()
    login(office, accounts["pegawai"])
    login(phone, accounts["pegawai"])
    office.post("/keluar")
    assert phone.get("/").status_code == 200


def test_logging_out_of_every_device_ends_them_all_and_is_audited(app, accounts):
    office, phone = app.test_client(), app.test_client()
    login(office, accounts["pegawai"])
    login(phone, accounts["pegawai"])
    assert "Keluar dari semua perangkat" in phone.get("/").get_data(as_text=True)
    response = phone.post("/keluar-semua")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert office.get("/").status_code == 302 and phone.get("/").status_code == 302
    with app.app_context():
        db.connect(reuse_if_open=True)
        row = AuditLog.select().where(AuditLog.action == "sessions_ended").get()
        assert row.actor.username == accounts["pegawai"] and "semua perangkat" in row.summary
        db.close()
    assert login(office, accounts["pegawai"]).status_code == 302  # and one can sign in again
    assert office.get("/").status_code == 200


def test_a_browser_that_signed_in_before_is_not_locked_out_by_strangers(app, accounts):
    owner, stranger = app.test_client(), app.test_client()
    assert login(owner, accounts["pegawai"]).status_code == 302
    owner.post("/keluar")
    for _ in range(app.config["LOGIN_MAX_PER_ACCOUNT"] + 2):
        login(stranger, accounts["pegawai"], "tebakan-salah-1")
    assert login(stranger, accounts["pegawai"]).status_code == 429  # strangers stay slowed down
    assert login(owner, accounts["pegawai"]).status_code == 302     # the owner's browser gets in
    owner.post("/keluar")
    for _ in range(app.config["LOGIN_MAX_PER_ACCOUNT"]):  # …and is limited on its own
        login(owner, accounts["pegawai"], "salah-ketik-1")
    assert login(owner, accounts["pegawai"]).status_code == 429


def test_a_device_cookie_of_another_account_earns_no_trust(app, accounts):
    browser = app.test_client()
    login(browser, accounts["admin"])
    browser.post("/keluar")
    for _ in range(app.config["LOGIN_MAX_PER_ACCOUNT"]):
        login(browser, accounts["pegawai"], "tebakan-salah-1")
    assert login(browser, accounts["pegawai"]).status_code == 429


def test_parallel_wrong_tries_get_no_more_password_checks_than_the_limit(tmp_path, accounts, monkeypatch):
    import threading
    import time

    from kinerja import security
    app = make_app(tmp_path, DB_KEEP_CONNECTION=True)
    checks, real = [], security.verify_password

    def slow_verify(user, password):  # as long as argon2 takes, so the tries overlap
        checks.append(password)
        time.sleep(0.05)
        return real(user, password)
    monkeypatch.setattr("kinerja.views.auth.verify_password", slow_verify)
    start = threading.Barrier(24)

    def attempt():
        client = app.test_client()
        start.wait()
        login(client, accounts["pegawai"], "tebakan-salah-1")
    threads = [threading.Thread(target=attempt) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checks) <= app.config["LOGIN_MAX_PER_ACCOUNT"]


def test_an_account_without_a_password_costs_a_full_check(app, monkeypatch):
    from argon2 import PasswordHasher

    from kinerja import security
    from kinerja.stores.siasn.writer import NO_PASSWORD
    hashed = []
    real = PasswordHasher.verify

    def counting(self, hash, password):
        hashed.append(hash)
        return real(self, hash, password)
    monkeypatch.setattr(PasswordHasher, "verify", counting)
    with app.app_context():
        user = User(username="199001012015011001", password_hash=NO_PASSWORD)
        assert security.verify_password(user, "apa-saja-123") is False
    assert security._DUMMY_HASH in hashed


@pytest.mark.parametrize("target", ["/kinerja\r\nSet-Cookie: x=1", "/ok\n", "//[", "/\x00"])
def test_a_next_with_control_characters_is_ignored_after_login(client, accounts, target):
    response = client.post("/masuk", query_string={"next": target},
                           data={"username": accounts["pegawai"], "password": "Kinerja2026!"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
