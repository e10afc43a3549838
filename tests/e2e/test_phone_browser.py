"""On a phone (390 × 844 px): the staff menu folds behind "Menu" so the first screen shows the
page, with or without JavaScript, and opens as headed lists of its groups; table headers wrap
between words only and a wide table scrolls sideways inside the page instead of squeezing it. On
a wide screen the menu is a row of group dropdowns."""
import pytest
from playwright.sync_api import expect

from ..support.browser import browser_login, settled

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
phone = pytest.mark.browser_context_args(**PHONE)


@pytest.fixture
def console(page):
    """What the browser console says about the pages: errors (a CSP refusal is one) and
    uncaught script errors."""
    messages = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    return messages


def menu_button(page):
    return page.locator("#nav-menu > summary")


def menu_link(page, name):
    return page.locator("body > header").get_by_role("link", name=name, exact=True)


@phone
def test_phone_menu_is_folded_until_menu_is_tapped(page, live_server, accounts_live, console):
    browser_login(page, live_server, accounts_live["admin"])
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Selamat datang")
    # The first screen shows the page: a short header, the heading whole under it.
    expect(menu_button(page)).to_have_text("Menu")
    expect(menu_link(page, "Pegawai")).to_be_hidden()
    expect(menu_link(page, "Jejak Audit")).to_be_hidden()
    header, box = page.locator("body > header").bounding_box(), heading.bounding_box()
    assert header["y"] + header["height"] <= 844 / 4, header
    assert box["y"] + box["height"] <= 844, box

    menu_button(page).tap()
    expect(menu_link(page, "Jejak Audit")).to_be_visible()
    expect(menu_link(page, "Pegawai")).to_be_in_viewport()
    menu_link(page, "Pegawai").tap()

    expect(page).to_have_url(f"{live_server.url}/organisasi/pegawai")
    expect(page.get_by_role("heading", level=1, name="Pegawai")).to_be_in_viewport()
    expect(menu_link(page, "Pegawai")).to_be_hidden()  # a new page starts with the menu folded
    settled(page)
    assert console == []


