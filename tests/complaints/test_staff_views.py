"""The staff side: inbox, handling steps, forwarding, desks, figures, and every denial."""
from hypothesis import HealthCheck, given, settings, strategies as st

from kinerja.models import (
    AuditLog, Complaint, ComplaintDesk, ComplaintEvent, Notification, ServiceUnit,
)

from ..support import HX, database
from ..support.evaluation import make_admin_opd
from .conftest import other_employee_username


def _open_complaint(app, state="diterima"):
    with database(app):
        return Complaint.get((Complaint.state == state) & ~Complaint.flagged).id


def test_the_handler_sees_the_inbox_most_urgent_first(as_user, desk):
    page = as_user(desk["handler"]).get("/kelola-pengaduan").get_data(as_text=True)
    assert "UPTD Puskesmas Sukamaju" in page and "terlambat" in page and "sisa" in page
    assert page.index("terlambat") < page.index("sisa 4 hari kerja")
    assert "Perlu ditinjau" in page


def test_a_complaint_moves_through_its_states_timed_and_audited(app, as_user, desk):
    client = as_user(desk["handler"])
    cid = _open_complaint(app)
    step = client.post(f"/kelola-pengaduan/{cid}/status", data={"target": "diproses"}, headers=HX)
    text = step.get_data(as_text=True)
    assert step.status_code == 200 and text.lstrip().startswith('<section id="complaint-handling"')
    assert "Diproses" in text and "complaint-changed" in step.headers["HX-Trigger"]
    empty = client.post(f"/kelola-pengaduan/{cid}/status", data={"target": "dijawab"}, headers=HX)
    assert empty.status_code == 422 and "Tulis jawaban untuk pelapor." in empty.get_data(as_text=True)
    answered = client.post(f"/kelola-pengaduan/{cid}/status",
                           data={"target": "dijawab", "answer": "Loket kini dijaga dua petugas.",
                                 "note": "dibahas di apel pagi"}, headers=HX)
    assert answered.status_code == 200
    assert client.post(f"/kelola-pengaduan/{cid}/status", data={"target": "selesai"}).status_code == 302
    again = client.post(f"/kelola-pengaduan/{cid}/status", data={"target": "diproses"}, headers=HX)
    assert again.status_code == 422 and "tidak dapat diubah" in again.get_data(as_text=True)
    with database(app):
        complaint = Complaint.get_by_id(cid)
        assert complaint.state == "selesai" and complaint.first_response_on is not None
        assert complaint.resolved_on is not None
        assert AuditLog.select().where((AuditLog.entity == "complaint")
                                       & (AuditLog.entity_id == cid)).count() == 3
        code = complaint.code
    public = app.test_client().get(f"/pengaduan/lacak/{code}").get_data(as_text=True)
    assert "Loket kini dijaga dua petugas." in public and "Selesai" in public
    assert "dibahas di apel pagi" not in public


def test_rejecting_needs_a_reason(app, as_user, desk):
    client = as_user(desk["handler"])
    cid = _open_complaint(app)
    refused = client.post(f"/kelola-pengaduan/{cid}/status", data={"target": "ditolak"}, headers=HX)
    assert refused.status_code == 422 and "Pilih alasan penolakan." in refused.get_data(as_text=True)
    done = client.post(f"/kelola-pengaduan/{cid}/status",
                       data={"target": "ditolak", "rejection": "duplikat"}, headers=HX)
    assert done.status_code == 200 and "Duplikat" in done.get_data(as_text=True)
    odd = client.post(f"/kelola-pengaduan/{cid}/status", data={"target": "meledak"})
    assert odd.status_code == 422


def test_internal_notes_stay_internal(app, as_user, desk):
    client = as_user(desk["handler"])
    cid = _open_complaint(app)
    saved = client.post(f"/kelola-pengaduan/{cid}/catatan", data={"text": "Rahasia: cek CCTV"}, headers=HX)
    assert saved.status_code == 200 and "Rahasia: cek CCTV" in saved.get_data(as_text=True)
    assert client.post(f"/kelola-pengaduan/{cid}/catatan", data={"text": " "}, headers=HX).status_code == 422
    with database(app):
        code = Complaint.get_by_id(cid).code
    assert "CCTV" not in app.test_client().get(f"/pengaduan/lacak/{code}").get_data(as_text=True)


