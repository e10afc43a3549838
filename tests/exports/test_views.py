"""The whole regency's recap made by the worker: its progress page, the file for its owner
only, and a failure that says why, leaves no file and can be retried."""
import io
import re

from openpyxl import load_workbook

from kinerja.models import AuditLog, Employee, ExportJob, Unit, User
from kinerja.stores import exports
from tests.support import HX
from tests.support.app import csrf_token, make_app, signed_in
from tests.support.evaluation import as_user


def _start(client, periode="periodik-1"):
    response = client.post("/kinerja/rekap/kabupaten", data={"periode": periode})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(re.search(r"/unduhan/(\d+)$", response.headers["Location"]).group(1))


def test_the_admin_gets_every_active_employee_of_the_regency_in_one_file(client, q):
    as_user(client, "admin")
    assert "Buat rekap kabupaten" in client.get("/kinerja/rekap").get_data(as_text=True)
    job_id = _start(client)
    page = client.get(f"/unduhan/{job_id}").get_data(as_text=True)
    assert "Berkas siap" in page and f"/unduhan/{job_id}/berkas" in page
    assert "hx-trigger" not in page  # a finished job is no longer polled
    response = client.get(f"/unduhan/{job_id}/berkas")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    nips = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert nips == set(q(lambda: [e.nip for e in Employee.select().where(Employee.active)]))
    assert q(lambda: AuditLog.select().where((AuditLog.entity == "export_job")
                                             & (AuditLog.entity_id == job_id)).count()) == 1


