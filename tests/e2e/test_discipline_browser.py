"""Discipline in a real browser: the Kepala Dinas Kesehatan opens the proposal that attendance
opened for a nurse, records the examination and then the decision with an SK number, in
place, and the sanction appears in the rewards and sanctions ledger."""
from playwright.sync_api import expect

from kinerja.models import DisciplineCase, Employee

from ..support.browser import browser_login
from ..support.org import holder


def test_an_official_examines_and_decides_a_proposed_case(page, live_server):
    with live_server.app.app_context():
        head = holder("Kepala Dinas Kesehatan")
        case = DisciplineCase.get(DisciplineCase.status == "diusulkan")
        employee = Employee.get_by_id(case.employee_id)
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, live_server, head.nip)

    page.goto(f"{live_server.url}/disiplin/")
    expect(page.get_by_text("4 hari tanpa keterangan")).to_be_visible()
    page.get_by_role("link", name=employee.full_name).click()
    article = page.locator(f"#case-{case.id}")
    expect(article).to_contain_text("Teguran tertulis")

    article.get_by_label("Berita acara pemeriksaan").fill("Pegawai hadir dan mengakui tidak masuk 4 hari.")
    article.get_by_role("button", name="Simpan pemeriksaan").click()
    expect(article.locator(".flash.success")).to_contain_text("Pemeriksaan dicatat")
    expect(article).to_contain_text("Pegawai hadir dan mengakui")

    article.get_by_label("Hukuman disiplin").select_option("teguran_tertulis")
    article.get_by_label("Nomor SK").fill("800.1.6/21/DINKES/2026")
    article.get_by_role("button", name="Simpan keputusan").click()
    expect(article.locator(".flash.success")).to_contain_text("masuk riwayat sanksi")
    expect(article).to_contain_text("SK nomor 800.1.6/21/DINKES/2026")

    article.get_by_role("link", name="lihat di riwayat penghargaan dan sanksi").click()
    expect(page.locator("article.decision")).to_contain_text("Teguran tertulis")
    expect(page.locator("article.decision")).to_contain_text("800.1.6/21/DINKES/2026")
    page.goto(f"{live_server.url}/penghargaan-sanksi/")
    expect(page.get_by_text("800.1.6/21/DINKES/2026")).to_be_visible()
