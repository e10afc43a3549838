import datetime
import json
import re

import pytest

from kinerja.models import AuditLog, Unit, User, utcnow

from ..support import counting_queries, database
from ..support import HX
from ..support.accounts import get_user

UTC = datetime.datetime


def add_rows(app, *rows):
    """rows: (at or None for now, actor username or None, action, entity, unit code or None,
    summary, before, after)."""
    with database(app):
        for at, actor, action, entity, unit, summary, before, after in rows:
            AuditLog.create(
                at=at or utcnow(), actor=User.get(User.username == actor) if actor else None,
                action=action, entity=entity, entity_id=1, summary=summary,
                unit=Unit.get(Unit.code == unit) if unit else None,
                before=json.dumps(before) if before is not None else None,
                after=json.dumps(after) if after is not None else None)


def results(client, **filters):
    """The htmx answer of the list: only the rows, without the page around them."""
    return client.get("/audit/", query_string=filters, headers=HX)


@pytest.fixture
def trail(app):
    add_rows(
        app,
        (None, "admin", "update", "employee", "PKM-SUKAMAJU", "Data perawat diubah",
         {"name": "Siti", "active": True, "unit": None}, {"name": "Siti Rahayu", "active": True,
                                                          "unit": None}),
        (None, "admin", "update", "employee", "DISDIK-SD", "Data guru diubah",
         {"rank": "Penata"}, {"rank": "Penata Tingkat I"}),
        (None, "admin.dinkes", "create", "unit", "DINKES", "Unit baru di Dinas Kesehatan", None,
         {"code": "PKM-BARU", "name": "UPTD Puskesmas Baru"}),
        (None, "admin", "update", "setting", None, "Pengaturan kabupaten diubah",
         {"regency": "A"}, {"regency": "B"}),
    )


def test_admin_sees_the_trail_newest_first_with_who_when_and_what(app, as_role, trail):
    client = as_role("admin")
    page = client.get("/audit/").get_data(as_text=True)
    order = [page.index(text) for text in ("Pengaturan kabupaten diubah", "Unit baru di Dinas",
                                           "Data guru diubah", "Data perawat diubah",
                                           "Data demo kabupaten dibuat")]
    assert order == sorted(order)
    assert re.search(r"\d{1,2} \w+ \d{4} \d\d\.\d\d WIB", page)
    assert "<strong>Nama</strong>: <del>Siti</del> → <ins>Siti Rahayu</ins>" in page
    assert "<strong>Aktif</strong>" not in page  # unchanged fields are not listed
    assert "<strong>Pangkat</strong>: <del>Penata</del> → <ins>Penata Tingkat I</ins>" in page
    assert "<code>admin</code>" in page and "Sistem" in page


def test_times_are_shown_in_wib(app, as_role):
    add_rows(app, (UTC(2026, 11, 23, 18, 30), "admin", "update", "unit", "DINKES", "Malam", {}, {}))
    page = as_role("admin").get("/audit/?q=Malam").get_data(as_text=True)
    assert "24 November 2026 01.30 WIB" in page


def test_pegawai_gets_403_and_anonymous_goes_to_login(client, as_role):
    assert client.get("/audit/").status_code == 302
    assert as_role("pegawai").get("/audit/").status_code == 403
    assert as_role("penilai").get("/audit/?entity=user").status_code == 403


def test_admin_opd_sees_only_rows_of_their_units(as_role, trail):
    html = results(as_role("admin_opd")).get_data(as_text=True)
    assert "Data perawat diubah" in html  # a sub-unit of Dinas Kesehatan
    assert "Unit baru di Dinas Kesehatan" in html
    assert "Data guru diubah" not in html  # Dinas Pendidikan
    assert "Pengaturan kabupaten diubah" not in html  # no unit: BKPSDM only
    assert "Data demo kabupaten dibuat" not in html


def test_filter_by_entity_and_action(as_role, trail):
    client = as_role("admin")
    html = results(client, entity="employee").get_data(as_text=True)
    assert "Data perawat diubah" in html and "Data guru diubah" in html
    assert "Unit baru" not in html and "Pengaturan" not in html
    html = results(client, action="create").get_data(as_text=True)
    assert "Unit baru" in html and "Data guru" not in html


