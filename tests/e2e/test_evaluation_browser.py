"""Evaluation in a real browser: progress with an uploaded evidence file, the periodic
evaluation submitted, rated with the predikat appearing and approved without the page
navigating, then an objection filed and decided by the Atasan."""

from playwright.sync_api import expect

from kinerja.rules import evaluation as rules

from ..support.app import TODAY
from ..support.evaluation import PDF, demo_cast
from ..support.browser import browser_login, settled


def _cast(live_server):
    with live_server.app.app_context():
        return demo_cast()


def _switch(page, live_server, employee):
    page.context.clear_cookies()
    browser_login(page, live_server, employee.nip)


def test_progress_evaluation_rating_objection_and_decision(page, live_server, accounts_live, tmp_path):
    cast = _cast(live_server)
    current = rules.period_of(TODAY, "triwulanan")
    page.on("dialog", lambda dialog: dialog.accept())

    # The employee records progress with an evidence file, in place.
    _switch(page, live_server, cast.worker)
    page.goto(f"{live_server.url}/kinerja/progres")
    evidence = tmp_path / "daftar-hadir.pdf"
    evidence.write_bytes(PDF)
    select = page.get_by_label("Indikator kinerja")
    select.select_option(index=1)
    page.get_by_label("Uraian kegiatan").fill("Melayani 12 pasien rawat jalan di ruang tindakan")
    page.get_by_label("Kuantitas yang direalisasikan").fill("12")
    page.get_by_label("Bukti dukung: berkas").set_input_files(str(evidence))
    progress_url = page.url
    page.get_by_role("button", name="Simpan progres").click()
    expect(page.locator("#progress-form")).to_contain_text("Progres dicatat")
    entry = page.locator("#timeline article.entry").first
    expect(entry).to_contain_text("Melayani 12 pasien rawat jalan")
    expect(entry.get_by_role("link", name="daftar-hadir.pdf")).to_be_visible()
    assert page.url == progress_url

    # …and submits the evaluation of the current period, prefilled from that progress.
    page.goto(f"{live_server.url}/kinerja/saya")
    page.locator("#my-evaluations tr", has_text=current.label).get_by_role("link", name="Isi evaluasi").click()
    expect(page.get_by_role("heading", name=f"Evaluasi kinerja {current.label}")).to_be_visible()
    settled(page)
    page.get_by_label("Catatan penilaian diri").fill("Target triwulan ini tercapai.")
    page.get_by_role("button", name="Ajukan kepada Pejabat Penilai").click()
    expect(page.locator(".flash.success")).to_contain_text("diajukan kepada Pejabat Penilai")
    evaluation_url = page.url

    # The Pejabat Penilai rates it in the queue: the predikat appears before confirming,
    # and approving happens without the page navigating.
    _switch(page, live_server, cast.penilai)
    page.goto(f"{live_server.url}/kinerja/tim/penilaian")
    review_url = page.url
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#review-queue li", has_text=cast.worker.name).filter(
        has_text=f"Periode {current.number}").get_by_role("link").click()
    panel = page.locator("#review-panel")
    expect(panel).to_contain_text("Target triwulan ini tercapai.")
    expect(page.locator("#predikat-preview")).to_contain_text("Predikat muncul setelah")
    settled(page)  # the ratings of the panel just swapped in ask for the predikat only then
    page.locator("fieldset.rating", has_text="Rating Hasil Kerja").get_by_label("Di Atas Ekspektasi").check()
    page.locator("fieldset.rating", has_text="Rating Perilaku Kerja").get_by_label("Sesuai Ekspektasi").check()
    expect(page.locator("#predikat-preview")).to_contain_text("Predikat Kinerja Pegawai: Baik")
    settled(page)
    panel.get_by_role("button", name="Tetapkan").click()
    expect(panel).to_contain_text(f"Evaluasi {cast.worker.full_name} ditetapkan dengan predikat Baik")
    expect(page.locator("#review-queue")).not_to_contain_text(f"Periode {current.number}")
    assert page.url == review_url
    assert page.evaluate("window.stillTheSamePage") is True

    # The employee objects within the window.
    _switch(page, live_server, cast.worker)
    page.goto(evaluation_url)
    expect(page.locator("dl.result")).to_contain_text("Baik")
    page.get_by_label("Alasan keberatan").fill(
        "Perilaku kerja saya melampaui ekspektasi: saya menjadi mentor dua perawat baru.")
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.locator("#objection-panel")).to_contain_text("Keberatan diajukan kepada Atasan Pejabat Penilai")
    assert page.url == evaluation_url

    # The Atasan Pejabat Penilai decides; the decision is final and kept beside the original.
    _switch(page, live_server, cast.atasan)
    page.goto(f"{live_server.url}/kinerja/tim")
    objections = page.locator("section", has=page.get_by_role("heading", name="Keberatan yang harus diputuskan"))
    objections.get_by_role("link", name=cast.worker.full_name).first.click()
    expect(page).to_have_url(evaluation_url)
    settled(page)  # a page still loading has no htmx yet: the rating would ask for nothing
    decision = page.locator("#decision-panel")
    decision.locator("fieldset.rating", has_text="Rating Perilaku Kerja").get_by_label("Di Atas Ekspektasi").check()
    expect(page.locator("#predikat-preview")).to_contain_text("Sangat Baik")
    decision.get_by_label("Keputusan dan alasannya").fill("Keterangan mentor diterima; perilaku di atas ekspektasi.")
    expect(page.locator("#evaluation-heading")).to_contain_text("Keberatan")
    settled(page)
    decision.get_by_role("button", name="Putuskan").click()
    expect(decision).to_contain_text("Keberatan diputuskan; keputusan ini final.")
    expect(decision).to_contain_text("Sebelum keberatan")
    expect(decision.locator("tr", has_text="Predikat")).to_contain_text("Sangat Baik")
    # Every part of the page the decision changed, without a reload.
    expect(page.locator("#evaluation-heading")).to_contain_text("Diputuskan")
    expect(page.locator("#evaluation-result dl.result")).to_contain_text("Sangat Baik")
    expect(page.locator("#objection-panel")).to_contain_text("Diputuskan")
    expect(page.locator("#objection-panel")).not_to_contain_text("Menunggu keputusan")
    expect(page.locator("p.flash.success")).to_have_count(1)


