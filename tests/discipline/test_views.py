"""Views of discipline cases: the queue, one case with its steps in place, recording a
violation — with every denial and odd input."""
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kinerja.models import DisciplineCase, PersonnelDecision, User
from kinerja.rules import discipline as rules
from kinerja.stores.discipline import cases

from ..support import counted_get
from ..support.app import TODAY
from ..support.evaluation import PDF, as_employee, as_user, make_admin_opd
from ..support.org import HX, fresh

URL = "/disiplin"


def account(employee):
    return User.get(User.employee == employee.id)


def admin():
    return User.get(User.username == "admin")


def _proposed(cast, figures, days=5, who=None):
    who = who or cast.worker
    figures.days[who.id] = Decimal(days)
    cases.propose_from_attendance(admin(), [who.id], 2026, TODAY)
    return DisciplineCase.select().where(DisciplineCase.employee == who.id).order_by(
        DisciplineCase.id.desc()).first()


def _examined(cast, figures, days=5):
    case = _proposed(cast, figures, days)
    official = admin() if days >= 21 else account(cast.atasan)
    cases.examine(official, case.id, TODAY, "BAP", TODAY)
    return case


def _p(case, **data):
    return {f"c{case.id}-{key}": value for key, value in data.items()}


def test_the_head_of_opd_sees_the_proposal_in_the_queue(client, cast, figures):
    case = _proposed(cast, figures)
    as_employee(client, cast.atasan)
    html = client.get(f"{URL}/").get_data(as_text=True)
    assert cast.worker.full_name in html and "5 hari tanpa keterangan" in html
    page = client.get(f"{URL}/{case.id}")
    assert page.status_code == 200 and "Catat pemeriksaan" in page.get_data(as_text=True)
    assert page.headers["Vary"].find("HX-Request") >= 0