def test_filter_by_actor_username_or_nip(app, as_role, trail, accounts):
    client = as_role("admin")
    html = results(client, actor="admin.dinkes").get_data(as_text=True)
    assert "Unit baru" in html and "Data guru" not in html
    nip = accounts["pegawai"]
    add_rows(app, (None, nip, "update", "skp", "PKM-SUKAMAJU", "SKP perawat diajukan", {}, {}))
    html = results(client, actor=f"{nip[:8]} {nip[8:]}").get_data(as_text=True)
    assert "SKP perawat diajukan" in html and "Unit baru" not in html
    assert "Tidak ada catatan" in results(client, actor="tidak.ada").get_data(as_text=True)


def test_filter_by_summary_text(as_role, trail):
    html = results(as_role("admin"), q="GURU").get_data(as_text=True)
    assert "Data guru diubah" in html and "Data perawat" not in html
    # LIKE wildcards typed by a user are literal characters, not "anything".
    assert "Tidak ada catatan" in results(as_role("admin"), q="%").get_data(as_text=True)


def test_date_range_is_in_wib_days(app, as_role):
    # 23 November 17.30 UTC is 24 November 00.30 in Jakarta; 16.30 UTC is still the 23rd.
    add_rows(app, (UTC(2026, 11, 23, 17, 30), "admin", "update", "unit", "DINKES",
                   "Dini hari (uji)", {}, {}),
                  (UTC(2026, 11, 23, 16, 30), "admin", "update", "unit", "DINKES",
                   "Larut malam (uji)", {}, {}))
    client = as_role("admin")
    html = results(client, q="(uji)", date_from="24-11-2026", date_to="24/11/2026").get_data(
        as_text=True)
    assert "Dini hari" in html and "Larut malam" not in html
    html = results(client, q="(uji)", date_to="23 November 2026").get_data(as_text=True)
    assert "Larut malam" in html and "Dini hari" not in html
    html = results(client, q="(uji)", date_from="2026-11-23", date_to="23 nov 2026").get_data(
        as_text=True)
    assert "Larut malam" in html and "Dini hari" not in html


@pytest.mark.parametrize("date_from, date_to, field, message", [
    ("31-02-2026", "", "date_from", "Tanggal 31-02-2026 tidak ada di kalender."),
    ("kemarin", "", "date_from", "Tanggal tidak dikenali."),
    ("24-11-2026", "01-11-2026", "date_to", "Tanggal akhir tidak boleh sebelum tanggal awal."),
    ("", "24-11-99999", "date_to", "Tanggal tidak dikenali."),
    ("01-01-0001", "", "date_from", "Tahun harus antara"),
])
def test_a_wrong_date_gets_a_message_next_to_the_field(as_role, date_from, date_to, field, message):
    response = as_role("admin").get("/audit/", query_string={"date_from": date_from,
                                                              "date_to": date_to})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error" role="alert">[^<]*{re.escape(message)}', page)
    typed = date_from if field == "date_from" else date_to
    assert f'name="{field}" type="text" value="{typed}"' in page  # what was typed stays


def test_htmx_answer_updates_the_list_and_the_date_fields_out_of_band(as_role):
    response = results(as_role("admin"), date_from="30-13-2026")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.lstrip().startswith('<div id="audit-results">')
    assert '<div id="audit-date-from" class="filter-date" hx-swap-oob="true">' in html
    assert "Perbaiki isian filter" in html
    ok = results(as_role("admin")).get_data(as_text=True)
    assert 'hx-swap-oob="true"' in ok and "date_from-error" not in ok


def test_unknown_filter_values_never_give_a_500(as_role):
    client = as_role("admin")
    for query in ("entity=tidak-ada", "action=%00", "page=-1", "page=x", "date_from=%ff%fe",
                  "actor=" + "9" * 500, "q=" + "x" * 5000):
        assert client.get(f"/audit/?{query}").status_code in (200, 422)
    response = client.get("/audit/?entity=tidak-ada")
    assert response.status_code == 422 and "Pilihan tidak sah." in response.get_data(as_text=True)


def test_paging_newest_first(app, as_role):
    add_rows(app, *[(None, "admin", "update", "unit", "DINKES", f"Perubahan nomor {i:02d}", {}, {})
                    for i in range(45)])
    client = as_role("admin")
    first = results(client, q="Perubahan nomor").get_data(as_text=True)
    assert "dari 45 catatan" in first and "Perubahan nomor 44" in first
    second = results(client, q="Perubahan nomor", page=2).get_data(as_text=True)
    assert "Menampilkan 31–45" in second and "Perubahan nomor 00" in second
    assert "Perubahan nomor 44" not in second


