"""The regency's talent map for Baperjakat is made by the export worker: the page's button
starts the job and leads to its page, the file holds every active employee, only BKPSDM
starts one, and the job checks the requester's rights again when it runs. One OPD's file is
still made in the request."""
import io
import re

from openpyxl import load_workbook

from kinerja.models import Employee, ExportJob, Setting, Unit, User
from kinerja.rules import talent as rules
from kinerja.stores import exports
from kinerja.stores.talent import export

from ..support import HX, database
from ..support.app import csrf_token, make_app, signed_in
from .test_views import as_nip

MAP = "/talenta/"


def _start(client, year=2025):
    response = client.post("/talenta/ekspor", data={"tahun": str(year)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(re.search(r"/unduhan/(\d+)$", response.headers["Location"]).group(1))


def _nips(data) -> set:
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Peta talenta", "Belum terpetakan"]
    placed = {row[3] for row in book["Peta talenta"].iter_rows(min_row=2, values_only=True)}
    unplaced = {row[0] for row in book["Belum terpetakan"].iter_rows(min_row=2, values_only=True)}
    assert not placed & unplaced
    return placed | unplaced


def test_the_regency_button_starts_a_job_whose_file_holds_every_active_employee(app, as_role):
    client = as_role("admin")
    page = client.get(MAP).get_data(as_text=True)
    assert 'action="/talenta/ekspor"' in page and "Buat XLSX seluruh kabupaten" in page
    assert 'href="/talenta/ekspor.xlsx' not in page, "the regency's file is not made in the request"
    job_id = _start(client)
    shown = client.get(f"/unduhan/{job_id}").get_data(as_text=True)
    assert "Berkas siap" in shown and "peta-talenta-2025.xlsx" in shown
    response = client.get(f"/unduhan/{job_id}/berkas")
    assert response.status_code == 200
    with database(app):
        active = {nip for (nip,) in Employee.select(Employee.nip).where(Employee.active).tuples()}
        job = ExportJob.get_by_id(job_id)
        assert job.kind == export.KIND and job.owner_id == User.get(User.username == "admin").id
    assert _nips(response.data) == active


def test_an_htmx_start_is_sent_to_the_job_page(as_role):
    response = as_role("admin").post("/talenta/ekspor", data={"tahun": "2025"}, headers=HX)
    assert response.status_code == 200 and re.search(r"/unduhan/\d+$", response.headers["HX-Redirect"])


def test_one_opd_stays_in_the_request(app, as_role):
    client = as_role("admin")
    with database(app):
        dinkes = Unit.get(Unit.code == "DINKES").id
    page = client.get(f"{MAP}?opd={dinkes}").get_data(as_text=True)
    assert f'href="/talenta/ekspor.xlsx?tahun=2025&amp;opd={dinkes}"' in page
    assert 'action="/talenta/ekspor"' not in page
    response = client.get(f"/talenta/ekspor.xlsx?opd={dinkes}")
    assert response.status_code == 200 and "peta-talenta-2025-dinkes.xlsx" in response.headers[
        "Content-Disposition"]


def test_only_bkpsdm_starts_the_regency_job(app, client, as_role, people):
    for role in ("admin_opd", "pegawai"):
        assert as_role(role).post("/talenta/ekspor", data={"tahun": "2025"}).status_code == 403
    as_nip(client, people.head_dinkes)
    page = client.get(MAP).get_data(as_text=True)
    assert 'action="/talenta/ekspor"' not in page and 'href="/talenta/ekspor.xlsx' in page
    response = client.post("/talenta/ekspor", data={"tahun": "2025"})
    assert response.status_code == 403 and "dibuat oleh BKPSDM" in response.get_data(as_text=True)
    with database(app):
        assert not ExportJob.select().where(ExportJob.kind == export.KIND).exists()
    client.post("/keluar")
    anonymous = client.post("/talenta/ekspor", data={"tahun": "2025"})
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]


def test_starting_needs_the_csrf_token(tmp_path):
    client = signed_in(make_app(tmp_path, WTF_CSRF_ENABLED=True), "admin")
    assert client.post("/talenta/ekspor", data={"tahun": "2025"}).status_code == 400
    token = csrf_token(client.get(MAP).get_data(as_text=True))
    assert client.post("/talenta/ekspor", data={"tahun": "2025", "csrf_token": token}).status_code == 302


def _queued(app, username, opd_id=None) -> int:
    """A job made as the view makes it, not yet run."""
    with database(app):
        actor = User.get(User.username == username)
        opd = Unit.get_by_id(opd_id) if opd_id else None
        job = exports.start(actor, export.KIND, export.params(actor, 2025, opd),
                            export.title(2025, opd))
        return job.id


def _run(app, job_id) -> ExportJob:
    with database(app):
        exports.run(job_id, app.config["UPLOAD_DIR"])
        return ExportJob.get_by_id(job_id)


def test_the_job_checks_the_rights_again_when_it_runs(app, accounts):
    job_id = _queued(app, accounts["admin"])
    with database(app):  # no longer BKPSDM by the time the worker takes the job
        User.update(role="admin_opd").where(User.username == accounts["admin"]).execute()
    job = _run(app, job_id)
    assert job.state == "failed" and "Admin OPD tidak melihatnya" in job.error
    assert job.link == MAP and not job.stored_name

    # Nor may an admin OPD have it, whoever queued the job.
    assert _run(app, _queued(app, accounts["admin_opd"])).state == "failed"


def test_a_deactivated_account_gets_no_file(app, accounts):
    job_id = _queued(app, accounts["admin"])
    with database(app):
        User.update(active=False).where(User.username == accounts["admin"]).execute()
    job = _run(app, job_id)
    assert job.state == "failed" and "tidak lagi aktif" in job.error and not job.stored_name


def test_a_pegawai_who_sees_their_own_box_cannot_have_the_regency(app, people):
    with database(app):
        Setting.insert(key=rules.OWN_BOX_SETTING, value="1").on_conflict(
            conflict_target=[Setting.key], update={Setting.value: "1"}).execute()
        username = User.get(User.employee == people.bidan.id).username
    job = _run(app, _queued(app, username))
    assert job.state == "failed" and not job.stored_name


def test_a_head_of_opd_job_holds_their_opd_only_while_they_head_it(app, people):
    with database(app):
        username = User.get(User.employee == people.head_dinkes.id).username
        dinkes = Unit.get(Unit.code == "DINKES")
        outside = {nip for (nip,) in Employee.select(Employee.nip).join(Unit)
                   .where(Employee.active & ~Unit.path.startswith(dinkes.path)).tuples()}
        other = Unit.get(Unit.code == "DISDUKCAPIL").id
    job = _run(app, _queued(app, username, dinkes.id))
    assert job.state == "done"
    with database(app):
        path = exports.file_of(job, app.config["UPLOAD_DIR"])
    nips = _nips(path.read_bytes())
    assert nips and not nips & outside and people.head_dinkes.nip not in nips
    # Another OPD, or the regency, is refused when the job runs.
    assert _run(app, _queued(app, username, other)).state == "failed"
    assert _run(app, _queued(app, username)).state == "failed"


def test_a_cut_box_of_the_regency_offers_the_job_and_of_an_opd_the_file(app, as_role, monkeypatch):
    from kinerja.views import talent as view
    monkeypatch.setattr(view, "BOX_SHOWN", 1)
    client = as_role("admin")
    with database(app):
        from kinerja.stores.talent.placement import talent_map
        counts = talent_map(2025).counts
    box = max(counts, key=counts.get)
    assert counts[box] > 1
    part = client.get(f"/talenta/kotak/{box}", headers=HX).get_data(as_text=True)
    assert f"Menampilkan 1 dari {counts[box]} pegawai" in part
    assert 'action="/talenta/ekspor"' in part and 'href="/talenta/ekspor.xlsx' not in part
    assert part.count("<tr>") == 2  # the header and the one person shown
