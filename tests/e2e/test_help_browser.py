"""Panduan in a real browser at a phone's width (390 px): the menu starts folded, one tap shows
its groups as headed lists with the guides among them, and the "?" beside a form opens its
note in place — no new page, the form untouched — and links to the guide."""
import pytest
from playwright.sync_api import expect

from ..support.browser import browser_login, settled

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
phone = pytest.mark.browser_context_args(**PHONE)


@pytest.fixture
def console(page):
    messages = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    return messages


def header_link(page, name):
    return page.locator("body > header").get_by_role("link", name=name, exact=True)


def group_heading(page, name):
    return page.locator("body > header .nav-group > details > summary", has_text=name)


@phone
def test_phone_menu_is_folded_then_shows_its_groups_with_one_tap(page, live_server, accounts_live,
                                                                 console):
    browser_login(page, live_server, accounts_live["penilai"])
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    for name in ("SKP Saya", "Persetujuan SKP", "Tim Saya", "Panduan"):
        expect(header_link(page, name)).to_be_hidden()
    expect(group_heading(page, "Tim")).to_be_hidden()
    header = page.locator("body > header").bounding_box()
    assert header["y"] + header["height"] <= 844 / 4, header  # the first screen shows the page

    page.locator("#nav-menu > summary").tap()
    # Every group shows at once as a heading over its links: no second tap per group.
    expect(group_heading(page, "Kinerja Saya")).to_be_visible()
    expect(group_heading(page, "Tim")).to_be_visible()
    for name in ("SKP Saya", "Kinerja Saya", "Umpan Balik 360°", "Persetujuan SKP", "Tim Saya",
                 "Rekap SKP", "Kaskade", "Panduan"):
        expect(header_link(page, name)).to_be_in_viewport()
    # A heading is a label, not a toggle: tapping it leaves its links where they are.
    group_heading(page, "Tim").tap(force=True)
    expect(header_link(page, "Tim Saya")).to_be_visible()

    header_link(page, "Panduan").tap()
    expect(page).to_have_url(f"{live_server.url}/panduan")
    expect(page.get_by_role("heading", level=1, name="Panduan")).to_be_visible()
    expect(header_link(page, "Panduan")).to_be_hidden()  # the new page starts folded
    page.get_by_role("link", name="Panduan Pejabat Penilai Kinerja").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Panduan Pejabat Penilai Kinerja")
    expect(page.locator("#matriks-predikat")).to_contain_text("Kurang/Misconduct")
    settled(page)
    assert console == []


@phone
def test_help_beside_the_rating_form_opens_in_place(page, live_server, accounts_live, console):
    browser_login(page, live_server, accounts_live["penilai"])
    page.goto(f"{live_server.url}/kinerja/tim/penilaian")
    form = page.locator("#rating-form")
    expect(form).to_be_visible()
    settled(page)
    note = form.locator("details.help .help-body")
    expect(note).to_be_hidden()

    form.get_by_label("Bantuan").tap()
    expect(note).to_be_visible()
    expect(note).to_contain_text("matriks")
    expect(page).to_have_url(f"{live_server.url}/kinerja/tim/penilaian")  # still on the form
    expect(form.locator('input[name="result_rating"]').first).to_be_visible()
    expect(note.get_by_role("link", name="Baca selengkapnya")).to_have_attribute(
        "href", "/panduan/pejabat-penilai#menilai")

    form.get_by_label("Bantuan").tap()  # and folds again
    expect(note).to_be_hidden()
    assert console == []


@phone
def test_help_beside_the_ikm_weight_opens_in_place_and_leads_to_the_guide(page, live_server,
                                                                         accounts_live, console):
    browser_login(page, live_server, accounts_live["admin"])
    page.goto(f"{live_server.url}/skm/bobot")
    note = page.locator("main details.help .help-body")
    expect(note).to_be_hidden()
    page.locator("main").get_by_label("Bantuan").tap()
    expect(note).to_be_in_viewport()
    expect(note).to_contain_text("1/9")
    expect(page.get_by_role("button", name="Simpan bobot")).to_be_attached()
    note.get_by_role("link", name="Baca selengkapnya").tap()
    expect(page).to_have_url(f"{live_server.url}/panduan/admin#ikm")
    expect(page.locator("#ikm h2")).to_be_in_viewport()
    settled(page)
    assert console == []
