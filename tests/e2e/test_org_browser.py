"""Employees in a real browser: active search, and a NIP corrected inline before saving."""
import re

from playwright.sync_api import expect

from ..support.browser import browser_login, settled


def _demo_nurse(live_server):
    from kinerja.models import Employee, Position
    with live_server.app.app_context():
        return (Employee.select().join(Position, on=(Employee.position == Position.id))
                .where(Position.name == "Perawat Ahli Pertama").order_by(Employee.id).first())


def test_active_search_updates_the_table_without_loading_a_page(page, live_server, accounts_live):
    nurse = _demo_nurse(live_server)
    browser_login(page, live_server, accounts_live["admin"])
    page.goto(f"{live_server.url}/organisasi/pegawai")
    rows = page.locator("#employee-results tbody tr")
    expect(rows).to_have_count(50)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Cari NIP atau nama").press_sequentially(nurse.name[:-2])

    expect(page.locator("#employee-count")).to_contain_text(f"cocok dengan “{nurse.name[:-2]}”")
    expect(rows.filter(has_text=nurse.nip)).to_have_count(1)
    for text in rows.all_inner_texts():
        assert nurse.name[:-2].lower() in text.lower()
    assert page.evaluate("window.stillTheSamePage") is True
    # The address follows the search, so it can be shared and reloaded.
    expect(page).to_have_url(re.compile(r"/organisasi/pegawai\?q=" + nurse.name[:-2].split()[0]))
    page.reload()
    expect(page.get_by_label("Cari NIP atau nama")).to_have_value(nurse.name[:-2])
    expect(rows.filter(has_text=nurse.nip)).to_have_count(1)


def test_a_wrong_nip_is_fixed_inline_then_the_employee_is_created(page, live_server, accounts_live):
    browser_login(page, live_server, accounts_live["admin_opd"])
    page.goto(f"{live_server.url}/organisasi/pegawai/baru")
    form_url = page.url
    nip = page.get_by_label("NIP")

    nip.fill("199213152019032001")  # month 13
    nip.press("Tab")
    error = page.locator("#nip-error")
    expect(error).to_contain_text("tanggal lahir")
    assert page.url == form_url
    # The error arrived with a new NIP field, which listens for changes only once htmx has
    # settled it: corrected and left any earlier, it would send nothing and keep the error.
    settled(page)

    nip.fill("199203152019032001")
    nip.press("Tab")
    expect(error).to_have_count(0)
    settled(page)

    page.get_by_label("Nama (tanpa gelar)").fill("Ratih Kusumawardani")
    page.get_by_label("Gelar belakang").fill("S.Kep., Ns.")
    page.get_by_label("Golongan").fill("III/a")
    page.get_by_label("Jabatan").select_option(label="Perawat Ahli Pertama")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", name="Ratih Kusumawardani, S.Kep., Ns.")).to_be_visible()
    expect(page.locator("#employee-facts")).to_contain_text("UPTD Puskesmas Sukamaju")
    secret = page.locator("#one-time-password .secret")
    expect(secret).to_have_text(re.compile(r"^[A-Za-z0-9]{12}$"))


def test_overriding_the_appraiser_updates_the_section_in_place(page, live_server, accounts_live):
    from kinerja.models import Employee, Position
    nurse = _demo_nurse(live_server)
    with live_server.app.app_context():
        secretary = (Employee.select().join(Position, on=(Employee.position == Position.id))
                     .where(Position.name == "Sekretaris Dinas Kesehatan").first())
    browser_login(page, live_server, accounts_live["admin_opd"])
    page.goto(f"{live_server.url}/organisasi/pegawai/{nurse.id}")
    detail_url = page.url
    page.get_by_text("Ganti Pejabat Penilai atau atasannya").click()
    field = page.get_by_label("NIP Pejabat Penilai pengganti")
    field.fill(secretary.nip)
    field.press("Tab")
    expect(page.locator("#field-appraiser_nip")).to_contain_text(f"Dipilih: {secretary.full_name}.")
    settled(page)
    page.get_by_role("button", name="Simpan penilai").click()
    expect(page.locator("#current-appraiser")).to_contain_text(secretary.full_name)
    expect(page.locator("#current-appraiser")).to_contain_text("diganti admin")
    assert page.url == detail_url
