"""Import from SIASN: reading the file, the dry run, the confirmation, scope and denials."""
import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from kinerja.models import AuditLog, Employee, Position, Unit, User
from kinerja.rules.org import PNS_GRADES
from kinerja.rules.siasn import (employment_type, eselon_level, import_owner, position_kind,
                                 rank_for_grade)
from kinerja.stores.siasn import writer as siasn_writer
from kinerja.stores.siasn.columns import COLUMNS
from kinerja.stores.siasn.plan import Scope
from kinerja.stores.siasn.planner import plan_import
from kinerja.stores.siasn.writer import NO_PASSWORD, confirm_import, load_snapshot
from kinerja.spreadsheets import SpreadsheetError, read_rows, xlsx_bytes

from ..support.app import TODAY, login
from ..support import counted_get, zip_bomb

HEADERS = [c.header for c in COLUMNS]
BASE = {"NIP_BARU": "199102032015012100", "NAMA": "Rina Lestari", "GELAR_DEPAN": "",
        "GELAR_BELAKANG": "S.Kep., Ns.", "JENIS_PEGAWAI": "PNS", "GOL_AKHIR_NAMA": "III/b",
        "PANGKAT": "", "JABATAN_NAMA": "Perawat Ahli Pertama", "JENIS_JABATAN_NAMA": "Fungsional",
        "ESELON": "", "UNOR_ID": "PKM-SUKAMAJU", "UNOR_NAMA": "UPTD Puskesmas Sukamaju",
        "UNOR_INDUK_ID": "DINKES", "UNOR_INDUK_NAMA": "Dinas Kesehatan", "NIP_ATASAN": ""}


def nip(seq: int) -> str:
    """A valid NIP that the demo regency does not have."""
    return f"199102032015011{seq:03d}"


def row(**changes) -> dict:
    data = dict(BASE)
    data.update({key.upper(): value for key, value in changes.items()})
    return data


