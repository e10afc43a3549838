"""Save, then the next one: the answer to a decision on one item that brings the next item
(or the next blank sheet) carries nothing of what was sent for the first — the next form is
built from that item's own saved state, never from the request about the previous one.

Every value sent for the first item starts with MARK, so a leak shows wherever it lands.
The same flows are driven in a real browser in tests/e2e/test_queues_browser.py."""
import re

import pytest

from kinerja.models import (Employee, Evaluation, EvaluationFeedback, Objection, Rhk, ServiceUnit,
                            Skp, SuggestionFollowUp, SurveyResponse, User)
from kinerja.rules import evaluation as rules

from ..support.app import TODAY, make_app
from ..support.evaluation import as_employee, demo_cast, evaluation_of
from ..support import database
from ..support.survey import add_response, make_unit
from ..support import HX

MARK = "DIPAKAI-"
CURRENT = rules.period_of(TODAY, "triwulanan").number
LAST = CURRENT - 1
CHECKED = re.compile(r"<input[^>]*\bchecked\b")
SELECTED = re.compile(r'<option[^>]*\bselected\b[^>]*value="([^"]*)"'
                      r'|<option[^>]*value="([^"]*)"[^>]*\bselected\b')


def selected_values(html: str) -> set[str]:
    return {a or b for a, b in SELECTED.findall(html)}


# --- Evaluation queue: Tetapkan and Kembalikan ---------------------------------------------

