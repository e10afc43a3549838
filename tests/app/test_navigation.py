"""The menu: grouped by what a person does, showing only what applies to the person, every link
opening for the role that sees it, the current page marked, and at most one query to decide."""
import html
import re

import pytest

from kinerja.models import Employee, Position

from ..support import counting_queries, counted_get

ROLES = ["admin", "admin_opd", "pegawai", "penilai", "atasan", "pegawai_skp"]
TEAM_LINKS = ("Persetujuan SKP", "Tim Saya", "Tindak Lanjut", "JP Tim", "Presensi Tim", "Disiplin",
              "Rekap SKP", "Kaskade")
# The admin BKPSDM has no team of their own: no JP or attendance of a team.
ADMIN_TEAM_LINKS = tuple(link for link in TEAM_LINKS if link not in ("JP Tim", "Presensi Tim"))
OWN_LINKS = ["SKP Saya", "Kinerja Saya", "Umpan Balik 360°", "Pengembangan Saya", "Presensi Saya", "Rekam Saya"]
ADMIN_LINKS = ("Impor SIASN", "Akun", "Jejak Audit")


def menu_html(page: str) -> str:
    start = page.index('id="nav-menu"')
    return page[start:page.index("</nav>", start)]


def groups(page: str) -> dict[str, list[str]]:
    """{group label: [link labels]} of the menu in its order; a plain link is a group of its own."""
    result = {}
    menu = menu_html(page)
    for item in re.split(r'(?=<li class="nav-(?:group|single)">)', menu)[1:]:
        if item.startswith('<li class="nav-single">'):
            label = re.search(r"<a [^>]*>([^<]+)</a>", item).group(1)
            result[html.unescape(label)] = [html.unescape(label)]
        else:
            body = item[:item.index("</details>")]
            summary = re.search(r"<summary[^>]*>([^<]+)</summary>", body).group(1)
            result[html.unescape(summary)] = [html.unescape(label) for label in
                                              re.findall(r"<a [^>]*>([^<]+)</a>", body)]
    return result


def has_team_queries(statements) -> list[str]:
    return [sql for sql in statements if "EXISTS" in sql and '"skp"' in sql and '"evaluation"' in sql]


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_for_its_role(as_role, role):
    client = as_role(role)
    page = client.get("/").get_data(as_text=True)
    links = set(re.findall(r'<a href="(/[^"]*)"', menu_html(page)))
    assert len(links) >= 5
    for link in sorted(links):
        response = client.get(link, follow_redirects=True)  # "Rekam Saya" leads to the record
        assert response.status_code == 200, (role, link, response.status_code)


def test_the_menu_is_grouped_by_what_a_person_does(as_role):
    menu = groups(as_role("admin").get("/").get_data(as_text=True))
    assert list(menu) == ["Tim", "Pengembangan", "Organisasi", "Presensi", "Layanan Publik", "Administrasi",
                          "Panduan"]
    assert menu["Layanan Publik"] == ["SKM", "Pengaduan", "Waktu Layanan"]
    assert menu["Tim"] == list(ADMIN_TEAM_LINKS)
    assert menu["Pengembangan"] == ["Praktik Baik", "Praktik Saya", "Penghargaan & Sanksi", "Angka Kredit",
                                    "Peta Talenta", "Rekap 20 JP", "Impor Pelatihan"]
    assert menu["Organisasi"] == ["Pegawai", "Unit & Jabatan", "Sasaran Organisasi", "Kurva Predikat",
                                  "Tahun Kinerja"]
    assert menu["Administrasi"][:3] == list(ADMIN_LINKS)

    menu = groups(as_role("penilai").get("/").get_data(as_text=True))
    assert list(menu) == ["Kinerja Saya", "Tim", "Pengembangan", "Panduan"]
    assert menu["Kinerja Saya"] == OWN_LINKS
    assert menu["Tim"] == list(TEAM_LINKS)
    assert menu["Pengembangan"] == ["Praktik Baik", "Praktik Saya", "Penghargaan & Sanksi", "Angka Kredit"]


def test_a_nurse_without_subordinates_sees_no_team_pages(as_role):
    page = as_role("pegawai").get("/").get_data(as_text=True)
    menu = groups(page)
    assert "Tim" not in menu
    for label in TEAM_LINKS + ADMIN_LINKS:
        assert f">{label}</a>" not in menu_html(page), label
    assert menu["Kinerja Saya"] == OWN_LINKS
    # Her own pages are all there, and the guides.
    assert "Panduan" in menu


@pytest.mark.parametrize("role", ["penilai", "atasan"])
def test_a_supervisor_sees_the_team_pages(as_role, role):
    menu = groups(as_role(role).get("/").get_data(as_text=True))
    assert menu["Tim"] == list(TEAM_LINKS)
    assert "Administrasi" not in menu