def test_one_page_costs_the_same_queries_for_30_rows_as_for_1(app, as_role):
    add_rows(app, *[(None, "admin", "update", "employee", "DINKES", f"Ubah {i}",
                     {"unit": 1, "position": 1, "name": "a"},
                     {"unit": 2, "position": 2, "name": f"b{i}"}) for i in range(40)])
    client = as_role("admin")
    # Each kind of filter against itself: a text filter reads its ids in one pass, the
    # others count first.
    for wide, narrow in (({"q": "Ubah"}, {"q": "Ubah 7"}),
                         ({"entity": "employee"}, {"entity": "employee", "page": 2})):
        with counting_queries() as many:
            html = results(client, **wide).get_data(as_text=True)
        assert html.count('<tr id="audit-') == 30
        with counting_queries() as few:
            html = results(client, **narrow).get_data(as_text=True)
        assert html.count('<tr id="audit-') in (1, 10)
        assert len(many) == len(few)
    html = results(client, q="Ubah 7").get_data(as_text=True)
    assert "<strong>Unit kerja</strong>: <del>Sekretariat Daerah</del> → <ins>Bagian Umum</ins>" in html


@pytest.mark.parametrize("sort_cap", [10 ** 6, 41])  # all ids read and sorted / an index walked
def test_past_the_count_cap_the_page_says_more_than_and_how_to_narrow(app, as_role, monkeypatch,
                                                                    sort_cap):
    monkeypatch.setattr("kinerja.stores.audit.COUNT_CAP", 40)
    monkeypatch.setattr("kinerja.stores.audit.SORT_CAP", sort_cap)
    add_rows(app, *[(None, "admin", "update", "unit", "DINKES", f"Banyak {i:02d}", {}, {})
                    for i in range(70)])
    client = as_role("admin")
    first = results(client, entity="unit").get_data(as_text=True)
    assert "dari lebih dari 40 catatan" in first and "persempit dengan tanggal" in first
    assert "Banyak 69" in first and "Banyak 40" in first and "Banyak 39" not in first
    second = results(client, entity="unit", page=2).get_data(as_text=True)
    assert "Banyak 39" in second and "Banyak 30" in second and "Banyak 69" not in second
    assert "Banyak 29" not in second and "Menampilkan 31–40 dari lebih dari 40" in second
    assert "Halaman 2 dari 2" in second
    exact = results(client, q="Banyak 0").get_data(as_text=True)
    assert "dari 10 catatan" in exact and "lebih dari" not in exact


def test_past_the_cap_one_actor_is_followed_along_their_own_rows(app, as_role, trail, monkeypatch):
    add_rows(app, *[(None, "admin.dinkes", "update", "unit", "DINKES", f"Ubah unit {i}", {}, {})
                    for i in range(3)])
    client = as_role("admin")

    def shown(**filters):
        html = results(client, **filters).get_data(as_text=True)
        return re.findall(r'<tr id="audit-(\d+)"', html)

    counted = shown(actor="admin.dinkes")
    assert len(counted) == 4
    monkeypatch.setattr("kinerja.stores.audit.COUNT_CAP", 3)
    monkeypatch.setattr("kinerja.stores.audit.SORT_CAP", 3)
    assert shown(actor="admin.dinkes") == counted[:3]
    assert shown(actor="admin.dinkes", entity="unit") == counted[:3]


@pytest.mark.parametrize("role, filters", [
    ("admin", {}),
    ("admin_opd", {}),
    ("admin_opd", {"entity": "employee"}),
    ("admin", {"action": "create"}),
    ("admin", {"actor": "admin.dinkes"}),
    ("admin", {"q": "diubah"}),
    ("admin_opd", {"date_from": "01-01-2020", "entity": "unit"}),
    ("admin", {"date_to": "31-12-2099", "actor": "admin"}),
])
def test_a_trail_too_long_to_count_shows_the_same_newest_rows(app, as_role, trail, monkeypatch,
                                                               role, filters):
    """Past the cap the rows are found by walking an index in order instead of through
    the filters' own indexes; scope and filters must hold the same either way."""
    client = as_role(role)

    def shown():
        html = results(client, **filters).get_data(as_text=True)
        return re.findall(r'<tr id="audit-(\d+)"', html)

    counted = shown()
    # A cap one short of the matches: within the sorting cap the ids are read and sorted,
    # past it the page walks an index.
    cap = max(1, len(counted) - 1)
    monkeypatch.setattr("kinerja.stores.audit.COUNT_CAP", cap)
    assert counted and shown() == counted[:cap]
    monkeypatch.setattr("kinerja.stores.audit.SORT_CAP", cap)
    assert shown() == counted[:cap]


