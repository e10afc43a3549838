"""Browser: an admin's dry run of a service log shows its bad rows, then a good file is
confirmed and the unit's turnaround moves; the head of the counter takes a proposed indicator
into an RHK of the plan they are drafting."""
from playwright.sync_api import expect

from kinerja.models import Employee, Position, Rhk, Skp, Unit
from kinerja.spreadsheets import xlsx_bytes

from ..support import database
from ..support.browser import browser_login, settled

HEADERS = ["Jenis dokumen", "Diterima", "Selesai", "NIP petugas"]


def _counter(app):
    with database(app):
        unit = Unit.get(Unit.code == "DISDUKCAPIL-DAFDUK")
        petugas = (Employee.select().join(Position, on=(Employee.position == Position.id))
                   .where(Position.name == "Petugas Registrasi Kependudukan")
                   .order_by(Employee.id).first())
        kabid = (Employee.select().join(Position, on=(Employee.position == Position.id))
                 .where(Position.name == "Kepala Bidang Pelayanan Pendaftaran Penduduk").first())
        return unit.id, petugas.nip, kabid


def test_an_admin_dry_runs_then_confirms_a_service_log(page, live_server, accounts_live, tmp_path):
    unit_id, nip, _ = _counter(live_server.app)
    bad = tmp_path / "log-salah.xlsx"
    bad.write_bytes(xlsx_bytes({"Log": (HEADERS, [
        ["Paspor", "2026-11-02 08:00", "2026-11-02 11:00", nip],
        ["KTP-el", "2026-11-04 08:00", "2026-11-03 11:00", nip]])}))
    good = tmp_path / "log.xlsx"
    good.write_bytes(xlsx_bytes({"Log": (HEADERS, [
        ["KTP-el", "2026-11-20 08:05", "2026-11-20 11:00", nip],
        ["Akta Kelahiran", "2026-11-19 09:10", "2026-11-23 14:00", nip]])}))

    browser_login(page, live_server, accounts_live["admin"])
    page.goto(f"{live_server.url}/waktu-layanan/unit/{unit_id}/impor")
    page.get_by_label("Berkas log layanan").set_input_files(str(bad))
    page.get_by_role("button", name="Periksa berkas").click()
    rows = page.locator("table.import-bad tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("belum ada pada standar pelayanan")
    expect(rows.last).to_contain_text("lebih awal dari waktu diterima")
    expect(page.get_by_role("button", name="Simpan")).to_have_count(0)

    page.get_by_label("Berkas log layanan").set_input_files(str(good))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("#import-preview")).to_contain_text("Belum ada yang disimpan")
    page.get_by_role("button", name="Simpan 2 catatan layanan").click()
    expect(page.get_by_text("Impor selesai: 2 catatan layanan disimpan.")).to_be_visible()
    expect(page.get_by_role("heading", name="Per jenis dokumen")).to_be_visible()


def test_the_head_of_the_counter_accepts_a_proposed_indicator(page, live_server, tmp_path):
    _, _, kabid = _counter(live_server.app)
    with database(live_server.app):
        skp = Skp.select().where(Skp.employee == kabid.id).order_by(Skp.year.desc()).first()
        Skp.update(status="draft").where(Skp.id == skp.id).execute()
        rhk = Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.id).first()
        rhk_label = f"{rhk.kind_label} {rhk.order}. {rhk.text[:90]}"

    browser_login(page, live_server, kabid.nip)
    page.goto(f"{live_server.url}/skp/{skp.id}")
    page.get_by_role("link", name="Usulan indikator dari bukti lapangan").click()
    proposal = page.locator("article.proposal", has_text="Persentase dokumen KTP-el")
    expect(proposal).to_contain_text("dokumen; median")
    settled(page)  # before htmx has taken the form over, the button would post the whole page
    proposal.get_by_label("Tambahkan ke RHK").select_option(label=rhk_label)
    proposal.get_by_role("button", name="Tambahkan sebagai indikator").click()
    expect(page.locator("#proposals")).to_contain_text("ditambahkan ke RHK")
    expect(page.locator("article.proposal", has_text="Persentase dokumen KTP-el")).to_contain_text(
        "Sudah menjadi indikator SKP ini")
    page.get_by_role("link", name="Kembali ke SKP").click()
    expect(page.locator("#hasil-kerja")).to_contain_text("Persentase dokumen KTP-el selesai ≤ 1 hari kerja")
