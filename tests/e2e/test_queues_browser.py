"""Every "save, then the next one" flow in a real browser: after a decision or a saved sheet
the next item's form shows only that item's own saved state — nothing of what was chosen or
typed for the previous one — and one more click does not write the previous values on it.

The values typed for the first item are distinctive (DIPAKAI-…) so a leak cannot hide."""
from playwright.sync_api import expect

from kinerja.models import (Evaluation, EvaluationFeedback, Objection, Rhk, ServiceUnit, Skp,
                            SuggestionFollowUp, SurveyResponse, User)
from kinerja.rules import evaluation as rules

from ..support.app import TODAY
from ..support.evaluation import demo_cast, evaluation_of
from ..support import database
from ..support.survey import add_response, make_unit
from ..support.browser import browser_login

CURRENT = rules.period_of(TODAY, "triwulanan")
LAST = CURRENT.number - 1
MARK = "DIPAKAI-"  # every value typed for the first item starts with it


def _switch(page, live_server, username):
    page.context.clear_cookies()
    browser_login(page, live_server, username)


def _texts(locator) -> list[str]:
    """What the text boxes of a form hold now (their live value, not the HTML attribute)."""
    return locator.locator("textarea, input[type=text], input:not([type])").evaluate_all(
        "els => els.map(e => e.value)")


def _no_mark(locator):
    values = _texts(locator)
    assert values, "no text boxes found"
    assert not [v for v in values if MARK in v], values


# --- Evaluation queue: Kembalikan ----------------------------------------------------------

def test_returning_an_evaluation_in_the_queue_leaves_nothing_on_the_next(page, live_server, accounts_live):
    with database(live_server.app):
        cast = demo_cast()
    page.on("dialog", lambda dialog: dialog.accept())
    _switch(page, live_server, cast.worker.nip)  # a second evaluation in the queue
    page.goto(f"{live_server.url}/kinerja/saya")
    page.locator("#my-evaluations tr", has_text=CURRENT.label).get_by_role("link", name="Isi evaluasi").click()
    page.get_by_role("button", name="Ajukan kepada Pejabat Penilai").click()
    expect(page.locator(".flash.success")).to_contain_text("diajukan kepada Pejabat Penilai")

    with database(live_server.app):
        first_id = evaluation_of(cast.worker, LAST).id
    _switch(page, live_server, cast.penilai.nip)
    page.goto(f"{live_server.url}/kinerja/tim/penilaian?id={first_id}")
    expect(page.locator("#review-queue li", has_text=cast.worker.name)).to_have_count(2)
    panel = page.locator("#review-panel")
    expect(panel.locator("#rating-form")).to_have_attribute("action", f"/kinerja/evaluasi/{first_id}/nilai")
    first_period = panel.locator("header.review-head p").inner_text()
    panel.locator("input[name=result_rating][value=below]").check()
    panel.locator("input[name=behaviour_rating][value=below]").check()
    expect(page.locator("#predikat-preview")).to_contain_text("Sangat Kurang")
    panel.locator("textarea[name^='rhk_']").first.fill(MARK + "realisasi belum didukung bukti")
    panel.locator("textarea[name^='value_']").first.fill(MARK + "sering terlambat apel pagi")
    panel.locator("summary", has_text="Kembalikan kepada pegawai").click()
    panel.get_by_label("Alasan pengembalian").fill(MARK + "lengkapi bukti dukung triwulan")
    panel.get_by_role("button", name="Kembalikan", exact=True).click()
    expect(panel).to_contain_text(f"Evaluasi {cast.worker.full_name} dikembalikan")

    # The next evaluation, from its own (empty) saved state.
    expect(panel.locator("header.review-head p")).not_to_have_text(first_period)
    expect(panel.locator("input[type=radio]:checked")).to_have_count(0)
    expect(panel.get_by_label("Alasan pengembalian")).to_have_value("")
    expect(panel.locator("textarea[name^='value_']").first).to_have_value("")
    expect(page.locator("#predikat-preview")).to_contain_text("Predikat muncul setelah")
    _no_mark(panel)
    # One more click returns nothing on them: a return needs its own reason.
    panel.locator("summary", has_text="Kembalikan kepada pegawai").click()
    panel.get_by_role("button", name="Kembalikan", exact=True).click()
    expect(panel.get_by_role("alert").filter(has_text="alasan pengembalian").first).to_be_visible()
    with database(live_server.app):
        second = evaluation_of(cast.worker, CURRENT.number)
        first = evaluation_of(cast.worker, LAST)
        assert (second.status, second.return_comment, second.result_rating, second.behaviour_rating) == \
            ("submitted", "", None, None)
        assert EvaluationFeedback.select().where(EvaluationFeedback.evaluation == second.id).count() == 0
        assert (first.status, first.return_comment) == ("returned", MARK + "lengkapi bukti dukung triwulan")