def test_an_employee_named_appraiser_by_override_only_sees_the_team_pages(as_role, accounts, in_db):
    """The menu asks what the team pages ask: an override makes a nurse someone's appraiser."""
    def name_nurse_appraiser():
        nurse = Employee.get(Employee.nip == accounts["pegawai"])
        colleague = Employee.get(Employee.nip == accounts["pegawai_skp"])
        colleague.appraiser_override = nurse.id
        colleague.save()
    in_db(name_nurse_appraiser)
    menu = groups(as_role("pegawai").get("/").get_data(as_text=True))
    assert menu["Tim"] == list(TEAM_LINKS)


def test_admins_see_administration_and_a_system_account_has_no_own_pages(as_role):
    admin = groups(as_role("admin").get("/").get_data(as_text=True))
    assert "Kinerja Saya" not in admin
    opd = groups(as_role("admin_opd").get("/").get_data(as_text=True))
    assert opd["Administrasi"][:3] == list(ADMIN_LINKS)
    assert "Tahun Kinerja" not in opd["Organisasi"]


def test_a_system_account_has_no_360_link(as_role):
    assert "/kinerja/umpan-balik-360" not in menu_html(as_role("admin").get("/").get_data(as_text=True))
    assert "/kinerja/umpan-balik-360" in menu_html(as_role("pegawai").get("/").get_data(as_text=True))


def test_an_item_appears_once_its_endpoint_is_registered(app, as_role):
    from kinerja import web
    before = groups(as_role("admin").get("/").get_data(as_text=True))
    assert "Uji coba" not in before["Administrasi"]
    administration = dict(web.NAV)["Administrasi"]
    administration.append(web.NavItem("audit.index", "Uji coba", web.ADMINS))
    administration.append(web.NavItem("belum.ada", "Belum ada", web.ADMINS))
    try:
        after = groups(as_role("admin").get("/").get_data(as_text=True))
    finally:
        del administration[-2:]
    assert "Uji coba" in after["Administrasi"]
    assert "Belum ada" not in after["Administrasi"]


def test_the_current_page_and_its_group_are_marked(as_role):
    client = as_role("penilai")
    menu = menu_html(client.get("/skp/persetujuan").get_data(as_text=True))
    assert '<a href="/skp/persetujuan" aria-current="page">Persetujuan SKP</a>' in menu
    assert '<summary aria-current="true">Tim</summary>' in menu
    assert '<summary>Kinerja Saya</summary>' in menu
    assert menu.count("aria-current") == 2

    # A page under a menu page marks that page as the current section.
    menu = menu_html(client.get("/kinerja/tim/penilaian").get_data(as_text=True))
    assert '<a href="/kinerja/tim" aria-current="true">Tim Saya</a>' in menu
    assert '<summary aria-current="true">Tim</summary>' in menu

    menu = menu_html(client.get("/panduan").get_data(as_text=True))
    assert '<a href="/panduan" aria-current="page">Panduan</a>' in menu
    assert '<summary aria-current' not in menu


def test_the_footer_links_the_guides(as_role):
    page = as_role("pegawai").get("/").get_data(as_text=True)
    footer = page[page.index("<footer"):]
    assert 'href="/panduan"' in footer


def test_deciding_the_team_pages_costs_one_query_per_page(as_role):
    client = as_role("penilai")
    with counting_queries() as statements:
        assert client.get("/panduan").status_code == 200
    assert len(has_team_queries(statements)) == 1
    # The guides page itself needs nothing else: the account and the menu's question.
    assert len(statements) <= 2, statements

    client = as_role("admin")  # the admin BKPSDM sees the team pages without asking
    with counting_queries() as statements:
        assert client.get("/panduan").status_code == 200
    assert has_team_queries(statements) == []


def test_the_menu_query_count_does_not_grow_with_the_team(as_role, accounts, in_db):
    client = as_role("penilai")
    before, _ = counted_get(client, "/panduan/istilah")

    def more_subordinates():
        supervisor = Employee.get(Employee.nip == accounts["penilai"])
        position = Position.create(name="Staf Uji", kind="pelaksana", unit=supervisor.unit_id,
                                   parent=supervisor.position_id)
        for n in range(25):
            Employee.create(nip=f"19900101202001{n:04d}", name=f"Staf Uji {n}", unit=supervisor.unit_id,
                            position=position)
    in_db(more_subordinates)
    after, page = counted_get(client, "/panduan/istilah")
    assert after == before
    assert groups(page)["Tim"] == list(TEAM_LINKS)