@phone
def test_phone_menu_opens_from_the_keyboard(page, live_server, accounts_live, console):
    browser_login(page, live_server, accounts_live["pegawai"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
    page.locator("body > header a.brand").focus()
    page.keyboard.press("Tab")
    expect(menu_button(page)).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu_link(page, "SKP Saya")).to_be_visible()
    page.keyboard.press("Tab")  # a group's heading is no stop: straight to its first link
    expect(menu_link(page, "SKP Saya")).to_be_focused()

    page.keyboard.press("Escape")  # folds the menu, back on "Menu"
    expect(menu_link(page, "SKP Saya")).to_be_hidden()
    expect(menu_button(page)).to_be_focused()

    page.keyboard.press("Space")
    expect(menu_link(page, "SKP Saya")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(menu_link(page, "Kinerja Saya")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/kinerja/saya")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kinerja Saya")
    settled(page)
    assert console == []


@pytest.mark.browser_context_args(java_script_enabled=False, **PHONE)
def test_phone_menu_works_without_javascript(page, live_server, accounts_live):
    page.goto(f"{live_server.url}/masuk")
    page.get_by_label("NIP atau nama pengguna").fill(accounts_live["pegawai"])
    page.get_by_label("Kata sandi").fill("Kinerja2026!")
    page.get_by_role("button", name="Masuk").tap()
    expect(menu_button(page)).to_have_text("Menu")
    expect(menu_link(page, "Kinerja Saya")).to_be_hidden()

    menu_button(page).tap()  # one tap: the groups' links show without opening each group
    expect(menu_link(page, "Kinerja Saya")).to_be_visible()
    expect(menu_link(page, "Umpan Balik 360°")).to_be_visible()
    menu_link(page, "Kinerja Saya").tap()
    expect(page).to_have_url(f"{live_server.url}/kinerja/saya")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kinerja Saya")
    expect(menu_link(page, "Kinerja Saya")).to_be_hidden()


@phone
def test_menu_is_a_row_of_group_dropdowns_on_a_wide_screen(page, live_server, accounts_live, console):
    browser_login(page, live_server, accounts_live["admin_opd"])
    expect(menu_link(page, "Akun")).to_be_hidden()
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(menu_button(page)).to_be_hidden()
    administration = page.locator("body > header .nav-group > details > summary", has_text="Administrasi")
    organisation = page.locator("body > header .nav-group > details > summary", has_text="Organisasi")
    expect(administration).to_be_visible()
    expect(organisation).to_be_visible()
    expect(menu_link(page, "Panduan")).to_be_visible()  # a group of one is a plain link
    expect(menu_link(page, "Akun")).to_be_hidden()

    organisation.click()
    expect(menu_link(page, "Pegawai")).to_be_visible()
    page.keyboard.press("Escape")  # folds the open group, back on its heading
    expect(menu_link(page, "Pegawai")).to_be_hidden()
    expect(organisation).to_be_focused()

    organisation.click()
    expect(menu_link(page, "Pegawai")).to_be_visible()
    administration.click()  # one group open at a time
    expect(menu_link(page, "Akun")).to_be_visible()
    expect(menu_link(page, "Pegawai")).to_be_hidden()
    page.get_by_role("heading", level=1).click()  # a click elsewhere folds it
    expect(menu_link(page, "Akun")).to_be_hidden()
    administration.click()
    menu_link(page, "Akun").click()
    expect(page).to_have_url(f"{live_server.url}/akun/")
    expect(page.locator('body > header a[aria-current="page"]')).to_have_text("Akun")
    expect(page.locator('body > header summary[aria-current="true"]')).to_have_text("Administrasi")
    settled(page)
    assert console == []


# Every header cell of the page: its words each on one line (none broken across two), not
# wider than the cell, and styled so that no browser may break a word (Pico lets any word
# break). The page does not scroll sideways: a table wider than the screen scrolls in its box.
_TABLES = """() => {
  const width = document.documentElement.clientWidth, problems = [];
  for (const th of document.querySelectorAll("main th")) {
    if (!th.offsetParent) continue;
    const text = th.textContent.trim(), style = getComputedStyle(th);
    if (style.overflowWrap !== "normal" || style.wordBreak !== "normal" || style.hyphens === "auto")
      problems.push(`${text}: may break inside a word (${style.overflowWrap}, ${style.wordBreak}, ${style.hyphens})`);
    if (th.scrollWidth > th.clientWidth + 1) problems.push(`${text}: wider than its cell`);
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) problems.push(`${text}: "${word[0]}" broken across lines`);
      }
    }
  }
  for (const table of document.querySelectorAll("main table")) {
    if (table.getBoundingClientRect().width <= width) continue;
    let box = table.parentElement;
    while (box && !["auto", "scroll"].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    if (!box || box.getBoundingClientRect().right > width)
      problems.push(`table ${table.id || table.className}: wider than the screen, not in a scrolling box`);
  }
  if (document.documentElement.scrollWidth > width)
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px`);
  return problems;
}"""


@phone
@pytest.mark.parametrize("account, path, heading", [
    ("pegawai", "/skp/", "SKP Saya"),
    ("penilai", "/skp/persetujuan", "Persetujuan SKP"),
    ("penilai", "/kinerja/tim/penilaian", "Penilaian evaluasi kinerja"),
    ("admin", "/skp/tahun", "Tahun kinerja"),
    ("admin", "/organisasi/pegawai", "Pegawai"),
    ("admin", "/skm", "Survei Kepuasan Masyarakat"),
])
def test_phone_table_headers_keep_whole_words_and_wide_tables_scroll_in_place(
        page, live_server, accounts_live, console, account, path, heading):
    browser_login(page, live_server, accounts_live[account])
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    expect(page.locator("main th").first).to_be_visible()
    settled(page)
    assert page.evaluate(_TABLES) == []
    assert console == []
