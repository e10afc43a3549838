"""Browser: an admin imports a small SIASN CSV that has one bad row."""
import csv
import io
import re

from playwright.sync_api import expect

from kinerja.stores.siasn.columns import COLUMNS

from ..support.browser import browser_login

HEADERS = [c.header for c in COLUMNS]


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HEADERS])
    return out.getvalue()


def test_admin_imports_a_csv_skipping_the_bad_row(page, live_server, accounts_live, tmp_path):
    common = {"JENIS_PEGAWAI": "PNS", "GOL_AKHIR_NAMA": "III/a", "JABATAN_NAMA": "Perawat Ahli Pertama",
              "JENIS_JABATAN_NAMA": "Fungsional", "UNOR_ID": "PKM-SUKAMAJU",
              "UNOR_NAMA": "UPTD Puskesmas Sukamaju", "UNOR_INDUK_ID": "DINKES",
              "UNOR_INDUK_NAMA": "Dinas Kesehatan", "NIP_ATASAN": accounts_live["penilai"]}
    path = tmp_path / "ekspor-siasn.csv"
    path.write_text(_csv([
        dict(common, NIP_BARU="199102032015012100", NAMA="Wulan Sari", GELAR_BELAKANG="S.Kep., Ns."),
        dict(common, NIP_BARU="1991020320150121", NAMA="Salah Ketik"),
    ]), encoding="utf-8")

    browser_login(page, live_server, accounts_live["admin"])
    page.goto(f"{live_server.url}/impor/")
    page.get_by_label("Berkas ekspor SIASN").set_input_files(str(path))
    page.get_by_role("button", name="Periksa berkas").click()

    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("Belum ada yang disimpan")
    assert page.url == f"{live_server.url}/impor/"  # the dry run appeared in place
    bad = page.locator("table.import-bad tbody tr")
    expect(bad).to_have_count(1)
    expect(bad.locator("td").first).to_have_text("3")
    expect(bad).to_contain_text("NIP harus 18 digit (yang diisi 16 digit)")

    # Confirming without choosing to skip the bad row is refused, and nothing is written.
    page.get_by_role("button", name="Simpan ke Kinerja").click()
    expect(page.locator("#field-skip_bad")).to_contain_text("Ada 1 baris bermasalah")

    page.get_by_label("Lewati baris bermasalah").check()
    page.get_by_role("button", name="Simpan ke Kinerja").click()
    expect(page.get_by_role("heading", name="Hasil impor SIASN")).to_be_visible()
    expect(page.locator("table.import-newcomers")).to_contain_text("Wulan Sari, S.Kep., Ns.")
    expect(page.get_by_text("1 baris bermasalah dilewati")).to_be_visible()

    if "org.employees" in live_server.app.view_functions:
        page.get_by_role("link", name="Lihat daftar pegawai").click()
        # Arrive before going on: a second navigation started at once would abort this one.
        expect(page).to_have_url(re.compile(r"/organisasi/pegawai"))
        expect(page.locator("#employee-results")).to_be_visible()
        page.goto(f"{live_server.url}/organisasi/pegawai?q=Wulan+Sari")
        results = page.locator("#employee-results")
        expect(results).to_contain_text("199102032015012100")
        expect(results).to_contain_text("UPTD Puskesmas Sukamaju")