@pytest.mark.parametrize("action", ["approve", "return"])
def test_the_next_evaluation_in_the_queue_carries_nothing_of_the_previous(app, client, action):
    cast = demo_cast()
    # A second evaluation in the queue: the current quarter, submitted beside the demo's last one.
    as_employee(client, cast.worker)
    assert client.post(f"/kinerja/evaluasi/{TODAY.year}/periodik/{CURRENT}",
                       data={"action": "submit"}).status_code == 302
    first, second = evaluation_of(cast.worker, LAST), evaluation_of(cast.worker, CURRENT)
    assert (first.status, second.status) == ("submitted", "submitted")
    rhk = Rhk.select().where(Rhk.skp == first.skp_id).first()
    as_employee(client, cast.penilai)
    response = client.post(f"/kinerja/evaluasi/{first.id}/nilai", headers=HX, data={
        "action": action, "queue": "1", "result_rating": "above", "behaviour_rating": "above",
        f"rhk_{rhk.id}": MARK + "realisasi", "value_akuntabel": MARK + "perilaku",
        "comment": MARK + "alasan"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'action="/kinerja/evaluasi/{second.id}/nilai"' in html  # the next one, in place
    assert MARK not in html
    assert not CHECKED.search(html)
    assert "Sangat Baik" not in html.split("predikat-preview", 1)[1][:300]
    # One more click, with nothing chosen for the second, changes nothing on it.
    again = client.post(f"/kinerja/evaluasi/{second.id}/nilai", headers=HX,
                        data={"action": "approve", "queue": "1"})
    assert again.status_code == 422
    second = Evaluation.get_by_id(second.id)
    assert (second.status, second.result_rating, second.behaviour_rating, second.return_comment) == \
        ("submitted", None, None, "")
    assert EvaluationFeedback.select().where(EvaluationFeedback.evaluation == second.id).count() == 0


# --- SKP approval inbox --------------------------------------------------------------------

def _inbox_order(penilai_id) -> list[int]:
    """The plans waiting for this Pejabat Penilai, in the inbox's order."""
    return [s.id for s in Skp.select().join(Employee, on=(Skp.employee == Employee.id))
            .where((Skp.appraiser == penilai_id) & (Skp.status == "submitted"))
            .order_by(Skp.year.desc(), Employee.name, Skp.id)]


@pytest.mark.parametrize("decision", ["return", "approve"])
def test_the_next_plan_in_the_inbox_carries_nothing_of_the_previous(client, as_role, accounts, decision):
    as_role("penilai")
    penilai = User.get(User.username == accounts["penilai"]).employee_id
    order = _inbox_order(penilai)
    assert len(order) >= 2
    first, following = order[0], order[1]
    comments = {f"rhk_comment-{r.id}": f"{MARK}RHK {r.id}"
                for r in Rhk.select().where(Rhk.skp == first)}
    response = client.post(f"/skp/{first}/keputusan", headers=HX, data={
        "decision": decision, "comment": MARK + "catatan umum", **comments})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'action="/skp/{following}/keputusan"' in html
    assert MARK not in html
    assert re.search(r'<textarea[^>]*name="comment"[^>]*>\s*</textarea>', html)
    # The next plan approved as it stands: none of the first plan's comments on it.
    assert client.post(f"/skp/{following}/keputusan", headers=HX,
                       data={"decision": "approve"}).status_code == 200
    plan = Skp.get_by_id(following)
    assert (plan.status, plan.comment) == ("approved", "")
    assert not [r for r in Rhk.select().where(Rhk.skp == following) if r.review_comment]
    assert Skp.get_by_id(first).comment == MARK + "catatan umum"


# --- Objection decisions -------------------------------------------------------------------

def test_the_next_objection_opens_with_its_own_ratings_and_no_decision(app, client):
    cast = demo_cast()
    first = Evaluation.get((Evaluation.employee == cast.objector.id) & (Evaluation.status == "objected"))
    second = evaluation_of(cast.worker, LAST)
    # A second objection for the same Atasan: the worker's last quarter, rated and objected.
    as_employee(client, cast.penilai)
    assert client.post(f"/kinerja/evaluasi/{second.id}/nilai", data={
        "action": "approve", "result_rating": "meets", "behaviour_rating": "below"}).status_code == 302
    as_employee(client, cast.worker)
    assert client.post(f"/kinerja/evaluasi/{second.id}/keberatan", data={
        "reasons": "Perilaku saya tidak pernah dinilai kurang sebelumnya."}).status_code == 302
    assert Evaluation.get_by_id(second.id).status == "objected"
    as_employee(client, cast.atasan)
    decided = client.post(f"/kinerja/evaluasi/{first.id}/putuskan", headers=HX, data={
        "result_rating": "above", "behaviour_rating": "above", "decision": MARK + "keputusan"})
    assert decided.status_code == 200
    page = client.get(f"/kinerja/evaluasi/{second.id}").get_data(as_text=True)
    panel = page[page.index('id="decision-panel"'):]
    panel = panel[:panel.index("</section>")]
    assert MARK not in panel
    assert re.search(r'<textarea[^>]*name="decision"[^>]*>\s*</textarea>', panel)
    checked = re.findall(r'<input[^>]*\bchecked\b[^>]*>', panel)
    assert sorted(re.search(r'name="(\w+)"', c).group(1) + "=" + re.search(r'value="(\w+)"', c).group(1)
                  for c in checked) == ["behaviour_rating=below", "result_rating=meets"]
    refused = client.post(f"/kinerja/evaluasi/{second.id}/putuskan", headers=HX,
                          data={"result_rating": "meets", "behaviour_rating": "below"})
    assert refused.status_code == 422 and MARK not in refused.get_data(as_text=True)
    objection = Objection.get(Objection.evaluation == second.id)
    assert (objection.status, objection.decision) == ("open", "")


# --- SKM review queue ----------------------------------------------------------------------

@pytest.fixture
def queue(app):
    with database(app):
        su = make_unit("uji-antrean", "PKM-SUKAMAJU")
        return su.id, [add_response(su, status="flagged", suggestion=f"tanggapan {n}").id
                       for n in (1, 2, 3)]


def statuses(app, ids):
    with database(app):
        return [SurveyResponse.get_by_id(i).status for i in ids]


def test_a_row_decision_touches_only_its_row_and_the_next_queue_has_nothing_ticked(app, as_role, queue):
    su_id, (one, two, three) = queue
    client = as_role("admin_opd")
    # htmx sends the whole bulk form with a row's button: the other ticked rows come along.
    response = client.post(f"/skm/tinjauan/{one}", headers=HX,
                           data={"decision": "reject", "ids": [str(one), str(two)]})
    assert response.status_code == 200
    assert statuses(app, (one, two, three)) == ["rejected", "flagged", "flagged"]
    bulk = client.post("/skm/tinjauan", headers=HX,
                       data={"decision": "accept", "ids": [str(two)], "unit": str(su_id)})
    html = bulk.get_data(as_text=True)
    assert bulk.status_code == 200 and "1 tanggapan diterima" in html
    assert f'id="tanggapan-{three}"' in html and not CHECKED.search(html)
    assert statuses(app, (one, two, three)) == ["rejected", "valid", "flagged"]


# --- SKM paper entry -----------------------------------------------------------------------

def test_the_next_paper_sheet_keeps_only_the_date_and_the_service(app, as_role):
    with database(app):
        su = make_unit("uji-lembar", "PKM-SUKAMAJU", services=("Imunisasi", "Rawat jalan"))
        service = [s for s in su.services if s.name == "Rawat jalan"][0]
    client = as_role("admin_opd")
    response = client.post(f"/skm/unit/{su.id}/kertas", headers=HX, data={
        "answered_on": "2026-03-15", "service": str(service.id), "count": "0",
        **{f"u{n}": str(1 + n % 4) for n in range(1, 10)}, "age": "67", "sex": "P",
        "education": "S2", "occupation": "Wirausaha", "suggestion": MARK + "parkir penuh"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Lembar ke-1 tersimpan" in html
    assert MARK not in html and 'value="67"' not in html
    for n in range(1, 10):
        assert re.search(rf'<input[^>]*name="u{n}"[^>]*value=""', html), n
    assert selected_values(html) == {str(service.id), ""}  # sex, education, occupation: back to "—"
    assert 'value="2026-03-15"' in html


# --- SKM suggestion follow-up --------------------------------------------------------------

def test_the_next_suggestion_editor_starts_from_its_own_state(app, as_role):
    with database(app):
        su = make_unit("uji-saran", "PKM-SUKAMAJU")
        one = add_response(su, suggestion="Kursi ruang tunggu rusak").id
        two = add_response(su, suggestion="Antrean obat lama").id
    client = as_role("admin_opd")
    first_editor = client.get(f"/skm/unit/{su.id}/saran/{one}", headers=HX).get_data(as_text=True)
    handler = re.findall(r'<option value="(\d+)">', first_editor.split(f'name="t{one}-handler"')[1])[1]
    p = f"t{one}-"
    saved = client.post(f"/skm/unit/{su.id}/saran/{one}", headers=HX, data={
        p + "status": "diproses", p + "element": "u9", p + "handler": handler,
        p + "action": MARK + "kursi dipesan", p + "done_on": "2026-03-20"})
    assert saved.status_code == 200
    editor = client.get(f"/skm/unit/{su.id}/saran/{two}", headers=HX).get_data(as_text=True)
    assert MARK not in editor and "2026-03-20" not in editor
    assert selected_values(editor) == {"baru", "", "0"}
    q = f"t{two}-"
    client.post(f"/skm/unit/{su.id}/saran/{two}", headers=HX, data={q + "status": "pujian"})
    with database(app):
        other = SuggestionFollowUp.get(SuggestionFollowUp.response == two)
        assert (other.status, other.element, other.handler_id, other.action, other.done_on) == \
            ("pujian", None, None, "", None)


# --- The public kiosk ----------------------------------------------------------------------

def test_the_next_visitor_at_a_kiosk_gets_an_empty_form(tmp_path):
    app = make_app(tmp_path, SURVEY_MIN_SECONDS=0)
    with database(app):
        ServiceUnit.update(kiosk_token="tablet-loket-9").where(ServiceUnit.code == "pkm-sukamaju").execute()
    tablet = app.test_client()
    assert tablet.get("/survei/pkm-sukamaju?kiosk=tablet-loket-9").status_code == 303
    form = tablet.get("/survei/pkm-sukamaju").get_data(as_text=True)
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]+)"', form).group(1)
    thanks = tablet.post("/survei/pkm-sukamaju", headers=HX, data={
        "stamp": stamp, **{f"u{n}": "1" for n in range(1, 10)}, "age": "71", "sex": "P",
        "education": "S3", "occupation": "POLRI", "suggestion": MARK + "nomor HP saya"})
    assert thanks.status_code == 200 and "Terima kasih" in thanks.get_data(as_text=True)
    assert MARK not in thanks.get_data(as_text=True)
    # What the thank-you loads after a few seconds (hx-get): the next visitor's form.
    html = tablet.get("/survei/pkm-sukamaju", headers=HX).get_data(as_text=True)
    assert 'id="survey-form"' in html and MARK not in html and 'value="71"' not in html
    # …and a browser going Back to the questionnaire does not restore the previous answers.
    assert re.search(r'<form id="survey-form"[^>]*autocomplete="off"', html)
    assert not CHECKED.search(html)
    assert selected_values(html) <= {""}
