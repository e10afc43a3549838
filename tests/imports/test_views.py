"""Import from SIASN: the dry run, the confirmation through the web, scope and denials."""
import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kinerja.models import AuditLog, Employee, Unit, User
from kinerja.stores.siasn import writer as siasn_writer
from kinerja.stores.siasn.planner import plan_import
from kinerja.stores.siasn.writer import NO_PASSWORD, confirm_import, load_snapshot
from kinerja.spreadsheets import SpreadsheetError, read_rows

from ..support.app import login
from ..support import counted_get, zip_bomb
from ..support.siasn import BASE, HEADERS, counts as _counts, csv_of, nip, reasons_of, row, xlsx_of


# --- the dry run -----------------------------------------------------------------------------

def _as_row(employee: Employee) -> dict:
    position, unit = employee.position, employee.unit
    return row(nip_baru=employee.nip, nama=employee.name, gelar_depan=employee.title_front,
               gelar_belakang=employee.title_back, gol_akhir_nama=employee.grade,
               pangkat=employee.rank, jenis_pegawai=employee.employment_type.upper(),
               jabatan_nama=position.name, jenis_jabatan_nama=position.kind_label,
               unor_id=unit.code, unor_nama=unit.name, unor_induk_id="", unor_induk_nama="")


def test_dry_run_counts_created_updated_unchanged_and_writes_nothing(planner, in_db, demo):
    def two_employees():
        people = list(Employee.with_org().where(Unit.code == "PKM-SUKAMAJU").order_by(Employee.id))
        return _as_row(people[1]), _as_row(people[2])
    same, changed = in_db(two_employees)
    changed["NAMA"] = "Nama Baru Sekali"
    new = row(nip_baru=nip(1), unor_id="PKM-BARU", unor_nama="UPTD Puskesmas Baru",
              jabatan_nama="Perawat Terampil", nip_atasan=demo["head"])
    plan = planner(csv_of(same, changed, new))
    assert plan.bad == []
    assert plan.counts["employees"] == {"created": 1, "updated": 1, "unchanged": 1}
    # PKM-BARU is new; PKM-SUKAMAJU and DINKES (the new unit's induk) stay as they are.
    assert plan.counts["units"] == {"created": 1, "updated": 0, "unchanged": 2}
    assert plan.counts["positions"]["created"] == 1
    assert plan.counts["accounts"]["created"] == 1
    assert next(c for c in plan.changes() if c["status"] == "updated")["fields"] == ["nama"]
    assert in_db(_counts) == demo["counts"]


# --- through the web -------------------------------------------------------------------------

