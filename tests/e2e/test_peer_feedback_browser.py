"""360° feedback in a real browser: a colleague answers the running period from the list, is
told what is missing without losing the comment, saves, and finds a closed period closed; the
Pejabat Penilai sees the counts fixed when answering closed, but no names."""

import re

from playwright.sync_api import expect

from kinerja.models import PeerFeedback
from kinerja.rules import evaluation as rules

from ..support.app import TODAY
from ..support.evaluation import demo_cast, evaluation_of
from ..support.browser import browser_login


def test_a_colleague_answers_and_the_pejabat_penilai_sees_it_anonymously(page, live_server):
    with live_server.app.app_context():
        cast = demo_cast()
        last = rules.period_of(TODAY, "triwulanan").number - 1
        answered = {row.rater_id for row in PeerFeedback.select().where(
            (PeerFeedback.ratee == cast.worker.id) & (PeerFeedback.number == last))}
        peer = next(e for e in cast.penilai.subordinates() if e.id not in answered | {cast.worker.id})
        waiting = evaluation_of(cast.worker, last)
    browser_login(page, live_server, peer.nip)
    page.get_by_role("link", name="Umpan Balik 360°").first.click()
    current = rules.period_of(TODAY, "triwulanan")
    expect(page.get_by_label("Periode")).to_have_value(f"periodik-{current.number}")
    row = page.locator("#peer-colleagues tr", has_text=cast.worker.full_name)
    expect(row).to_contain_text("Rekan kerja setingkat")
    row.get_by_role("link").click()

    kolaboratif = page.locator("#peer-kolaboratif")
    kolaboratif.get_by_label("Komentar (opsional)").fill("Selalu mengajak unit lain dalam kegiatan posyandu.")
    page.get_by_role("button", name="Simpan umpan balik").click()
    expect(kolaboratif).to_contain_text("Pilih penilaian untuk nilai yang Anda beri komentar.")
    expect(kolaboratif.get_by_label("Komentar (opsional)")).to_have_value(
        "Selalu mengajak unit lain dalam kegiatan posyandu.")
    kolaboratif.get_by_label("Di Atas Ekspektasi").check()
    page.get_by_role("button", name="Simpan umpan balik").click()
    expect(page.locator("#flashes")).to_contain_text("Nama Anda tidak ditampilkan")
    expect(page.locator("#peer-colleagues tr", has_text=cast.worker.full_name)).to_contain_text("Sudah diisi")

    page.get_by_label("Periode").select_option(f"periodik-{last}")
    page.get_by_role("button", name="Tampilkan").click()
    # The list of the closed period, not the one still on screen while it loads.
    expect(page).to_have_url(re.compile(f"periode=periodik-{last}"))
    page.locator("#peer-colleagues tr", has_text=cast.worker.full_name).get_by_role("link").click()
    expect(page.get_by_role("status")).to_contain_text("ditutup pada")
    expect(page.get_by_role("button", name="Simpan umpan balik")).to_have_count(0)

    page.context.clear_cookies()
    browser_login(page, live_server, cast.penilai.nip)
    page.goto(f"{live_server.url}/kinerja/evaluasi/{waiting.id}")
    summary = page.locator("#peer-summary-kolaboratif")
    expect(summary).to_contain_text(f"{len(answered)} jawaban")
    expect(summary).not_to_contain_text("Selalu mengajak unit lain dalam kegiatan posyandu.")
    expect(summary).not_to_contain_text(peer.name)
