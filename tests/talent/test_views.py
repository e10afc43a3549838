"""The talent map, potential scores and angka kredit pages: what each role sees, every
denial, and odd input."""
import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from kinerja.models import AuditLog, PotentialAssessment, Setting, Unit
from kinerja.rules import talent as rules

from ..support import HX, counted_get, database
from ..support.app import login

MAP = "/talenta/"


def as_nip(client, employee):
    client.post("/keluar")
    assert login(client, employee.nip).status_code == 302
    return client


def show_own_box(app, on=True):
    with database(app):
        Setting.insert(key=rules.OWN_BOX_SETTING, value="1" if on else "0").on_conflict(
            conflict_target=[Setting.key], update={Setting.value: "1" if on else "0"}).execute()


def xlsx(rows, headers=("NIP", "Potensial", "Skor", "Tanggal", "Sumber")):
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Who sees the map ---------------------------------------------------------------------

@pytest.mark.parametrize("url", [MAP, "/talenta/kotak/9", "/talenta/ekspor.xlsx", "/talenta/potensi",
                                 "/talenta/angka-kredit"])
def test_anonymous_goes_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_bkpsdm_sees_the_regency_with_every_opd(as_role):
    client = as_role("admin")
    response = client.get(MAP)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Peta talenta 2025" in html
    assert "Per OPD" in html and "Dinas Kependudukan dan Pencatatan Sipil" in html
    assert "Belum terpetakan" in html and "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("url", [MAP, "/talenta/kotak/5", "/talenta/ekspor.xlsx"])
def test_admin_opd_does_not_see_the_map(as_role, url):
    response = as_role("admin_opd").get(url)
    assert response.status_code == 403
    assert "Admin OPD tidak melihatnya" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/talenta/potensi", "/talenta/potensi/templat.xlsx"])
def test_potential_scores_are_bkpsdm_alone(as_role, url):
    for role in ("admin_opd", "atasan", "pegawai"):
        assert as_role(role).get(url).status_code == 403


def test_only_bkpsdm_posts_potential_and_settings(as_role):
    for role in ("admin_opd", "atasan", "pegawai"):
        client = as_role(role)
        assert client.post("/talenta/potensi", data={"nip": "1"}).status_code == 403
        assert client.post("/talenta/pengaturan", data={"own_box_visible": "y"}).status_code == 403
        assert client.post("/talenta/potensi/simpan", data={}).status_code == 403


def test_head_of_opd_sees_only_their_people(app, client, people):
    as_nip(client, people.head_dinkes)
    html = client.get(MAP).get_data(as_text=True)
    assert "Dinas Kesehatan" in html and "Per OPD" not in html
    # Another OPD asked for in the URL does not widen the scope.
    with database(app):
        from kinerja.models import Unit
        other = Unit.get(Unit.code == "DISDUKCAPIL").id
    assert client.get(f"{MAP}?opd={other}").get_data(as_text=True).count("Dinas Kependudukan") == 0
    for box in range(1, 10):
        part = client.get(f"/talenta/kotak/{box}", headers=HX).get_data(as_text=True)
        assert "Kependudukan" not in part and "Sekolah" not in part
        assert people.head_dinkes.nip not in part


def test_head_of_another_opd_does_not_see_dinkes(client, people):
    as_nip(client, people.head_bkpsdm)
    for box in range(1, 10):
        part = client.get(f"/talenta/kotak/{box}", headers=HX).get_data(as_text=True)
        assert "Puskesmas" not in part and "Dinas Kesehatan" not in part
    workbook = load_workbook(io.BytesIO(client.get("/talenta/ekspor.xlsx").data))
    units = {row[6] for row in workbook["Peta talenta"].iter_rows(min_row=2, values_only=True)}
    assert units and all("Kesehatan" not in u and "Puskesmas" not in u for u in units)