# --- SKP approval inbox: return with comments, approve with a comment ----------------------

def _panel_person(page):
    return page.locator("#review-panel header h2").inner_text()


def test_skp_decisions_in_the_inbox_leave_nothing_on_the_next_plan(page, live_server, accounts_live):
    with database(live_server.app):
        penilai = User.get(User.username == accounts_live["penilai"]).employee_id
        waiting = list(Skp.select().where((Skp.appraiser == penilai) & (Skp.status == "submitted")))
    assert len(waiting) >= 3
    _switch(page, live_server, accounts_live["penilai"])
    page.goto(f"{live_server.url}/skp/persetujuan")
    page.locator("#inbox-list tbody tr").first.get_by_role("link", name="Tinjau").click()
    panel = page.locator("#review-panel")
    expect(panel.get_by_role("button", name="Setujui")).to_be_visible()

    # Plan 1: returned with an overall comment and a comment on every RHK.
    first_name = _panel_person(page)
    boxes = panel.locator("textarea[name^='rhk_comment-']")
    assert boxes.count() >= 1
    for index in range(boxes.count()):
        boxes.nth(index).fill(f"{MARK}perbaiki RHK {index + 1}")
    panel.get_by_label("Catatan untuk pegawai").fill(MARK + "target terlalu rendah")
    panel.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    expect(panel.locator("#review-notice")).to_contain_text("dikembalikan")
    expect(panel.locator("header h2")).not_to_have_text(first_name)
    expect(panel.get_by_label("Catatan untuk pegawai")).to_have_value("")
    expect(panel.locator("textarea[name^='rhk_comment-']").first).to_have_value("")
    _no_mark(panel)

    # Plan 2: approved with a comment of its own.
    second_name = _panel_person(page)
    panel.get_by_label("Catatan untuk pegawai").fill(MARK + "lanjutkan, pantau mutu")
    panel.get_by_role("button", name="Setujui").click()
    expect(panel.locator("#review-notice")).to_contain_text(f"SKP {second_name}")
    expect(panel.locator("header h2")).not_to_have_text(second_name)
    expect(panel.get_by_label("Catatan untuk pegawai")).to_have_value("")
    _no_mark(panel)

    # Plan 3: one more click approves it with nothing of plans 1 and 2.
    third_name = _panel_person(page)
    panel.get_by_role("button", name="Setujui").click()
    expect(panel.locator("#review-notice")).to_contain_text(f"SKP {third_name}")
    with database(live_server.app):
        by_name = {s.employee.full_name: Skp.get_by_id(s.id) for s in waiting}
        first, second, third = by_name[first_name], by_name[second_name], by_name[third_name]
        assert (first.status, first.comment) == ("returned", MARK + "target terlalu rendah")
        assert all(r.review_comment.startswith(MARK) for r in Rhk.select().where(Rhk.skp == first.id))
        assert (second.status, second.comment) == ("approved", MARK + "lanjutkan, pantau mutu")
        assert (third.status, third.comment) == ("approved", "")
        for plan in (second, third):
            assert [r.review_comment for r in Rhk.select().where(Rhk.skp == plan.id)
                    if r.review_comment] == [], plan.employee.full_name


# --- Objection decisions: the next objection from the team page ----------------------------

