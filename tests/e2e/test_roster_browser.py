"""Browser, at phone width: the admin OPD adds the Puskesmas shifts, dry-runs a roster with
bad rows, then confirms a good one and sees the shifts on the employee's month."""
import datetime

from playwright.sync_api import expect

from kinerja import clock
from kinerja.models import Employee, Unit
from kinerja.spreadsheets import xlsx_bytes

from ..support.browser import browser_login

PHONE = {"width": 390, "height": 844}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_admin_opd_dry_runs_then_confirms_a_roster(page, live_server, accounts_live, tmp_path):
    nip = accounts_live["pegawai_skp"]
    with live_server.app.app_context():
        dinkes = Unit.get(Unit.code == "DINKES")
        employee = Employee.get(Employee.nip == nip)
        outsider = Employee.select().join(Unit).where(~Unit.path.startswith(dinkes.path)).first()
    bad = tmp_path / "jadwal-salah.xlsx"
    bad.write_bytes(xlsx_bytes({"Jadwal dinas": (["NIP", "Nama", "1", "2", "3"], [
        [nip, "Pegawai", "P", "Z", "L"],
        [outsider.nip, "Orang luar", "P", "P", "P"]])}))
    good = tmp_path / "jadwal.xlsx"
    good.write_bytes(xlsx_bytes({"Jadwal dinas": (["NIP", "Nama", "1", "2", "3"], [
        [nip, "Pegawai", "P", "M", "L"]])}))

    page.set_viewport_size(PHONE)
    browser_login(page, live_server, accounts_live["admin_opd"])
    page.goto(f"{live_server.url}/presensi/shift")
    for code, name, start, end in (("P", "Pagi", "07:00", "14:00"), ("M", "Malam", "21:00", "07:00")):
        page.get_by_label("Unit kerja").select_option(str(dinkes.id))
        page.get_by_label("Kode").fill(code)
        page.get_by_label("Nama").fill(name)
        page.get_by_label("Mulai").fill(start)
        page.get_by_label("Selesai").fill(end)
        page.get_by_role("button", name="Simpan shift").click()
        expect(page.locator(".flash.success")).to_contain_text(f"Shift {code} dicatat")
    expect(page.locator("#shifts")).to_contain_text("(esok hari)")
    _fits(page)

    page.get_by_role("link", name="Impor jadwal dinas").click()
    page.get_by_label("Berkas jadwal dinas").set_input_files(str(bad))
    page.get_by_role("button", name="Periksa berkas").click()
    rows = page.locator("table.import-bad tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("“Z”")
    expect(rows.nth(1)).to_contain_text("bukan pegawai Dinas Kesehatan")
    expect(page.get_by_role("button", name="Simpan jadwal dinas")).to_have_count(0)
    _fits(page)

    page.get_by_label("Berkas jadwal dinas").set_input_files(str(good))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("#import-preview")).to_contain_text("1 pegawai, 2 hari dinas")
    page.get_by_role("button", name="Simpan jadwal dinas 1 pegawai").click()
    expect(page.locator(".flash.success")).to_contain_text("disimpan untuk 1 pegawai")
    _fits(page)

    # The roster page offers next month by default.
    month = (clock.today().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    page.goto(f"{live_server.url}/presensi/pegawai/{employee.id}?tahun={month.year}&bulan={month.month}")
    expect(page.locator("#roster-days")).to_contain_text("Malam")
    expect(page.locator("#roster-days")).to_contain_text("Libur")
    _fits(page)
