"""Every link in the menu opens for the role that sees it."""
import re

import pytest

ROLES = ["admin", "admin_opd", "pegawai", "penilai", "atasan", "pegawai_skp"]


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_for_its_role(as_role, role):
    client = as_role(role)
    page = client.get("/").get_data(as_text=True)
    menu = page[page.index('id="nav-menu"'):page.index("</nav>", page.index('id="nav-menu"'))]
    links = set(re.findall(r'<a href="(/[^"]*)"', menu))
    assert len(links) >= 5
    for link in sorted(links):
        response = client.get(link)
        assert response.status_code == 200, (role, link, response.status_code)


def test_a_system_account_has_no_360_link(as_role):
    page = as_role("admin").get("/").get_data(as_text=True)
    assert "/kinerja/umpan-balik-360" not in page
    assert "/kinerja/umpan-balik-360" in as_role("pegawai").get("/").get_data(as_text=True)