def test_a_job_in_progress_is_polled_and_shows_its_percentage(client, q):
    as_user(client, "admin")
    job = q(lambda: ExportJob.create(owner=User.get(User.username == "admin").id,
                                     kind="regency_recap", title="Rekap", state="running", progress=40))
    fragment = client.get(f"/unduhan/{job.id}", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="export-job"')
    assert 'hx-trigger="load delay:1s"' in fragment and "40 %" in fragment


def test_a_failed_build_says_why_leaves_no_file_and_is_retried(client, q, monkeypatch, app):
    as_user(client, "admin")
    real = exports.BUILDERS["regency_recap"]

    def broken(params, progress):
        progress(1, 2)
        raise OSError("disk penuh")
    monkeypatch.setitem(exports.BUILDERS, "regency_recap", broken)
    job_id = _start(client)
    page = client.get(f"/unduhan/{job_id}").get_data(as_text=True)
    assert "Gagal:" in page and "disk penuh" in page and "Coba lagi" in page
    assert client.get(f"/unduhan/{job_id}/berkas").status_code == 404
    folder = exports._folder(app.config["UPLOAD_DIR"])
    assert not list(folder.iterdir()), "nothing half-written remains"

    monkeypatch.setitem(exports.BUILDERS, "regency_recap", real)
    again = client.post(f"/unduhan/{job_id}/ulang", headers=HX)
    assert again.status_code == 200 and "Berkas siap" in again.get_data(as_text=True)
    assert client.get(f"/unduhan/{job_id}/berkas").status_code == 200


def test_only_the_owner_sees_the_job_and_only_the_admin_bkpsdm_starts_one(client, q):
    as_user(client, "admin")
    job_id = _start(client)
    as_user(client, "admin.dinkes")
    assert client.get(f"/unduhan/{job_id}").status_code == 404
    assert client.get(f"/unduhan/{job_id}/berkas").status_code == 404
    assert client.post(f"/unduhan/{job_id}/ulang").status_code == 404
    assert client.post("/kinerja/rekap/kabupaten", data={"periode": "tahunan"}).status_code == 403
    assert "Buat rekap kabupaten" not in client.get("/kinerja/rekap").get_data(as_text=True)
    client.post("/keluar")
    assert client.get(f"/unduhan/{job_id}").status_code == 302  # to the login page


def test_starting_needs_the_csrf_token(tmp_path):
    client = signed_in(make_app(tmp_path, WTF_CSRF_ENABLED=True), "admin")
    assert client.post("/kinerja/rekap/kabupaten", data={"periode": "tahunan"}).status_code == 400
    page = client.get("/kinerja/rekap").get_data(as_text=True)
    assert client.post("/kinerja/rekap/kabupaten", data={
        "periode": "tahunan", "csrf_token": csrf_token(page)}).status_code == 302


def test_a_units_approved_skp_documents_arrive_as_one_zip_of_readable_pdfs(client, q):
    from pypdf import PdfReader
    from kinerja.models import Skp, Unit
    from tests.support.skp import YEAR
    as_user(client, "admin.dinkes")
    unit = q(lambda: Unit.get(Unit.name == "UPTD Puskesmas Sukamaju"))
    expected = q(lambda: sorted(s.employee.nip for s in Skp.select().join(Employee).where(
        (Skp.year == YEAR) & (Skp.status == "approved") & (Employee.unit == unit.id))))
    assert expected
    assert "Buat ZIP" in client.get("/skp/tim").get_data(as_text=True)
    response = client.post("/skp/dokumen-unit", data={"tahun": str(YEAR), "unit": str(unit.id)})
    assert response.status_code == 302
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    download = client.get(f"/unduhan/{job_id}/berkas")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    import zipfile
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert sorted(name.split("-")[2] for name in archive.namelist()) == expected
    first = archive.namelist()[0]
    text = PdfReader(io.BytesIO(archive.read(first))).pages[0].extract_text()
    assert first.split("-")[2] in text.replace(" ", "")


def test_the_zip_is_refused_outside_the_admins_scope_and_to_employees(client, q, accounts):
    from kinerja.models import Unit
    from tests.support.skp import YEAR
    as_user(client, "admin.dinkes")
    other = q(lambda: Unit.get(Unit.name == "Dinas Pendidikan"))
    assert client.post("/skp/dokumen-unit", data={"tahun": str(YEAR), "unit": str(other.id)}).status_code == 404
    assert client.post("/skp/dokumen-unit", data={"tahun": str(YEAR), "unit": "x"}).status_code == 404
    as_user(client, accounts["pegawai"])
    dinkes = q(lambda: Unit.get(Unit.name == "Dinas Kesehatan"))
    assert client.post("/skp/dokumen-unit", data={"tahun": str(YEAR), "unit": str(dinkes.id)}).status_code == 403


def test_a_unit_without_an_approved_skp_is_told_so(client, q):
    from kinerja.models import Skp, Unit
    from tests.support.skp import YEAR

    def unit_without_approved():
        approved_units = Employee.select(Employee.unit).join(Skp, on=(Skp.employee == Employee.id)).where(
            (Skp.year == YEAR) & (Skp.status == "approved"))
        return Unit.select().where(Unit.id.not_in(approved_units) & Unit.parent.is_null(False)
                                   & ~Unit.id.in_(Unit.select(Unit.parent).where(Unit.parent.is_null(False)))).first()
    unit = q(unit_without_approved)
    as_user(client, "admin")
    response = client.post("/skp/dokumen-unit", data={"tahun": str(YEAR), "unit": str(unit.id)})
    assert response.status_code == 409
    assert "Belum ada SKP" in response.get_data(as_text=True)


def test_a_job_runs_only_while_its_requester_may_have_the_file(client, q, app):
    import json
    admin = q(lambda: User.get(User.username == "admin"))
    dinkes = q(lambda: User.get(User.username == "admin.dinkes"))

    def job_of(owner, kind="regency_recap", **params):
        return q(lambda: ExportJob.create(owner=owner.id, kind=kind, title="Berkas", params=json.dumps(
            {"year": 2026, "kind": "annual", "number": 1, "owner": owner.id, **params})).id)

    def run(job_id):
        q(lambda: exports.run(job_id, app.config["UPLOAD_DIR"]))
        return q(lambda: ExportJob.get_by_id(job_id))

    demoted = run(job_of(dinkes))
    assert demoted.state == "failed" and "tidak lagi berhak" in demoted.error
    assert demoted.link == "/kinerja/rekap" and not demoted.stored_name
    as_user(client, "admin.dinkes")
    page = client.get(f"/unduhan/{demoted.id}").get_data(as_text=True)
    assert "tidak lagi berhak" in page and "Coba lagi" not in page

    outside = q(lambda: Unit.get(Unit.name == "Dinas Pendidikan").id)
    zip_elsewhere = run(job_of(dinkes, kind="skp_documents", unit=outside))
    assert zip_elsewhere.state == "failed" and zip_elsewhere.link == "/skp/tim"

    q(lambda: User.update(active=False).where(User.id == admin.id).execute())
    gone = run(job_of(admin))
    assert gone.state == "failed" and "tidak lagi aktif" in gone.error
    q(lambda: User.update(active=True).where(User.id == admin.id).execute())
    assert run(job_of(admin)).state == "done"
