"""Attendance pages: own figures, the team, a unit; the calendar, the import, machine ids and
leave — with every denial and odd input."""
import datetime
import io

from openpyxl import load_workbook

from kinerja.models import AttendanceDay, AttendanceImport, Employee, Holiday, Leave, MachineUser, Unit, WorkSchedule
from kinerja.stores.attendance import imports

from ..support import HX, counting_queries
from ..support.app import TODAY
from ..support.evaluation import PDF, as_employee, as_user, make_admin_opd
from .conftest import csv_file, sheet


def upload(client, content: bytes, name="presensi.csv", **headers):
    return client.post("/presensi/impor/pratinjau", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", headers=headers)


def seed_month(cast, people):
    lines = ["NIP,Tanggal,Jam masuk,Jam pulang"]
    for employee in people:
        for day in range(2, 21):
            date = datetime.date(2026, 11, day)
            if date.weekday() < 5 and day % 7:
                lines.append(f"{employee.nip},{date},07:40,16:00")
    imports.confirm_import(cast.admin, *sheet(lines), None, TODAY, "nov.csv")


# --- Figures ------------------------------------------------------------------------------

def test_my_page_shows_my_months(client, cast):
    seed_month(cast, [cast.nurse])
    as_employee(client, cast.nurse)
    response = client.get("/presensi/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Presensi Saya" in page and "November" in page
    assert "HX-Request" in response.headers.get("Vary", "")


def test_anonymous_is_sent_to_log_in(client):
    for url in ("/presensi/", "/presensi/unit", "/presensi/impor", "/presensi/kalender",
                "/presensi/izin", "/presensi/id-mesin", "/presensi/tim"):
        assert client.get(url).status_code in (302, 401)


def test_a_pegawai_cannot_read_someone_elses(client, cast):
    as_employee(client, cast.nurse)
    assert client.get(f"/presensi/pegawai/{cast.colleague.id}").status_code == 403
    assert client.get(f"/presensi/pegawai/{cast.nurse.id}").status_code == 200
    assert client.get("/presensi/pegawai/999999").status_code == 404
    assert client.get("/presensi/unit").status_code == 403
    for url in ("/presensi/impor", "/presensi/kalender", "/presensi/izin", "/presensi/id-mesin"):
        assert client.get(url).status_code == 403, url


def test_the_pejabat_penilai_sees_the_team(client, cast):
    seed_month(cast, [cast.nurse, cast.colleague])
    as_employee(client, cast.penilai)
    page = client.get("/presensi/tim").get_data(as_text=True)
    assert cast.nurse.name in page and cast.colleague.name in page
    assert client.get(f"/presensi/pegawai/{cast.nurse.id}").status_code == 200
    assert client.get(f"/presensi/pegawai/{cast.outsider.id}").status_code == 403


def test_the_head_of_opd_sees_the_unit_with_a_chart(client, cast):
    seed_month(cast, [cast.nurse, cast.colleague])
    as_employee(client, _head_of_dinkes())
    response = client.get("/presensi/unit")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<svg" in page and "November" in page
    other = Unit.get(Unit.code == "DISDIK")
    assert client.get(f"/presensi/unit?unit={other.id}").status_code == 404


def _head_of_dinkes():
    from ..support.org import holder
    return holder("Kepala Dinas Kesehatan")


def test_another_opds_admin_reads_and_imports_nothing_of_dinkes(app, client, cast):
    seed_month(cast, [cast.nurse])
    as_user(client, make_admin_opd("DISDIK", "admin.disdik"))
    dinkes = Unit.get(Unit.code == "DINKES")
    assert client.get(f"/presensi/unit?unit={dinkes.id}").status_code == 404
    assert client.get(f"/presensi/pegawai/{cast.nurse.id}").status_code == 403
    response = upload(client, csv_file(["NIP,Tanggal,Jam masuk,Jam pulang",
                                        f"{cast.nurse.nip},2026-11-23,07:00,16:00"]))
    page = response.get_data(as_text=True)
    assert "bukan pegawai Dinas Pendidikan" in page and "Simpan presensi" not in page
    assert client.post("/presensi/id-mesin", data={"machine_id": "5", "nip": cast.nurse.nip}).status_code == 422
    assert client.post("/presensi/kalender/libur", data={"day": "2026-12-24", "name": "x",
                                                         "kind": "libur"}).status_code == 403


def test_unit_page_queries_do_not_grow_with_people(app, client, cast):
    as_user(client, "admin.dinkes")
    dinkes = Unit.get(Unit.code == "DINKES")
    client.get(f"/presensi/unit?unit={dinkes.id}")
    with counting_queries() as few:
        client.get(f"/presensi/unit?unit={dinkes.id}&bulan=11")
    people = list(Employee.select().where(Employee.unit == dinkes.id))
    seed_month(cast, [cast.nurse, cast.colleague, *people])
    with counting_queries() as more:
        client.get(f"/presensi/unit?unit={dinkes.id}&bulan=11")
    assert len(more) == len(few)


def test_odd_query_strings_never_fail(client, cast):
    as_user(client, "admin.dinkes")
    for url in ("/presensi/unit?unit=abc&tahun=x&bulan=99&page=-1", "/presensi/unit?unit=99999999999999999999",
                "/presensi/kalender?tahun=99999", "/presensi/izin?tahun=-5"):
        assert client.get(url).status_code in (200, 404), url


# --- Import -------------------------------------------------------------------------------

def test_dry_run_then_confirm(client, cast):
    as_user(client, "admin.dinkes")
    response = upload(client, csv_file(["NIP,Tanggal,Jam masuk,Jam pulang",
                                        f"{cast.nurse.nip},2026-11-23,07:45,16:00",
                                        f"{cast.colleague.nip},2026-11-22,08:00,12:00"]), **HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="import-work"' in page and "<html" not in page
    assert "Belum ada yang disimpan" in page and "hari libur" in page
    day = (AttendanceDay.employee == cast.nurse.id) & (AttendanceDay.day == datetime.date(2026, 11, 23))
    before = AttendanceDay.get(day).id
    batches = AttendanceImport.select().count()
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/presensi/impor/simpan", data={"token": token})
    assert response.status_code == 303
    row = AttendanceDay.get(day)
    assert row.id != before and row.minutes_late == 15
    assert AttendanceImport.select().count() == batches + 1
    # The token is spent: a second confirmation writes nothing more.
    again = client.post("/presensi/impor/simpan", data={"token": token})
    assert again.status_code in (302, 303) and AttendanceImport.select().count() == batches + 1


def test_bad_files_are_answered_beside_the_field(client, cast):
    as_user(client, "admin.dinkes")
    assert upload(client, b"\x00\x01garbage", name="x.xlsx").status_code == 422
    assert upload(client, b"a,b\n1,2\n", name="x.csv").status_code == 422
    assert upload(client, b"", name="x.csv").status_code == 422
    assert upload(client, b"NIP,Tanggal\n", name="x.pdf").status_code == 422
    assert client.post("/presensi/impor/simpan", data={"token": "../../etc/passwd"}).status_code in (302, 303)
    assert client.post("/presensi/impor/pratinjau", data={}).status_code == 422


def test_the_template_downloads(client):
    as_user(client, "admin.dinkes")
    response = client.get("/presensi/impor/templat.xlsx")
    assert load_workbook(io.BytesIO(response.data)).sheetnames == ["Harian", "Tap mesin"]


# --- Calendar, machine ids, leave -----------------------------------------------------------

def test_bkpsdm_sets_holidays_and_admin_opd_schedules(client, cast):
    as_user(client, "admin")
    response = client.post("/presensi/kalender/libur", data={"day": "2026-12-31", "name": "Cuti bersama akhir tahun", "kind": "cuti_bersama"})
    assert response.status_code == 302 and Holiday.get_or_none(Holiday.day == datetime.date(2026, 12, 31))
    assert client.post("/presensi/kalender/libur", data={"day": "bukan", "name": "", "kind": "x"}).status_code == 422
    as_user(client, "admin.dinkes")
    pkm = Unit.get(Unit.code == "PKM-SUKAMAJU")
    response = client.post("/presensi/kalender/jadwal", data={"unit": pkm.id, "kind": "6hari"})
    assert response.status_code == 302 and WorkSchedule.get(WorkSchedule.unit == pkm.id).kind == "6hari"
    bad = client.post("/presensi/kalender/jadwal", data={"unit": pkm.id, "kind": "5hari", "start_0": "09:00", "end_0": "08:00"})
    assert bad.status_code == 422 and "setelah jam masuk" in bad.get_data(as_text=True)
    other = Unit.get(Unit.code == "DISDIK")
    assert client.post("/presensi/kalender/jadwal", data={"unit": other.id, "kind": "6hari"}).status_code == 422
    assert client.post("/presensi/kalender/jadwal", data={"unit": "abc", "kind": "zzz"}).status_code == 422


def test_machine_ids_are_kept_once(client, cast):
    as_user(client, "admin.dinkes")
    assert client.post("/presensi/id-mesin", data={"machine_id": "1043", "nip": cast.nurse.nip}).status_code == 302
    again = client.post("/presensi/id-mesin", data={"machine_id": "1043", "nip": cast.colleague.nip})
    assert again.status_code == 422 and "sudah dipetakan" in again.get_data(as_text=True)
    assert client.post("/presensi/id-mesin", data={"machine_id": "<x>", "nip": "1"}).status_code == 422
    row = MachineUser.get(MachineUser.machine_id == "1043")
    as_user(client, make_admin_opd("DISDIK", "admin.disdik"))
    assert client.post(f"/presensi/id-mesin/{row.id}/hapus").status_code == 409
    assert MachineUser.get_or_none(MachineUser.id == row.id) is not None


def test_leave_needs_a_real_document_and_excuses_the_days(client, cast, tmp_path):
    as_user(client, "admin.dinkes")
    data = {"nip": cast.nurse.nip, "kind": "sakit", "starts": "2026-11-23", "ends": "2026-11-24"}
    fake = client.post("/presensi/izin", data={**data, "document": (io.BytesIO(b"MZ not a pdf"), "surat.pdf")},
                       content_type="multipart/form-data")
    assert fake.status_code == 422 and "bukan PDF" in fake.get_data(as_text=True)
    assert 'value="2026-11-23"' in fake.get_data(as_text=True)
    missing = client.post("/presensi/izin", data={**data, "kind": "cuti"}, content_type="multipart/form-data")
    assert missing.status_code == 422
    ok = client.post("/presensi/izin", data={**data, "document": (io.BytesIO(PDF), "surat.pdf")},
                     content_type="multipart/form-data")
    assert ok.status_code == 302
    leave = Leave.get(Leave.employee == cast.nurse.id)
    assert client.get(f"/presensi/izin/{leave.id}/dokumen").data == PDF
    outsider = client.post("/presensi/izin", data={**data, "nip": cast.outsider.nip,
                                                   "document": (io.BytesIO(PDF), "s.pdf")},
                           content_type="multipart/form-data")
    assert outsider.status_code == 422 and "bukan pegawai" in outsider.get_data(as_text=True)
    as_user(client, make_admin_opd("DISDIK", "admin.disdik"))
    assert client.get(f"/presensi/izin/{leave.id}/dokumen").status_code == 404
    assert client.post(f"/presensi/izin/{leave.id}/hapus").status_code == 409