def test_deciding_an_objection_leaves_nothing_on_the_next_one(page, live_server, accounts_live):
    with database(live_server.app):
        cast = demo_cast()
        first = Evaluation.get((Evaluation.employee == cast.objector.id) & (Evaluation.status == "objected"))
        second = evaluation_of(cast.worker, LAST)
    page.on("dialog", lambda dialog: dialog.accept())
    # A second objection for the same Atasan: the worker's last quarter, rated and objected.
    _switch(page, live_server, cast.penilai.nip)
    page.goto(f"{live_server.url}/kinerja/evaluasi/{second.id}")
    panel = page.locator("#review-panel")
    panel.locator("input[name=result_rating][value=meets]").check()
    panel.locator("input[name=behaviour_rating][value=below]").check()
    panel.get_by_role("button", name="Tetapkan").click()
    expect(panel).to_contain_text("ditetapkan dengan predikat")
    _switch(page, live_server, cast.worker.nip)
    page.goto(f"{live_server.url}/kinerja/evaluasi/{second.id}")
    page.get_by_label("Alasan keberatan").fill("Perilaku saya tidak pernah dinilai kurang sebelumnya.")
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.locator("#objection-panel")).to_contain_text("Keberatan diajukan")
    second_predikat = rules.predikat_label(rules.predikat("meets", "below"))

    _switch(page, live_server, cast.atasan.nip)
    page.goto(f"{live_server.url}/kinerja/tim")
    objections = page.locator("section", has=page.get_by_role("heading", name="Keberatan yang harus diputuskan"))
    objections.get_by_role("link", name=cast.objector.full_name).first.click()
    decision = page.locator("#decision-panel")
    decision.locator("input[name=result_rating][value=above]").check()
    decision.locator("input[name=behaviour_rating][value=above]").check()
    expect(page.locator("#predikat-preview")).to_contain_text("Sangat Baik")
    decision.get_by_label("Keputusan dan alasannya").fill(MARK + "bukti mentor diterima")
    decision.get_by_role("button", name="Putuskan").click()
    expect(decision).to_contain_text("Keberatan diputuskan; keputusan ini final.")

    # The next objection opens with its own ratings and an empty decision.
    page.goto(f"{live_server.url}/kinerja/tim")
    objections.get_by_role("link", name=cast.worker.full_name).first.click()
    expect(page).to_have_url(f"{live_server.url}/kinerja/evaluasi/{second.id}")
    expect(decision.locator("input[name=result_rating][value=meets]")).to_be_checked()
    expect(decision.locator("input[name=behaviour_rating][value=below]")).to_be_checked()
    expect(decision.locator("input[type=radio]:checked")).to_have_count(2)
    expect(page.locator("#predikat-preview")).to_contain_text(second_predikat)
    expect(decision.get_by_label("Keputusan dan alasannya")).to_have_value("")
    _no_mark(decision)
    decision.get_by_role("button", name="Putuskan").click()  # nothing typed: refused
    expect(decision.get_by_text("Tuliskan keputusan atas keberatan")).to_be_visible()
    with database(live_server.app):
        assert Evaluation.get_by_id(second.id).status == "objected"
        pending = Objection.get(Objection.evaluation == second.id)
        assert (pending.status, pending.decision, pending.result_after) == ("open", "", None)
        done = Objection.get(Objection.evaluation == first.id)
        assert (done.decision, done.result_after, done.behaviour_after) == \
            (MARK + "bukti mentor diterima", "above", "above")


# --- SKM review queue: one row, then the selection ----------------------------------------

def test_review_decisions_touch_only_their_own_responses(page, live_server, accounts_live):
    with database(live_server.app):
        su = make_unit("uji-antrean", "PKM-SUKAMAJU")
        one, two, three = (add_response(su, status="flagged", suggestion=f"tanggapan {n}")
                           for n in (1, 2, 3))
    _switch(page, live_server, accounts_live["admin_opd"])
    page.goto(f"{live_server.url}/skm/tinjauan?unit={su.id}")
    expect(page.locator("#review-count")).to_have_text("3")
    # Ticked rows 1 and 2, then "Tolak" on row 1 alone: row 2 keeps waiting.
    page.get_by_label(f"Pilih tanggapan {one.id}").check()
    page.get_by_label(f"Pilih tanggapan {two.id}").check()
    page.locator(f"#tanggapan-{one.id}").get_by_role("button", name="Tolak").click()
    expect(page.locator(f"#tanggapan-{one.id}")).to_have_count(0)
    expect(page.locator("#review-count")).to_have_text("2")
    with database(live_server.app):
        assert [SurveyResponse.get_by_id(r.id).status for r in (one, two, three)] == \
            ["rejected", "flagged", "flagged"]
    # A bulk decision answers with a queue where nothing is ticked any more.
    page.get_by_role("button", name="Terima yang dipilih").click()
    expect(page.locator("#review-queue")).to_contain_text("1 tanggapan diterima")
    expect(page.locator(f"#tanggapan-{two.id}")).to_have_count(0)
    expect(page.locator(f"#tanggapan-{three.id}")).to_be_visible()
    expect(page.locator("#review-queue input[type=checkbox]:checked")).to_have_count(0)
    page.get_by_role("button", name="Tolak yang dipilih").click()  # nothing ticked
    expect(page.locator("#review-queue")).to_contain_text("Tidak ada tanggapan yang dipilih")
    with database(live_server.app):
        assert [SurveyResponse.get_by_id(r.id).status for r in (one, two, three)] == \
            ["rejected", "valid", "flagged"]


