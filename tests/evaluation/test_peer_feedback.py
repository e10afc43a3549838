"""Umpan balik 360°: a colleague answers per BerAKHLAK value, the Pejabat Penilai sees only
aggregates once enough answered, and nobody can answer about someone they do not work beside."""
import datetime
import re

import pytest

from kinerja.formatting import tanggal
from kinerja.models import AuditLog, Employee, Evaluation, PeerFeedback, PerformanceYear
from kinerja.rules import evaluation as rules
from kinerja.rules.skp import CORE_VALUE_CODES

from ..support.app import TODAY
from ..support.evaluation import YEAR, as_employee, as_user, demo_cast, evaluation_of
from ..support.org import holder
from ..support import database

CURRENT = rules.period_of(TODAY, "triwulanan").number
LAST = CURRENT - 1
FIRST_VALUE = CORE_VALUE_CODES[0]


@pytest.fixture
def cast(app):
    with database(app):
        return demo_cast()


def _peer_of(app, employee, *excluded):
    """A colleague who shares the employee's Pejabat Penilai."""
    with database(app):
        appraiser = employee.appraiser()
        skip = {employee.id, *(e.id for e in excluded)}
        return next(e for e in appraiser.subordinates() if e.id not in skip)


def _url(employee, period=f"periodik-{CURRENT}"):
    return f"/kinerja/umpan-balik-360/{employee.id}?tahun={YEAR}&periode={period}"


def _answers(app, ratee, rater, number=CURRENT):
    with database(app):
        return {row.value: (row.level, row.comment) for row in PeerFeedback.select().where(
            (PeerFeedback.ratee == ratee.id) & (PeerFeedback.rater == rater.id)
            & (PeerFeedback.number == number))}


def test_a_colleague_answers_and_can_change_the_answer(app, client, cast):
    peer = _peer_of(app, cast.worker)
    as_employee(client, peer)
    listing = client.get("/kinerja/umpan-balik-360").get_data(as_text=True)
    assert cast.worker.full_name in listing and cast.penilai.full_name in listing
    assert "Atasan langsung Anda" in listing and "Rekan kerja setingkat" in listing
    assert cast.atasan.full_name not in listing  # not a colleague of the same level

    response = client.post(_url(cast.worker), data={
        f"level_{FIRST_VALUE}": "above", f"comment_{FIRST_VALUE}": "  Sigap membantu pasien.  ",
        "level_akuntabel": "meets"})
    assert response.status_code == 302
    assert _answers(app, cast.worker, peer) == {FIRST_VALUE: ("above", "Sigap membantu pasien."),
                                                "akuntabel": ("meets", "")}
    assert "Sudah diisi" in client.get(response.headers["Location"]).get_data(as_text=True)

    form = client.get(_url(cast.worker)).get_data(as_text=True)
    assert re.search(r'value="above"[^>]*checked|checked[^>]*value="above"', form)
    assert "Sigap membantu pasien." in form
    client.post(_url(cast.worker), data={"level_akuntabel": "below"})
    assert _answers(app, cast.worker, peer) == {"akuntabel": ("below", "")}


def test_a_subordinate_answers_about_their_pejabat_penilai(app, client, cast):
    as_employee(client, cast.worker)
    assert client.post(_url(cast.penilai), data={"level_adaptif": "above"}).status_code == 302
    assert _answers(app, cast.penilai, cast.worker) == {"adaptif": ("above", "")}


