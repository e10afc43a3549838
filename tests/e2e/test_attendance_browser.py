"""Browser: the admin OPD dry-runs an attendance file with a bad row and a holiday, then
confirms a good file and sees the figures on the unit page."""
from playwright.sync_api import expect

from kinerja import clock
from kinerja.models import DisciplineCase
from kinerja.spreadsheets import xlsx_bytes

from ..support.browser import browser_login
from ..support.org import holder

HEADERS = ["NIP", "Tanggal", "Jam masuk", "Jam pulang"]


def test_an_admin_opd_dry_runs_then_confirms_an_attendance_import(page, live_server, accounts_live, tmp_path):
    nip = accounts_live["pegawai_skp"]
    bad = tmp_path / "presensi-salah.xlsx"
    bad.write_bytes(xlsx_bytes({"Harian": (HEADERS, [
        [nip, "2026-11-23", "07:50", "16:00"],
        ["199912312020121999", "2026-11-23", "07:30", "16:00"],
        [nip, "2026-11-20", "jam tujuh", "16:00"]])}))
    good = tmp_path / "presensi.xlsx"
    good.write_bytes(xlsx_bytes({"Harian": (HEADERS, [
        [nip, "2026-11-23", "07:50", "16:00"],
        [nip, "2026-11-22", "08:00", "12:00"]])}))

    browser_login(page, live_server, accounts_live["admin_opd"])
    page.goto(f"{live_server.url}/presensi/impor")
    page.get_by_label("Berkas presensi").set_input_files(str(bad))
    page.get_by_role("button", name="Periksa berkas").click()
    rows = page.locator("table.import-bad tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("tidak terdaftar di Kinerja")
    expect(rows.nth(1)).to_contain_text("Jam masuk")
    expect(page.get_by_role("button", name="Simpan presensi")).to_have_count(0)

    page.get_by_label("Berkas presensi").set_input_files(str(good))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("#import-preview")).to_contain_text("2 hari-pegawai")
    expect(page.locator("#import-preview")).to_contain_text("Catatan (1 baris")
    page.get_by_role("button", name="Simpan presensi").click()
    expect(page.locator(".flash.success")).to_contain_text("Impor selesai: presensi 2 hari-pegawai")
    expect(page.get_by_role("cell", name="presensi.xlsx")).to_be_visible()


def test_an_import_that_takes_someone_over_a_threshold_opens_a_discipline_proposal(
        page, live_server, accounts_live, tmp_path):
    """The demo's clerk stands at 2,68 days without a valid reason; today's import covers the
    Dinas Kesehatan and has no row for her: the third day opens a proposal (PP 94/2021: 3 days,
    teguran lisan) for the Kepala Dinas, who finds it in the discipline queue."""
    with live_server.app.app_context():
        clerk = holder("Pengadministrasi Layanan Kesehatan")
        head = holder("Kepala Dinas Kesehatan")
        assert not DisciplineCase.select().where(DisciplineCase.employee == clerk.id).exists()
    today = clock.today()
    upload = tmp_path / "presensi-hari-ini.xlsx"
    upload.write_bytes(xlsx_bytes({"Harian": (HEADERS, [
        [accounts_live["pegawai_skp"], today.isoformat(), "07:25", "14:05"]])}))

    browser_login(page, live_server, accounts_live["admin_opd"])
    page.goto(f"{live_server.url}/presensi/impor")
    page.get_by_label("Berkas presensi").set_input_files(str(upload))
    page.get_by_role("button", name="Periksa berkas").click()
    page.get_by_role("button", name="Simpan presensi").click()
    expect(page.locator(".flash.success")).to_contain_text("Impor selesai")

    page.context.clear_cookies()
    browser_login(page, live_server, head.nip)
    page.goto(f"{live_server.url}/disiplin/")
    expect(page.get_by_role("link", name=clerk.full_name)).to_be_visible()
    page.get_by_role("link", name=clerk.full_name).click()
    expect(page.locator("main")).to_contain_text("Teguran lisan")
