"""An SKP from draft to approval in a real browser: RHK added in the page, submitted,
returned with a comment on one RHK, fixed, resubmitted and approved without the
Pejabat Penilai's page navigating."""
import re

from playwright.sync_api import expect

from ..support.browser import add_rhk, browser_login, settled

MARKER = "window.__skpMarker"


def _switch_user(page, live_server, username):
    page.context.clear_cookies()
    browser_login(page, live_server, username)


def _pending(page) -> int:
    return int(page.locator("#inbox-counter strong").inner_text())


def test_draft_submit_return_fix_resubmit_and_approve(page, live_server, accounts_live):
    page.on("dialog", lambda dialog: dialog.accept())
    employee = accounts_live["pegawai"]

    # The employee drafts an SKP with two RHK, in the page.
    browser_login(page, live_server, employee)
    page.goto(f"{live_server.url}/skp/")
    page.get_by_role("button", name="Buat draft SKP").click()
    expect(page.get_by_role("heading", name=re.compile(r"^SKP \d{4}"))).to_be_visible()
    settled(page)
    plan_url = page.url
    page.evaluate(f"{MARKER} = 'tetap'")
    # A bad entry shows its message next to the field and keeps what was typed.
    page.get_by_role("button", name="Tambah RHK Utama").click()
    form = page.locator("#rhk-form-new-utama")
    expect(form).to_be_visible()
    settled(page)
    form.get_by_label("Rencana Hasil Kerja (RHK)").fill("Terlaksananya asuhan keperawatan pasien")
    form.get_by_label("Target", exact=True).fill("2400")
    form.get_by_role("button", name="Simpan RHK").click()
    expect(form.get_by_text("Pilih RHK Pejabat Penilai yang diintervensi.")).to_be_visible()
    expect(form.get_by_text("Satuan target wajib diisi", exact=False)).to_be_visible()
    expect(form.get_by_label("Rencana Hasil Kerja (RHK)")).to_have_value("Terlaksananya asuhan keperawatan pasien")
    settled(page)  # "Batal" came with the form's answer; clicked earlier it would leave the page
    form.get_by_role("link", name="Batal").click()
    expect(form).to_have_count(0)
    settled(page)
    add_rhk(page, "Terlaksananya asuhan keperawatan pasien", "Jumlah pasien yang dilayani", "2400", "pasien")
    add_rhk(page, "Terlaksananya kunjungan rumah keluarga rawan", "Jumlah keluarga dikunjungi", "60", "keluarga")
    assert page.url == plan_url
    assert page.evaluate(MARKER) == "tetap"  # no reload while drafting
    expect(page.locator("#skp-status")).not_to_contain_text("paling sedikit satu RHK Utama")
    page.get_by_role("button", name="Ajukan kepada Pejabat Penilai").click()
    expect(page.locator("#skp-status-badge")).to_have_text("Diajukan")

    # The Pejabat Penilai returns it with a comment on the second RHK, in the page.
    _switch_user(page, live_server, accounts_live["penilai"])
    page.goto(f"{live_server.url}/skp/persetujuan")
    inbox_url = page.url
    before = _pending(page)
    row = page.locator("#inbox-list tr", has_text=employee)
    page.evaluate(f"{MARKER} = 'tetap'")
    row.get_by_role("link", name="Tinjau").click()
    panel = page.locator("#review-panel")
    expect(panel).to_contain_text("Terlaksananya kunjungan rumah keluarga rawan")
    settled(page)
    panel.locator(".review-rhk", has_text="kunjungan rumah").get_by_role("textbox").fill(
        "Target 60 keluarga terlalu rendah; sesuaikan dengan jumlah keluarga rawan.")
    panel.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    expect(panel.locator("#review-notice")).to_contain_text("dikembalikan")
    expect(row.locator(".badge")).to_have_text("Dikembalikan")
    expect(page.locator("#inbox-counter strong")).to_have_text(str(before - 1))
    assert page.url == inbox_url and page.evaluate(MARKER) == "tetap"

    # The employee sees the comment beside that RHK, fixes it and submits again.
    _switch_user(page, live_server, employee)
    page.goto(plan_url)
    second = page.locator("article.rhk", has_text="kunjungan rumah")
    expect(second.locator(".review-comment")).to_contain_text("Target 60 keluarga terlalu rendah")
    expect(page.locator("article.rhk", has_text="asuhan keperawatan").locator(".review-comment")).to_have_count(0)
    second.get_by_role("button", name="Ubah").click()
    edit = page.locator("form.rhk-form")
    expect(edit).to_be_visible()
    settled(page)
    edit.get_by_label("Target", exact=True).fill("150")
    edit.get_by_role("button", name="Simpan RHK").click()
    expect(page.locator("article.rhk", has_text="kunjungan rumah")).to_contain_text("150 keluarga")
    settled(page)  # the status with "Ajukan lagi" is refreshed after every change to an RHK
    page.get_by_role("button", name="Ajukan lagi").click()
    expect(page.locator("#skp-status-badge")).to_have_text("Diajukan")

    # The Pejabat Penilai approves it without the page navigating.
    _switch_user(page, live_server, accounts_live["penilai"])
    page.goto(f"{live_server.url}/skp/persetujuan")
    before = _pending(page)
    row = page.locator("#inbox-list tr", has_text=employee)
    row.get_by_role("link", name="Tinjau").click()
    panel = page.locator("#review-panel")
    expect(panel).to_contain_text("150 keluarga")
    settled(page)
    panel.scroll_into_view_if_needed()
    page.evaluate(f"{MARKER} = 'tetap'")
    scrolled = page.evaluate("window.scrollY")
    panel.get_by_role("button", name="Setujui").click()
    expect(panel.locator("#review-notice")).to_contain_text("disetujui")
    expect(row.locator(".badge")).to_have_text("Disetujui")
    expect(page.locator("#inbox-counter strong")).to_have_text(str(before - 1))
    assert page.url == inbox_url
    assert page.evaluate(MARKER) == "tetap"
    if scrolled:
        assert page.evaluate("window.scrollY") > 0
    # The next pending plan is already open for review.
    expect(panel.get_by_role("button", name="Setujui")).to_be_visible()

    # The approved plan is locked for its owner.
    _switch_user(page, live_server, employee)
    page.goto(plan_url)
    expect(page.locator("#skp-status-badge")).to_have_text("Disetujui")
    expect(page.get_by_role("button", name="Tambah RHK Utama")).to_have_count(0)
