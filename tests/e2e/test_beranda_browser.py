"""The Beranda leads each person to their next step: a nurse's SKP from draft to approval,
started and finished from the Beranda, with the notice and the email arriving at each step
(a real SMTP server, aiosmtpd)."""
import re

import pytest
from playwright.sync_api import expect

from kinerja.models import User, db, utcnow

from ..support.browser import add_rhk, browser_login, settled


@pytest.fixture
def live_config(smtp):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_USE_TLS": False,
            "MAIL_SENDER": "Kinerja <kinerja@sukamaju.test>", "BASE_URL": "http://kinerja.test"}


def _verified_email(app, username) -> str:
    address = f"{username}@sukamaju.test"
    with app.app_context():
        db.connect(reuse_if_open=True)
        User.update(email=address, email_verified_at=utcnow()).where(User.username == username).execute()
        db.close()
    return address


def _switch(page, live_server, username):
    page.context.clear_cookies()
    browser_login(page, live_server, username)


def test_a_nurse_plan_from_the_beranda_to_approval_with_notices_and_emails(
        page, live_server, accounts_live, smtp):
    nurse, kapus = accounts_live["pegawai"], accounts_live["penilai"]
    nurse_mail, kapus_mail = (_verified_email(live_server.app, u) for u in (nurse, kapus))
    page.on("dialog", lambda dialog: dialog.accept())  # "Ajukan …?" is confirmed

    # The nurse's Beranda says what to do first, and the button starts it.
    browser_login(page, live_server, nurse)
    card = page.locator("#my-skp")
    expect(card).to_contain_text("Anda belum menyusun SKP")
    card.get_by_role("button", name=re.compile("Susun SKP")).click()
    page.get_by_role("button", name="Buat draft SKP").click()
    expect(page.get_by_role("heading", name=re.compile(r"^SKP \d{4}"))).to_be_visible()
    settled(page)
    add_rhk(page, "Terlaksananya asuhan keperawatan pasien", "Jumlah pasien yang dilayani", "2400", "pasien")
    expect(page.locator("#skp-status")).not_to_contain_text("paling sedikit satu RHK Utama")
    settled(page)
    page.get_by_role("button", name="Ajukan kepada Pejabat Penilai").click()
    expect(page.locator("#skp-status-badge")).to_have_text("Diajukan")

    # The Kepala Puskesmas is told by email, with a link through the notification centre.
    [sent] = smtp.wait_for(1)
    assert sent.recipients == [kapus_mail]
    assert "mengajukan" in sent.subject
    assert re.search(r"http://kinerja\.test/notifikasi/\d+/buka", sent.text)
    assert "<a " in sent.html

    page.goto(f"{live_server.url}/")
    expect(page.locator("#my-skp")).to_contain_text("Menunggu persetujuan Pejabat Penilai sejak")

    # The Kepala Puskesmas finds it first on the Beranda and approves it in the page.
    _switch(page, live_server, kapus)
    waiting = page.locator("#team-work")
    nurse_name = waiting.locator("li", has=page.locator("a[href$='/tinjau']"), has_text="Wulan")
    expect(nurse_name).to_have_count(1)
    expect(page.locator("#notif-count")).to_contain_text(re.compile(r"\d"))
    nurse_name.get_by_role("link").click()
    panel = page.locator("#review-panel")
    expect(panel).to_contain_text("Terlaksananya asuhan keperawatan pasien")
    settled(page)
    panel.get_by_role("button", name="Setujui").click()
    expect(panel.locator("#review-notice")).to_contain_text("disetujui")
    page.goto(f"{live_server.url}/")
    expect(waiting.locator("li", has=page.locator("a[href$='/tinjau']"), has_text="Wulan")).to_have_count(0)

    # The nurse gets the email and, on her Beranda, the notice; opening it marks it read.
    approved = smtp.wait_for(2)[1]
    assert approved.recipients == [nurse_mail] and "disetujui" in approved.subject
    _switch(page, live_server, nurse)
    expect(page.locator("#my-skp")).to_contain_text("disetujui")
    notice = page.locator("#my-notifications li", has_text="disetujui")
    expect(notice).to_have_count(1)
    notice.get_by_role("link").click()
    expect(page.locator("#skp-status-badge")).to_have_text("Disetujui")
    page.goto(f"{live_server.url}/")
    expect(page.locator("#my-notifications li", has_text="disetujui")).to_have_count(0)