def csv_of(*rows, headers=HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for item in rows:
        writer.writerow([item.get(h, "") for h in headers])
    return out.getvalue().encode()


def xlsx_of(*rows, headers=HEADERS) -> bytes:
    return xlsx_bytes({"Pegawai": (headers, [[item.get(h, "") for h in headers] for item in rows])})


@pytest.fixture
def planner(in_db):
    def run(data: bytes, filename="pegawai.csv", scope=None):
        def plan():
            headers, rows = read_rows(filename, data)
            return plan_import(headers, rows, load_snapshot(), scope, today=TODAY)
        return in_db(plan)
    return run


@pytest.fixture
def demo(in_db):
    """A few demo facts: the head of Puskesmas Sukamaju and the DINKES scope."""
    def facts():
        head = (Employee.select().join(Position, on=(Employee.position == Position.id))
                .where(Position.name == "Kepala UPTD Puskesmas Sukamaju").get())
        yankes = (Employee.select().join(Position, on=(Employee.position == Position.id))
                  .where(Position.name == "Kepala Bidang Pelayanan Kesehatan").get())
        dinkes = Unit.get(Unit.code == "DINKES")
        return {"head": head.nip, "yankes_head": yankes.nip, "yankes_position": yankes.position_id,
                "scope": Scope(dinkes.path, dinkes.name), "counts": _counts()}
    return in_db(facts)


def _counts():
    return {"units": Unit.select().count(), "positions": Position.select().count(),
            "employees": Employee.select().count(), "users": User.select().count(),
            "audit": AuditLog.select().count()}


def reasons_of(plan, line):
    return " ".join(next(b.reasons for b in plan.bad if b.line == line))


# --- the rules of the values ---------------------------------------------------------------

def test_values_of_a_siasn_export_are_understood():
    assert employment_type("PNS Daerah Kabupaten/Kota") == "pns"
    assert employment_type("CPNS") == "pns"
    assert employment_type("Pegawai Pemerintah dengan Perjanjian Kerja") == "pppk"
    assert employment_type("p3k") == "pppk"
    assert employment_type("Honorer") is None
    assert position_kind("Jabatan Fungsional Tertentu") == "fungsional"
    assert position_kind("Jabatan Fungsional Umum") == "pelaksana"
    assert position_kind("Struktural", "III.a") == "administrator"
    assert position_kind("Jabatan Struktural", "IV.b") == "pengawas"
    assert position_kind("Struktural", "II.b") == "jpt_pratama"
    assert position_kind("Struktural") is None
    assert position_kind("JPT Pratama") == "jpt_pratama"
    assert eselon_level("3b") == "III"
    assert rank_for_grade("III/a") == "Penata Muda"
    assert rank_for_grade("IX") == ""


def test_the_bkpsdm_admin_looks_back_on_every_import_an_admin_opd_on_their_own():
    assert import_owner("admin", 1) is None
    assert import_owner("admin_opd", 7) == 7


def test_every_pns_grade_has_a_rank():
    assert all(rank_for_grade(grade) for grade in PNS_GRADES)


@given(st.text(max_size=40), st.text(max_size=10))
def test_value_readers_never_fail_and_answer_known_values(text, eselon):
    assert employment_type(text) in (None, "pns", "pppk")
    assert position_kind(text, eselon) in (None, "jpt_pratama", "administrator", "pengawas",
                                           "fungsional", "pelaksana")
    assert eselon_level(eselon) in (None, "I", "II", "III", "IV", "V")


# --- reading the file ----------------------------------------------------------------------

def test_template_row_is_valid_except_for_its_example_atasan(planner):
    plan = planner(csv_of(dict(zip(HEADERS, [c.example for c in COLUMNS]))))
    assert [b.line for b in plan.bad] == [2]
    assert "NIP atasan 197805122005011003 tidak ditemukan" in reasons_of(plan, 2)


def test_header_aliases_and_spellings_are_accepted(planner):
    headers = ["nip", "Nama", "gelar_depan", "Gelar Belakang", "jenis pegawai", "Golongan",
               "jabatan", "Jenis_Jabatan", "unit kerja", "KODE UNOR", "OPD", "Nip Atasan"]
    data = {"nip": "1991 0203 201501 1 001", "Nama": "Rina", "gelar_depan": "", "Gelar Belakang": "",
            "jenis pegawai": "pns", "Golongan": "iii/b", "jabatan": "Perawat Ahli Pertama",
            "Jenis_Jabatan": "fungsional", "unit kerja": "UPTD Puskesmas Sukamaju",
            "KODE UNOR": "PKM-SUKAMAJU", "OPD": "Dinas Kesehatan", "Nip Atasan": ""}
    plan = planner(csv_of(data, headers=headers))
    assert plan.bad == []
    entry = plan.new_employees[0]
    assert entry.nip == "199102032015011001"
    assert entry.values["grade"] == "III/b"
    assert entry.values["rank"] == "Penata Muda Tingkat I"
    assert plan.counts["positions"] == {"created": 0, "updated": 0, "unchanged": 1}


def test_missing_required_column_is_named(planner):
    headers = [h for h in HEADERS if h != "JENIS_JABATAN_NAMA"]
    with pytest.raises(SpreadsheetError, match="JENIS_JABATAN_NAMA"):
        planner(csv_of(row(), headers=headers))


def test_xlsx_and_csv_give_the_same_plan(planner):
    rows = [row(), row(nip_baru=nip(2), nama="Dedi")]
    from_csv = planner(csv_of(*rows))
    from_xlsx = planner(xlsx_of(*rows), "pegawai.xlsx")
    assert from_csv.counts == from_xlsx.counts
    assert from_csv.digest == from_xlsx.digest


@pytest.mark.parametrize("filename,data,message", [
    ("kosong.csv", b"", "Berkas kosong."),
    ("judul.csv", ",".join(HEADERS).encode() + b"\n", "tanpa satu pun baris"),
    ("pegawai.txt", b"NIP_BARU\n1\n", "harus berformat"),
    ("rusak.xlsx", b"PK\x03\x04 bukan excel", "tidak dapat dibaca"),
    ("aneh.csv", b"\x81\x8d\x8f,\x90\n", "tidak dapat dibaca"),
])
def test_unreadable_files_are_refused_with_a_reason(planner, filename, data, message):
    with pytest.raises(SpreadsheetError, match=message):
        planner(data, filename)


def test_a_damaged_sheet_inside_a_valid_zip_is_refused(planner):
    good = xlsx_of(row())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            zout.writestr(item, content[:len(content) // 2] if "worksheets/" in item.filename else content)
    with pytest.raises(SpreadsheetError, match="tidak dapat dibaca"):
        planner(out.getvalue(), "rusak.xlsx")


def test_nip_stored_as_a_number_in_excel_is_a_bad_row(planner):
    workbook = Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append([199102032015011001.0 if h == "NIP_BARU" else BASE[h] for h in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    plan = planner(out.getvalue(), "angka.xlsx")
    assert "tersimpan sebagai angka" in reasons_of(plan, 2)


# --- every reason for a bad row ------------------------------------------------------------

@pytest.mark.parametrize("changes,reason", [
    ({"nip_baru": ""}, "NIP wajib diisi."),
    ({"nip_baru": "1991020320150110"}, "NIP harus 18 digit (yang diisi 16 digit)"),
    ({"nip_baru": "199113032015011001"}, "Digit 1–8 (tanggal lahir)"),
    ({"nip_baru": "199102032015013001"}, "Digit ke-15 (jenis kelamin)"),
    ({"nip_baru": "19910203201501100A"}, "NIP hanya boleh berisi angka"),
    ({"nama": ""}, "Nama wajib diisi."),
    ({"nama": "x" * 151}, "NAMA terlalu panjang"),
    ({"jenis_pegawai": ""}, "Jenis pegawai wajib diisi"),
    ({"jenis_pegawai": "Honorer"}, "Jenis pegawai “Honorer” tidak dikenal"),
    ({"gol_akhir_nama": "III/z"}, "Golongan PNS"),
    ({"jenis_pegawai": "PPPK", "gol_akhir_nama": "III/a"}, "Golongan PPPK"),
    ({"jabatan_nama": ""}, "Nama jabatan (JABATAN_NAMA) wajib diisi."),
    ({"jenis_jabatan_nama": ""}, "Jenis jabatan wajib diisi"),
    ({"jenis_jabatan_nama": "Tukang"}, "Jenis jabatan “Tukang” tidak dikenal"),
    ({"jenis_jabatan_nama": "Struktural"}, "memerlukan kolom ESELON"),
    ({"unor_id": "", "unor_nama": ""}, "Unit kerja (UNOR_NAMA) wajib diisi."),
    ({"nip_atasan": "198902032015011999"}, "NIP atasan 198902032015011999 tidak ditemukan"),
    ({"nip_atasan": "12345"}, "NIP atasan 12345 tidak sah"),
    ({"nip_atasan": BASE["NIP_BARU"]}, "NIP atasan sama dengan NIP pegawai ini sendiri."),
    ({"unor_id": "DISDIK-SD", "unor_nama": "Bidang Pembinaan Sekolah Dasar"},
     "sudah terdaftar di bawah “Dinas Pendidikan”, bukan di bawah “Dinas Kesehatan”"),
])
def test_bad_row_reasons(planner, changes, reason):
    plan = planner(csv_of(row(**changes)))
    assert [b.line for b in plan.bad] == [2]
    assert reason in reasons_of(plan, 2)


def test_an_ambiguous_unit_name_asks_for_the_code(planner, in_db):
    def second_unit():
        kec = Unit.get(Unit.code == "KEC-SUKAMAJU")
        unit = Unit.create(code="KEC-SKM-UMUM", name="Bagian Umum", parent=kec)
        unit.refresh_path()
    in_db(second_unit)
    plan = planner(csv_of(row(unor_id="", unor_induk_id="", unor_induk_nama="",
                              unor_nama="Bagian Umum")))
    assert "cocok dengan 2 unit" in reasons_of(plan, 2)


def test_duplicate_nip_marks_every_occurrence(planner):
    plan = planner(csv_of(row(), row(nama="Orang Lain"), row(nip_baru=nip(2))))
    assert "NIP yang sama juga ada di baris 3." in reasons_of(plan, 2)
    assert "NIP yang sama juga ada di baris 2." in reasons_of(plan, 3)
    assert [b.line for b in plan.bad] == [2, 3]


def test_a_row_under_a_bad_atasan_is_bad_too_down_the_chain(planner):
    boss = row(nip_baru=nip(1), jenis_pegawai="Honorer", jabatan_nama="Kepala Ruang",
               jenis_jabatan_nama="Pengawas")
    middle = row(nip_baru=nip(2), jabatan_nama="Perawat Penyelia", nip_atasan=nip(1))
    staff = row(nip_baru=nip(3), nip_atasan=nip(2))
    plan = planner(csv_of(boss, middle, staff))
    assert [b.line for b in plan.bad] == [2, 3, 4]
    assert "ada di baris 2 yang bermasalah" in reasons_of(plan, 3)
    assert "ada di baris 3 yang bermasalah" in reasons_of(plan, 4)


def test_atasan_in_the_file_builds_the_position_tree(planner, demo):
    head = row(nip_baru=nip(1), jabatan_nama="Kepala Bidang Keperawatan",
               jenis_jabatan_nama="Struktural", eselon="III.a", unor_id="DINKES-KEP",
               unor_nama="Bidang Keperawatan", nip_atasan="")
    staff = row(nip_baru=nip(2), jabatan_nama="Pengelola Data Keperawatan", jenis_jabatan_nama="Pelaksana",
                unor_id="DINKES-KEP", unor_nama="Bidang Keperawatan", nip_atasan=nip(1),
                jenis_pegawai="PPPK", gol_akhir_nama="VII")
    plan = planner(csv_of(head, staff))
    assert plan.bad == []
    staff_key = next(e.position_key for e in plan.new_employees if e.nip == nip(2))
    head_key = next(e.position_key for e in plan.new_employees if e.nip == nip(1))
    assert plan.position_changes[staff_key]["parent"] == head_key
    assert plan.new_positions[head_key]["kind"] == "administrator"
    assert plan.counts["units"]["created"] == 1


def test_atasan_chain_that_loops_is_refused(planner):
    a = row(nip_baru=nip(1), jabatan_nama="Jabatan A", jenis_jabatan_nama="Pengawas", nip_atasan=nip(2))
    b = row(nip_baru=nip(2), jabatan_nama="Jabatan B", jenis_jabatan_nama="Pengawas", nip_atasan=nip(1))
    plan = planner(csv_of(a, b))
    assert "rantai atasan melingkar: Jabatan B" in reasons_of(plan, 3)
    # Line 2 loses its atasan with it.
    assert "ada di baris 3 yang bermasalah" in reasons_of(plan, 2)


def test_atasan_holding_the_same_position_is_refused(planner):
    senior = row(nip_baru=nip(1))
    junior = row(nip_baru=nip(2), nip_atasan=nip(1))
    plan = planner(csv_of(senior, junior))
    assert "memegang jabatan yang sama" in reasons_of(plan, 3)


def test_different_atasan_for_one_position_is_a_note_not_an_error(planner, demo):
    first = row(nip_baru=nip(1), nip_atasan=demo["head"])
    second = row(nip_baru=nip(2), nip_atasan=demo["yankes_head"])
    plan = planner(csv_of(first, second))
    assert plan.bad == []
    assert plan.warnings and plan.warnings[0][0] == 3
    assert "pohon jabatan mengikuti baris 2" in plan.warnings[0][1]


def test_a_structural_position_has_one_holder(planner, demo):
    one = row(nip_baru=nip(1), jabatan_nama="Kepala Seksi Baru", jenis_jabatan_nama="Pengawas")
    two = row(nip_baru=nip(2), jabatan_nama="Kepala Seksi Baru", jenis_jabatan_nama="Pengawas")
    plan = planner(csv_of(one, two))
    assert "sudah dipegang oleh baris 2" in reasons_of(plan, 3)
    taken = row(nip_baru=nip(3), jabatan_nama="Kepala Bidang Pelayanan Kesehatan",
                jenis_jabatan_nama="Administrator", unor_id="DINKES-YANKES",
                unor_nama="Bidang Pelayanan Kesehatan")
    plan = planner(csv_of(taken))
    assert f"masih dipegang oleh" in reasons_of(plan, 2)
    assert demo["yankes_head"] in reasons_of(plan, 2)


def test_a_position_stays_held_when_its_holders_move_falls_out(planner, demo):
    """The head of Yankes moves in the file, but under an atasan nobody knows: that row falls
    out, they keep their position, so the newcomer to it falls out too, and the row below."""
    moving = row(nip_baru=demo["yankes_head"], jabatan_nama="Kepala Bidang Sumber Daya Kesehatan",
                 jenis_jabatan_nama="Administrator", unor_id="DINKES", unor_nama="Dinas Kesehatan",
                 nip_atasan=nip(99))
    newcomer = row(nip_baru=nip(3), jabatan_nama="Kepala Bidang Pelayanan Kesehatan",
                   jenis_jabatan_nama="Administrator", unor_id="DINKES-YANKES",
                   unor_nama="Bidang Pelayanan Kesehatan")
    below = row(nip_baru=nip(4), nip_atasan=nip(3))
    plan = planner(csv_of(moving, newcomer, below))
    assert "tidak ditemukan" in reasons_of(plan, 2)
    assert "masih dipegang oleh" in reasons_of(plan, 3) and demo["yankes_head"] in reasons_of(plan, 3)
    assert "ada di baris 3 yang bermasalah" in reasons_of(plan, 4)
    assert not plan.new_employees
    # With the move fixed, the same file goes through.
    moving["NIP_ATASAN"] = ""
    assert planner(csv_of(moving, newcomer, below)).bad == []


def test_one_position_with_two_kinds_is_refused(planner):
    plan = planner(csv_of(row(nip_baru=nip(1), jabatan_nama="Analis Baru"),
                          row(nip_baru=nip(2), jabatan_nama="Analis Baru", jenis_jabatan_nama="Pelaksana")))
    assert "berjenis Fungsional di baris 2, tetapi Pelaksana" in reasons_of(plan, 3)


def test_atasan_without_position_or_inactive_is_refused(planner, in_db, demo):
    def change():
        Employee.update(position=None).where(Employee.nip == demo["head"]).execute()
        Employee.update(active=False).where(Employee.nip == demo["yankes_head"]).execute()
    in_db(change)
    plan = planner(csv_of(row(nip_baru=nip(1), nip_atasan=demo["head"]),
                          row(nip_baru=nip(2), nip_atasan=demo["yankes_head"])))
    assert "belum memiliki jabatan" in reasons_of(plan, 2)
    assert "berstatus tidak aktif" in reasons_of(plan, 3)


def test_rows_outside_the_admin_opd_scope_are_bad(planner, demo, in_db):
    other_opd = row(nip_baru=nip(1), unor_id="DISDIK-SD", unor_nama="Bidang Pembinaan SD",
                    unor_induk_id="DISDIK", unor_induk_nama="Dinas Pendidikan")
    new_opd = row(nip_baru=nip(2), unor_id="DINSOS", unor_nama="Dinas Sosial",
                  unor_induk_id="", unor_induk_nama="")
    inside = row(nip_baru=nip(3))
    new_inside = row(nip_baru=nip(4), unor_id="DINKES-P2P", unor_nama="Bidang Pencegahan Penyakit")
    someone_elsewhere = in_db(lambda: Employee.select().join(Unit, on=(Employee.unit == Unit.id))
                              .where(Unit.code == "DLH").get().nip)
    moved_in = row(nip_baru=someone_elsewhere)
    plan = planner(csv_of(other_opd, new_opd, inside, moved_in, new_inside), scope=demo["scope"])
    assert [b.line for b in plan.bad] == [2, 3, 5]
    assert "di luar wewenang Anda" in reasons_of(plan, 2)
    assert "Dinas Sosial" in reasons_of(plan, 3)
    assert "saat ini terdaftar di “Dinas Lingkungan Hidup”" in reasons_of(plan, 5)
    assert plan.counts["employees"]["created"] == 2
    assert [u.code for u in plan.new_units] == ["DINKES-P2P"]  # a new sub-unit inside the scope


def test_a_unit_renamed_in_siasn_is_renamed_once(planner):
    plan = planner(csv_of(row(unor_nama="UPTD Puskesmas Sukamaju Kota")))
    assert plan.counts["units"] == {"created": 0, "updated": 1, "unchanged": 1}
    plan = planner(csv_of(row(unor_nama="UPTD Puskesmas Sukamaju Kota"),
                          row(nip_baru=nip(2), unor_nama="Puskesmas Lain")))
    assert "diberi nama lain di baris 2 (“UPTD Puskesmas Sukamaju Kota”)" in reasons_of(plan, 3)


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
