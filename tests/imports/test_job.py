"""A large SIASN import is saved by the worker after its dry run: the job's page, its result,
and its refusals, which write nothing and keep the upload for another look."""
import re

from kinerja.models import Employee

from ..support.siasn import BASE, counts as _counts, csv_of, nip, row
from .test_views import _confirm_fields, _preview


def _job_page(client, response):
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/unduhan/\d+", location), location
    return location, client.get(location).get_data(as_text=True)


def test_a_large_import_is_saved_by_a_job_whose_page_leads_to_the_result(app, client, as_role, in_db, demo):
    app.config["IMPORT_JOB_ROWS"] = 1
    as_role("admin")
    data = csv_of(row(nip_atasan=demo["head"]), row(nip_baru=nip(2), nama="Dedi Kurniawan"))
    fields = _confirm_fields(_preview(client, data).get_data(as_text=True))
    _, page = _job_page(client, client.post("/impor/simpan", data=fields))
    assert "Impor SIASN pegawai.csv (2 baris)" in page
    assert "Impor selesai: 2 pegawai baru, 0 diperbarui." in page
    result = re.search(r'href="(/impor/hasil/\d+)"', page).group(1)
    assert "Dedi Kurniawan" in client.get(result).get_data(as_text=True)
    assert in_db(_counts)["employees"] == demo["counts"]["employees"] + 2
    # Saved: the upload no longer waits for a confirmation.
    assert "Lanjutkan" not in client.get("/impor/").get_data(as_text=True)


def test_a_job_that_finds_the_data_changed_writes_nothing_and_sends_back_to_the_dry_run(
        app, client, as_role, in_db, demo):
    app.config["IMPORT_JOB_ROWS"] = 0
    as_role("admin")
    fields = _confirm_fields(_preview(client, csv_of(row())).get_data(as_text=True))
    in_db(lambda: Employee.create(nip=BASE["NIP_BARU"], name="Sudah Ada"))
    location, page = _job_page(client, client.post("/impor/simpan", data=fields))
    assert "Tidak ada yang disimpan" in page and "berubah sejak pratinjau" in page
    assert 'href="/impor/"' in page and "Periksa lagi" in page
    assert "Coba lagi" not in page, "running it again would refuse again"
    assert client.post(f"{location}/ulang").status_code == 404
    assert in_db(lambda: Employee.get(Employee.nip == BASE["NIP_BARU"]).name) == "Sudah Ada"
    # The upload is kept: its dry run can be taken up again from the import page.
    assert "Lanjutkan" in client.get("/impor/").get_data(as_text=True)


def test_a_job_with_bad_rows_and_no_choice_to_skip_them_writes_nothing(app, client, as_role, in_db, demo):
    app.config["IMPORT_JOB_ROWS"] = 0
    as_role("admin")
    fields = _confirm_fields(_preview(client, csv_of(row(), row(nip_baru="1", nama="X"))).get_data(as_text=True))
    _, page = _job_page(client, client.post("/impor/simpan", data=fields))
    assert "Ada 1 baris bermasalah" in page and "Tidak ada yang disimpan" in page
    # Only the request itself is in the audit trail.
    assert in_db(_counts) == dict(demo["counts"], audit=demo["counts"]["audit"] + 1)


def test_another_account_cannot_open_the_job(app, client, as_role, demo):
    app.config["IMPORT_JOB_ROWS"] = 0
    as_role("admin")
    fields = _confirm_fields(_preview(client, csv_of(row())).get_data(as_text=True))
    location, _ = _job_page(client, client.post("/impor/simpan", data=fields))
    client.post("/keluar")
    as_role("admin_opd")
    assert client.get(location).status_code == 404