def test_pegawai_sees_no_map_until_the_regency_enables_it(app, client, people):
    as_nip(client, people.bidan)
    response = client.get(MAP)
    assert response.status_code == 403 and "belum membuka" in response.get_data(as_text=True)
    show_own_box(app)
    html = client.get(MAP).get_data(as_text=True)
    assert "Per OPD" not in html and "Belum terpetakan" not in html
    # Their own box only: no counts, no names, no other person's box, no export.
    assert client.get("/talenta/kotak/5").status_code == 404
    assert client.get("/talenta/ekspor.xlsx").status_code == 403
    assert people.perawat.name not in html


def test_own_box_is_shown_for_a_placed_pegawai(app, client, people):
    show_own_box(app)
    as_nip(client, people.adminduk)
    html = client.get(MAP).get_data(as_text=True)
    assert "Posisi Anda" in html or "Anda belum terpetakan" in html


def test_bkpsdm_switches_own_box_on_with_an_audit_row(app, as_role):
    client = as_role("admin")
    assert client.post("/talenta/pengaturan", data={"own_box_visible": "y"}).status_code == 302
    with database(app):
        assert Setting.get_value(rules.OWN_BOX_SETTING) == "1"
        assert AuditLog.select().where(AuditLog.action == "talent_setting").exists()


def test_box_names_come_in_place_for_htmx_and_as_a_page_otherwise(as_role):
    client = as_role("admin")
    part = client.get("/talenta/kotak/5", headers=HX).get_data(as_text=True)
    assert part.lstrip().startswith('<section id="box-people"') and "<html" not in part
    page = client.get("/talenta/kotak/5").get_data(as_text=True)
    assert "<html" in page and "Kotak 5" in page


def test_box_one_links_to_the_coaching_plan(app, as_role):
    client = as_role("admin")
    with database(app):
        from kinerja.stores.talent.placement import talent_map
        people = talent_map(2025).in_box(1)
    part = client.get("/talenta/kotak/1?tahun=2025", headers=HX).get_data(as_text=True)
    if people:
        assert f"/pembinaan/pegawai/{people[0].id}" in part
    else:
        assert "Tidak ada pegawai" in part


@pytest.mark.parametrize("query,status", [("?tahun=abc", 200), ("?tahun=99999999999999999999", 200),
                                          ("?opd=999999", 404), ("?opd=%00", 200),
                                          ("?opd=99999999999999999999", 200)])
def test_odd_map_queries(as_role, query, status):
    assert as_role("admin").get(MAP + query).status_code == status


def test_a_box_that_does_not_exist(as_role):
    assert as_role("admin").get("/talenta/kotak/10").status_code == 404
    assert as_role("admin").get("/talenta/kotak/0").status_code == 404


def test_the_map_costs_the_same_queries_for_an_opd_and_the_regency(app, as_role):
    client = as_role("admin")
    with database(app):
        from kinerja.models import Unit
        opd = Unit.get(Unit.code == "DINKES").id
    regency, _ = counted_get(client, MAP)
    one, _ = counted_get(client, f"{MAP}?opd={opd}")
    assert regency <= one + 2


def test_the_regency_file_is_left_to_the_worker(as_role):
    response = as_role("admin").get("/talenta/ekspor.xlsx", follow_redirects=True)
    assert response.request.path == "/talenta/"
    assert "dibuat di latar belakang" in response.get_data(as_text=True)


def test_export_of_one_opd_for_baperjakat(app, as_role):
    with database(app):
        opd = Unit.get(Unit.name == "Dinas Kesehatan")
    response = as_role("admin").get(f"/talenta/ekspor.xlsx?opd={opd.id}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Peta talenta", "Belum terpetakan"]
    rows = list(book["Peta talenta"].iter_rows(min_row=2, values_only=True))
    assert rows and all(1 <= row[0] <= 9 for row in rows)


# --- Potential scores ---------------------------------------------------------------------

