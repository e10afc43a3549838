"""Pages of competency development: one's own records and plan, the team, the recap and its
export — with every denial and odd input."""
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kinerja.models import AuditLog, DevelopmentPlan, TrainingRecord

from ..support import HX, counting_queries
from ..support.app import TODAY
from ..support.evaluation import PDF, as_employee, as_user, make_admin_opd

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40


def add(client, **extra):
    data = {"title": "Pelatihan Triase", "kind": "klasikal", "organiser": "BPSDM Provinsi",
            "starts": "2026-10-01", "ends": "2026-10-03", "hours": "16"}
    data.update(extra)
    return client.post("/pengembangan/pelatihan", data=data, content_type="multipart/form-data")


def records_of(employee):
    return list(TrainingRecord.select().where(TrainingRecord.employee == employee.id)
                .order_by(TrainingRecord.id))


# --- My page ------------------------------------------------------------------------------

def test_my_page_shows_jp_against_twenty(client, cast):
    as_employee(client, cast.nurse)
    page = client.get("/pengembangan/").get_data(as_text=True)
    assert "12 JP" in page and "Kurang 8 JP" in page
    assert "Webinar Keselamatan Pasien" in page
    assert "Pelatihan Asuhan Keperawatan Dasar" not in page  # last year's
    assert "Keterampilan triase" in page  # the IDP
    last_year = client.get(f"/pengembangan/?tahun={TODAY.year - 1}").get_data(as_text=True)
    assert "Pelatihan Asuhan Keperawatan Dasar" in last_year and "Terpenuhi" in last_year


def test_adding_a_record_with_a_certificate_moves_the_total(app, client, cast):
    as_employee(client, cast.nurse)
    response = add(client, certificate=(io.BytesIO(PDF), "Sertifikat Triase.pdf"))
    assert response.status_code == 302
    record = records_of(cast.nurse)[-1]
    assert (record.title, record.hours, record.year, record.source) == ("Pelatihan Triase", 16, 2026, "manual")
    assert record.certificate_filename == "Sertifikat Triase.pdf"
    stored = Path(app.config["UPLOAD_DIR"]) / "certificates" / record.certificate_name
    assert stored.read_bytes() == PDF and "Triase" not in record.certificate_name
    page = client.get("/pengembangan/").get_data(as_text=True)
    assert "28 JP" in page and "Terpenuhi" in page
    audit = AuditLog.select().where((AuditLog.entity == "training_record")
                                    & (AuditLog.entity_id == record.id)).get()
    assert audit.action == "create" and audit.actor.employee_id == cast.nurse.id
    download = client.get(f"/pengembangan/sertifikat/{record.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Cache-Control"] == "private, no-store"


def test_adding_in_place_announces_the_change(client, cast):
    as_employee(client, cast.nurse)
    response = client.post("/pengembangan/pelatihan", headers=HX, content_type="multipart/form-data",
                           data={"title": "Seminar", "kind": "seminar", "starts": "2026-11-02",
                                 "ends": "2026-11-02", "hours": "4"})
    assert response.status_code == 200
    assert "training-changed" in response.headers["HX-Trigger"]
    assert 'id="record-form"' in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]
    summary = client.get("/pengembangan/ringkasan", headers=HX).get_data(as_text=True)
    assert 'id="training-summary"' in summary and "16 JP" in summary


