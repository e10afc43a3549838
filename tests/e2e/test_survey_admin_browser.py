"""SKM for staff in a real browser: keyboard-only paper entry, in-page review."""
from playwright.sync_api import expect

from kinerja.models import SurveyResponse

from ..support import database
from ..support.survey import add_response, make_unit
from ..support.browser import browser_login, settled


def test_paper_questionnaires_are_typed_with_the_keyboard_only(page, live_server, accounts_live):
    with database(live_server.app):
        su = make_unit("uji-kertas", "PKM-SUKAMAJU", services=("Imunisasi",),
                       period=("semester", 2026, 1))
    browser_login(page, live_server, accounts_live["admin_opd"])
    url = f"{live_server.url}/skm/unit/{su.id}/kertas"
    page.goto(url)
    # The date of the pile is set once; the cursor then waits in U1.
    page.get_by_label("Tanggal kuesioner").fill("2026-03-15")
    page.locator("#u1").focus()
    for sheet, digits in enumerate(["434343434", "222333444"], start=1):
        expect(page.locator("#u1")).to_be_focused()
        for index, digit in enumerate(digits):
            page.keyboard.type(digit)
            if index < len(digits) - 1:
                page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator("#paper-count")).to_have_text(str(sheet))
        expect(page.locator("#paper-saved")).to_contain_text(f"Lembar ke-{sheet} tersimpan")
        expect(page.locator("#u9")).to_have_value("")
        settled(page)  # the next sheet is typed into the form just swapped in
    # A slip of the finger never reaches the box, and the date stays for the next sheet.
    page.keyboard.type("7")
    expect(page.locator("#u1")).to_have_value("")
    expect(page.get_by_label("Tanggal kuesioner")).to_have_value("2026-03-15")
    assert page.url == url
    with database(live_server.app):
        saved = list(SurveyResponse.select().where(SurveyResponse.service_unit == su.id)
                     .order_by(SurveyResponse.id))
        assert [[r.u1, r.u2, r.u9] for r in saved] == [[4, 3, 4], [2, 2, 4]]
        assert {r.source for r in saved} == {"paper"}


def test_a_flagged_response_is_accepted_without_leaving_the_page(page, live_server,
                                                                accounts_live):
    with database(live_server.app):
        su = make_unit("uji-tinjau", "PKM-SUKAMAJU")
        first = add_response(su, status="flagged", suggestion="cepat sekali")
        add_response(su, status="flagged")
    browser_login(page, live_server, accounts_live["admin_opd"])
    url = f"{live_server.url}/skm/tinjauan?unit={su.id}"
    page.goto(url)
    expect(page.locator("#review-count")).to_have_text("2")
    row = page.locator(f"#tanggapan-{first.id}")
    row.get_by_role("button", name="Terima").click()
    expect(row).to_have_count(0)
    expect(page.locator("#review-count")).to_have_text("1")
    settled(page)
    assert page.url == url
    with database(live_server.app):
        assert SurveyResponse.get_by_id(first.id).status == "valid"
    # Bulk: tick all and reject, still in the page.
    page.get_by_label("Pilih semua").check()
    page.get_by_role("button", name="Tolak yang dipilih").click()
    expect(page.locator("#review-queue")).to_contain_text("1 tanggapan ditolak")
    expect(page.locator("#review-count")).to_have_text("0")
    assert page.url == url
    with database(live_server.app):
        assert SurveyResponse.select().where((SurveyResponse.service_unit == su.id)
                                             & (SurveyResponse.status == "rejected")).count() == 1
