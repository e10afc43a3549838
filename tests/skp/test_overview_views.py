"""SKP pages: team overviews, the cascade, the printed plan, years and goals, and junk input."""
import io
import re

from pypdf import PdfReader

from kinerja.models import (
    OrgGoal, PerformanceYear, Rhk,
    Skp, Unit,
)

from ..support import HX, counted_get
from ..support.skp import (YEAR, audit_actions, holder, login_as, new_plan,
                           ready_plan, rhk_data)


# --- overviews ---------------------------------------------------------------------------

def test_team_overview_for_supervisor_admin_opd_and_admin(app, client, as_role, q):
    as_role("pegawai")
    assert "tidak memiliki bawahan" in client.get("/skp/tim").get_data(as_text=True)
    as_role("penilai")
    page = client.get("/skp/tim").get_data(as_text=True)
    assert "UPTD Puskesmas Sukamaju" in page and "Dinas Lingkungan Hidup" not in page
    assert "lewat" in page  # days past the deadline of 31 January
    counts = dict(re.findall(r'data-status="(\w+)"><strong>(\d+)</strong>', page))
    assert int(counts["submitted"]) >= 2 and int(counts["belum"]) >= 1
    only = client.get("/skp/tim?status=submitted").get_data(as_text=True)
    assert only.count('id="team-row-') == int(counts["submitted"])
    as_role("admin_opd")
    page = client.get("/skp/tim").get_data(as_text=True)
    assert "Dinas Kesehatan" in page and "Dinas Lingkungan Hidup" not in page
    dlh = q(lambda: Unit.get(Unit.code == "DLH").id)
    assert "Dinas Lingkungan Hidup" not in client.get(f"/skp/tim?unit={dlh}").get_data(as_text=True)
    as_role("admin")
    pkm = q(lambda: Unit.get(Unit.code == "PKM-CIBENING").id)
    small, page = counted_get(client, f"/skp/tim?unit={pkm}")
    assert page.count('id="team-row-') < 10
    large, page = counted_get(client, "/skp/tim")
    assert page.count('id="team-row-') > 40
    assert large == small  # no query per row
    for junk in ("/skp/tim?tahun=abc&unit=x&status=zz&page=-4", "/skp/tim?tahun=1900&q=%00"):
        assert client.get(junk).status_code == 200
    partial = client.get("/skp/tim?status=belum", headers=HX).get_data(as_text=True)
    assert partial.lstrip().startswith('<section id="team-results"')


