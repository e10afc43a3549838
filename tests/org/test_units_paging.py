"""The unit tree a page of OPDs at a time: a regency's fit on one page as before; a province's
hundreds are paged, each OPD with its whole subtree on the same page."""
from kinerja.models import Unit
from kinerja.stores.org.units import ROOTS_PER_PAGE

from ..support import database


def _opds(app, extra: int) -> list[str]:
    """`extra` OPDs named after every demo one, the last with a sub-unit; their names."""
    with database(app):
        names = []
        for n in range(extra):
            opd = Unit.create(code=f"ZZ-{n:03d}", name=f"Zz Dinas Uji {n:03d}")
            opd.refresh_path()
            names.append(opd.name)
        Unit.create(code="ZZ-SUB", name="Bidang Terakhir", parent=opd.id).refresh_path()
        return names


def test_a_regency_sees_its_whole_tree_on_one_page(app, as_role):
    html = as_role("admin").get("/organisasi/unit").get_data(as_text=True)
    with database(app):
        opds = Unit.select().where(Unit.parent.is_null()).count()
    assert opds <= ROOTS_PER_PAGE
    assert 'class="pager"' not in html and "Puskesmas Sukamaju" in html


def test_a_province_tree_is_paged_by_opd_with_each_subtree_whole(app, as_role):
    with database(app):
        demo = Unit.select().where(Unit.parent.is_null()).count()
    names = _opds(app, ROOTS_PER_PAGE + 5 - demo)
    client = as_role("admin")
    first = client.get("/organisasi/unit").get_data(as_text=True)
    assert f"OPD 1–{ROOTS_PER_PAGE} dari {ROOTS_PER_PAGE + 5}" in first
    assert "Halaman 1 dari 2" in first and 'href="/organisasi/unit?page=2"' in first
    assert names[-1] not in first and "Bidang Terakhir" not in first
    assert "Puskesmas Sukamaju" in first     # the demo OPDs' sub-units come with them
    second = client.get("/organisasi/unit?page=2").get_data(as_text=True)
    assert names[-1] in second and "Bidang Terakhir" in second
    assert "Puskesmas Sukamaju" not in second
    # A number past the end shows the last page; garbage shows the first.
    assert "Bidang Terakhir" in client.get("/organisasi/unit?page=99").get_data(as_text=True)
    assert client.get("/organisasi/unit?page=abc").get_data(as_text=True).count("Halaman 1 dari 2") == 1


def test_past_the_filter_limit_the_employee_list_offers_opds_and_the_chosen_unit(app, as_role):
    from kinerja.stores.org.tree import FILTER_UNITS
    with database(app):
        total = Unit.select().count()
        opd = None
        for n in range(FILTER_UNITS - total + 1):
            # Sub-units, so the OPDs stay few and the select's shape shows.
            opd = opd or Unit.get(Unit.code == "DINKES")
            Unit.create(code=f"ZZ-SUB-{n:03d}", name=f"Seksi Uji {n:03d}", parent=opd.id).refresh_path()
        chosen = Unit.get(Unit.code == "ZZ-SUB-007")
        opds = Unit.select().where(Unit.parent.is_null()).count()
    client = as_role("admin")
    page = client.get("/organisasi/pegawai").get_data(as_text=True)
    select = page[page.index('name="unit"'):page.index("</select>", page.index('name="unit"'))]
    assert select.count("<option value=") == opds + 1 and "Seksi Uji" not in select   # + "Semua unit"
    # Reached from the unit's own page, the chosen sub-unit is offered and selected.
    picked = client.get(f"/organisasi/pegawai?unit={chosen.id}").get_data(as_text=True)
    select = picked[picked.index('name="unit"'):picked.index("</select>", picked.index('name="unit"'))]
    assert f'<option value="{chosen.id}" selected>Seksi Uji 007</option>' in select
