"""Complaints in a real browser at phone width: a citizen files a complaint, keeps the
tracking code and follows it while the unit's handler answers it in place."""
import pytest
from playwright.sync_api import expect

from kinerja.models import ComplaintDesk, User, db

from ..support.browser import browser_login, settled

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def live_config():
    # A test types faster than a person: the minimum fill time would flag its complaint.
    return {"COMPLAINT_MIN_SECONDS": 0}


def _handler(live_server) -> str:
    with live_server.app.app_context():
        db.connect(reuse_if_open=True)
        desk = ComplaintDesk.select().first()
        username = User.get(User.employee == desk.handler_id).username
        db.close()
    return username


def test_a_citizen_files_and_follows_a_complaint_while_staff_answer(browser, live_server, tmp_path):
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    citizen = phone.new_page()
    citizen.goto(f"{live_server.url}/pengaduan")
    citizen.get_by_role("link", name="UPTD Puskesmas Sukamaju").click()
    citizen.get_by_label("Apa yang terjadi?").fill("Loket pendaftaran tutup pukul 10 tanpa pemberitahuan.")
    citizen.get_by_label("Di mana? (ruang, loket, lokasi)").fill("Loket pendaftaran")
    photo = tmp_path / "loket.png"
    photo.write_bytes(PNG)
    citizen.get_by_label("Foto (tidak wajib, paling banyak 3, PNG atau JPEG)").set_input_files(str(photo))
    settled(citizen)
    citizen.get_by_role("button", name="Kirim pengaduan").click()
    code = citizen.locator("#tracking-code")
    expect(code).to_be_visible()
    tracking = code.inner_text().strip()
    assert len(tracking) == 11 and tracking[5] == "\u2011"  # a non-breaking hyphen

    # Later the citizen types the code on the tracking page.
    citizen.goto(f"{live_server.url}/pengaduan/lacak")
    citizen.get_by_label("Kode pelacakan").fill(tracking.lower())
    citizen.get_by_role("button", name="Lacak").click()
    expect(citizen.locator("#complaint-state")).to_have_text("Diterima")

    # The handler finds it in the inbox and answers it, the page staying where it is.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = staff_context.new_page()
    browser_login(staff, live_server, _handler(live_server))
    staff.goto(f"{live_server.url}/kelola-pengaduan")
    staff.get_by_role("link", name=tracking.replace("\u2011", "-")).click()
    expect(staff.locator("#complaint-state")).to_have_text("Diterima")
    settled(staff)
    url = staff.url
    staff.get_by_label("Ubah status").select_option("dijawab")
    staff.get_by_label("Jawaban untuk pelapor").fill("Jam buka loket kini dipasang di pintu masuk.")
    staff.get_by_role("button", name="Simpan", exact=True).click()
    expect(staff.locator("#complaint-state")).to_have_text("Dijawab")
    expect(staff.locator("#complaint-handling")).to_contain_text("Status pengaduan menjadi Dijawab.")
    assert staff.url == url

    citizen.reload()
    expect(citizen.locator("#complaint-state")).to_have_text("Dijawab")
    expect(citizen.locator("#complaint-answer")).to_have_text("Jam buka loket kini dipasang di pintu masuk.")
    staff_context.close()
    phone.close()