def test_bkpsdm_enters_a_potential_score(app, as_role, people):
    client = as_role("admin")
    response = client.post("/talenta/potensi", data={
        "nip": people.perawat.nip, "level": "", "score": "85,5", "assessed_on": "2026-10-01",
        "source": "Uji Kompetensi"})
    assert response.status_code == 302
    with database(app):
        row = PotentialAssessment.get((PotentialAssessment.employee == people.perawat.id)
                                      & (PotentialAssessment.year == 2026))
        assert row.level == "tinggi" and float(row.score) == 85.5
        assert AuditLog.select().where((AuditLog.action == "potential_entered")
                                       & (AuditLog.entity_id == row.id)).exists()


@pytest.mark.parametrize("data,message", [
    ({"nip": "12"}, "NIP harus 18 angka."),
    ({"nip": "199901012020011999"}, "tidak terdaftar"),
    ({"score": "120"}, "Skor harus angka 0 sampai 100"),
    ({"level": "", "score": ""}, "Pilih potensial atau isi skor."),
    ({"level": "rendah", "score": "90"}, "berarti potensial tinggi"),
    ({"assessed_on": "2027-01-01"}, "tidak boleh setelah hari ini"),
    ({"assessed_on": "besok"}, "anggal"),
    ({"source": "Uji\x00Kompetensi"}, "karakter"),
    ({"level": "hebat"}, "Pilihan tidak sah."),
])
def test_bad_entries_answer_422_beside_the_field_keeping_what_was_typed(as_role, people, data, message):
    form = {"nip": people.perawat.nip, "level": "menengah", "score": "", "assessed_on": "2026-10-01",
            "source": "Uji Kompetensi Khusus"}
    form.update(data)
    response = as_role("admin").post("/talenta/potensi", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert 'class="error"' in html
    if "\x00" not in form["source"]:
        assert form["source"] in html


def test_import_lists_every_bad_row_and_saves_nothing(app, as_role, people):
    client = as_role("admin")
    data = xlsx([(people.perawat.nip, "tinggi", None, "2026-05-01", "Assessment Center"),
                 ("123", "hebat", None, "kemarin", None),
                 (people.perawat.nip, "rendah", None, "2026-05-02", "Uji Kompetensi"),
                 ("=HYPERLINK(\"x\")", None, "abc", "2026-05-01", "x")])
    response = client.post("/talenta/potensi/pratinjau", data={"file": (io.BytesIO(data), "asesmen.xlsx")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "3 baris bermasalah" in html
    assert "Potensial harus rendah, menengah, atau tinggi." in html and "sudah ada pada baris 2" in html
    assert "Konfirmasi" not in html
    with database(app):
        assert not PotentialAssessment.select().where(PotentialAssessment.year == 2026).exists()


@pytest.mark.parametrize("name,content,message", [
    ("asesmen.pdf", b"%PDF-1.4", "harus berformat .xlsx"),
    ("asesmen.xlsx", b"bukan excel", "tidak dapat dibaca"),
    ("asesmen.csv", b"", "Berkas kosong"),
    ("asesmen.csv", "nama,umur\nA,3\n".encode(), "Kolom wajib tidak ada"),
    ("asesmen.csv", b"\xff\xfe\x00garbage\x00", None),
])
def test_odd_files(as_role, name, content, message):
    response = as_role("admin").post("/talenta/potensi/pratinjau",
                                     data={"file": (io.BytesIO(content), name)},
                                     content_type="multipart/form-data")
    assert response.status_code == 422
    if message:
        assert message in response.get_data(as_text=True)


def test_import_dry_run_then_confirm_all_rows(app, as_role, people):
    client = as_role("admin")
    data = xlsx([(people.perawat.nip, None, "72", "2026-05-01", "Assessment Center"),
                 (people.bidan.nip, "tinggi", None, "15/05/2026", "Uji Kompetensi")])
    response = client.post("/talenta/potensi/pratinjau", data={"file": (io.BytesIO(data), "asesmen.xlsx")},
                           content_type="multipart/form-data", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Konfirmasi dan simpan 2 baris" in html
    assert html.lstrip().startswith('<article id="potential-import"')
    import re
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    digest = re.search(r'name="digest" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/talenta/potensi/simpan", data={"token": token, "digest": digest})
    assert response.status_code == 302
    with database(app):
        levels = {a.employee_id: a.level for a in PotentialAssessment.select()
                  .where(PotentialAssessment.year == 2026)}
        assert levels == {people.perawat.id: "menengah", people.bidan.id: "tinggi"}
        assert AuditLog.select().where(AuditLog.action == "potential_imported").count() == 1
    # The kept file is gone: confirming again saves nothing twice.
    again = client.post("/talenta/potensi/simpan", data={"token": token, "digest": digest})
    assert again.status_code == 302 and again.headers["Location"].endswith("/talenta/potensi")


def test_confirm_with_an_odd_token_or_digest(as_role):
    client = as_role("admin")
    assert client.post("/talenta/potensi/simpan", data={"token": "x", "digest": "y"}).status_code == 400
    response = client.post("/talenta/potensi/simpan", data={"token": "A" * 32, "digest": "0" * 32})
    assert response.status_code == 302


# --- Angka kredit -------------------------------------------------------------------------

def test_a_functional_employee_sees_their_angka_kredit(client, people):
    as_nip(client, people.bidan)
    html = client.get("/talenta/angka-kredit").get_data(as_text=True)
    assert "Angka kredit saya" in html and "Terampil" in html
    detail = client.get(f"/talenta/angka-kredit/pegawai/{people.bidan.id}").get_data(as_text=True)
    assert "Koefisien tahunan 5,00" in detail and "Perkiraan memenuhi" in detail


def test_the_pejabat_penilai_sees_their_team(client, people):
    as_nip(client, people.penilai)
    html = client.get("/talenta/angka-kredit").get_data(as_text=True)
    assert "Tim saya" in html and people.bidan.name in html
    assert client.get(f"/talenta/angka-kredit/pegawai/{people.bidan.id}").status_code == 200
    assert client.get(f"/talenta/angka-kredit/pegawai/{people.adminduk.id}").status_code == 404


def test_a_colleague_does_not_see_anothers_angka_kredit(client, people):
    as_nip(client, people.perawat)
    assert client.get(f"/talenta/angka-kredit/pegawai/{people.bidan.id}").status_code == 404
    assert client.get("/talenta/angka-kredit/pegawai/99999999").status_code == 404


def test_admins_see_their_scope(as_role, people):
    client = as_role("admin_opd")
    assert client.get(f"/talenta/angka-kredit/pegawai/{people.bidan.id}").status_code == 200
    assert client.get(f"/talenta/angka-kredit/pegawai/{people.adminduk.id}").status_code == 404
    html = client.get("/talenta/angka-kredit").get_data(as_text=True)
    assert people.bidan.name in html and people.adminduk.name not in html
    admin = as_role("admin")
    assert admin.get(f"/talenta/angka-kredit/pegawai/{people.adminduk.id}").status_code == 200
    assert admin.get("/talenta/angka-kredit?page=abc").status_code == 200


def test_angka_kredit_tells_whom_it_does_not_concern_why_it_is_empty(app, client):
    with database(app):
        from ..support.org import holder
        clerk = holder("Pengadministrasi Perkantoran")
    as_nip(client, clerk)
    page = client.get("/talenta/angka-kredit").get_data(as_text=True)
    assert "Anda tidak menduduki jabatan fungsional" in page
    assert "Angka Kredit" not in re.search(r"<nav.*?</nav>", page, re.S).group(0), "not in their menu"


def test_a_structural_position_has_no_angka_kredit(as_role, people):
    response = as_role("admin").get(f"/talenta/angka-kredit/pegawai/{people.penilai.id}")
    assert response.status_code == 404