# --- SKM paper entry: the next sheet -------------------------------------------------------

def test_the_next_paper_sheet_keeps_only_the_date_and_service(page, live_server, accounts_live):
    with database(live_server.app):
        su = make_unit("uji-lembar", "PKM-SUKAMAJU", services=("Imunisasi", "Rawat jalan"),
                       period=("semester", 2026, 1))
    _switch(page, live_server, accounts_live["admin_opd"])
    page.goto(f"{live_server.url}/skm/unit/{su.id}/kertas")
    entry = page.locator("#paper-entry")
    page.get_by_label("Tanggal kuesioner").fill("2026-03-15")
    page.get_by_label("Jenis layanan").select_option(label="Rawat jalan")
    for n, digit in enumerate("123412341", start=1):
        page.locator(f"#u{n}").fill(digit)
    page.get_by_label("Umur").fill("67")
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("Pendidikan").select_option("S2")
    page.get_by_label("Pekerjaan").select_option("Wirausaha")
    page.get_by_label("Saran/masukan").fill(MARK + "parkir motor penuh")
    page.get_by_role("button", name="Simpan lembar").click()
    expect(page.locator("#paper-saved")).to_contain_text("Lembar ke-1 tersimpan")

    # The next sheet: empty but for the date and the service of the pile.
    expect(page.locator("#u1")).to_be_focused()
    for n in range(1, 10):
        expect(page.locator(f"#u{n}")).to_have_value("")
    expect(page.get_by_label("Umur")).to_have_value("")
    for name in ("Jenis kelamin", "Pendidikan", "Pekerjaan"):
        expect(page.get_by_label(name)).to_have_value("")
    expect(page.get_by_label("Saran/masukan")).to_have_value("")
    expect(page.get_by_label("Tanggal kuesioner")).to_have_value("2026-03-15")
    expect(page.get_by_label("Jenis layanan").locator("option:checked")).to_have_text("Rawat jalan")
    _no_mark(entry)
    for digit in "444444444":
        page.keyboard.type(digit)
        page.keyboard.press("Tab")
    page.locator("#u9").press("Enter")
    expect(page.locator("#paper-saved")).to_contain_text("Lembar ke-2 tersimpan")
    with database(live_server.app):
        first, second = SurveyResponse.select().where(SurveyResponse.service_unit == su.id) \
            .order_by(SurveyResponse.id)
        assert (first.age, first.sex, first.education, first.occupation, first.u2) == \
            (67, "P", "S2", "Wirausaha", 2)
        assert first.suggestion == MARK + "parkir motor penuh"
        assert (second.age, second.sex, second.education, second.occupation, second.suggestion) == \
            (None, None, None, None, None)
        assert [getattr(second, f"u{n}") for n in range(1, 10)] == [4] * 9
        assert second.service_id == first.service_id  # kept on purpose: one pile, one service


# --- SKM suggestions: the follow-up of the next suggestion ---------------------------------

def test_the_next_suggestion_follow_up_starts_from_its_own_state(page, live_server, accounts_live):
    with database(live_server.app):
        su = make_unit("uji-saran", "PKM-SUKAMAJU")
        one = add_response(su, suggestion="Kursi ruang tunggu rusak")
        two = add_response(su, suggestion="Antrean obat lama")
    _switch(page, live_server, accounts_live["admin_opd"])
    page.goto(f"{live_server.url}/skm/unit/{su.id}/saran")
    first = page.locator(f"#saran-{one.id}")
    first.get_by_role("button", name="Tindak lanjut").click()
    first.get_by_label("Status").select_option("diproses")
    first.get_by_label("Unsur terkait").select_option("u9")
    first.get_by_label("Ditangani oleh").select_option(index=2)
    handler = first.get_by_label("Ditangani oleh").locator("option:checked").inner_text()
    first.get_by_label("Tindakan yang dilakukan").fill(MARK + "kursi dipesan")
    first.get_by_label("Tanggal tindakan").fill("2026-03-20")
    first.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(first).to_contain_text("Tindak lanjut disimpan.")
    expect(first).to_contain_text(MARK + "kursi dipesan")

    second = page.locator(f"#saran-{two.id}")
    second.get_by_role("button", name="Tindak lanjut").click()
    expect(second.get_by_label("Status")).to_have_value("baru")
    expect(second.get_by_label("Unsur terkait")).to_have_value("")
    expect(second.get_by_label("Ditangani oleh")).to_have_value("0")
    expect(second.get_by_label("Tindakan yang dilakukan")).to_have_value("")
    expect(second.get_by_label("Tanggal tindakan")).to_have_value("")
    _no_mark(second)
    second.get_by_label("Status").select_option("pujian")
    second.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(second).to_contain_text("Tindak lanjut disimpan.")
    expect(second).not_to_contain_text(handler)
    with database(live_server.app):
        done = SuggestionFollowUp.get(SuggestionFollowUp.response == one.id)
        other = SuggestionFollowUp.get(SuggestionFollowUp.response == two.id)
        assert (done.status, done.element, done.action) == ("diproses", "u9", MARK + "kursi dipesan")
        assert (other.status, other.element, other.handler_id, other.action, other.done_on) == \
            ("pujian", None, None, "", None)