@pytest.mark.parametrize("extra, field, message", [
    ({"title": ""}, "title", "Tuliskan nama pelatihan"),
    ({"kind": "workshop"}, "kind", "Pilihan tidak sah"),
    ({"hours": "dua"}, "hours", "bilangan bulat"),
    ({"hours": "2,5"}, "hours", "bilangan bulat"),
    ({"hours": "0"}, "hours", "antara 1 dan"),
    ({"hours": "99999999999999999999999"}, "hours", "antara 1 dan"),
    ({"ends": "2026-09-01"}, "ends", "sebelum tanggal mulai"),
    ({"starts": "2026-11-30", "ends": "2026-12-01"}, "ends", "masa depan"),
    ({"starts": "kemarin"}, "starts", "Tanggal tidak sah"),
    ({"title": "Pelatihan\x00"}, "title", "karakter"),
])
def test_bad_input_is_refused_beside_its_field_with_nothing_lost(client, cast, extra, field, message):
    as_employee(client, cast.nurse)
    before = len(records_of(cast.nurse))
    response = add(client, organiser="BPSDM Jabar", **extra)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert 'value="BPSDM Jabar"' in page
    assert len(records_of(cast.nurse)) == before


@pytest.mark.parametrize("name, data, message", [
    ("script.pdf", b"<script>", "bukan PDF"),
    ("sertifikat.docx", b"PK\x03\x04", "PDF atau gambar"),
    ("sertifikat.pdf", b"", "kosong"),
])
def test_a_certificate_is_checked_by_content(client, cast, name, data, message):
    as_employee(client, cast.nurse)
    before = len(records_of(cast.nurse))
    response = add(client, certificate=(io.BytesIO(data), name))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert len(records_of(cast.nurse)) == before


def test_an_oversized_certificate_is_refused_without_reading_it_all(app, client, cast):
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    as_employee(client, cast.nurse)
    response = add(client, certificate=(io.BytesIO(PDF + b"0" * 4096), "besar.pdf"))
    assert response.status_code == 422 and "melebihi" in response.get_data(as_text=True)


def test_editing_and_deleting_ones_own_record(app, client, cast):
    as_employee(client, cast.nurse)
    record = cast.own_record()
    old_file = Path(app.config["UPLOAD_DIR"]) / "certificates" / record.certificate_name
    assert client.get(f"/pengembangan/pelatihan/{record.id}/ubah").status_code == 200
    response = client.post(f"/pengembangan/pelatihan/{record.id}/ubah", content_type="multipart/form-data",
                           data={"title": "E-learning PPI (revisi)", "kind": "e_learning",
                                 "starts": record.starts.isoformat(), "ends": record.ends.isoformat(),
                                 "hours": "10", "certificate": (io.BytesIO(PNG), "foto.png")})
    assert response.status_code == 302
    changed = TrainingRecord.get_by_id(record.id)
    assert (changed.title, changed.hours, changed.certificate_mime) == ("E-learning PPI (revisi)", 10, "image/png")
    assert not old_file.exists()
    bad = client.post(f"/pengembangan/pelatihan/{record.id}/ubah", content_type="multipart/form-data",
                      data={"title": "", "kind": "e_learning", "starts": "2026-01-01", "ends": "2026-01-02",
                            "hours": "10"})
    assert bad.status_code == 422
    response = client.post(f"/pengembangan/pelatihan/{record.id}/hapus", headers=HX)
    assert response.status_code == 200 and 'id="training-summary"' in response.get_data(as_text=True)
    assert TrainingRecord.get_or_none(TrainingRecord.id == record.id) is None
    assert AuditLog.select().where((AuditLog.entity == "training_record") & (AuditLog.action == "delete")
                                   & (AuditLog.entity_id == record.id)).exists()


def test_imported_records_cannot_be_changed_by_the_employee(client, cast):
    as_employee(client, cast.nurse)
    record = cast.imported_record()
    assert client.get(f"/pengembangan/pelatihan/{record.id}/ubah").status_code == 403
    assert client.post(f"/pengembangan/pelatihan/{record.id}/hapus").status_code == 403
    assert TrainingRecord.get_or_none(TrainingRecord.id == record.id) is not None


