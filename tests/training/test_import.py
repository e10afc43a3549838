"""Import of training records: the dry run names every bad row, the confirmation writes all
rows or none — through the pages and the store."""
import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from kinerja.models import AuditLog, Employee, TrainingRecord
from kinerja.spreadsheets import read_rows, xlsx_bytes
from kinerja.stores.training import imports

from ..support.app import TODAY
from ..support.evaluation import as_user
from ..support.org import unit

HEADERS = ["NIP", "Nama pelatihan", "Jenis", "Penyelenggara", "Tanggal mulai", "Tanggal selesai", "JP"]


def sheet(*rows, headers=HEADERS) -> bytes:
    return xlsx_bytes({"Pelatihan": (headers, [list(r) for r in rows])})


def good_row(employee, title="Pelatihan Kepemimpinan Pengawas", hours=24):
    return [employee.nip, title, "Pelatihan klasikal", "BPSDM Provinsi", "2026-06-01", "2026-06-03", hours]


def preview(client, content, name="pelatihan.xlsx"):
    return client.post("/pengembangan/impor/pratinjau", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name)})


def token_of(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def count():
    return TrainingRecord.select().count()


def test_the_template_downloads(client, accounts):
    as_user(client, accounts["admin"])
    response = client.get("/pengembangan/impor/templat.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == 3


def test_dry_run_lists_every_bad_row_and_writes_nothing(client, cast, accounts):
    as_user(client, accounts["admin_opd"])  # Dinas Kesehatan
    outsider = Employee.select().where(Employee.unit == unit("DLH-SAMPAH").id).first()
    before = count()
    content = sheet(
        good_row(cast.nurse),
        ["199912312020121999", "Pelatihan A", "Seminar", "", "2026-06-01", "2026-06-01", 4],
        good_row(outsider),
        [cast.colleague.nip, "Pelatihan B", "Workshop", "", "31/02/2026", "2026-06-01", "dua"],
        [cast.colleague.nip, "", "Seminar", "", "2026-06-05", "2026-06-01", 0],
        ["12345", "Pelatihan C", "Seminar", "", "2026-06-01", "2026-06-01", 4],
        good_row(cast.nurse),
    )
    response = preview(client, content)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Belum ada yang disimpan" in page
    assert "NIP 199912312020121999 tidak terdaftar di Kinerja" in page
    assert f"NIP {outsider.nip}" in page and "bukan pegawai Dinas Kesehatan" in page
    assert "Workshop" in page and "bukan tanggal yang ada" in page and "bukan bilangan bulat" in page
    assert "Nama pelatihan kosong" in page and "sebelum tanggal mulai" in page
    assert "harus lebih dari 0" in page and "harus 18 angka" in page
    assert "Sama dengan baris 2" in page
    assert 'name="token"' not in page  # nothing to confirm while a row is bad
    assert count() == before


def test_confirmation_writes_every_row_and_is_audited(client, cast, accounts):
    as_user(client, accounts["admin_opd"])
    before = count()
    page = preview(client, sheet(good_row(cast.nurse), good_row(cast.colleague, hours=8))).get_data(as_text=True)
    assert "2</strong> benar (32 JP)" in page
    response = client.post("/pengembangan/impor/simpan", data={"token": token_of(page)})
    assert response.status_code == 303
    assert count() == before + 2
    rows = TrainingRecord.select().where(TrainingRecord.title == "Pelatihan Kepemimpinan Pengawas")
    assert {r.source for r in rows} == {"impor"} and {r.year for r in rows} == {2026}
    audit = AuditLog.select().where((AuditLog.entity == "training_record") & (AuditLog.action == "import")).get()
    assert "2 catatan pelatihan dari pelatihan.xlsx" in audit.summary
    assert audit.unit_id == unit("DINKES").id
    # The kept file is gone: confirming twice writes nothing more.
    again = client.post("/pengembangan/impor/simpan", data={"token": token_of(page)})
    assert again.status_code == 302 and count() == before + 2
    # The same file again is refused row by row: already recorded.
    page = preview(client, sheet(good_row(cast.nurse))).get_data(as_text=True)
    assert "sudah tercatat" in page


def test_a_row_gone_bad_since_the_dry_run_writes_nothing(client, cast, accounts):
    as_user(client, accounts["admin"])
    page = preview(client, sheet(good_row(cast.nurse), good_row(cast.colleague))).get_data(as_text=True)
    TrainingRecord.create(employee=cast.colleague.id, title="Pelatihan Kepemimpinan Pengawas", kind="klasikal",
                          starts=datetime.date(2026, 6, 1), ends=datetime.date(2026, 6, 3), year=2026, hours=24)
    before = count()
    response = client.post("/pengembangan/impor/simpan", data={"token": token_of(page)})
    assert response.status_code == 409
    assert "Tidak ada yang disimpan" in response.get_data(as_text=True)
    assert count() == before


def test_someone_elses_kept_file_is_not_found(client, cast, accounts):
    as_user(client, accounts["admin"])
    token = token_of(preview(client, sheet(good_row(cast.nurse))).get_data(as_text=True))
    as_user(client, accounts["admin_opd"])
    before = count()
    response = client.post("/pengembangan/impor/simpan", data={"token": token})
    assert response.status_code == 302 and count() == before
    assert client.post("/pengembangan/impor/simpan", data={"token": "../../etc/passwd"}).status_code == 302


@pytest.mark.parametrize("name, content, message", [
    ("pelatihan.pdf", b"%PDF-1.4", "berformat .xlsx"),
    ("pelatihan.xlsx", b"bukan excel", "tidak dapat dibaca"),
    ("pelatihan.xlsx", b"", "Berkas kosong"),
    ("pelatihan.csv", "NIP;Judul\n1;2\n".encode(), "Kolom wajib tidak ada"),
])
def test_unreadable_files_are_refused_beside_the_field(client, accounts, name, content, message):
    as_user(client, accounts["admin"])
    response = preview(client, content, name)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_an_admin_opd_without_a_unit_is_refused(client, cast):
    from kinerja.models import User
    from kinerja.security import _fast_hasher
    from kinerja.demo import DEMO_PASSWORD
    User.create(username="tanpa.unit", password_hash=_fast_hasher.hash(DEMO_PASSWORD), role="admin_opd",
                must_change_password=False)
    as_user(client, "tanpa.unit")
    assert client.get("/pengembangan/impor").status_code == 403
    assert client.get("/pengembangan/rekap").status_code == 403


def test_the_plan_reads_a_csv_with_spreadsheet_values(cast):
    content = (f"NIP,Nama pelatihan,Jenis,Penyelenggara,Tanggal mulai,Tanggal selesai,JP\n"
               f"{cast.nurse.nip},Seminar Gizi,seminar,,01/06/2026,1 Juni 2026,4\n").encode()
    plan = imports.plan_import(*read_rows("p.csv", content), None, TODAY)
    assert not plan.bad and plan.good[0].values["ends"] == datetime.date(2026, 6, 1)
    assert plan.good[0].employee_id == cast.nurse.id


def test_a_nip_stored_as_a_number_is_explained(cast):
    headers, rows = read_rows("p.xlsx", sheet([float(cast.nurse.nip), "Seminar", "Seminar", "", "2026-06-01",
                                                "2026-06-01", 4]))
    plan = imports.plan_import(headers, rows, None, TODAY)
    assert "format kolom NIP menjadi Teks" in plan.bad[0].problems[0]
