"""Follow-up in a real browser (issue 14's journey): a Butuh Perbaikan evaluation becomes final,
its coaching proposal appears on the Pejabat Penilai's Beranda, accepting it opens the coaching
plan where an action is added in place, and the employee agrees to the plan."""
from playwright.sync_api import expect

from ..support.browser import browser_login, settled
from ..support.evaluation import LAST, demo_cast


def _switch(page, live_server, employee):
    page.context.clear_cookies()
    browser_login(page, live_server, employee.nip)


def test_from_a_butuh_perbaikan_to_an_agreed_coaching_plan(page, live_server, accounts_live):
    with live_server.app.app_context():
        cast = demo_cast()

    # The Pejabat Penilai approves the waiting evaluation with a Butuh Perbaikan.
    _switch(page, live_server, cast.penilai)
    page.goto(f"{live_server.url}/kinerja/tim/penilaian")
    page.locator("#review-queue li", has_text=cast.worker.name).filter(
        has_text=f"Periode {LAST}").get_by_role("link").click()
    panel = page.locator("#review-panel")
    expect(panel.get_by_role("button", name="Tetapkan")).to_be_visible()
    settled(page)
    # The guidance under each option repeats the rating names: pick by the option's own name.
    page.locator("fieldset.rating", has_text="Rating Hasil Kerja").get_by_role(
        "radio", name="Di Bawah Ekspektasi Sebagian").check()
    page.locator("fieldset.rating", has_text="Rating Perilaku Kerja").get_by_role(
        "radio", name="Sesuai Ekspektasi Sebagian").check()
    expect(page.locator("#predikat-preview")).to_contain_text("Butuh Perbaikan")
    settled(page)
    panel.get_by_role("button", name="Tetapkan").click()
    expect(panel).to_contain_text("ditetapkan dengan predikat Butuh Perbaikan")

    # The proposal waits on the Beranda; accepting it opens the coaching plan.
    page.goto(f"{live_server.url}/")
    waiting = page.locator("#team-work li", has_text=cast.worker.name).filter(has_text="Rencana pembinaan")
    expect(waiting).to_be_visible()
    waiting.get_by_role("link").click()
    row = page.locator("article.rhk", has_text=cast.worker.name).filter(has_text="Menunggu keputusan")
    row.get_by_role("button", name="Terima dan buka rencana pembinaan").click()
    expect(page.get_by_role("heading", name="Rencana pembinaan")).to_be_visible()
    expect(page.locator("#plan-gap")).to_contain_text("Hasil kerja di bawah ekspektasi")
    plan_url = page.url

    # An agreed action, added in place.
    actions = page.locator("#plan-actions")
    actions.locator("summary", has_text="Tambah tindakan").click()
    actions.get_by_label("Tindakan yang disepakati").fill("Mengikuti pelatihan pencatatan SIMPUS")
    actions.get_by_label("Pelaksana").select_option("employee")
    actions.get_by_label("Batas waktu").fill("2026-12-15")
    settled(page)
    actions.get_by_role("button", name="Tambah tindakan").click()
    expect(actions).to_contain_text("Tindakan ditambahkan")
    expect(actions.locator("ul.todo")).to_contain_text("Mengikuti pelatihan pencatatan SIMPUS")
    assert page.url == plan_url

    # The employee finds it on their Beranda and agrees to it.
    _switch(page, live_server, cast.worker)
    page.goto(f"{live_server.url}/")
    page.locator("#my-work").get_by_role("link", name="Rencana pembinaan Anda: baca dan setujui").click()
    expect(page.locator("#plan-actions")).to_contain_text("Mengikuti pelatihan pencatatan SIMPUS")
    settled(page)
    page.get_by_role("button", name="Setujui rencana pembinaan").click()
    expect(page.locator("#plan-status")).to_contain_text("Disetujui pegawai")
    expect(page.get_by_role("button", name="Setujui rencana pembinaan")).to_have_count(0)