def test_bad_answers_are_explained_and_nothing_typed_is_lost(app, client, cast):
    as_employee(client, _peer_of(app, cast.worker))
    response = client.post(_url(cast.worker), data={f"comment_{FIRST_VALUE}": "Komentar tanpa pilihan"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Pilih penilaian untuk nilai yang Anda beri komentar." in html
    assert "Komentar tanpa pilihan" in html
    response = client.post(_url(cast.worker), data={})
    assert response.status_code == 422
    assert "Beri penilaian untuk sedikitnya satu nilai BerAKHLAK." in response.get_data(as_text=True)
    response = client.post(_url(cast.worker), data={"level_akuntabel": "sangat"})
    assert response.status_code == 422 and "Pilih dari daftar." in response.get_data(as_text=True)
    response = client.post(_url(cast.worker), data={"level_akuntabel": "meets", "comment_akuntabel": "x" * 1001})
    assert response.status_code == 422
    assert "Komentar paling banyak 1.000 karakter." in response.get_data(as_text=True)


def test_only_colleagues_of_the_same_level_and_subordinates_may_answer(app, client, cast, accounts):
    as_employee(client, cast.worker)
    assert client.post(_url(cast.worker), data={"level_adaptif": "above"}).status_code == 403  # oneself
    denied = client.post(_url(cast.atasan), data={"level_adaptif": "above"})  # two levels up
    assert denied.status_code == 403 and "rekan kerja setingkat" in denied.get_data(as_text=True)
    assert client.get(_url(cast.atasan)).status_code == 403
    assert client.get("/kinerja/umpan-balik-360/999999").status_code == 404
    assert client.get(_url(cast.penilai, period="periodik-9")).status_code == 404
    # The Pejabat Penilai answers about nobody on their team through this page.
    as_employee(client, cast.penilai)
    assert client.post(_url(cast.worker), data={"level_adaptif": "above"}).status_code == 403
    # A system account has no colleagues.
    as_user(client, accounts["admin"])
    assert client.get("/kinerja/umpan-balik-360").status_code == 403
    with database(app):
        assert PeerFeedback.select().where(PeerFeedback.number == CURRENT).count() == 0


def test_heads_of_opd_are_each_others_colleagues_under_the_kepala_daerah(app, client, cast):
    with database(app):
        kadisdik = holder("Kepala Dinas Pendidikan")
        camat = holder("Camat Sukamaju")
    as_employee(client, cast.atasan)  # Kepala Dinas Kesehatan
    listing = client.get("/kinerja/umpan-balik-360").get_data(as_text=True)
    row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(kadisdik.full_name)}.*?</tr>", listing, re.S).group(0)
    assert "Rekan kerja setingkat" in row
    assert cast.penilai.full_name not in listing and camat.full_name not in listing
    response = client.post(_url(kadisdik), data={"level_adaptif": "above", "comment_adaptif": "Sigap."})
    assert response.status_code == 302
    assert _answers(app, kadisdik, cast.atasan) == {"adaptif": ("above", "Sigap.")}
    # A camat answers to the Sekretaris Daerah, not to the Kepala Daerah: not a head's peer.
    assert client.post(_url(camat), data={"level_adaptif": "above"}).status_code == 403
    as_employee(client, camat)
    assert client.post(_url(cast.atasan), data={"level_adaptif": "above"}).status_code == 403
    # Someone imported without a position in an OPD is nobody's peer.
    with database(app):
        camat.position = None
        camat.save()
    listing = client.get("/kinerja/umpan-balik-360").get_data(as_text=True)
    assert "Pejabat Penilai Anda belum tercatat" in listing and kadisdik.full_name not in listing
    assert client.post(_url(kadisdik), data={"level_adaptif": "above"}).status_code == 403


def test_answers_can_be_changed_until_a_week_after_the_period_then_never(app, client, cast, travel):
    peer = _peer_of(app, cast.worker)
    as_employee(client, peer)
    current = rules.period_of(TODAY, "triwulanan")
    closes = current.ends + datetime.timedelta(days=7)
    page = client.get(_url(cast.worker)).get_data(as_text=True)
    assert f"sampai <strong>{tanggal(closes)}</strong>" in page and "Simpan umpan balik" in page

    travel(closes)
    as_employee(client, peer)  # six weeks on, the session of TODAY has run out
    assert client.post(_url(cast.worker), data={"level_adaptif": "above"}).status_code == 302
    travel(closes + datetime.timedelta(days=1))
    page = client.get(_url(cast.worker)).get_data(as_text=True)
    assert f"ditutup pada {tanggal(closes)}" in page and "Simpan umpan balik" not in page
    assert client.post(_url(cast.worker), data={"level_adaptif": "below"}).status_code == 409
    assert _answers(app, cast.worker, peer) == {"adaptif": ("above", "")}


def test_a_decided_period_is_closed_to_new_answers(app, client, cast, travel):
    with database(app):
        evaluation = evaluation_of(cast.worker, LAST)
        Evaluation.update(status="approved").where(Evaluation.id == evaluation.id).execute()
    travel(evaluation.ends + datetime.timedelta(days=2))  # answering is still open by the calendar
    peer = _peer_of(app, cast.worker)
    as_employee(client, peer)
    url = _url(cast.worker, period=f"periodik-{LAST}")
    before = _answers(app, cast.worker, peer, number=LAST)
    page = client.get(url).get_data(as_text=True)
    assert "sudah ditetapkan" in page and "Simpan umpan balik" not in page
    assert client.post(url, data={"level_adaptif": "above"}).status_code == 409
    assert _answers(app, cast.worker, peer, number=LAST) == before


def _review(client, cast):
    with database(client.application):
        evaluation = evaluation_of(cast.worker, LAST)
        assert evaluation.status == "submitted"
    as_employee(client, cast.penilai)
    return client.get(f"/kinerja/evaluasi/{evaluation.id}").get_data(as_text=True)


def _without_csrf(html: str) -> str:
    """The page less its CSRF tokens, which carry the second they were signed in."""
    html = re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+', r"\1", html)
    html = re.sub(r'(type="hidden" name="csrf_token" value=")[^"]+', r"\1", html)
    return re.sub(r'("X-CSRFToken": ")[^"]+', r"\1", html)


def test_the_pejabat_penilai_sees_counts_and_comments_but_never_who(app, client, cast):
    with database(app):
        rows = list(PeerFeedback.select().where((PeerFeedback.ratee == cast.worker.id)
                                                & (PeerFeedback.number == LAST)))
        raters = {r.rater_id for r in rows}
        names = [Employee.get_by_id(r).full_name for r in raters]
        first = [r for r in rows if r.value == FIRST_VALUE]
    assert len(raters) >= 3
    html = _review(client, cast)
    section = re.search(rf'<div class="peer-summary" id="peer-summary-{FIRST_VALUE}">(.*?)</div>', html, re.S).group(1)
    assert f"{len(first)} jawaban" in section
    for level, label in rules.RATINGS.items():
        assert f"{label}: <strong>{sum(r.level == level for r in first)}</strong>" in section
    comments = re.findall(r"<li><small>“(.*?)”</small></li>", section)
    assert comments == sorted((r.comment for r in first if r.comment), key=str.casefold)
    peer_area = "".join(re.findall(r'<div class="peer-summary".*?</div>', html, re.S))
    assert not any(name in peer_area for name in names)

    # Raised above the number who answered, the answers stay hidden, and so does their number.
    with database(app):
        PerformanceYear.update(peer_min_raters=len(raters) + 1).where(PerformanceYear.year == YEAR).execute()
    html = _review(client, cast)
    peer_area = "".join(re.findall(r'<div class="peer-summary".*?</div>', html, re.S))
    assert peer_area.count(f"kurang dari {len(raters) + 1} rekan menjawab") == len(CORE_VALUE_CODES)
    assert "“" not in peer_area and "jawaban" not in peer_area


def test_the_summary_is_the_one_taken_when_answering_closed(app, client, cast, travel):
    """Looking before and after a colleague answers must not tell what that colleague said."""
    with database(app):
        evaluation = evaluation_of(cast.worker, LAST)
    closes = evaluation.ends + datetime.timedelta(days=7)
    travel(closes)
    html = _review(client, cast)
    peer_area = "".join(re.findall(r'<div class="peer-summary".*?</div>', html, re.S))
    assert peer_area.count(f"ditampilkan setelah pengisian ditutup pada {tanggal(closes)}") == len(CORE_VALUE_CODES)
    assert "jawaban" not in peer_area and "“" not in peer_area

    travel(closes + datetime.timedelta(days=1))
    first = _review(client, cast)
    with database(app):  # an answer changed afterwards, as if answering had been reopened
        PeerFeedback.update(level="below", comment="Diubah sesudah ditutup.").where(
            (PeerFeedback.ratee == cast.worker.id) & (PeerFeedback.number == LAST)).execute()
    assert _without_csrf(_review(client, cast)) == _without_csrf(first)
    assert "Diubah sesudah ditutup." not in first


def test_the_employee_does_not_see_the_answers_about_them(app, client, cast):
    with database(app):
        evaluation = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.worker)
    html = client.get(f"/kinerja/evaluasi/{evaluation.id}").get_data(as_text=True)
    assert 'class="peer-summary"' not in html


