"""A citizen answers the SKM on a phone: real chromium, a phone-sized screen, real CSRF."""
import re

import pytest
from playwright.sync_api import expect

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
