"""The "Email & notifikasi" page, the links from the mails (no login), and the outbox."""
import datetime
import re

import pytest

from kinerja import clock
from kinerja.models import AuditLog, MailPreference, Notification, OutboxMessage, User, db, utcnow
from kinerja.stores import mail

from ..support import HX, database
from ..support.app import csrf_token, make_app
from .conftest import BASE_URL


def _user(app, username) -> User:
    with database(app):
        return User.get(User.username == username)


def _path(url: str) -> str:
    assert url.startswith(BASE_URL), url
    return url[len(BASE_URL):]


def _link(text: str, prefix: str) -> str:
    found = re.search(rf"{re.escape(BASE_URL)}{re.escape(prefix)}[A-Za-z0-9_.\-]+", text)
    assert found, f"tidak ada tautan {prefix}"
    return _path(found.group(0))


def test_the_page_shows_the_address_and_the_choices(as_role):
    client = as_role("pegawai")
    page = client.get("/email").get_data(as_text=True)
    assert "Email &amp; notifikasi" in page and "Belum ada alamat" in page
    assert 'name="email"' in page and 'name="reminder"' in page


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/email")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("typed", ["bukan-email", "nama@", "a b@contoh.go.id", "nama@contoh",
                                   "x" * 250 + "@contoh.go.id"])
def test_a_bad_address_answers_422_with_the_message_beside_the_field(as_role, app, accounts, typed):
    client = as_role("pegawai")
    response = client.post("/email", data={"email": typed})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="email-error"[^>]*>Alamat email (tidak sah|terlalu panjang)', page)
    assert 'aria-invalid="true"' in page
    assert _user(app, accounts["pegawai"]).email is None


def test_a_bad_address_over_htmx_answers_the_section(as_role):
    client = as_role("pegawai")
    response = client.post("/email", data={"email": "salah"}, headers=HX)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<section id="mail-address">')
    assert "Alamat email tidak sah" in page


def test_setting_an_address_sends_a_link_that_verifies_it_without_login(app, as_role, accounts, smtp):
    client = as_role("pegawai")
    response = client.post("/email", data={"email": "  Wulan@Sukamaju.Test "})
    assert response.status_code == 302
    user = _user(app, accounts["pegawai"])
    assert user.email == "Wulan@sukamaju.test" and user.email_verified_at is None
    [received] = smtp.messages
    assert received.recipients == ["Wulan@sukamaju.test"]
    assert received.subject == "Kinerja: konfirmasi alamat email Anda"
    link = _link(received.text, "/email/verifikasi/")
    assert link in received.html
    assert "Belum diverifikasi" in client.get("/email").get_data(as_text=True)

    stranger = app.test_client()
    page = stranger.get(link)
    assert page.status_code == 200 and "terverifikasi" in page.get_data(as_text=True)
    assert _user(app, accounts["pegawai"]).email_verified_at is not None
    assert stranger.get(link).status_code == 200, "a second visit changes nothing"
    with database(app):
        summaries = [a.summary for a in AuditLog.select().where(
            (AuditLog.entity == "user") & (AuditLog.entity_id == user.id)).order_by(AuditLog.id)]
    assert summaries[-2:] == [f"Alamat email {user.username} diubah (belum diverifikasi)",
                              f"Alamat email {user.username} diverifikasi"]


def test_a_changed_address_is_unverified_again_and_the_old_link_is_refused(app, as_role, accounts, smtp):
    client = as_role("pegawai")
    client.post("/email", data={"email": "lama@sukamaju.test"})
    old_link = _link(smtp.messages[-1].text, "/email/verifikasi/")
    client.get(old_link)
    client.post("/email", data={"email": "baru@sukamaju.test"})
    user = _user(app, accounts["pegawai"])
    assert user.email == "baru@sukamaju.test" and user.email_verified_at is None
    response = app.test_client().get(old_link)
    assert response.status_code == 400
    assert "alamat email lain" in response.get_data(as_text=True)
    assert _user(app, accounts["pegawai"]).email_verified_at is None


def test_resending_the_verification_link(app, as_role, smtp):
    client = as_role("pegawai")
    client.post("/email", data={"email": "wulan@sukamaju.test"})
    response = client.post("/email/kirim-ulang-verifikasi", headers=HX)
    assert response.status_code == 200 and "dikirim ulang" in response.get_data(as_text=True)
    assert len(smtp.messages) == 2


@pytest.mark.parametrize("token", ["x", "abc.def.ghi", "%00", "a" * 3000])
def test_a_bad_link_answers_400_never_500(client, token):
    assert client.get(f"/email/verifikasi/{token}").status_code in (400, 404)
    assert client.get(f"/email/berhenti/{token}").status_code in (400, 404)
    assert client.post(f"/email/berhenti/{token}").status_code in (400, 404)


def test_an_expired_verification_link_is_refused(app, as_role, accounts, smtp, travel):
    client = as_role("pegawai")
    client.post("/email", data={"email": "wulan@sukamaju.test"})
    link = _link(smtp.messages[-1].text, "/email/verifikasi/")
    travel(clock.now() + datetime.timedelta(days=4))
    response = app.test_client().get(link)
    assert response.status_code == 400 and "kedaluwarsa" in response.get_data(as_text=True)