def test_the_atasan_deciding_an_objection_sees_the_same_summary(app, client, cast):
    with database(app):
        evaluation = evaluation_of(cast.worker, LAST)
        raters = PeerFeedback.select(PeerFeedback.rater).distinct().where(
            (PeerFeedback.ratee == cast.worker.id) & (PeerFeedback.number == LAST)).count()
    as_employee(client, cast.penilai)
    client.post(f"/kinerja/evaluasi/{evaluation.id}/nilai",
                data={"action": "approve", "result_rating": "meets", "behaviour_rating": "meets"})
    as_employee(client, cast.worker)
    client.post(f"/kinerja/evaluasi/{evaluation.id}/keberatan",
                data={"reasons": "Perilaku saya dinilai rekan jauh lebih baik dari rating ini."})
    html = client.get(f"/kinerja/evaluasi/{evaluation.id}").get_data(as_text=True)
    assert "Keberatan" in html and 'class="peer-summary"' not in html  # never to the employee

    as_employee(client, cast.atasan)
    html = client.get(f"/kinerja/evaluasi/{evaluation.id}").get_data(as_text=True)
    decision = re.search(r'<form[^>]*id="decision-form".*?</form>', html, re.S).group(0)
    assert "Umpan balik 360° rekan kerja untuk periode ini" in decision
    assert decision.count('class="peer-summary"') == len(CORE_VALUE_CODES)
    assert re.search(r"\d+ jawaban —", decision) and raters >= 3


def test_the_minimum_of_raters_is_a_setting_of_the_year(app, client, as_role):
    as_role("admin")
    base = {"skp_deadline": f"{YEAR}-01-31", "evaluation_cadence": "triwulanan", "objection_days": "14",
            "is_open": "y"}
    response = client.post(f"/skp/tahun/{YEAR}", data={**base, "peer_min_raters": "2"})
    assert response.status_code == 422
    assert "Minimal penjawab antara 3 dan 20" in response.get_data(as_text=True)
    assert client.post(f"/skp/tahun/{YEAR}", data={**base, "peer_min_raters": "5"}).status_code == 302
    with database(app):
        assert PerformanceYear.get_by_id(YEAR).peer_min_raters == 5
        audit = AuditLog.select().where(AuditLog.entity == "performance_year").order_by(AuditLog.id.desc()).first()
        assert '"peer_min_raters": 5' in audit.after
