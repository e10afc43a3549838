"""Every step of the SKP, the evaluation, the feedback threads and the SKM follow-up tells the
right person who did what, with a link to the exact item; the 360° answers tell nobody."""
import pytest

from kinerja.models import (Employee, Feedback, Notification, ProgressEntry, Rhk, Skp, SuggestionFollowUp, Unit,
                            User)
from kinerja.rules import evaluation as rules
from kinerja.rules.skp import CORE_VALUE_CODES
from kinerja.stores import notifications as store
from kinerja.stores.survey import suggestions as suggestion_store

from ..support import HX, database
from ..support.evaluation import (CURRENT, LAST, YEAR, approve, as_employee, evaluation_of, first_indicator,
                                  own_url, rate_url)
from ..support.skp import holder, ready_plan
from ..support.survey import add_response, make_unit


def notices(app, employee_id, after=0) -> list[tuple[str, str]]:
    """(text, link) of the employee's notices newer than id `after`, oldest first."""
    with database(app):
        return [(n.text, n.link) for n in Notification.select().where(
            (Notification.recipient == employee_id) & (Notification.id > after)).order_by(Notification.id)]


def last_id(app) -> int:
    with database(app):
        newest = Notification.select().order_by(Notification.id.desc()).first()
        return newest.id if newest else 0


def label(number: int) -> str:
    return rules.periods(YEAR, "triwulanan")[number - 1].label


# --- SKP ------------------------------------------------------------------------------------

def test_each_step_of_a_plan(app, client, as_role, q):
    owner, penilai = q(lambda: holder("perawat-skm")), q(lambda: holder("kapus-skm"))
    mark = last_id(app)
    as_role("pegawai")
    skp_id = ready_plan(client, q)
    assert notices(app, penilai.id, mark) == [
        (f"{owner.full_name} mengajukan SKP {YEAR} untuk disetujui", f"/skp/{skp_id}/tinjau")]

    as_role("penilai")
    first = q(lambda: Rhk.select().where(Rhk.skp == skp_id).order_by(Rhk.order).first().id)
    mark = last_id(app)
    client.post(f"/skp/{skp_id}/keputusan", data={
        "decision": "return", "comment": "Lengkapi target mutu.", f"rhk_comment-{first}": "Target terlalu rendah."})
    assert notices(app, owner.id, mark) == [
        (f"SKP {YEAR} Anda dikembalikan oleh {penilai.full_name} untuk diperbaiki: Lengkapi target mutu. "
         "(1 catatan pada RHK)", f"/skp/{skp_id}")]

    as_role("pegawai")
    client.post(f"/skp/{skp_id}/ajukan")
    as_role("penilai")
    mark = last_id(app)
    client.post(f"/skp/{skp_id}/keputusan", data={"decision": "approve"})
    assert notices(app, owner.id, mark) == [(f"SKP {YEAR} Anda disetujui oleh {penilai.full_name}",
                                             f"/skp/{skp_id}")]

    as_role("pegawai")
    mark = last_id(app)
    new_id = int(client.post(f"/skp/{skp_id}/revisi", data={"change_note": "Tambahan anggaran"})
                 .headers["Location"].split("/")[-1])
    assert notices(app, penilai.id, mark) == [
        (f"{owner.full_name} membuka revisi 2 SKP {YEAR}: Tambahan anggaran", f"/skp/{new_id}")]
    assert notices(app, owner.id, mark) == []  # nobody is told of their own step


