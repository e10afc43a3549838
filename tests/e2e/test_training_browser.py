"""Browser: a nurse records a training with its certificate and sees her JP total move; an
admin's dry run of a training spreadsheet shows a bad row, then a good file is confirmed."""
from playwright.sync_api import expect

from kinerja.spreadsheets import xlsx_bytes

from ..support.browser import browser_login

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HEADERS = ["NIP", "Nama pelatihan", "Jenis", "Penyelenggara", "Tanggal mulai", "Tanggal selesai", "JP"]


def test_an_employee_adds_a_training_and_sees_the_total_move(page, live_server, accounts_live, tmp_path):
    certificate = tmp_path / "Sertifikat BTCLS.pdf"
    certificate.write_bytes(PDF)
    browser_login(page, live_server, accounts_live["pegawai"])
    page.goto(f"{live_server.url}/pengembangan/")
    expect(page.locator("#jp-total")).to_have_text("12 JP")

    form = page.locator("#record-form")
    form.get_by_label("Nama pelatihan").fill("Pelatihan BTCLS")
    form.get_by_label("Jenis").select_option(label="Pelatihan klasikal")
    form.get_by_label("Jumlah JP").fill("40")
    form.get_by_label("Tanggal mulai").fill("2026-10-05")
    form.get_by_label("Tanggal selesai").fill("2026-10-01")
    form.get_by_label("Sertifikat").set_input_files(str(certificate))
    form.get_by_role("button", name="Simpan pelatihan").click()
    # A wrong date is put beside its field and nothing typed is lost.
    expect(page.locator("#ends-error")).to_contain_text("sebelum tanggal mulai")
    expect(page.locator("#record-form").get_by_label("Nama pelatihan")).to_have_value("Pelatihan BTCLS")

    page.locator("#record-form").get_by_label("Tanggal selesai").fill("2026-10-09")
    page.locator("#record-form").get_by_label("Sertifikat").set_input_files(str(certificate))
    page.locator("#record-form").get_by_role("button", name="Simpan pelatihan").click()
    expect(page.locator("#record-form")).to_contain_text("Pelatihan “Pelatihan BTCLS” dicatat: 40 JP")
    expect(page.locator("#jp-total")).to_have_text("52 JP")
    expect(page.locator("#training-summary")).to_contain_text("Terpenuhi")
    expect(page.locator("#training-summary").get_by_role("link", name="Sertifikat BTCLS.pdf")).to_be_visible()
    assert page.url == f"{live_server.url}/pengembangan/"


def test_an_admin_dry_runs_then_confirms_an_import(page, live_server, accounts_live, tmp_path):
    nip = accounts_live["pegawai_skp"]
    bad = tmp_path / "pelatihan-salah.xlsx"
    bad.write_bytes(xlsx_bytes({"Pelatihan": (HEADERS, [
        [nip, "Pelatihan Manajemen Laktasi", "Pelatihan klasikal", "Dinkes Provinsi", "2026-08-03", "2026-08-05", 24],
        ["199912312020121999", "Seminar Gizi", "Seminar", "", "2026-08-10", "2026-08-10", "empat"]])}))
    good = tmp_path / "pelatihan.xlsx"
    good.write_bytes(xlsx_bytes({"Pelatihan": (HEADERS, [
        [nip, "Pelatihan Manajemen Laktasi", "Pelatihan klasikal", "Dinkes Provinsi", "2026-08-03", "2026-08-05", 24]])}))

    browser_login(page, live_server, accounts_live["admin"])
    page.goto(f"{live_server.url}/pengembangan/impor")
    page.get_by_label("Berkas catatan pelatihan").set_input_files(str(bad))
    page.get_by_role("button", name="Periksa berkas").click()
    rows = page.locator("table.import-bad tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("tidak terdaftar di Kinerja")
    expect(rows).to_contain_text("bukan bilangan bulat")
    expect(page.get_by_role("button", name="Simpan")).to_have_count(0)

    page.get_by_label("Berkas catatan pelatihan").set_input_files(str(good))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("#import-preview")).to_contain_text("Belum ada yang disimpan")
    page.get_by_role("button", name="Simpan 1 catatan pelatihan").click()
    expect(page.get_by_text("Impor selesai: 1 catatan pelatihan (24 JP) disimpan.")).to_be_visible()
    expect(page.get_by_role("heading", name="Pegawai di bawah 20 JP")).to_be_visible()