def _expand(client, page, text):
    """The children of the RHK shown with `text`, fetched as the htmx expansion does."""
    rhk_id = re.search(r'<li class="cascade-rhk" id="cascade-rhk-(\d+)">\s*<details hx-get="([^"]+)"[^>]*>\s*'
                       r'<summary><span class="rhk-text">' + re.escape(text), page)
    assert rhk_id, text
    url = rhk_id.group(2).replace("&amp;", "&")
    response = client.get(url, headers=HX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_cascade_from_goals_to_staff_highlights_goals_nobody_works_on(app, client, as_role, q):
    as_role("admin")
    dlh = q(lambda: Unit.get(Unit.code == "DLH").id)
    queries_dlh, page = counted_get(client, f"/skp/kaskade?unit={dlh}")
    assert "Menurunnya timbulan sampah plastik di kabupaten" in page
    assert page.index("Menurunnya timbulan sampah plastik di kabupaten") < \
        page.index("Terlaksananya program pengurangan sampah plastik kabupaten")
    # Deeper levels are not on the page; each opens in place, one level at a time.
    assert "Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan" not in page
    level2 = _expand(client, page, "Terlaksananya program pengurangan sampah plastik kabupaten")
    assert "Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan" in level2
    level3 = _expand(client, level2, "Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan")
    assert "Tersusunnya data timbulan sampah plastik per kecamatan" in level3
    unattended = page[page.index("Meningkatnya ketaatan usaha terhadap izin lingkungan"):]
    assert unattended.index("Belum ada RHK yang mengintervensi sasaran ini") < 400
    assert 'class="cascade-goal unattended" id="goal-' in page
    dinkes = q(lambda: Unit.get(Unit.code == "DINKES").id)
    queries_dinkes, page = counted_get(client, f"/skp/kaskade?unit={dinkes}")
    assert "Meningkatnya cakupan pelayanan kesehatan dasar di puskesmas" in page
    level2 = _expand(client, page, "Meningkatnya cakupan pelayanan kesehatan dasar di puskesmas")
    assert "Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Sukamaju sesuai standar" in level2
    assert queries_dinkes == queries_dlh
    as_role("pegawai")
    assert "tersedia bagi pejabat yang memiliki bawahan" in client.get("/skp/kaskade").get_data(as_text=True)
    as_role("penilai")
    page = client.get(f"/skp/kaskade?unit={dlh}").get_data(as_text=True)
    assert "sampah plastik" not in page and "UPTD Puskesmas Sukamaju" in page
    level2 = _expand(client, page, "Meningkatnya cakupan pelayanan kesehatan dasar di puskesmas")
    assert "Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Sukamaju sesuai standar" in level2
    assert "Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Cibening" not in level2


# --- print -------------------------------------------------------------------------------

def _pdf_text(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_printed_plan_has_the_official_parts_and_a_draft_watermark_until_approved(client, as_role, q):
    as_role("pegawai")
    skp_id = ready_plan(client, q)
    reader, text = _pdf_text(client.get(f"/skp/{skp_id}/cetak"))
    me, kapus = q(lambda: holder("perawat-skm")), q(lambda: holder("kapus-skm"))
    squashed = " ".join(text.split())
    for expected in ("SASARAN KINERJA PEGAWAI", "Terlaksananya asuhan keperawatan",
                     "Terlaksananya kunjungan rumah keluarga rawan", me.nip, kapus.nip, "2.400 pasien",
                     "Berorientasi Pelayanan", "Dukungan Sumber Daya", "Skema Pertanggungjawaban",
                     "Konsekuensi", "Sukamaju,", "Pejabat Penilai Kinerja", "RHK Atasan yang Diintervensi",
                     "Terselenggaranya pelayanan kesehatan dasar"):
        assert expected in squashed, expected
    assert me.name in squashed and kapus.name in squashed
    assert "DRAFT" in text
    assert len(reader.pages) >= 1
    as_role("penilai")
    approved = q(lambda: Skp.approved_for(kapus.id, YEAR).id)
    reader, text = _pdf_text(client.get(f"/skp/{approved}/cetak"))
    assert "DRAFT" not in text
    assert "Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Sukamaju sesuai standar" in " ".join(text.split())
    assert "Meningkatnya cakupan pelayanan kesehatan dasar di puskesmas" in " ".join(text.split())


# --- years and goals -------------------------------------------------------------------

def test_admin_opens_a_year_with_default_settings(client, as_role, q):
    as_role("admin_opd")
    assert client.get("/skp/tahun").status_code == 403
    as_role("pegawai")
    assert client.post("/skp/tahun", data={"year": "2027"}).status_code == 403
    as_role("admin")
    page = client.get("/skp/tahun").get_data(as_text=True)
    assert f'value="{YEAR + 1}"' in page and f'value="{YEAR + 1}-01-31"' in page
    bad = client.post("/skp/tahun", data={"year": str(YEAR + 1), "skp_deadline": "2030-01-31",
                                          "evaluation_cadence": "triwulanan", "objection_days": "14"})
    assert bad.status_code == 422 and "Batas persetujuan harus" in bad.get_data(as_text=True)
    dup = client.post("/skp/tahun", data={"year": str(YEAR), "skp_deadline": f"{YEAR}-01-31",
                                          "evaluation_cadence": "triwulanan", "objection_days": "14", "peer_min_raters": "3"})
    assert dup.status_code == 422 and "sudah dibuka" in dup.get_data(as_text=True)
    ok = client.post("/skp/tahun", data={"year": str(YEAR + 1), "skp_deadline": f"{YEAR + 1}-01-31",
                                         "evaluation_cadence": "semesteran", "objection_days": "21", "peer_min_raters": "3", "is_open": "y"})
    assert ok.status_code == 302
    year = q(lambda: PerformanceYear.get_by_id(YEAR + 1))
    assert (year.evaluation_cadence, year.objection_days, year.is_open) == ("semesteran", 21, True)
    assert audit_actions(q, "performance_year", YEAR + 1) == ["create"]
    response = client.post(f"/skp/tahun/{YEAR + 1}", data={"skp_deadline": f"{YEAR + 1}-02-15",
                                                           "evaluation_cadence": "bulanan", "objection_days": "0"})
    assert response.status_code == 422 and "antara 1 dan 90 hari" in response.get_data(as_text=True)
    client.post(f"/skp/tahun/{YEAR + 1}", data={"skp_deadline": f"{YEAR + 1}-02-15",
                                                "evaluation_cadence": "bulanan", "objection_days": "10", "peer_min_raters": "4"})
    assert q(lambda: (PerformanceYear.get_by_id(YEAR + 1).objection_days, PerformanceYear.get_by_id(YEAR + 1).peer_min_raters)) == (10, 4)
    assert client.get("/skp/tahun/1999").status_code == 404


def test_goals_per_opd_within_scope(client, as_role, q):
    dinkes, dlh = q(lambda: (Unit.get(Unit.code == "DINKES").id, Unit.get(Unit.code == "DLH").id))
    as_role("pegawai")
    assert client.get("/skp/sasaran").status_code == 403
    as_role("admin_opd")
    page = client.get("/skp/sasaran").get_data(as_text=True)
    assert "Dinas Kesehatan" in page and "Dinas Lingkungan Hidup" not in page
    response = client.post(f"/skp/sasaran?unit={dinkes}&tahun={YEAR}", headers=HX,
                           data={"goal": "", "indicator": "IKU", "target": ""})
    assert response.status_code == 422 and "Sasaran strategis wajib diisi." in response.get_data(as_text=True)
    response = client.post(f"/skp/sasaran?unit={dinkes}&tahun={YEAR}", headers=HX,
                           data={"goal": "Menurunnya prevalensi stunting", "indicator": "Prevalensi stunting", "target": "14 %"})
    assert response.status_code == 200 and "Menurunnya prevalensi stunting" in response.get_data(as_text=True)
    goal = q(lambda: OrgGoal.get(OrgGoal.goal == "Menurunnya prevalensi stunting"))
    assert audit_actions(q, "org_goal", goal.id) == ["create"]
    assert client.post(f"/skp/sasaran?unit={dlh}&tahun={YEAR}", data={"goal": "x", "indicator": "y"}).status_code == 404
    dlh_goal = q(lambda: OrgGoal.get(OrgGoal.unit == dlh).id)
    assert client.get(f"/skp/sasaran/{dlh_goal}/ubah").status_code == 404
    assert client.post(f"/skp/sasaran/{dlh_goal}/hapus").status_code == 404
    used = q(lambda: OrgGoal.select().join(Rhk, on=(Rhk.org_goal == OrgGoal.id)).where(OrgGoal.unit == dinkes).first().id)
    assert client.post(f"/skp/sasaran/{used}/hapus", headers=HX).status_code == 409
    assert client.post(f"/skp/sasaran/{goal.id}/hapus", headers=HX).status_code == 200
    assert q(lambda: OrgGoal.get_or_none(OrgGoal.id == goal.id)) is None


def test_head_of_opd_cascades_from_organisation_goals(client, q):
    login_as(client, q, "kadlh")
    plan = q(lambda: Skp.get((Skp.employee == holder("kadlh").id) & (Skp.year == YEAR)))
    client.post(f"/skp/{plan.id}/revisi", data={"change_note": "Tambah sasaran"})
    new = q(lambda: Skp.latest_for(holder("kadlh").id, YEAR))
    form = client.get(f"/skp/{new.id}/rhk/baru?jenis=utama", headers=HX).get_data(as_text=True)
    assert "Sasaran/IKU organisasi yang diintervensi" in form
    assert "Meningkatnya ketaatan usaha terhadap izin lingkungan" in form
    goal = q(lambda: OrgGoal.get((OrgGoal.goal == "Meningkatnya ketaatan usaha terhadap izin lingkungan")
                                 & (OrgGoal.year == YEAR)))
    data = rhk_data(q, text="Meningkatnya pengawasan izin lingkungan")
    data["parent"] = str(goal.id)
    assert client.post(f"/skp/{new.id}/rhk?jenis=utama", data=data, headers=HX).status_code == 200
    rhk = q(lambda: Rhk.get(Rhk.text == "Meningkatnya pengawasan izin lingkungan"))
    assert (rhk.org_goal_id, rhk.parent_id) == (goal.id, None)


# --- nothing anyone sends causes a 500 ---------------------------------------------------

def test_junk_never_causes_a_server_error(client, as_role, q):
    as_role("pegawai")
    skp_id = new_plan(client)
    junk = [("get", f"/skp/{skp_id}/rhk/baru?jenis=lain"), ("get", f"/skp/{skp_id}/rhk/999999/ubah"),
            ("post", f"/skp/{skp_id}/rhk?jenis=utama"), ("post", f"/skp/{skp_id}/rhk/abc"),
            ("get", "/skp/persetujuan?tinjau=abc&tampil=zzz"), ("get", "/skp/persetujuan?tinjau=999999"),
            ("get", "/skp/kaskade?unit=abc&tahun=x"), ("get", "/skp/sasaran?unit=x"),
            ("post", f"/skp/{skp_id}/keputusan"), ("get", f"/skp/{skp_id}/rhk/daftar?jenis=utama")]
    for method, url in junk:
        response = getattr(client, method)(url, data={"parent": "abc", "indicators-0-target_min": "1e999",
                                                      "op": "remove_indicator-x"})
        assert response.status_code < 500, (url, response.status_code)
    many = rhk_data(q)
    many.update({f"indicators-{i}-text": f"Indikator {i}" for i in range(25)})
    many["op"] = "add_indicator"
    response = client.post(f"/skp/{skp_id}/rhk?jenis=utama", data=many, headers=HX)
    assert response.status_code == 200 and 'name="indicators-19-text"' in response.get_data(as_text=True)
    data = rhk_data(q, target_min="9" * 40)
    data["parent"] = "999999"
    response = client.post(f"/skp/{skp_id}/rhk?jenis=utama", data=data, headers=HX)
    assert response.status_code == 422 and "Pilihan tidak sah." in response.get_data(as_text=True)