def test_forwarding_moves_it_to_the_other_units_people(app, as_user, desk, accounts):
    with database(app):
        dukcapil = ServiceUnit.get(ServiceUnit.code == "dukcapil")
        other_handler = other_employee_username("DISDUKCAPIL-DAFDUK")
        from kinerja.models import User
        ComplaintDesk.create(service_unit=dukcapil, handler=User.get(User.username == other_handler).employee_id)
    cid = _open_complaint(app)
    client = as_user(desk["handler"])
    moved = client.post(f"/kelola-pengaduan/{cid}/teruskan",
                        data={"target": dukcapil.id, "reason": "Soal KTP-el"}, headers=HX)
    assert moved.status_code == 200 and moved.headers["HX-Redirect"].endswith("/kelola-pengaduan")
    assert client.get(f"/kelola-pengaduan/{cid}").status_code == 404
    receiver = as_user(other_handler)
    page = receiver.get(f"/kelola-pengaduan/{cid}").get_data(as_text=True)
    assert "Layanan Adminduk Disdukcapil" in page and "semula diajukan ke UPTD Puskesmas Sukamaju" in page
    with database(app):
        assert Notification.select().where(Notification.text.contains("diteruskan")).count() == 1
        assert ComplaintEvent.select().where((ComplaintEvent.complaint == cid)
                                             & (ComplaintEvent.kind == "forward")).count() == 1
    assert as_user(accounts["admin_opd"]).get(f"/kelola-pengaduan/{cid}").status_code == 404


def test_who_is_turned_away(app, client, as_user, desk, accounts):
    cid = _open_complaint(app)
    anonymous = client.get("/kelola-pengaduan")
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]
    assert client.get(f"/kelola-pengaduan/{cid}").status_code == 302
    assert client.post(f"/kelola-pengaduan/{cid}/status", data={"target": "diproses"}).status_code == 302
    hx = client.get("/kelola-pengaduan", headers=HX)
    assert hx.status_code == 401 and "HX-Redirect" in hx.headers
    with database(app):
        bystander = other_employee_username("PKM-SUKAMAJU")
        other_admin = make_admin_opd("DISDUKCAPIL", "admin.dukcapil")
        dukcapil = ServiceUnit.get(ServiceUnit.code == "dukcapil").id
        other_handler = other_employee_username("PKM-CIBENING")
        from kinerja.models import User
        ComplaintDesk.create(service_unit=ServiceUnit.get(ServiceUnit.code == "pkm-cibening"),
                             handler=User.get(User.username == other_handler).employee_id)
    pegawai = as_user(bystander)
    assert pegawai.get("/kelola-pengaduan").status_code == 403
    assert pegawai.get(f"/kelola-pengaduan/{cid}").status_code == 403
    stranger_admin = as_user(other_admin)
    assert stranger_admin.get("/kelola-pengaduan").status_code == 200
    assert stranger_admin.get(f"/kelola-pengaduan/{cid}").status_code == 404
    assert stranger_admin.post(f"/kelola-pengaduan/{cid}/status", data={"target": "diproses"}).status_code == 404
    assert stranger_admin.get(f"/kelola-pengaduan/unit/{desk['id']}").status_code == 404
    neighbour = as_user(other_handler)
    assert neighbour.get(f"/kelola-pengaduan/{cid}").status_code == 404
    assert neighbour.post(f"/kelola-pengaduan/{cid}/catatan", data={"text": "x"}).status_code == 404
    assert "Puskesmas Sukamaju" not in neighbour.get("/kelola-pengaduan").get_data(as_text=True)
    handler = as_user(desk["handler"])
    assert handler.get("/kelola-pengaduan/unit").status_code == 403
    assert handler.get(f"/kelola-pengaduan/unit/{desk['id']}").status_code == 404
    assert handler.get(f"/kelola-pengaduan/unit/{dukcapil}").status_code == 404
    assert handler.get("/kelola-pengaduan/foto/999999").status_code == 404
    assert handler.get("/kelola-pengaduan/99999999999999999999").status_code == 404


