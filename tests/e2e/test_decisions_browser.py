"""The ledger in a real browser: a Pejabat Penilai proposes a piagam for an employee rated
Sangat Baik, BKPSDM approves it in place with an SK number, and the employee sees it (and
it appears on the honour page)."""
from playwright.sync_api import expect

from kinerja.models import Employee, Evaluation

from ..support.browser import browser_login, settled
from ..support.evaluation import demo_cast


def _rated_sangat_baik(live_server):
    with live_server.app.app_context():
        cast = demo_cast()
        evaluation = (Evaluation.select().where((Evaluation.appraiser == cast.penilai.id)
                                                & (Evaluation.predikat == "sangat_baik")
                                                & (Evaluation.status == "approved"))
                      .order_by(Evaluation.id.desc()).first())
        return cast.penilai, Employee.get_by_id(evaluation.employee_id), evaluation


def _switch(page, live_server, username):
    page.context.clear_cookies()
    browser_login(page, live_server, username)


def test_a_piagam_proposed_approved_and_seen_by_the_employee(page, live_server):
    penilai, employee, evaluation = _rated_sangat_baik(live_server)
    page.on("dialog", lambda dialog: dialog.accept())

    # The Pejabat Penilai follows the follow-up's link: employee, evaluation and category filled in.
    _switch(page, live_server, penilai.nip)
    page.goto(f"{live_server.url}/penghargaan-sanksi/usul?pegawai={employee.id}"
              f"&evaluasi={evaluation.id}&kategori=penghargaan")
    expect(page.get_by_text("Sanksi hanya dapat diusulkan di sini")).to_be_visible()
    expect(page.get_by_label("Pegawai")).to_have_value(str(employee.id))
    expect(page.get_by_label("Dasar usulan")).to_have_value(
        "Predikat Sangat Baik pada evaluasi kinerja "
        f"{'tahunan' if evaluation.kind == 'annual' else f'periode {evaluation.number}'} "
        f"tahun {evaluation.year}.")
    page.get_by_label("Jenis").select_option(label="Piagam/sertifikat penghargaan")
    page.get_by_label("Tampilkan di halaman penghargaan bila disetujui").check()
    page.get_by_role("button", name="Kirim usulan ke BKPSDM").click()
    expect(page.locator(".flash.success")).to_contain_text("Usulan dikirim ke BKPSDM")
    entry = page.locator("article.decision")
    expect(entry).to_contain_text("Menunggu keputusan BKPSDM")
    decision_id = entry.get_attribute("id")

    # BKPSDM approves it in the queue, in place, with an SK number.
    _switch(page, live_server, "admin")
    page.goto(f"{live_server.url}/penghargaan-sanksi/")
    queue_url = page.url
    entry = page.locator(f"#{decision_id}")
    entry.get_by_label("Nomor SK").fill("800.1.12/101/BKPSDM/2026")
    entry.get_by_label("Tanggal SK").fill("2026-11-20")
    entry.get_by_role("button", name="Setujui").click()
    expect(entry).to_contain_text("Usulan disetujui dan dicatat.")
    expect(entry).to_contain_text("Nomor 800.1.12/101/BKPSDM/2026, tanggal 20 November 2026")
    assert page.url == queue_url
    settled(page)

    # The employee sees it in their ledger and on the honour page.
    _switch(page, live_server, employee.nip)
    page.goto(f"{live_server.url}/penghargaan-sanksi/")
    expect(page.get_by_role("link", name="Piagam/sertifikat penghargaan").first).to_be_visible()
    expect(page.locator("table")).to_contain_text("800.1.12/101/BKPSDM/2026")
    page.goto(f"{live_server.url}/penghargaan-sanksi/penghargaan")
    expect(page.locator(".honour-roll")).to_contain_text(employee.full_name)