def test_saving_the_development_plan(client, cast):
    as_employee(client, cast.colleague)
    response = client.post("/pengembangan/rencana", headers=HX, data={
        "gap": "Komunikasi terapeutik", "planned": "Pelatihan komunikasi 24 JP", "priority": "tinggi"})
    assert response.status_code == 200 and 'id="plan-form"' in response.get_data(as_text=True)
    plan = DevelopmentPlan.get((DevelopmentPlan.employee == cast.colleague.id) & (DevelopmentPlan.year == TODAY.year))
    assert (plan.gap, plan.priority) == ("Komunikasi terapeutik", "tinggi")
    client.post("/pengembangan/rencana", data={"gap": "Komunikasi", "planned": "Coaching", "priority": "sedang"})
    assert DevelopmentPlan.select().where(DevelopmentPlan.employee == cast.colleague.id).count() == 1
    bad = client.post("/pengembangan/rencana", data={"gap": "", "planned": "Tetap", "priority": "penting"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Tuliskan kompetensi" in page and "Tetap" in page


# --- Denials ------------------------------------------------------------------------------

def test_anonymous_is_sent_to_log_in(client, cast):
    for url in ("/pengembangan/", "/pengembangan/tim", "/pengembangan/rekap", "/pengembangan/impor",
                f"/pengembangan/pegawai/{cast.nurse.id}", f"/pengembangan/sertifikat/{cast.own_record().id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
    assert add(client).status_code == 302


def test_another_employees_records_are_out_of_reach(client, cast):
    record = cast.own_record()
    as_employee(client, cast.colleague)
    assert client.get(f"/pengembangan/pelatihan/{record.id}/ubah").status_code == 404
    assert client.post(f"/pengembangan/pelatihan/{record.id}/hapus").status_code == 404
    assert client.get(f"/pengembangan/sertifikat/{record.id}").status_code == 404
    assert client.get(f"/pengembangan/pegawai/{cast.nurse.id}").status_code == 404
    assert TrainingRecord.get_or_none(TrainingRecord.id == record.id) is not None


def test_the_pejabat_penilai_sees_the_team_read_only(client, cast):
    as_employee(client, cast.penilai)
    page = client.get("/pengembangan/tim").get_data(as_text=True)
    assert cast.nurse.name in page and "Kurang 8 JP" in page
    person = client.get(f"/pengembangan/pegawai/{cast.nurse.id}").get_data(as_text=True)
    assert "Webinar Keselamatan Pasien" in person and "Keterampilan triase" in person
    assert "/hapus" not in person and "/ubah" not in person
    assert client.get(f"/pengembangan/sertifikat/{cast.own_record().id}").status_code == 200
    assert client.post(f"/pengembangan/pelatihan/{cast.own_record().id}/hapus").status_code == 404


def test_team_lists_those_below_twenty_first(client, cast):
    as_employee(client, cast.penilai)
    page = client.get("/pengembangan/tim").get_data(as_text=True)
    body = page[page.index("<tbody>"):]
    below = body.find("Kurang")
    met = body.find("Terpenuhi")
    assert below != -1 and (met == -1 or below < met)


def test_a_pejabat_penilai_of_someone_else_is_refused(client, cast):
    as_employee(client, cast.other_penilai)
    assert client.get(f"/pengembangan/pegawai/{cast.nurse.id}").status_code == 404
    assert client.get(f"/pengembangan/sertifikat/{cast.own_record().id}").status_code == 404
    assert cast.nurse.name not in client.get("/pengembangan/tim").get_data(as_text=True)


def test_the_atasan_may_look(client, cast):
    as_employee(client, cast.atasan)
    assert client.get(f"/pengembangan/pegawai/{cast.nurse.id}").status_code == 200


def test_the_recap_is_for_admins_only(client, cast):
    as_employee(client, cast.nurse)
    for url in ("/pengembangan/rekap", "/pengembangan/rekap.xlsx", "/pengembangan/impor",
                "/pengembangan/impor/templat.xlsx"):
        assert client.get(url).status_code == 403, url
    assert client.post("/pengembangan/impor/pratinjau").status_code == 403
    assert client.post("/pengembangan/impor/simpan").status_code == 403


def test_an_admin_opd_sees_their_opd_only(client, cast, accounts):
    make_admin_opd("DLH", "admin.dlh")
    as_user(client, "admin.dlh")
    page = client.get("/pengembangan/rekap").get_data(as_text=True)
    assert "Dinas Lingkungan Hidup" in page and "Dinas Kesehatan" not in page
    assert cast.nurse.name not in page
    assert client.get(f"/pengembangan/pegawai/{cast.nurse.id}").status_code == 404
    assert client.get(f"/pengembangan/sertifikat/{cast.own_record().id}").status_code == 404
    dinkes = cast.nurse.unit.opd()
    assert client.get(f"/pengembangan/rekap?opd={dinkes.id}").status_code == 404
    assert client.get(f"/pengembangan/rekap.xlsx?opd={dinkes.id}").status_code == 404
    as_user(client, accounts["admin_opd"])
    page = client.get("/pengembangan/rekap").get_data(as_text=True)
    assert cast.nurse.name in page and "Dinas Lingkungan Hidup" not in page
    assert client.get(f"/pengembangan/pegawai/{cast.nurse.id}").status_code == 200


def test_bkpsdm_sees_the_regency_with_a_chart_and_an_export(client, cast, accounts):
    as_user(client, accounts["admin"])
    page = client.get("/pengembangan/rekap").get_data(as_text=True)
    assert "<svg" in page and "Dinas Kesehatan" in page and "Dinas Lingkungan Hidup" in page
    assert cast.nurse.name in page
    response = client.get("/pengembangan/rekap.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "NIP"
    nurse = [r for r in rows if r[0] == cast.nurse.nip]
    assert nurse and nurse[0][5] == 12 and nurse[0][6] == 8
    assert all(r[5] < 20 for r in rows[1:])


@pytest.mark.parametrize("query", ["?tahun=abc", "?tahun=99999999999999999999999", "?tahun=-1",
                                   "?page=-3", "?page=abc", "?opd=abc", "?opd=999999999",
                                   "?opd=99999999999999999999999"])
def test_odd_query_strings_never_fail(client, accounts, query):
    as_user(client, accounts["admin"])
    assert client.get("/pengembangan/rekap" + query).status_code in (200, 404)
    assert client.get("/pengembangan/" + query).status_code == 200


def test_unknown_ids_are_404(client, cast):
    as_employee(client, cast.nurse)
    for url in ("/pengembangan/pegawai/999999", "/pengembangan/sertifikat/999999",
                "/pengembangan/pelatihan/999999/ubah"):
        assert client.get(url).status_code == 404


def test_system_accounts_have_no_records_of_their_own(client, accounts):
    as_user(client, accounts["admin"])
    page = client.get("/pengembangan/")
    assert page.status_code == 200 and "bukan akun pegawai" in page.get_data(as_text=True)
    assert add(client).status_code == 403


# --- A constant number of queries ----------------------------------------------------------

def _count(client, url):
    with counting_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_pages_cost_the_same_whatever_the_number_of_records(client, cast, accounts):
    as_user(client, accounts["admin"])
    recap = _count(client, "/pengembangan/rekap")
    as_employee(client, cast.penilai)
    team = _count(client, "/pengembangan/tim")
    as_employee(client, cast.nurse)
    mine = _count(client, "/pengembangan/")
    for i in range(5):
        add(client, title=f"Pelatihan {i}", hours="2")
    TrainingRecord.insert_many([
        dict(employee=cast.colleague.id, title=f"Impor {i}", kind="seminar", starts=TODAY, ends=TODAY,
             year=TODAY.year, hours=1, source="impor") for i in range(30)]).execute()
    assert _count(client, "/pengembangan/") == mine
    as_employee(client, cast.penilai)
    assert _count(client, "/pengembangan/tim") == team
    as_user(client, accounts["admin"])
    assert _count(client, "/pengembangan/rekap") == recap
