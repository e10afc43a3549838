from playwright.sync_api import expect

from ..support.browser import browser_login


def test_employee_logs_in_and_sees_their_appraiser(page, live_server, accounts_live):
    browser_login(page, live_server, accounts_live["pegawai"])
    expect(page.get_by_role("heading", name="Selamat datang")).to_be_visible()
    expect(page.get_by_text("Pejabat Penilai Kinerja")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text(accounts_live["pegawai"])


def test_wrong_password_shows_an_indonesian_message(page, live_server, accounts_live):
    browser_login(page, live_server, accounts_live["pegawai"], "salah-sekali-1")
    expect(page.locator("#login-error")).to_have_text("NIP/nama pengguna atau kata sandi salah.")