def test_the_next_evaluation_in_the_queue_starts_from_its_own_saved_state(page, live_server, accounts_live):
    """Rating one evaluation and approving it loads the next one in place: with nothing of
    the previous person's ratings, comments or predikat in it."""
    from kinerja.models import Evaluation
    cast = _cast(live_server)
    current = rules.period_of(TODAY, "triwulanan")
    page.on("dialog", lambda dialog: dialog.accept())
    _switch(page, live_server, cast.worker)  # a second evaluation in the queue: this quarter's
    page.goto(f"{live_server.url}/kinerja/saya")
    page.locator("#my-evaluations tr", has_text=current.label).get_by_role("link", name="Isi evaluasi").click()
    expect(page.get_by_role("heading", name=f"Evaluasi kinerja {current.label}")).to_be_visible()
    settled(page)
    page.get_by_role("button", name="Ajukan kepada Pejabat Penilai").click()
    expect(page.locator(".flash.success")).to_contain_text("diajukan kepada Pejabat Penilai")

    _switch(page, live_server, cast.penilai)
    page.goto(f"{live_server.url}/kinerja/tim/penilaian")
    queue = page.locator("#review-queue li", has_text=cast.worker.name)
    expect(queue).to_have_count(2)
    queue.first.get_by_role("link").click()
    panel = page.locator("#review-panel")
    expect(panel.get_by_role("button", name="Tetapkan")).to_be_visible()
    settled(page)
    first_period = panel.locator("header.review-head p").inner_text()
    panel.locator("fieldset.rating", has_text="Rating Hasil Kerja").get_by_label("Di Atas Ekspektasi").check()
    panel.locator("fieldset.rating", has_text="Rating Perilaku Kerja").get_by_label("Di Atas Ekspektasi").check()
    expect(page.locator("#predikat-preview")).to_contain_text("Sangat Baik")
    comment = panel.locator("textarea[name^='value_']").first
    comment.fill("Sangat sigap melayani pasien lansia.")
    settled(page)
    panel.get_by_role("button", name="Tetapkan").click()
    expect(panel).to_contain_text("ditetapkan dengan predikat Sangat Baik")

    # The next panel: another evaluation, built from its own (empty) saved state.
    expect(panel.locator("header.review-head p")).not_to_have_text(first_period)
    expect(panel.locator("input[type=radio]:checked")).to_have_count(0)
    expect(panel.locator("textarea[name^='value_']").first).to_have_value("")
    expect(page.locator("#predikat-preview")).to_contain_text("Predikat muncul setelah")
    settled(page)
    panel.get_by_role("button", name="Tetapkan").click()  # one more click saves nothing on them
    expect(panel.locator("small.error").first).to_be_visible()
    with live_server.app.app_context():
        waiting = Evaluation.select().where((Evaluation.employee == cast.worker.id)
                                            & (Evaluation.status == "submitted"))
        assert [(e.result_rating, e.behaviour_rating, e.predikat) for e in waiting] == [(None, None, None)]