def test_examine_decide_in_place_and_the_sanction_is_in_the_ledger(client, cast, figures):
    case = _proposed(cast, figures)
    as_employee(client, cast.atasan)
    response = client.post(f"{URL}/{case.id}/periksa", headers=HX, data={
        **_p(case, examined_on="2026-11-24", record="Pegawai mengakui."),
        f"c{case.id}-document": (io.BytesIO(PDF), "bap.pdf")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith("<article") and "Pemeriksaan dicatat" in html
    assert "Putuskan dengan SK" in html and "24 November 2026" in html
    assert client.get(f"{URL}/{case.id}/dokumen").data == PDF
    response = client.post(f"{URL}/{case.id}/putuskan", headers=HX, data=_p(
        case, kind="teguran_tertulis", sk_number="800/12/DINKES/2026", sk_date="2026-11-24"))
    assert response.status_code == 200 and "800/12/DINKES/2026" in response.get_data(as_text=True)
    entry = PersonnelDecision.get_by_id(fresh(case).decision_id)
    assert entry.kind == "teguran_tertulis" and entry.status == "disetujui"
    ledger = client.get(f"/penghargaan-sanksi/{entry.id}")
    assert ledger.status_code == 200
    # The employee reads their decided case and the ledger entry.
    as_employee(client, cast.worker)
    assert client.get(f"{URL}/{case.id}").status_code == 200
    assert "800/12/DINKES/2026" in client.get(f"{URL}/").get_data(as_text=True)


def test_a_plain_form_redirects_back_to_the_case(client, cast, figures):
    case = _proposed(cast, figures)
    as_employee(client, cast.atasan)
    response = client.post(f"{URL}/{case.id}/hentikan", data=_p(case, reason="Data presensi keliru"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{URL}/{case.id}")
    assert fresh(case).status == rules.DISMISSED


@pytest.mark.parametrize("data, field, message", [
    ({"examined_on": "", "record": "x"}, "examined_on", "wajib diisi"),
    ({"examined_on": "2030-01-01", "record": "keterangan"}, "examined_on", "masa depan"),
    ({"examined_on": "2026-11-24", "record": ""}, "record", "ringkasan pemeriksaan"),
    ({"examined_on": "2026-11-24", "record": "ada\x00nul"}, "record", "karakter"),
])
def test_bad_examination_is_answered_beside_its_field_and_kept(client, cast, figures, data, field, message):
    case = _proposed(cast, figures)
    as_employee(client, cast.atasan)
    response = client.post(f"{URL}/{case.id}/periksa", headers=HX, data=_p(case, **data))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert f'id="c{case.id}-{field}-error"' in html
    assert fresh(case).status == rules.PROPOSED


def test_a_file_that_is_not_what_it_claims_is_refused(client, cast, figures):
    case = _proposed(cast, figures)
    as_employee(client, cast.atasan)
    response = client.post(f"{URL}/{case.id}/periksa", data={
        **_p(case, examined_on="2026-11-24", record="Pegawai mengakui"),
        f"c{case.id}-document": (io.BytesIO(b"MZ not a pdf"), "bap.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Pegawai mengakui" in response.get_data(as_text=True)
    assert fresh(case).status == rules.PROPOSED


@pytest.mark.parametrize("data, message", [
    ({"kind": "penurunan_jabatan"}, "Pilih hukuman dari daftar"),  # heavy: not the head's to give
    ({"kind": "piagam"}, "Pilih hukuman dari daftar"),
    ({"sk_number": ""}, "Nomor SK wajib diisi"),
    ({"sk_date": "kemarin"}, "Tanggal tidak sah"),
    ({"valid_from": "2026-11-24", "valid_until": "2026-01-01"}, "tidak boleh sebelum"),
])
def test_bad_decision_is_refused_and_kept(client, cast, figures, data, message):
    case = _examined(cast, figures)
    as_employee(client, cast.atasan)
    form = {"kind": "teguran_lisan", "sk_number": "800/1/2026", "sk_date": "2026-11-24", **data}
    response = client.post(f"{URL}/{case.id}/putuskan", headers=HX, data=_p(case, **form))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert fresh(case).status == rules.EXAMINED and fresh(case).decision_id is None


def test_denials_for_every_route(client, cast, figures, app):
    case = _proposed(cast, figures)
    heavy = _proposed(cast, figures, days=22)
    opd_admin = make_admin_opd("DINKES", "admin.dinkes.disiplin")
    other_admin = make_admin_opd("DISDIK", "admin.disdik.disiplin")
    steps = [("periksa", _p(case, examined_on="2026-11-24", record="x")),
             ("putuskan", _p(case, kind="teguran_lisan", sk_number="1", sk_date="2026-11-24")),
             ("hentikan", _p(case, reason="x"))]
    # Who may not read the case at all: 404 for the page, its document and every step.
    for who in (lambda: as_employee(client, cast.penilai), lambda: as_employee(client, cast.worker),
                lambda: as_user(client, other_admin), lambda: as_employee(client, cast.planless)):
        who()
        assert client.get(f"{URL}/{case.id}").status_code == 404
        assert client.get(f"{URL}/{case.id}/dokumen").status_code == 404
        for step, data in steps:
            assert client.post(f"{URL}/{case.id}/{step}", data=data).status_code == 404
    # The admin OPD and BKPSDM read it but do not examine or decide for the head of OPD.
    for username in (opd_admin, "admin"):
        as_user(client, username)
        assert client.get(f"{URL}/{case.id}").status_code == 200
        for step, data in steps:
            assert client.post(f"{URL}/{case.id}/{step}", data=data).status_code == 403
    # The head of the OPD does not act on a heavy case: that is the Kepala Daerah's.
    as_employee(client, cast.atasan)
    assert client.get(f"{URL}/{heavy.id}").status_code == 404
    assert client.post(f"{URL}/{heavy.id}/periksa", data=_p(heavy, examined_on="2026-11-24",
                                                             record="x")).status_code == 404
    # A step the state no longer allows: 409.
    assert client.post(f"{URL}/{case.id}/putuskan", data=steps[1][1]).status_code == 409
    assert client.get(f"{URL}/999999").status_code == 404
    assert client.get(f"{URL}/{case.id}/dokumen").status_code == 404  # none uploaded
    # Logged out: to the login page.
    client.post("/keluar")
    assert client.get(f"{URL}/").status_code == 302
    assert fresh(case).status == rules.PROPOSED


def test_bkpsdm_decides_a_heavy_case_for_the_kepala_daerah(client, cast, figures):
    case = _examined(cast, figures, days=22)
    as_user(client, "admin")
    response = client.post(f"{URL}/{case.id}/putuskan", headers=HX, data=_p(
        case, kind="penurunan_jabatan", sk_number="800/3/BKPSDM/2026", sk_date="2026-11-24"))
    assert response.status_code == 200 and fresh(case).status == rules.DECIDED


def test_recording_a_violation(client, cast):
    as_employee(client, cast.atasan)
    assert client.get(f"{URL}/catat?pegawai={cast.worker.id}").status_code == 200
    bad = client.post(f"{URL}/catat", data={"employee": str(cast.worker.id), "incident_date": "2026-11-02",
                                            "what": "Membolos rapat", "kind": ""})
    assert bad.status_code == 422 and "Membolos rapat" in bad.get_data(as_text=True)
    response = client.post(f"{URL}/catat", data={"employee": str(cast.worker.id), "incident_date": "2026-11-02",
                                                 "what": "Membolos rapat", "evidence": "Daftar hadir",
                                                 "kind": "teguran_lisan"})
    case = DisciplineCase.select().order_by(DisciplineCase.id.desc()).first()
    assert response.status_code == 302 and case.source == rules.OTHER and case.employee_id == cast.worker.id
    # Someone outside the OPD, or the employee themself, is refused beside the field.
    outsider = client.post(f"{URL}/catat", data={"employee": str(cast.atasan.id), "incident_date": "2026-11-02",
                                                 "what": "x", "kind": "teguran_lisan"})
    assert outsider.status_code == 422
    as_employee(client, cast.penilai)  # heads no OPD and administers none
    assert client.get(f"{URL}/catat").status_code == 403
    assert client.post(f"{URL}/catat", data={}).status_code == 403


def test_the_queue_runs_a_constant_number_of_queries(client, cast, figures):
    _proposed(cast, figures)
    as_employee(client, cast.atasan)
    few, _ = counted_get(client, f"{URL}/")
    _proposed(cast, figures, who=cast.objector)
    _proposed(cast, figures, who=cast.planless)
    many, html = counted_get(client, f"{URL}/")
    assert html.count(f'href="{URL}/') >= 3 and many == few


_text = st.text(max_size=40)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=_text, number=_text, sk_date=_text, valid_from=_text, valid_until=_text,
       examined_on=_text, record=_text, reason=_text)
def test_no_step_input_gives_a_500(client, cast, figures, kind, number, sk_date, valid_from,
                                   valid_until, examined_on, record, reason):
    case = _proposed(cast, figures, days=3)
    as_employee(client, cast.atasan)
    for step, data in (("periksa", _p(case, examined_on=examined_on, record=record)),
                       ("putuskan", _p(case, kind=kind, sk_number=number, sk_date=sk_date,
                                       valid_from=valid_from, valid_until=valid_until)),
                       ("hentikan", _p(case, reason=reason))):
        assert client.post(f"{URL}/{case.id}/{step}", data=data).status_code in (200, 302, 409, 422)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(employee=_text, incident=_text, what=_text, kind=_text, query=_text)
def test_no_violation_input_gives_a_500(client, cast, employee, incident, what, kind, query):
    as_employee(client, cast.atasan)
    assert client.get(f"{URL}/catat", query_string={"pegawai": query}).status_code == 200
    response = client.post(f"{URL}/catat", data={"employee": employee, "incident_date": incident,
                                                 "what": what, "kind": kind})
    assert response.status_code in (302, 422)
