"""Import from SIASN, the plan: the rules of the values, reading the file, every reason a row is
refused."""
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from kinerja.models import Employee, Unit
from kinerja.rules.org import PNS_GRADES
from kinerja.rules.siasn import (employment_type, eselon_level, import_owner, position_kind,
                                 rank_for_grade)
from kinerja.stores.siasn.columns import COLUMNS
from kinerja.spreadsheets import SpreadsheetError

from ..support.siasn import BASE, HEADERS, csv_of, nip, reasons_of, row, xlsx_of


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
    assert "masih dipegang oleh" in reasons_of(plan, 2)
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