def test_a_submitted_plan_given_another_appraiser_goes_to_them(app, client, as_role, q):
    owner, other = q(lambda: holder("perawat-skm")), q(lambda: holder("kabid-yankes"))
    as_role("pegawai")
    skp_id = ready_plan(client, q)
    mark = last_id(app)
    as_role("admin_opd")
    assert client.post(f"/skp/{skp_id}/pejabat-penilai", data={"appraiser_nip": other.nip}).status_code == 302
    assert notices(app, other.id, mark) == [
        (f"{owner.full_name} mengajukan SKP {YEAR} untuk disetujui; Admin OPD menetapkan Anda sebagai "
         "Pejabat Penilainya", f"/skp/{skp_id}/tinjau")]
    assert notices(app, owner.id, mark) == [
        (f"Pejabat Penilai SKP {YEAR} Anda diganti oleh Admin OPD menjadi {other.full_name}", f"/skp/{skp_id}")]
    # The same one again is no change: nobody is told twice.
    mark = last_id(app)
    client.post(f"/skp/{skp_id}/pejabat-penilai", data={"appraiser_nip": other.nip})
    assert notices(app, other.id, mark) == [] and notices(app, owner.id, mark) == []


# --- Evaluation ------------------------------------------------------------------------------

def test_submitting_and_returning_an_evaluation(app, client, cast):
    as_employee(client, cast.worker)
    indicator = first_indicator(cast.worker)
    mark = last_id(app)
    assert client.post(own_url(CURRENT), data={
        f"real_{indicator.id}": "999", f"reason_{indicator.id}": "Termasuk layanan malam",
        "self_note": "Target tercapai.", "action": "submit"}).status_code == 302
    ev = evaluation_of(cast.worker, CURRENT)
    link = f"/kinerja/evaluasi/{ev.id}"
    assert notices(app, cast.penilai.id, mark) == [
        (f"{cast.worker.full_name} mengajukan evaluasi {label(CURRENT)} untuk dinilai", link)]

    as_employee(client, cast.penilai)
    mark = last_id(app)
    client.post(rate_url(ev), headers=HX, data={"action": "return", "comment": "Lengkapi bukti."})
    assert notices(app, cast.worker.id, mark) == [
        (f"Evaluasi {label(CURRENT)} Anda dikembalikan oleh {cast.penilai.full_name} untuk diperbaiki: "
         "Lengkapi bukti.", link)]
    # Saving a rating without deciding is not a step the employee sees.
    mark = last_id(app)
    client.post(rate_url(ev), headers=HX, data={"action": "rate", "result_rating": "meets"})
    assert notices(app, cast.worker.id, mark) == []


def test_deciding_objecting_and_the_decision_of_an_evaluation(app, client, cast):
    mark = last_id(app)
    ev = approve(client, evaluation_of(cast.worker, LAST), cast.penilai, "meets", "meets")
    link = f"/kinerja/evaluasi/{ev.id}"
    assert notices(app, cast.worker.id, mark) == [
        (f"Evaluasi {label(LAST)} Anda ditetapkan oleh {cast.penilai.full_name}: predikat Baik", link)]

    as_employee(client, cast.worker)
    mark = last_id(app)
    client.post(rate_url(ev, "keberatan"), data={"reasons": "Realisasi saya jauh di atas target, bukti lengkap."})
    assert notices(app, cast.atasan.id, mark) == [
        (f"{cast.worker.full_name} mengajukan keberatan atas evaluasi {label(LAST)} untuk Anda putuskan", link)]
    assert notices(app, cast.penilai.id, mark) == [
        (f"{cast.worker.full_name} mengajukan keberatan atas evaluasi {label(LAST)} yang Anda tetapkan; "
         "Atasan Anda memutuskannya", link)]

    as_employee(client, cast.atasan)
    mark = last_id(app)
    client.post(rate_url(ev, "putuskan"), data={"result_rating": "above", "behaviour_rating": "above",
                                                "decision": "Bukti mendukung; rating dinaikkan."})
    by = cast.atasan.full_name
    # Sangat Baik after the objection: the follow-up it calls for includes an invitation to
    # write a good practice (domain/followup.md §1).
    assert notices(app, cast.worker.id, mark) == [
        (f"Keberatan Anda atas evaluasi {label(LAST)} diputuskan oleh {by}: predikat Sangat Baik", link),
        (f"Predikat Anda {label(LAST)} Sangat Baik. Anda diundang menulis praktik baik agar rekan "
         "dapat belajar darinya.", "/praktik-baik/tulis")]
    decided, proposal = notices(app, cast.penilai.id, mark)
    assert decided == (f"Keberatan {cast.worker.full_name} atas evaluasi {label(LAST)} diputuskan oleh {by}: "
                       "predikat Sangat Baik", link)
    # ... and the Pejabat Penilai is proposed the follow-up that predikat calls for.
    assert proposal[0] == (f"Usulan tindak lanjut untuk {cast.worker.full_name} (predikat Sangat Baik, "
                           f"{label(LAST)}): Usulan penghargaan, Calon kelompok talenta (talent pool), "
                           "Undangan menulis praktik baik")
    assert proposal[1].startswith("/tindak-lanjut/usulan/")