def test_account_changes_appear_in_the_trail_for_the_right_admin_opd(app, as_role, accounts):
    admin = as_role("admin")
    target = get_user(app, accounts["pegawai"])
    admin.post(f"/akun/{target.id}/nonaktifkan", headers=HX)
    html = results(as_role("admin_opd"), entity="user").get_data(as_text=True)
    assert f"Akun {accounts['pegawai']} dinonaktifkan" in html
    assert "<strong>Aktif</strong>: <del>Ya</del> → <ins>Tidak</ins>" in html


def test_the_trail_cannot_be_changed_through_the_web(app, as_role, trail):
    client = as_role("admin")
    assert client.post("/audit/").status_code == 405
    assert client.delete("/audit/").status_code == 405


def test_codes_recorded_after_the_page_was_first_shown_become_filter_choices(app, as_role):
    client = as_role("admin")
    assert client.get("/audit/?entity=objection").status_code == 422
    add_rows(app, (None, "admin", "submit", "objection", "DINKES", "Keberatan diajukan", None, None))
    page = client.get("/audit/?entity=objection&action=submit").get_data(as_text=True)
    assert '<option selected value="objection">Keberatan</option>' in page
    assert "Keberatan diajukan" in page


def test_an_skp_decision_reads_in_indonesian_with_names_not_ids(app, as_role):
    """What the testers saw: "submitted → approved", "appraiser: - → 32", "skp_appendix"."""
    from kinerja.models import Employee
    with database(app):
        appraiser = Employee.select().order_by(Employee.id).first()
    add_rows(app, (None, "admin", "approve", "skp", "DINKES", "SKP disetujui",
                   {"status": "submitted", "appraiser": None, "approach": "kuantitatif"},
                   {"status": "approved", "appraiser": appraiser.id, "approach": "kualitatif"}),
             (None, "admin", "delete", "skp_appendix", "DINKES", "Lampiran dihapus",
              {"section": "resources", "text": "Anggaran"}, None))
    page = results(as_role("admin")).get_data(as_text=True)
    assert "<del>Diajukan</del> → <ins>Disetujui</ins>" in page
    assert f"<ins>{appraiser.full_name}</ins>" in page and "Pejabat Penilai" in page
    assert "Kuantitatif" in page and "Lampiran SKP" in page and "Dukungan Sumber Daya" in page
    for internal in ("submitted", "skp_appendix", "appraiser", "resources", "kuantitatif<"):
        assert internal not in re.sub(r'<(?:option|input|select)[^>]*>', "", page)


def test_every_code_the_code_writes_has_a_label():
    """Read the source for the actions, entities and fields written to the trail."""
    import glob
    from pathlib import Path

    from kinerja.rules.audit import ACTION_LABELS, ENTITY_LABELS, FIELD_LABELS
    from kinerja.stores.survey.review import DECISIONS
    root = Path(__file__).parents[2] / "kinerja"
    actions, entities, fields = {f"review_{d}" for d in DECISIONS}, set(), set()
    for path in glob.glob(str(root / "**" / "*.py"), recursive=True):
        source = Path(path).read_text()
        for m in re.finditer(r'AuditLog\.record\(\s*[\w.]+,\s*"([a-z_]+)",\s*"([a-z_]+)"', source):
            actions.add(m.group(1)); entities.add(m.group(2))
        for m in re.finditer(r'(?:_audit|_record|\.log)\(\s*(?:[\w.]+,\s*)?"([a-z_]+)"(?:,\s*"([a-z_]+)")?', source):
            actions.add(m.group(1))
            if m.group(2):
                entities.add(m.group(2))
        for m in re.finditer(r'(?:AuditLog\.record|_audit|_record|\.log)\(\s*[\w.]+,\s*"([a-z_]+)" if [\w. ]+ else "([a-z_]+)"', source):
            actions.update(m.groups())
        for m in re.finditer(r'[A-Z_]*(?:AUDIT_)?FIELDS = \[([^\]]*)\]', source):
            fields.update(re.findall(r'"([a-z_]+)"', m.group(1)))
    assert not actions - set(ACTION_LABELS), actions - set(ACTION_LABELS)
    assert not entities - set(ENTITY_LABELS), entities - set(ENTITY_LABELS)
    assert not fields - set(FIELD_LABELS), fields - set(FIELD_LABELS)
