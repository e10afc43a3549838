"""Import of a service log: the dry run names every bad row, the confirmation writes all rows
or none."""
import io
import re

from openpyxl import load_workbook

from kinerja.models import AuditLog, ServiceRecord
from kinerja.spreadsheets import xlsx_bytes

from ..support.evaluation import as_user

HEADERS = ["Jenis dokumen", "Diterima", "Selesai", "NIP petugas"]


def sheet(*rows, headers=HEADERS) -> bytes:
    return xlsx_bytes({"Log": (headers, [list(r) for r in rows])})


def url(cast, what="pratinjau"):
    return f"/waktu-layanan/unit/{cast.counter.id}/impor/{what}"


def preview(client, cast, content, name="log.xlsx"):
    return client.post(url(cast), content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name)})


def token_of(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def test_the_template_downloads_with_the_units_kinds(client, cast):
    as_user(client, cast.admin_dukcapil)
    response = client.get(url(cast, "templat.xlsx"))
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and rows[1][0] == "Akta Kelahiran"


def test_dry_run_lists_every_bad_row_and_writes_nothing(client, cast):
    as_user(client, cast.admin_dukcapil)
    before = ServiceRecord.select().count()
    good = ["Kartu Keluarga", "2026-11-02 08:00", "2026-11-03 10:00", cast.petugas.nip]
    response = preview(client, cast, sheet(
        good,
        ["Paspor", "2026-11-02 08:00", "2026-11-03 10:00", cast.petugas.nip],
        ["KTP-el", "kemarin", "2026-11-03 10:00", cast.petugas.nip],
        ["KTP-el", "2026-11-05 08:00", "2026-11-03 10:00", cast.petugas.nip],
        ["KTP-el", "2026-11-02 08:00", "2026-12-30 10:00", cast.petugas.nip],
        ["KTP-el", "2026-11-02 08:00", "2026-11-03 10:00", cast.nurse.nip],
        ["KTP-el", "2026-11-02 08:00", "2026-11-03 10:00", "12345"],
        ["", "2026-11-02 08:00", "2026-11-03 10:00", cast.petugas.nip],
        good,
    ))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Belum ada yang disimpan" in page
    assert "“Paspor” belum ada pada standar pelayanan" in page
    assert "bukan tanggal dan jam" in page and "lebih awal dari waktu diterima" in page
    assert "tidak boleh setelah hari ini" in page and "bukan pegawai OPD unit ini" in page
    assert "harus 18 angka" in page and "Jenis dokumen: kosong" in page
    assert "Sama dengan baris 2" in page
    assert 'name="token"' not in page
    assert ServiceRecord.select().count() == before


def test_confirmation_writes_every_row_and_is_audited(client, cast):
    as_user(client, cast.admin_dukcapil)
    before = ServiceRecord.select().count()
    page = preview(client, cast, sheet(
        ["kartu keluarga", "2026-11-02 08:00", "2026-11-03 10:00", cast.petugas.nip],
        ["Akta Kelahiran", "02/11/2026 09:00", "06/11/2026 14:00", cast.petugas.nip],
    )).get_data(as_text=True)
    assert "Simpan 2 catatan layanan" in page
    response = client.post(url(cast, "simpan"), data={"token": token_of(page)})
    assert response.status_code == 303
    assert ServiceRecord.select().count() == before + 2
    assert ServiceRecord.select().where(ServiceRecord.kind == "Kartu Keluarga").count() > 0
    audit = AuditLog.select().where(AuditLog.entity == "service_record").get()
    assert audit.action == "import" and audit.unit_id == cast.counter.id
    # The same token again finds nothing: no double import.
    again = client.post(url(cast, "simpan"), data={"token": token_of(page)})
    assert again.status_code == 302 and ServiceRecord.select().count() == before + 2


def test_a_row_gone_bad_since_the_dry_run_writes_nothing(client, cast):
    as_user(client, cast.admin_dukcapil)
    row = ["KTP-el", "2026-11-02 08:00", "2026-11-02 10:00", cast.petugas.nip]
    first = token_of(preview(client, cast, sheet(row)).get_data(as_text=True))
    second = token_of(preview(client, cast, sheet(row)).get_data(as_text=True))
    assert client.post(url(cast, "simpan"), data={"token": first}).status_code == 303
    before = ServiceRecord.select().count()
    response = client.post(url(cast, "simpan"), data={"token": second})
    assert response.status_code == 409 and "sudah tercatat" in response.get_data(as_text=True)
    assert ServiceRecord.select().count() == before


def test_odd_files_are_refused_beside_the_field(client, cast):
    as_user(client, cast.admin_dukcapil)
    for content, name, message in [
        (b"", "log.xlsx", "Berkas kosong"),
        (b"bukan excel", "log.xlsx", ""),
        (b"a,b\n1,2\n", "log.csv", "Kolom wajib tidak ada"),
        (b"%PDF-1.4", "log.pdf", "harus berformat .xlsx"),
    ]:
        response = preview(client, cast, content, name)
        assert response.status_code == 422, name
        assert message in response.get_data(as_text=True)
    missing = client.post(url(cast), data={})
    assert missing.status_code == 422
    forged = client.post(url(cast, "simpan"), data={"token": "../../etc/passwd"})
    assert forged.status_code == 302
