"""The good-practice library in a real browser: an employee writes a practice and submits it,
the head of the unit publishes it in place, and a colleague of another OPD finds it by theme
and marks it useful, the count changing where they clicked."""
from playwright.sync_api import expect

from ..support.browser import browser_login, settled
from ..support.org import holder

TITLE = "Antrean daring di ruang imunisasi"


def _people(live_server):
    with live_server.app.app_context():
        return (holder("Perawat Ahli Pertama").nip, holder("Kepala UPTD Puskesmas Sukamaju").nip,
                holder("Petugas Registrasi Kependudukan", 1).nip)


def _switch(page, live_server, nip):
    page.context.clear_cookies()
    browser_login(page, live_server, nip)


def test_write_submit_publish_find_and_mark_useful(page, live_server):
    writer, head, colleague = _people(live_server)

    # The employee writes a practice and submits it for review.
    _switch(page, live_server, writer)
    page.goto(f"{live_server.url}/praktik-baik/tulis")
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Masalah yang dihadapi").fill("Orang tua menunggu lama di ruang imunisasi.")
    page.get_by_label("Apa yang dilakukan").fill("Nomor antrean dibagikan lewat pesan singkat.")
    page.get_by_role("button", name="Ajukan untuk ditinjau").click()
    # Nothing was lost, and the form says what is missing beside the field.
    expect(page.locator("#field-results .error")).to_contain_text("Tuliskan hasilnya")
    expect(page.get_by_label("Judul")).to_have_value(TITLE)
    page.get_by_label("Hasil (dengan angka)").fill("Waktu tunggu turun dari 90 menit menjadi 20 menit.")
    page.get_by_label("Pelayanan publik").check()
    page.get_by_label("Kesehatan").check()
    page.get_by_role("button", name="Ajukan untuk ditinjau").click()
    expect(page.locator(".flash.success")).to_contain_text("diajukan kepada kepala unit")
    expect(page.locator("#review")).to_contain_text("menunggu tinjauan")

    # The head of the unit finds it in Praktik saya and publishes it in place.
    _switch(page, live_server, head)
    page.goto(f"{live_server.url}/praktik-baik/saya")
    page.locator("#waiting").get_by_role("link", name=TITLE).click()
    practice_url = page.url
    page.get_by_label("Terbitkan").check()
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.locator("#review .flash.success")).to_contain_text("Praktik baik diterbitkan")
    assert page.url == practice_url

    # A colleague in another OPD finds it by theme and marks it useful.
    _switch(page, live_server, colleague)
    page.goto(f"{live_server.url}/praktik-baik")
    settled(page)
    page.get_by_label("Tema").select_option(label="Kesehatan")
    results = page.locator("#results")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results).not_to_contain_text("Arsip digital")
    results.get_by_role("link", name=TITLE).click()
    expect(page.locator("#useful-count")).to_contain_text("0 pegawai")
    settled(page)
    page.get_by_role("button", name="Tandai bermanfaat").click()
    expect(page.locator("#useful-count")).to_contain_text("1 pegawai")
    expect(page.get_by_role("button", name="Bermanfaat ✓")).to_be_visible()
    assert page.url == practice_url
