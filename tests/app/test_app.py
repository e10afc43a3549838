from kinerja.models import AuditLog, db


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_security_headers_on_every_response(client):
    for path in ("/masuk", "/healthz", "/tidak-ada"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_session_cookie_is_httponly_and_lax(client, accounts):
    from ..support.app import login
    response = login(client, accounts["admin"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_friendly_404_in_indonesian(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_request_size_is_limited(app, client):
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/masuk", data=body, content_type="application/octet-stream")
    assert response.status_code == 413


def test_pages_vary_on_hx_request(client):
    assert "HX-Request" in client.get("/masuk").headers["Vary"]


def test_init_db_twice_changes_nothing(runner):
    result = runner.invoke(args=["init-db"])
    assert "sudah mutakhir" in result.output


def test_demo_data_is_not_overwritten(runner, app):
    result = runner.invoke(args=["demo-data"])
    assert "sudah ada" in result.output
    assert "admin" in result.output


def test_create_admin_prints_a_one_time_password(runner, client):
    result = runner.invoke(args=["create-admin", "operator"])
    assert "Kata sandi sekali pakai" in result.output
    secret = result.output.split("sekali pakai: ")[1].split()[0]
    from ..support.app import login
    response = login(client, "operator", secret)
    assert "/kata-sandi" in response.headers["Location"]


def test_audit_log_is_append_only(app):
    import peewee
    import pytest
    with app.app_context():
        db.connect(reuse_if_open=True)
        row = AuditLog.select().first()
        with pytest.raises(peewee.IntegrityError):
            AuditLog.update(summary="diubah").where(AuditLog.id == row.id).execute()
        with pytest.raises(peewee.IntegrityError):
            AuditLog.delete().execute()


def test_behind_a_proxy_the_client_address_is_trusted_only_when_configured(tmp_path):
    from flask import request

    from ..support.app import make_app
    for count, expected in ((0, "127.0.0.1"), (1, "203.0.113.9")):
        (tmp_path / str(count)).mkdir()
        app = make_app(tmp_path / str(count), PROXY_COUNT=count)
        app.add_url_rule("/_addr", "addr", lambda: request.remote_addr)
        seen = app.test_client().get("/_addr", headers={"X-Forwarded-For": "203.0.113.9"})
        assert seen.get_data(as_text=True) == expected


def test_demo_data_names_an_account_for_every_role(runner):
    output = runner.invoke(args=["demo-data"]).output
    for label in ("Admin BKPSDM", "Admin OPD", "Pegawai (perawat)", "Pejabat Penilai",
                  "Atasan Pejabat Penilai", "Pegawai (SKP disetujui)"):
        assert label in output


def test_a_kept_connection_never_carries_an_open_transaction_into_the_next_request(tmp_path):
    from ..support import postgres
    from ..support.app import make_app
    app = make_app(tmp_path, DB_KEEP_CONNECTION=True, PROPAGATE_EXCEPTIONS=False)

    def fails_midway():
        db.begin()
        AuditLog.record(None, "test", "system", None, "setengah jalan")
        raise RuntimeError("boom")

    app.add_url_rule("/_fails", "fails", fails_midway)
    client = app.test_client()
    assert client.get("/_fails").status_code == 500
    # SQLite keeps the worker's connection; on PostgreSQL it is closed after every request.
    assert db.is_closed() == postgres.enabled() and not db.in_transaction()
    assert AuditLog.select().where(AuditLog.summary == "setengah jalan").count() == 0
    assert client.get("/healthz").status_code == 200
    db.close()


def test_demo_data_prints_the_address_it_will_be_served_at(runner):
    result = runner.invoke(args=["demo-data", "--url", "http://127.0.0.1:5101"])
    assert "Buka http://127.0.0.1:5101" in result.output


def test_the_favicon_is_served_to_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in client.get("/masuk").get_data(as_text=True)


def test_a_nul_in_the_address_never_reaches_a_page(client, accounts):
    """PostgreSQL cannot compare a string holding NUL: one check covers every page."""
    from ..support.app import login
    login(client, accounts["admin"])
    searched = client.get("/organisasi/pegawai?q=Siti%00").get_data(as_text=True)
    plain = client.get("/organisasi/pegawai?q=Siti").get_data(as_text=True)
    assert 'value="Siti"' in searched and searched.count("<tr") == plain.count("<tr") > 1
    for path in ("/akun/?q=%00", "/audit/?q=x&q=%00&action=%00"):
        assert client.get(path).status_code == 200, path
    response = client.get("/survei/pkm-sukamaju%00")
    assert response.status_code == 404 and "Halaman tidak ditemukan" in response.get_data(as_text=True)