def test_accepting_an_evaluation_tells_the_appraiser(app, client, cast):
    ev = approve(client, evaluation_of(cast.worker, LAST), cast.penilai, "meets", "meets")
    as_employee(client, cast.worker)
    mark = last_id(app)
    assert client.post(rate_url(ev, "terima")).status_code == 302
    assert notices(app, cast.penilai.id, mark) == [
        (f"{cast.worker.full_name} menerima hasil evaluasi {label(LAST)} (predikat Baik)",
         f"/kinerja/evaluasi/{ev.id}")]


# --- Continuous feedback -----------------------------------------------------------------------

@pytest.mark.parametrize("target", ["entry", "rhk"])
def test_feedback_and_its_reply(app, client, cast, target):
    with database(app):
        if target == "entry":
            target_id = (ProgressEntry.select().where(ProgressEntry.employee == cast.worker.id)
                         .order_by(ProgressEntry.day.desc()).first().id)
        else:
            target_id = (Rhk.select().join(Skp).where((Skp.employee == cast.worker.id) & (Skp.year == YEAR)
                                                       & (Skp.status == "approved")).first().id)
        Feedback.delete().where((Feedback.entry if target == "entry" else Feedback.rhk) == target_id).execute()
    url = f"/kinerja/umpan-balik/{target}/{target_id}"
    about, theirs = ("progres", "progresnya") if target == "entry" else ("RHK", "RHK-nya")
    as_employee(client, cast.penilai)
    mark = last_id(app)
    assert client.post(url, headers=HX, data={"body": "Tolong  lampirkan\ndaftar hadir."}).status_code == 200
    assert notices(app, cast.worker.id, mark) == [
        (f"{cast.penilai.full_name} memberi umpan balik atas {about} Anda: Tolong lampirkan daftar hadir.", url)]
    as_employee(client, cast.worker)
    mark = last_id(app)
    assert client.post(url, headers=HX, data={"body": "Siap, sudah saya unggah. " * 10}).status_code == 200
    [(text, link)] = notices(app, cast.penilai.id, mark)
    assert text.startswith(f"{cast.worker.full_name} membalas umpan balik Anda atas {theirs}: Siap, sudah")
    assert text.endswith("…") and link == url
    assert notices(app, cast.worker.id, mark) == []


# --- 360° feedback -------------------------------------------------------------------------

def test_a_360_answer_tells_nobody_and_never_names_the_rater(app, client, cast):
    """No step asks a colleague for 360° feedback (who may answer follows from the structure),
    so there is no request to announce; answering must not tell the person rated anything."""
    rater = cast.objector  # shares the worker's Pejabat Penilai
    as_employee(client, rater)
    mark = last_id(app)
    response = client.post(f"/kinerja/umpan-balik-360/{cast.worker.id}?tahun={YEAR}&periode=periodik-{CURRENT}",
                           data={f"level_{CORE_VALUE_CODES[0]}": "above",
                                 f"comment_{CORE_VALUE_CODES[0]}": "Sigap membantu."})
    assert response.status_code == 302
    assert last_id(app) == mark  # no notice to anyone
    as_employee(client, cast.worker)
    for url in ("/notifikasi", "/notifikasi/jumlah"):
        assert rater.full_name not in client.get(url).get_data(as_text=True)
    with database(app):
        assert not Notification.select().where(Notification.text.contains(rater.name)).exists()