def test_choosing_per_kind(app, as_role, accounts):
    client = as_role("pegawai")
    choices = {"skp": "immediate", "evaluation": "digest", "feedback": "off",
               "survey": "immediate", "followup": "immediate", "reminder": "digest"}
    response = client.post("/email/pilihan", data=choices, headers=HX)
    assert response.status_code == 200 and "Pilihan email disimpan" in response.get_data(as_text=True)
    user = _user(app, accounts["pegawai"])
    with database(app):
        assert mail.preferences(user.id) == choices
        audit = AuditLog.select().where(AuditLog.entity == "mail_preference").get()
        assert audit.after_dict() == {"evaluation": "digest", "feedback": "off", "reminder": "digest"}
    bad = client.post("/email/pilihan", data={**choices, "skp": "kadang"})
    assert bad.status_code == 422 and "Pilihan tidak sah" in bad.get_data(as_text=True)


def test_the_unsubscribe_link_works_without_login_after_a_confirmation(app, smtp, with_email):
    user_id, employee_id, _ = with_email("pegawai")
    with database(app):
        with db.atomic():
            Notification.create(recipient=employee_id, text="Evaluasi Anda dinilai", link="/kinerja/saya")
            mail.queue_notice(employee_id, "evaluation", "Evaluasi Anda dinilai", "/kinerja/saya")
        mail.send_all()
    [received] = smtp.messages
    link = _link(received.text, "/email/berhenti/")
    # The header's link is signed when the mail is sent, the body's when it was written:
    # both are for this account and kind.
    header = _link(str(received.message["List-Unsubscribe"]), "/email/berhenti/")
    with database(app):
        assert mail.read_unsubscribe(header.rsplit("/", 1)[1])[1] == "evaluation"
    stranger = app.test_client()
    confirm = stranger.get(link)
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Ya, berhenti" in page and "evaluasi kinerja dan keberatan" in page
    with database(app):
        assert mail.preferences(user_id)["evaluation"] == "immediate", "opening the link changes nothing"
    done = stranger.post(link)
    assert done.status_code == 200 and "tidak akan lagi menerima" in done.get_data(as_text=True)
    with database(app):
        assert mail.preferences(user_id)["evaluation"] == "off"
        assert mail.preferences(user_id)["skp"] == "immediate"
        assert mail.queue_notice(employee_id, "evaluation", "Lagi", "/kinerja/saya") is None
        assert AuditLog.select().where((AuditLog.entity == "mail_preference")
                                       & (AuditLog.actor == user_id)).count() == 1
    assert stranger.post(link).status_code == 200, "twice is harmless"


def test_the_unsubscribe_form_carries_its_csrf_token(tmp_path):
    """With CSRF on, as in production: the confirmation's button works from a fresh browser."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with database(app):
        user = User.select().where(User.employee.is_null(False)).first()
        link = f"/email/berhenti/{mail.unsubscribe_token(user.id, 'skp')}"
    browser = app.test_client()
    page = browser.get(link).get_data(as_text=True)
    assert browser.post(link).status_code == 400, "no token: refused"
    response = browser.post(link, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 200
    with database(app):
        assert MailPreference.get(MailPreference.account == user.id).mode == "off"


def test_an_expired_unsubscribe_link_is_refused(app, with_email, travel):
    user_id, _, _ = with_email("pegawai")
    with database(app):
        link = f"/email/berhenti/{mail.unsubscribe_token(user_id, 'skp')}"
    travel(clock.now() + datetime.timedelta(days=401))
    assert app.test_client().get(link).status_code == 400


@pytest.mark.parametrize("role", ["pegawai", "penilai", "atasan", "admin_opd"])
def test_only_the_admin_bkpsdm_sees_the_outbox(as_role, role, app):
    client = as_role(role)
    assert client.get("/email/kotak-keluar").status_code == 403
    with database(app):
        message = OutboxMessage.create(to_address="a@b.test", subject="s", text_body="t", kind="skp",
                                       state="failed")
    assert client.post(f"/email/kotak-keluar/{message.id}/kirim-ulang").status_code == 403
    with database(app):
        assert OutboxMessage.get_by_id(message.id).state == "failed"


def test_the_outbox_lists_messages_and_resends_a_failed_one(app, as_role, smtp, with_email):
    _, employee_id, address = with_email("pegawai")
    smtp.stop()
    with database(app):
        with db.atomic():
            mail.queue_notice(employee_id, "skp", "SKP 2027 Anda disetujui", "/skp/1")
        mail.send_all()
        failed = OutboxMessage.get(OutboxMessage.state == "failed")
        for n in range(35):
            OutboxMessage.create(to_address=f"p{n}@sukamaju.test", subject=f"Pesan {n}",
                                 text_body="t", kind="skp", state="sent", sent_at=utcnow())
    client = as_role("admin")
    page = client.get("/email/kotak-keluar?status=failed").get_data(as_text=True)
    assert address in page and "menolak sambungan" in page and "Kirim ulang" in page
    listing = client.get("/email/kotak-keluar").get_data(as_text=True)
    assert "Halaman 1 dari 2" in listing
    assert client.get("/email/kotak-keluar?page=2&status=zzz").status_code == 200
    smtp.start()
    response = client.post(f"/email/kotak-keluar/{failed.id}/kirim-ulang", headers=HX)
    assert response.status_code == 200
    assert response.get_data(as_text=True).lstrip().startswith(f'<tr id="outbox-{failed.id}">')
    assert [m.subject for m in smtp.messages] == ["Kinerja: SKP 2027 Anda disetujui"]
    with database(app):
        assert OutboxMessage.get_by_id(failed.id).state == "sent"
        assert AuditLog.select().where(AuditLog.entity == "outbox_message").count() == 1
    again = client.post(f"/email/kotak-keluar/{failed.id}/kirim-ulang")
    assert again.status_code == 409
    assert client.post("/email/kotak-keluar/999999/kirim-ulang").status_code == 404