# --- The public kiosk: the next visitor ----------------------------------------------------

def test_the_next_visitor_at_a_kiosk_sees_nothing_of_the_previous_one(browser, live_server):
    app = live_server.app
    app.config.update(SURVEY_MIN_SECONDS=0, SURVEY_KIOSK_RETURN_SECONDS=1)
    with database(app):
        ServiceUnit.update(kiosk_token="tablet-loket-9").where(ServiceUnit.code == "pkm-sukamaju").execute()
    context = browser.new_context(viewport={"width": 800, "height": 1280})
    page = context.new_page()
    page.goto(f"{live_server.url}/survei/pkm-sukamaju?kiosk=tablet-loket-9")
    expect(page.get_by_text("Mode kios")).to_be_visible()
    form = page.locator("#survey-form")
    for n in range(1, 10):
        page.locator(f"#q-u{n} label.answer").nth(0).click()
    form.get_by_label("Jenis layanan yang Anda terima").select_option(index=1)
    form.get_by_label("Umur (tahun)").fill("71")
    form.get_by_label("Perempuan").check()
    form.get_by_label("Pendidikan terakhir").select_option("S3")
    form.get_by_label("Pekerjaan").select_option("POLRI")
    form.get_by_label("Saran atau masukan").fill(MARK + "nomor HP saya 0812")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()

    # No tap: the empty form for the next visitor.
    expect(form).to_be_visible(timeout=5000)
    expect(form.locator("input[type=radio]:checked")).to_have_count(0)
    for label in ("Jenis layanan yang Anda terima", "Umur (tahun)", "Pendidikan terakhir",
                  "Pekerjaan", "Saran atau masukan"):
        expect(form.get_by_label(label)).to_have_value("")
    _no_mark(form)
    for n in range(1, 10):
        page.locator(f"#q-u{n} label.answer").nth(3).click()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    with database(app):
        previous, latest = list(SurveyResponse.select().where(SurveyResponse.source == "kiosk")
                                .order_by(SurveyResponse.id.desc()).limit(2))[::-1]
        assert (previous.age, previous.sex, previous.suggestion) == (71, "P", MARK + "nomor HP saya 0812")
        assert (latest.age, latest.sex, latest.education, latest.occupation, latest.service_id,
                latest.suggestion) == (None, None, None, None, None, None)
        assert latest.u1 == 4 and previous.u1 == 1
    context.close()


def test_without_javascript_back_at_a_kiosk_does_not_bring_back_the_previous_answers(browser, live_server):
    """Without htmx the answers are posted and the thank-you is a page of its own: the next
    visitor pressing Back reaches the questionnaire again, and the browser must not fill it
    in with what the previous visitor chose (kiosk forms are not restored)."""
    app = live_server.app
    app.config.update(SURVEY_MIN_SECONDS=0, SURVEY_KIOSK_RETURN_SECONDS=120)
    with database(app):
        ServiceUnit.update(kiosk_token="tablet-loket-8").where(ServiceUnit.code == "kec-cibening").execute()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/survei/kec-cibening?kiosk=tablet-loket-8")
    expect(page.get_by_text("Mode kios")).to_be_visible()
    form = page.locator("#survey-form")
    for n in range(1, 10):
        page.locator(f"#q-u{n} label.answer").nth(0).click()
    form.get_by_label("Umur (tahun)").fill("71")
    form.get_by_label("Perempuan").check()
    form.get_by_label("Saran atau masukan").fill(MARK + "nomor HP saya 0812")
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url("**/survei/kec-cibening/terima-kasih")
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()

    page.go_back()  # the next visitor
    expect(form).to_be_visible()
    expect(form.locator("input[type=radio]:checked")).to_have_count(0)
    expect(form.get_by_label("Umur (tahun)")).to_have_value("")
    expect(form.get_by_label("Saran atau masukan")).to_have_value("")
    _no_mark(form)
    context.close()
