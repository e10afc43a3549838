"""Steps shared by the browser tests: waiting for htmx to settle, logging in."""
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect


# htmx marks its work in the page with classes: the element whose request is in flight
# (htmx-request), the target being replaced (htmx-swapping), the new content until htmx has
# processed it (htmx-added) and the swapped elements until they settle (htmx-settling). New
# content is visible before it settles, but only a settled element carries its hx-* behaviour:
# a field typed in or left, or a button clicked, before then sends no request at all.
# readyState "complete" comes after DOMContentLoaded, when htmx processes a loaded page.
_SETTLED = """() => document.readyState === "complete"
    && document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added") === null"""


def settled(page):
    """Wait until the page has loaded and htmx has no request in flight and nothing left to
    swap or settle, so the next step acts on elements that respond like the user's would.

    Call it after waiting for what the previous step shows (an element, a text): a request that
    waits out its trigger delay (`delay:300ms`) has not started yet and is invisible here.
    """
    page.wait_for_function(_SETTLED)


def browser_login(page, live_server, username, password="Kinerja2026!"):
    for attempt in range(3):
        try:
            page.goto(f"{live_server.url}/masuk")
            break
        except PlaywrightError as exc:
            # The previous page's notification poll, finding its session gone, may redirect
            # to the login page at the same moment and abort (or interrupt) this navigation.
            raced = "ERR_ABORTED" in str(exc) or "interrupted by another navigation" in str(exc)
            if not raced or attempt == 2:
                raise
    page.get_by_label("NIP atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    # The answer the user sees: the signed-in menu, or the login page again saying why not.
    # (The address alone proves nothing: the login page matches it before the answer arrives.)
    expect(page.locator("nav ul.menu, #login-error").first).to_be_attached()
    settled(page)


def add_rhk(page, text, indicator, target, unit):
    """An Utama RHK added in the SKP page, intervening in the Pejabat Penilai's first RHK."""
    page.get_by_role("button", name="Tambah RHK Utama").click()
    form = page.locator("#rhk-form-new-utama")
    expect(form).to_be_visible()
    settled(page)  # the form swapped in saves with htmx only once settled
    form.get_by_label("Rencana Hasil Kerja (RHK)").fill(text)
    form.get_by_label("RHK Pejabat Penilai yang diintervensi").select_option(index=1)
    form.get_by_label("Indikator kinerja individu").fill(indicator)
    form.get_by_label("Target", exact=True).fill(target)
    form.get_by_label("Satuan").fill(unit)
    form.get_by_role("button", name="Simpan RHK").click()
    expect(page.locator("#rhk-list-utama")).to_contain_text(text)
    expect(page.locator("#rhk-form-new-utama")).to_have_count(0)
    settled(page)  # the list (and the status it announced a change to) swapped in