# --- SKM suggestions ---------------------------------------------------------------------------

@pytest.fixture
def suggestion(app):
    """A suggestion of a service unit of the Puskesmas, in the admin OPD's scope, and two of
    the staff who may handle it."""
    with database(app):
        su = make_unit("uji-sehat", "PKM-SUKAMAJU")
        response = add_response(su, suggestion="Antrean  pendaftaran terlalu lama pada pagi hari.")
        staff = [Employee.get_by_id(e.id) for e in list(suggestion_store.handlers(su))[:2]]
        return su.id, response.id, staff[0], staff[1]


def _follow_up(client, su_id, response_id, handler, status="diproses"):
    prefix = f"t{response_id}-"
    return client.post(f"/skm/unit/{su_id}/saran/{response_id}", data={
        prefix + "status": status, prefix + "element": "", prefix + "handler": str(handler.id),
        prefix + "action": "Ditangani" if status == "selesai" else "",
        prefix + "done_on": "2026-11-20" if status == "selesai" else ""})


def test_the_employee_put_in_charge_of_a_suggestion_is_told(app, client, as_role, suggestion):
    su_id, response_id, staff, other = suggestion
    as_role("admin_opd")
    mark = last_id(app)
    assert _follow_up(client, su_id, response_id, staff).status_code == 302
    # A plain employee cannot open the SKM pages: the notice quotes the suggestion instead.
    assert notices(app, staff.id, mark) == [
        ("Admin OPD menunjuk Anda menindaklanjuti saran SKM Unit uji-sehat: "
         "“Antrean pendaftaran terlalu lama pada pagi hari.”", "")]
    # Saving again with the same handler, or recording one after the fact, tells nobody.
    mark = last_id(app)
    _follow_up(client, su_id, response_id, staff)
    _follow_up(client, su_id, response_id, other, status="selesai")
    assert notices(app, staff.id, mark) == [] and notices(app, other.id, mark) == []


def test_a_handler_who_may_open_the_suggestion_gets_its_link(app, client, as_role, suggestion):
    su_id, response_id, staff, _ = suggestion
    with database(app):
        User.update(role="admin_opd", scope_unit=Unit.get(Unit.code == "DINKES").id) \
            .where(User.employee == staff.id).execute()
    as_role("admin_opd")
    mark = last_id(app)
    _follow_up(client, su_id, response_id, staff)
    [(_, link)] = notices(app, staff.id, mark)
    assert link == f"/skm/unit/{su_id}/saran/{response_id}"
    as_employee(client, staff)
    with database(app):
        notice_id = Notification.select().where(Notification.recipient == staff.id).order_by(
            Notification.id.desc()).first().id
    opened = client.get(f"/notifikasi/{notice_id}/buka")
    assert opened.headers["Location"] == link and client.get(link).status_code == 200
    with database(app):
        assert SuggestionFollowUp.get(SuggestionFollowUp.response == response_id).handler_id == staff.id


# --- notify() itself ----------------------------------------------------------------------------

def test_notify_needs_a_known_kind_and_skips_nobody(app, cast):
    with database(app):
        with pytest.raises(ValueError):
            store.notify(cast.worker.id, "Halo", "/", kind="lain")
        with pytest.raises(TypeError):
            store.notify(cast.worker.id, "Halo", "/")  # the kind is always named
        before = Notification.select().count()
        assert store.notify(None, "Untuk Kepala Daerah", "/", kind="evaluation") is None
        assert Notification.select().count() == before
        notice_id = store.notify(cast.worker.id, "x" * 300, "/y" * 200, kind="skp")
        notice = Notification.get_by_id(notice_id)
        assert len(notice.text) == 255 and len(notice.link) == 255 and notice.read_at is None
