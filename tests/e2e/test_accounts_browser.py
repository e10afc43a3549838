import re

from playwright.sync_api import expect

from ..support.browser import browser_login, settled

NEW_PASSWORD = "Sandiku2026baru"


def test_admin_resets_a_password_in_the_page_and_the_owner_must_change_it(page, live_server,
                                                                          accounts_live):
    nip = accounts_live["pegawai"]
    browser_login(page, live_server, "admin")
    page.goto(f"{live_server.url}/akun/")
    page.get_by_label("Cari nama, NIP atau nama pengguna").fill(nip)
    rows = page.locator("#account-results tbody")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row).to_contain_text(nip)
    settled(page)  # the row's buttons post with htmx only once the new list has settled
    list_url = page.url

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Atur ulang kata sandi").click()
    secret_box = row.locator("code.secret")
    expect(secret_box).to_be_visible()
    expect(row).to_contain_text("Wajib ganti kata sandi")
    assert page.url == list_url
    secret = secret_box.inner_text().strip()
    assert re.fullmatch(r"[A-Za-z0-9]{12}", secret)

    page.context.clear_cookies()
    browser_login(page, live_server, nip, secret)
    expect(page).to_have_url(re.compile(r"/kata-sandi"))
    page.locator("#current").fill(secret)
    page.locator("#new").fill(NEW_PASSWORD)
    page.locator("#confirm").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.get_by_role("heading", name="Selamat datang")).to_be_visible()


def test_declining_the_confirmation_changes_nothing(page, live_server, accounts_live):
    nip = accounts_live["pegawai"]
    browser_login(page, live_server, "admin")
    page.goto(f"{live_server.url}/akun/?q={nip}")
    row = page.locator("#account-results tbody").first
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="Nonaktifkan").click()
    # The list reloaded from the server still holds the account among the active ones.
    page.get_by_label("Status").select_option("aktif")
    # htmx writes the address before it swaps: read the list only once the answer has settled.
    expect(page).to_have_url(re.compile(r"status=aktif"))
    settled(page)
    rows = page.locator("#account-results tbody")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("button", name="Nonaktifkan")).to_be_visible()


def test_audit_filters_update_the_list_and_a_wrong_date_is_explained(page, live_server):
    browser_login(page, live_server, "admin")
    page.goto(f"{live_server.url}/audit/")
    expect(page.locator("#audit-results")).to_contain_text("Data demo kabupaten dibuat")
    page.get_by_label("Dari tanggal").fill("31-02-2026")
    page.get_by_label("Cari di ringkasan").click()  # leaving the field sends the filter
    expect(page.locator("#date_from-error")).to_have_text("Tanggal 31-02-2026 tidak ada di kalender.")
    expect(page.locator("#audit-results")).to_contain_text("Perbaiki isian filter")
    settled(page)  # the date fields were swapped in beside the results
    page.get_by_label("Dari tanggal").fill("")
    page.get_by_label("Cari di ringkasan").fill("tidak-ada-yang-begini")
    expect(page.locator("#audit-results")).to_contain_text("Tidak ada catatan yang cocok")
    expect(page.locator("#date_from-error")).to_have_count(0)
