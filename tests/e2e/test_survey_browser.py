"""A citizen answers the SKM on a phone: real chromium, a phone-sized screen, real CSRF."""
import re

import pytest
from playwright.sync_api import expect

from ..support.browser import settled

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}


@pytest.fixture
def phone(browser, live_server):
    # The test answers in seconds; a real citizen needs longer than the minimum.
    live_server.app.config["SURVEY_MIN_SECONDS"] = 0
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


def respondents(page) -> int:
    text = page.locator(".result").filter(has_text="responden").first.inner_text()
    return int(re.search(r"(\d+) responden", text.replace(".", "")).group(1))


def answer_all(page, value_index=3, skip=()):
    for n in range(1, 10):
        if f"u{n}" in skip:
            continue
        page.locator(f"#q-u{n} label.answer").nth(value_index).tap()


def test_citizen_finds_their_unit_answers_and_is_counted(phone, live_server):
    page = phone
    page.goto(f"{live_server.url}/survei/pkm-sukamaju/hasil")
    before = respondents(page)

    page.goto(f"{live_server.url}/survei")
    page.get_by_role("link", name="UPTD Puskesmas Sukamaju").tap()
    expect(page.get_by_role("heading", name="UPTD Puskesmas Sukamaju")).to_be_visible()
    settled(page)  # a page still loading has no htmx yet: "Kirim" would post the whole page
    form_url = page.url
    assert form_url.endswith("/survei/pkm-sukamaju")
    # the page fits the phone: nothing to scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    answer_all(page, skip=("u9",))
    page.get_by_role("button", name="Kirim jawaban").tap()
    error = page.locator("#q-u9 .error")
    expect(error).to_have_text("Mohon pilih salah satu jawaban untuk pertanyaan ini.")
    expect(page.locator("#q-u1 input[value='4']")).to_be_checked()
    assert page.url == form_url
    settled(page)  # the form came back with the message; its "Kirim" sends with htmx once settled

    page.locator("#q-u9 label.answer").nth(2).tap()
    page.get_by_label("Laki-laki").check()
    page.get_by_label("Saran atau masukan").fill("Ruang tunggu sudah nyaman.")
    page.get_by_role("button", name="Kirim jawaban").tap()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    assert page.url == form_url  # htmx swapped the thank-you in place

    page.get_by_role("link", name="Lihat hasil survei unit ini").tap()
    expect(page.get_by_role("heading", name="Nilai per unsur")).to_be_visible()
    assert respondents(page) == before + 1


def test_without_javascript_the_form_posts_and_redirects(browser, live_server):
    live_server.app.config["SURVEY_MIN_SECONDS"] = 0
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/survei/kec-cibening")
    answer_all(page, value_index=1)
    page.get_by_role("button", name="Kirim jawaban").tap()
    page.wait_for_url("**/survei/kec-cibening/terima-kasih")
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    page.reload()  # a refresh of the thank-you page sends nothing again
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    context.close()


def test_results_and_regency_overview_on_a_phone(phone, live_server):
    page = phone
    page.goto(f"{live_server.url}/ikm")
    expect(page.get_by_role("heading", name="IKM kabupaten")).to_be_visible()
    expect(page.locator(".result .ikm")).to_contain_text("(Baik)")
    page.get_by_role("link", name="Pelayanan Kecamatan Cibening").tap()
    expect(page.locator(".result .ikm")).to_contain_text("C (Kurang Baik)")
    expect(page.locator("svg.chart rect.bar").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def kiosk_responses(app, code) -> int:
    from kinerja.models import ServiceUnit, SurveyResponse, db
    with app.app_context():
        db.connect(reuse_if_open=True)
        count = (SurveyResponse.select().join(ServiceUnit)
                 .where((ServiceUnit.code == code) & (SurveyResponse.source == "kiosk")).count())
        db.close()
    return count


def test_a_counter_tablet_returns_to_a_fresh_form_after_each_visitor(browser, live_server):
    from kinerja.models import ServiceUnit, db
    app = live_server.app
    app.config.update(SURVEY_MIN_SECONDS=0, SURVEY_KIOSK_RETURN_SECONDS=1)
    with app.app_context():
        db.connect(reuse_if_open=True)
        ServiceUnit.update(kiosk_token="tablet-loket-1").where(ServiceUnit.code == "pkm-sukamaju").execute()
        db.close()
    before = kiosk_responses(app, "pkm-sukamaju")
    context = browser.new_context(viewport={"width": 800, "height": 1280}, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/survei/pkm-sukamaju?kiosk=tablet-loket-1")
    assert page.url.endswith("/survei/pkm-sukamaju")  # the token left the address bar
    expect(page.get_by_text("Mode kios")).to_be_visible()

    for visitor, choice in enumerate((3, 1)):
        answer_all(page, value_index=choice)
        page.get_by_role("button", name="Kirim jawaban").tap()
        expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
        expect(page.get_by_text("Formulir baru untuk pengunjung berikutnya")).to_be_visible()
        # No tap: the thank-you gives way to an empty form for the next visitor.
        expect(page.locator("#survey-form")).to_be_visible()
        expect(page.get_by_role("heading", name="Terima kasih!")).to_have_count(0)
        expect(page.locator("#survey-form input[type=radio]:checked")).to_have_count(0)
        settled(page)  # the next visitor answers in the form just swapped in
        assert page.url.endswith("/survei/pkm-sukamaju")
        assert kiosk_responses(app, "pkm-sukamaju") == before + visitor + 1
    context.close()