def test_the_admin_opd_sets_a_handler_and_the_service_level(app, as_user, desk, accounts):
    client = as_user(accounts["admin_opd"])
    page = client.get("/kelola-pengaduan/unit").get_data(as_text=True)
    assert "UPTD Puskesmas Sukamaju" in page and "Layanan Adminduk" not in page
    with database(app):
        cibening = ServiceUnit.get(ServiceUnit.code == "pkm-cibening").id
        new_handler = other_employee_username("PKM-CIBENING")
        from kinerja.models import User
        employee_id = User.get(User.username == new_handler).employee_id
    bad = client.post(f"/kelola-pengaduan/unit/{cibening}",
                      data={"handler": employee_id, "first_response_days": 20, "resolution_days": 10})
    assert bad.status_code == 422 and "tidak boleh lebih lama" in bad.get_data(as_text=True)
    outsider = client.post(f"/kelola-pengaduan/unit/{cibening}",
                           data={"handler": 1, "first_response_days": 3, "resolution_days": 10})
    assert outsider.status_code == 422
    ok = client.post(f"/kelola-pengaduan/unit/{cibening}",
                     data={"handler": employee_id, "first_response_days": 3, "resolution_days": 10})
    assert ok.status_code == 302
    with database(app):
        d = ComplaintDesk.get(ComplaintDesk.service_unit == cibening)
        assert (d.handler_id, d.first_response_days, d.resolution_days) == (employee_id, 3, 10)
        assert Notification.select().where((Notification.recipient == employee_id)
                                           & Notification.text.contains("ditugaskan")).count() == 1
    assert as_user(new_handler).get("/kelola-pengaduan").status_code == 200


def test_a_flagged_complaint_is_reviewed(app, as_user, desk):
    with database(app):
        cid = Complaint.get(Complaint.flagged).id
    client = as_user(desk["handler"])
    assert "Diisi terlalu cepat" in client.get(f"/kelola-pengaduan/{cid}").get_data(as_text=True)
    assert client.post(f"/kelola-pengaduan/{cid}/tinjau", headers=HX).status_code == 200
    assert client.post(f"/kelola-pengaduan/{cid}/tinjau", headers=HX).status_code == 409
    with database(app):
        assert not Complaint.get_by_id(cid).flagged


def test_the_figures_page_and_the_inbox_filters(app, as_user, desk, accounts):
    with database(app):
        from kinerja.models import Employee
        handler_name = Employee.get_by_id(desk["handler_employee"]).name
    admin = as_user(accounts["admin"])
    page = admin.get("/kelola-pengaduan/angka?tahun=2026").get_data(as_text=True)
    assert "UPTD Puskesmas Sukamaju" in page and "Median" in page
    assert "Per pengelola pengaduan" in page and handler_name in page
    assert admin.get("/kelola-pengaduan/angka?tahun=abc").status_code == 200
    done = admin.get("/kelola-pengaduan?status=selesai&unit=abc", headers=HX)
    assert done.status_code == 200 and 'id="complaint-list"' in done.get_data(as_text=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(["target", "answer", "rejection", "note", "reason",
                                               "text", "handler", "first_response_days",
                                               "resolution_days"]), st.text(max_size=200)),
       path=st.sampled_from(["status", "teruskan", "catatan", "tinjau"]))
def test_nothing_staff_send_gives_a_500(app, admin_client, fields, path):
    with database(app):
        cid = Complaint.select().first().id
    assert admin_client.post(f"/kelola-pengaduan/{cid}/{path}", data=fields).status_code < 500
    assert admin_client.post(f"/kelola-pengaduan/{cid}/{path}", data=fields, headers=HX).status_code < 500
    assert admin_client.post("/kelola-pengaduan/unit/1", data=fields).status_code < 500
    assert admin_client.get("/kelola-pengaduan", query_string=fields).status_code < 500