def _preview(client, data: bytes, filename="pegawai.csv", **headers):
    return client.post("/impor/pratinjau", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data", headers=headers)


def _confirm_fields(html: str) -> dict:
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    digest = re.search(r'name="digest" type="hidden" value="([^"]+)"', html).group(1)
    return {"token": token, "digest": digest}


def test_pegawai_and_anonymous_are_turned_away(client, as_role):
    assert client.get("/impor/").status_code == 302
    as_role("pegawai")
    assert client.get("/impor/").status_code == 403
    assert _preview(client, csv_of(row())).status_code == 403
    assert client.post("/impor/simpan", data={"token": "x" * 32, "digest": "0" * 32}).status_code == 403
    assert client.get("/impor/templat.xlsx").status_code == 403
    assert client.get("/impor/hasil/1").status_code == 403


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_template_download_has_the_headers_and_an_example(client, as_role, fmt):
    as_role("admin")
    response = client.get(f"/impor/templat.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.data)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert rows[1][HEADERS.index("NIP_BARU")] == "199203152019032005"
    assert len(rows) == 2
    assert client.get("/impor/templat.pdf").status_code == 404


def test_upload_shows_the_dry_run_with_line_and_reason(app, client, as_role, in_db, demo):
    as_role("admin")
    data = csv_of(row(nip_atasan=demo["head"]), row(nip_baru="1991020320150110", nama="Salah Ketik"))
    response = _preview(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hasil uji coba" in html and "Belum ada yang disimpan" in html
    assert '<td class="num">3</td>' in html
    assert "NIP harus 18 digit (yang diisi 16 digit)" in html
    assert "Lewati baris bermasalah" in html
    assert in_db(_counts) == demo["counts"]
    assert len(list((Path(app.config["UPLOAD_DIR"]) / "imports").glob("*.csv"))) == 1


def test_htmx_upload_answers_the_fragment(client, as_role):
    as_role("admin")
    response = _preview(client, csv_of(row()), **{"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="import-work">')
    assert "<html" not in html


def test_confirm_writes_everything_with_audit_and_closed_accounts(app, client, as_role, in_db, demo):
    as_role("admin")
    data = csv_of(row(nip_atasan=demo["head"]),
                  row(nip_baru=nip(2), nama="Dedi Kurniawan", unor_id="PKM-BARU",
                      unor_nama="UPTD Puskesmas Baru", jabatan_nama="Kepala UPTD Puskesmas Baru",
                      jenis_jabatan_nama="Pengawas", gol_akhir_nama="III/d"),
                  row(nip_baru="123", nama="Salah"))
    fields = _confirm_fields(_preview(client, data).get_data(as_text=True))
    response = client.post("/impor/simpan", data=dict(fields, skip_bad="y"))
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dedi Kurniawan" in result and "Rina Lestari" in result
    assert "1 baris bermasalah dilewati" in result

    def check():
        rina = Employee.get(Employee.nip == BASE["NIP_BARU"])
        dedi = Employee.get(Employee.nip == nip(2))
        assert rina.appraiser().nip == demo["head"]
        assert dedi.rank == "Penata Tingkat I" and dedi.unit.name == "UPTD Puskesmas Baru"
        assert dedi.unit.path == f"{demo['scope'].path}{dedi.unit_id}/"
        account = User.get(User.username == nip(2))
        assert account.employee_id == dedi.id and account.role == "pegawai"
        assert account.must_change_password and account.password_hash == NO_PASSWORD
        counts = _counts()
        assert counts["employees"] == demo["counts"]["employees"] + 2
        assert counts["users"] == demo["counts"]["users"] + 2
        # summary + 1 unit + 1 position (the perawat position exists) + 2 employees + 2 accounts
        assert counts["audit"] == demo["counts"]["audit"] + 7
        summary = AuditLog.select().where(AuditLog.action == "import").get()
        assert summary.after_dict()["skipped"][0]["line"] == 4
        assert AuditLog.select().where(AuditLog.summary.startswith(f"Impor SIASN #{summary.id}:")).count() == 6
    in_db(check)
    # An imported account has no password anyone could know.
    client.post("/keluar")
    assert login(client, nip(2), NO_PASSWORD).status_code == 401
    # The file is gone: the same confirmation cannot run twice.
    as_role("admin")
    again = client.post("/impor/simpan", data=dict(fields, skip_bad="y"))
    assert again.status_code == 302


def test_confirm_with_bad_rows_needs_the_explicit_choice(client, as_role, in_db, demo):
    as_role("admin")
    fields = _confirm_fields(_preview(client, csv_of(row(), row(nip_baru="1", nama="X"))).get_data(as_text=True))
    response = client.post("/impor/simpan", data=fields)
    assert response.status_code == 422
    assert "Ada 1 baris bermasalah" in response.get_data(as_text=True)
    assert in_db(_counts) == demo["counts"]


def test_confirm_refuses_when_the_data_changed_since_the_dry_run(client, as_role, in_db, demo):
    as_role("admin")
    fields = _confirm_fields(_preview(client, csv_of(row())).get_data(as_text=True))

    def someone_adds_the_employee():
        Employee.create(nip=BASE["NIP_BARU"], name="Sudah Ada")
    in_db(someone_adds_the_employee)
    response = client.post("/impor/simpan", data=fields)
    assert response.status_code == 409
    assert "berubah sejak pratinjau" in response.get_data(as_text=True)
    assert in_db(lambda: Employee.get(Employee.nip == BASE["NIP_BARU"]).name) == "Sudah Ada"


def test_a_failure_midway_writes_nothing(in_db, demo, monkeypatch):
    def boom(self, employee_ids):
        raise RuntimeError("disk penuh")
    monkeypatch.setattr(siasn_writer._Writer, "accounts", boom)
    data = csv_of(row(), row(nip_baru=nip(2), unor_id="PKM-BARU", unor_nama="UPTD Puskesmas Baru"))

    def run():
        headers, rows = read_rows("x.csv", data)
        plan = plan_import(headers, rows, load_snapshot())
        admin = User.get(User.username == "admin")
        with pytest.raises(RuntimeError):
            confirm_import(headers, rows, scope=None, actor=admin, filename="x.csv",
                           digest=plan.digest, skip_bad=False)
        return _counts()
    assert in_db(run) == demo["counts"]


def test_admin_opd_imports_only_inside_their_scope(client, as_role, in_db, demo):
    as_role("admin_opd")
    data = csv_of(row(), row(nip_baru=nip(2), unor_id="DISDIK-SD", unor_nama="Bidang Pembinaan SD",
                             unor_induk_id="DISDIK", unor_induk_nama="Dinas Pendidikan"))
    html = _preview(client, data).get_data(as_text=True)
    assert "di luar wewenang Anda" in html
    fields = _confirm_fields(html)
    response = client.post("/impor/simpan", data=dict(fields, skip_bad="y"))
    assert response.status_code == 303
    assert in_db(lambda: Employee.select().where(Employee.nip == nip(2)).exists()) is False
    assert in_db(lambda: Employee.get(Employee.nip == BASE["NIP_BARU"]).unit.code) == "PKM-SUKAMAJU"
    # The BKPSDM admin sees every import; the admin OPD sees their own.
    import_url = response.headers["Location"]
    as_role("admin")
    assert client.get(import_url).status_code == 200
    as_role("admin_opd")
    assert client.get(import_url).status_code == 200


def test_admin_opd_cannot_use_another_users_upload_or_result(client, as_role):
    as_role("admin")
    fields = _confirm_fields(_preview(client, csv_of(row())).get_data(as_text=True))
    as_role("admin_opd")
    response = client.post("/impor/simpan", data=dict(fields, skip_bad="y"))
    assert response.status_code == 302  # "not found any more": the token is the admin's
    as_role("admin")
    done = client.post("/impor/simpan", data=fields)
    assert done.status_code == 303
    as_role("admin_opd")
    assert client.get(done.headers["Location"]).status_code == 404
    assert client.get("/impor/hasil/999999").status_code == 404


def test_tampered_confirmation_is_a_400_not_a_500(client, as_role):
    as_role("admin")
    assert client.post("/impor/simpan", data={"token": "../../etc/passwd", "digest": "x"}).status_code == 400
    assert client.post("/impor/simpan", data={}).status_code == 400


@pytest.mark.parametrize("filename,data", [
    ("kosong.csv", b""),
    ("pegawai.exe", b"MZ\x90\x00"),
    ("rusak.xlsx", b"\x00\x01\x02" * 100),
    ("judul.csv", b"a,b,c\n1,2,3\n"),
    ("aneh.csv", b"\x81\x8d\x8f,\x90\n1,2\n"),
])
def test_garbage_uploads_answer_422(client, as_role, filename, data):
    as_role("admin")
    response = _preview(client, data, filename)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)


def test_upload_without_a_file_or_too_large(app, client, as_role):
    as_role("admin")
    response = client.post("/impor/pratinjau", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Pilih berkas" in response.get_data(as_text=True)
    app.config["IMPORT_MAX_BYTES"] = 100
    response = _preview(client, csv_of(row(), row(nip_baru=nip(2))))
    assert response.status_code == 422
    assert "lebih besar" in response.get_data(as_text=True)


def test_no_upload_gives_a_500(client, as_role):
    as_role("admin")

    @settings(max_examples=20, deadline=None)
    @given(data=st.binary(max_size=300) | st.text(max_size=200).map(lambda t: t.encode()),
           extension=st.sampled_from(["csv", "xlsx"]))
    def upload(data, extension):
        response = _preview(client, data, f"acak.{extension}")
        assert response.status_code in (200, 422)
    upload()


def test_index_lists_recent_imports(client, as_role):
    as_role("admin")
    fields = _confirm_fields(_preview(client, csv_of(row())).get_data(as_text=True))
    client.post("/impor/simpan", data=fields)
    page = client.get("/impor/").get_data(as_text=True)
    assert "Impor terakhir" in page and "Impor SIASN dari pegawai.csv" in page
    assert "NIP_ATASAN" in page  # the accepted columns are listed


def test_pages_do_not_query_per_import_or_per_employee(client, as_role):
    as_role("admin")

    def import_rows(*rows):
        fields = _confirm_fields(_preview(client, csv_of(*rows)).get_data(as_text=True))
        return client.post("/impor/simpan", data=fields).headers["Location"]
    small = import_rows(row())
    one = counted_get(client, "/impor/")[0]
    small_result = counted_get(client, small)[0]
    large = import_rows(*[row(nip_baru=nip(i), nama=f"Pegawai {i}") for i in range(1, 8)])
    import_rows(row(nip_baru=nip(20)))
    assert counted_get(client, "/impor/")[0] == one
    assert counted_get(client, large)[0] == small_result


def test_confirm_moves_and_reactivates_existing_employees_with_audit(in_db, demo):
    def run():
        people = list(Employee.with_org().where(Unit.code == "PKM-SUKAMAJU").order_by(Employee.id))
        mover, sleeper = people[1], people[2]
        Employee.update(active=False).where(Employee.id == sleeper.id).execute()
        moved = dict(_as_row(mover), JABATAN_NAMA="Perawat Penyelia", UNOR_ID="PKM-CIBENING",
                     UNOR_NAMA="UPTD Puskesmas Cibening")
        data = csv_of(moved, _as_row(sleeper))
        headers, rows = read_rows("x.csv", data)
        plan = plan_import(headers, rows, load_snapshot())
        assert plan.counts["employees"] == {"created": 0, "updated": 2, "unchanged": 0}
        admin = User.get(User.username == "admin")
        _, import_id, refused = confirm_import(headers, rows, scope=None, actor=admin, filename="x.csv",
                                               digest=plan.digest, skip_bad=False)
        assert refused is None
        after = Employee.get_by_id(mover.id)
        assert after.position.name == "Perawat Penyelia" and after.unit.code == "PKM-CIBENING"
        assert Employee.get_by_id(sleeper.id).active
        log = (AuditLog.select().where((AuditLog.entity == "employee") & (AuditLog.entity_id == mover.id)
                                       & (AuditLog.id > import_id)).get())
        assert log.before_dict()["unit"] == mover.unit_id
        assert log.after_dict()["unit"] == after.unit_id
        assert log.unit_id == after.unit_id
        # No new accounts: both already had one.
        return User.select().count()
    assert in_db(run) == demo["counts"]["users"]


def test_a_real_ni_pppk_is_imported_for_a_pppk_row_and_refused_for_a_pns_row(planner):
    """NI PPPK digits 13–14 are a code, not a month (skp.md §8); the row's status decides."""
    pppk = row(nip_baru="199009132025242014", jenis_pegawai="PPPK", gol_akhir_nama="IX")
    plan = planner(csv_of(pppk))
    assert plan.bad == [] and [e.nip for e in plan.new_employees] == ["199009132025242014"]
    plan = planner(csv_of(row(nip_baru="199009132025242014")))
    assert "bulan yang tidak sah" in reasons_of(plan, 2)


def test_an_xlsx_that_inflates_beyond_the_limit_is_refused_before_it_is_read(planner):
    with pytest.raises(SpreadsheetError, match="Isi berkas terlalu besar setelah dibuka"):
        planner(zip_bomb("xlsx", declared_mb=130), filename="pegawai.xlsx")


def test_a_sheet_declaring_16384_columns_is_read_as_wide_as_its_header():
    """Excel may declare the whole width (A1:XFD…); rows are read only as far as the header."""
    good = xlsx_of(*[row(nip_baru=nip(i)) for i in range(1, 4)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD4"/>', data)
                if b"<dimension" not in data:
                    data = data.replace(b"<sheetData", b'<dimension ref="A1:XFD4"/><sheetData', 1)
            zout.writestr(item, data)
    headers, rows = read_rows("pegawai.xlsx", out.getvalue())
    assert headers == [h.lower().replace("_", " ") for h in HEADERS]
    assert [r.cells["nip baru"] for r in rows] == [nip(i) for i in range(1, 4)]


def test_a_row_with_a_control_character_is_a_bad_row_naming_the_column(planner):
    plan = planner(csv_of(row(nama="Rina\x00 Lestari"), row(nip_baru=nip(7), nama="Dewi\x0bAyu")))
    assert "Kolom NAMA memuat karakter tak terlihat" in reasons_of(plan, 2)
    assert [b.line for b in plan.bad] == [2]  # a pasted line break is only a line break


# --- the EMAIL column ---------------------------------------------------------------------------

def test_the_email_column_fills_accounts_without_one_unverified_and_never_replaces_one(
        client, as_role, in_db, demo):
    def existing():
        head = Employee.get(Employee.nip == demo["head"])
        User.update(email="kapus.sendiri@sukamaju.test").where(User.employee == head.id).execute()
        return _as_row(head)
    head_row = in_db(existing)
    head_row["EMAIL"] = "kapus.dari.siasn@sukamaju.test"
    new = row(nip_baru=nip(3), nama="Sari Email", email="Sari.Email@Sukamajukab.GO.ID")
    bad = row(nip_baru=nip(4), nama="Salah Email", email="sari@")
    client = as_role("admin")
    preview = _preview(client, csv_of(head_row, new, bad)).get_data(as_text=True)
    assert "EMAIL \u201csari@\u201d: Alamat email tidak sah" in preview
    fields = _confirm_fields(preview)
    assert client.post("/impor/simpan", data=dict(fields, skip_bad="y")).status_code == 303

    def check():
        sari = User.get(User.username == nip(3))
        assert sari.email == "Sari.Email@sukamajukab.go.id" and sari.email_verified_at is None
        head = User.get(User.employee == Employee.get(Employee.nip == demo["head"]).id)
        assert head.email == "kapus.sendiri@sukamaju.test"
        assert not User.select().where(User.username == nip(4)).exists()
        audit = AuditLog.get((AuditLog.entity == "user") & (AuditLog.entity_id == sari.id)
                             & (AuditLog.action == "update"))
        assert "belum diverifikasi" in audit.summary
    in_db(check)


# --- uploads waiting for their confirmation --------------------------------------------------------

def test_an_upload_left_before_its_confirmation_is_listed_resumed_and_saved(client, as_role, in_db):
    client = as_role("admin")
    _preview(client, csv_of(row(nip_baru=nip(5), nama="Tertunda Dulu")), filename="tertunda.csv")
    # Later, another visit: the Beranda and the import page say it waits.
    overview = client.get("/beranda/ikhtisar").get_data(as_text=True)
    assert "1</span> berkas impor SIASN menunggu konfirmasi" in overview
    page = client.get("/impor/").get_data(as_text=True)
    assert "Menunggu konfirmasi" in page and "tertunda.csv" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    resumed = client.post("/impor/lanjutkan", data={"token": token}).get_data(as_text=True)
    assert "Tertunda Dulu" in resumed
    fields = _confirm_fields(resumed)
    assert fields["token"] == token
    assert client.post("/impor/simpan", data=fields).status_code == 303
    assert in_db(lambda: Employee.select().where(Employee.nip == nip(5)).exists())
    assert "Menunggu konfirmasi" not in client.get("/impor/").get_data(as_text=True)
    gone = client.post("/impor/lanjutkan", data={"token": token})
    assert gone.status_code == 302
    assert "tidak ditemukan lagi" in client.get(gone.headers["Location"]).get_data(as_text=True)


def test_one_admins_waiting_upload_is_not_anothers(client, as_role):
    client = as_role("admin")
    _preview(client, csv_of(row(nip_baru=nip(6))), filename="milik-admin.csv")
    token = re.search(r'name="token" value="([^"]+)"', client.get("/impor/").get_data(as_text=True)).group(1)
    client = as_role("admin_opd")
    assert "milik-admin.csv" not in client.get("/impor/").get_data(as_text=True)
    assert client.post("/impor/lanjutkan", data={"token": token}).status_code == 302
    assert client.post("/impor/lanjutkan", data={"token": "../../etc"}).status_code == 302
