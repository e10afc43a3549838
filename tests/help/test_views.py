"""Panduan: every guide opens for every signed-in role, cites its regulation and quotes this
regency's settings; the glossary holds the official terms; anonymous visitors are sent to log in;
an unknown guide is 404; the "?" beside the main forms links into the guides."""
import re

import pytest

from kinerja.models import PerformanceYear

ROLES = ["admin", "admin_opd", "pegawai", "penilai", "atasan", "pegawai_skp"]
GUIDES = {
    "pegawai": ("Panduan Pegawai", "PermenPANRB Nomor 6 Tahun 2022", "PP Nomor 30 Tahun 2019"),
    "pejabat-penilai": ("Panduan Pejabat Penilai Kinerja", "PermenPANRB Nomor 6 Tahun 2022"),
    "atasan-pejabat-penilai": ("Panduan Atasan Pejabat Penilai Kinerja", "PP Nomor 30 Tahun 2019"),
    "admin": ("Panduan Admin OPD dan Admin BKPSDM", "PermenPANRB Nomor 14 Tahun 2017"),
    "istilah": ("Daftar Istilah",),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_guide_opens_for_every_role(as_role, role):
    client = as_role(role)
    index = client.get("/panduan")
    assert index.status_code == 200
    text = index.get_data(as_text=True)
    for slug, (title, *basis) in GUIDES.items():
        assert f'href="/panduan/{slug}"' in text
        page = client.get(f"/panduan/{slug}")
        assert page.status_code == 200, (role, slug)
        html = page.get_data(as_text=True)
        assert f"<h1>{title}</h1>" in html
        for regulation in basis:
            assert regulation in html, (slug, regulation)


def test_the_index_marks_the_guides_for_this_account(as_role):
    def for_me(role):
        html = as_role(role).get("/panduan").get_data(as_text=True)
        return set(re.findall(r'<article id="panduan-([a-z-]+)" class="for-me">', html))

    assert for_me("pegawai") == {"pegawai", "istilah"}
    assert for_me("penilai") == {"pegawai", "pejabat-penilai", "atasan-pejabat-penilai", "istilah"}
    assert for_me("admin_opd") == {"admin", "istilah"}
    assert "admin" in for_me("admin")


@pytest.mark.parametrize("path", ["/panduan", "/panduan/pegawai", "/panduan/istilah"])
def test_the_guides_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("slug", ["tidak-ada", "PEGAWAI", "_guide", "_matrix", "..%2Fbase"])
def test_an_unknown_guide_is_404(as_role, slug):
    assert as_role("pegawai").get(f"/panduan/{slug}").status_code == 404


def test_the_glossary_holds_the_official_terms(as_role):
    html = as_role("pegawai").get("/panduan/istilah").get_data(as_text=True)
    for term in ("SKP (Sasaran Kinerja Pegawai)", "RHK (Rencana Hasil Kerja)", "Intervensi", "Kaskade",
                 "BerAKHLAK", "Pejabat Penilai Kinerja", "Atasan Pejabat Penilai Kinerja",
                 "Predikat Kinerja Pegawai", "Keberatan", "NRR (Nilai Rata-Rata)",
                 "IKM (Indeks Kepuasan Masyarakat)", "Kurva distribusi predikat",
                 "Ekspektasi Khusus Pimpinan"):
        assert re.search(rf'<dt id="[a-z0-9-]+">{re.escape(term)}', html), term
    # The seven core values come from the rules, not a copy.
    for value in ("Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif",
                  "Kolaboratif"):
        assert value in html
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # every term is a unique anchor


def test_the_guides_quote_the_regency_settings(as_role, in_db):
    def change_year():
        year = PerformanceYear.get(PerformanceYear.year == 2026)
        year.objection_days = 21
        year.save()
    in_db(change_year)
    client = as_role("pegawai")
    html = client.get("/panduan/pegawai").get_data(as_text=True)
    assert "<strong>21 hari</strong>" in html
    assert "31 Januari 2026" in html
    # The predikat matrix is the rules' own.
    assert re.search(r"<th scope=\"row\">Di Bawah Ekspektasi</th><td>Sangat Kurang</td>"
                     r"<td>Butuh Perbaikan</td><td>Butuh Perbaikan</td>", html)
    html = client.get("/panduan/pejabat-penilai").get_data(as_text=True)
    assert "Sangat Baik: paling banyak 70 %" in html
    html = client.get("/panduan/admin").get_data(as_text=True)
    assert "Bobot yang berlaku di kabupaten ini: <strong>1/9</strong>" in html
    assert "88,31 – 100,00" in html and "25,00 – 64,99" in html
    assert "N = 300 → 169 responden" in html


def test_every_in_page_link_of_a_guide_has_its_target(as_role):
    client = as_role("penilai")
    for slug in GUIDES:
        html = client.get(f"/panduan/{slug}").get_data(as_text=True)
        ids = set(re.findall(r'id="([^"]+)"', html))
        for anchor in re.findall(r'href="#([^"]+)"', html):
            assert anchor in ids, (slug, anchor)


def test_the_help_beside_the_forms_links_to_an_existing_section(as_role):
    """Each "?" points at a section that exists (checked on the rendered guide)."""
    client = as_role("admin")
    html = client.get("/skm/bobot").get_data(as_text=True)
    match = re.search(r'<details class="help">\s*<summary aria-label="Bantuan"[^>]*>\?</summary>'
                      r'.*?<a href="(/panduan/[a-z-]+)#([a-z-]+)">Baca selengkapnya</a>', html, re.S)
    assert match, "no help beside the IKM weight form"
    guide = client.get(match.group(1)).get_data(as_text=True)
    assert f'id="{match.group(2)}"' in guide

    html = client.get("/kinerja/kurva").get_data(as_text=True)
    assert 'href="/panduan/pejabat-penilai#kurva"' in html
    assert 'id="kurva"' in client.get("/panduan/pejabat-penilai").get_data(as_text=True)


def test_the_help_tip_macro_escapes_and_links(app):
    with app.test_request_context():
        template = app.jinja_env.from_string(
            '{% from "_macros.html" import help_tip %}{{ help_tip(text, url) }}')
        html = template.render(text="<b>RHK</b> & intervensi", url="/panduan/pegawai#intervensi")
    assert "&lt;b&gt;RHK&lt;/b&gt; &amp; intervensi" in html
    assert '<summary aria-label="Bantuan" title="Bantuan">?</summary>' in html
    assert '<a href="/panduan/pegawai#intervensi">Baca selengkapnya</a>' in html
    assert "<script" not in html and "style=" not in html
