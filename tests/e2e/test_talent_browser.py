"""The talent map in a real browser: BKPSDM imports potential scores (a dry run listing the
bad rows, then a good file confirmed), sees the grid, and opens a box's names in place."""
import io

from openpyxl import Workbook
from playwright.sync_api import expect

from kinerja.stores.talent.placement import talent_map

from ..support.browser import browser_login, settled
from ..support.org import holder


def _xlsx(path, rows):
    book = Workbook()
    book.active.append(["NIP", "Potensial", "Skor", "Tanggal", "Sumber"])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return str(path)


def test_bkpsdm_imports_potential_and_opens_a_box(page, live_server, accounts_live, tmp_path):
    with live_server.app.app_context():
        head = holder("Kepala Dinas Kesehatan")
    browser_login(page, live_server, accounts_live["admin"])
    page.goto(f"{live_server.url}/talenta/potensi")

    # A file with a bad row: every problem listed, nothing to confirm.
    bad = _xlsx(tmp_path / "salah.xlsx", [(head.nip, "tinggi", None, "2026-06-01", "Assessment Center"),
                                          ("12345", "luar biasa", None, "2026-06-01", "Uji Kompetensi")])
    page.get_by_label("Berkas hasil asesmen (.xlsx atau .csv)").set_input_files(bad)
    page.get_by_role("button", name="Periksa (uji coba)").click()
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("NIP harus 18 angka.")
    expect(problems).to_contain_text("Potensial harus rendah, menengah, atau tinggi.")
    expect(page.get_by_role("button", name="Konfirmasi dan simpan 1 baris")).to_have_count(0)
    settled(page)

    # A good file: the dry run, then confirm.
    page.get_by_role("link", name="Unggah berkas lain").click()
    good = _xlsx(tmp_path / "asesmen.xlsx", [(head.nip, "tinggi", None, "2026-06-01", "Assessment Center")])
    page.get_by_label("Berkas hasil asesmen (.xlsx atau .csv)").set_input_files(good)
    page.get_by_role("button", name="Periksa (uji coba)").click()
    expect(page.locator("#import-rows")).to_contain_text(head.nip)
    settled(page)
    page.get_by_role("button", name="Konfirmasi dan simpan 1 baris").click()
    expect(page.get_by_text("Impor potensial selesai: 1 pegawai.")).to_be_visible()
    expect(page.locator("table.nine-box")).to_be_visible()
    settled(page)

    with live_server.app.app_context():
        placed = next(p for p in talent_map(2025).people if p.id == head.id)
    assert placed.box is not None and placed.level == "tinggi"
    url_before = page.url
    page.locator(f"td.box-{placed.box} a.box-count").click()
    names = page.locator("#box-people")
    expect(names).to_contain_text(f"Kotak {placed.box}")
    expect(names).to_contain_text(head.name)
    assert page.url == url_before
