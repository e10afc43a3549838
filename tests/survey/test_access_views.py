"""SKM for staff (/skm): who may come in, and the dashboard."""


from kinerja.models import (Employee, Service, ServiceUnit, SuggestionFollowUp,
                            SurveyPeriod, SurveyResponse)

from ..support import counted_get, database
from ..support.survey import add_response, make_unit
from ..support import HX


# --- Who may come in ----------------------------------------------------------------------

def scoped_urls(su, period, response):
    return [
        ("get", f"/skm/unit/{su}"), ("get", f"/skm/unit/{su}/ubah"),
        ("post", f"/skm/unit/{su}/ubah"), ("post", f"/skm/unit/{su}/layanan"),
        ("post", f"/skm/unit/{su}/periode"), ("post", f"/skm/unit/{su}/periode/{period}"),
        ("post", f"/skm/unit/{su}/kios"), ("get", f"/skm/unit/{su}/poster.pdf"),
        ("get", f"/skm/unit/{su}/kertas"), ("post", f"/skm/unit/{su}/kertas"),
        ("get", f"/skm/unit/{su}/impor"), ("post", f"/skm/unit/{su}/impor"),
        ("post", f"/skm/unit/{su}/impor/simpan"), ("get", f"/skm/unit/{su}/impor/templat.xlsx"),
        ("get", f"/skm/unit/{su}/saran"), ("get", f"/skm/unit/{su}/saran/{response}"),
        ("post", f"/skm/unit/{su}/saran/{response}"),
        ("get", f"/skm/unit/{su}/periode/{period}/laporan.pdf"),
        ("get", f"/skm/unit/{su}/periode/{period}/tanggapan.csv"),
        ("get", f"/skm/unit/{su}/periode/{period}/tanggapan.xlsx"),
        ("get", f"/skm/tinjauan?unit={su}"), ("get", f"/skm/tinjauan/jumlah?unit={su}"),
        ("post", f"/skm/tinjauan/{response}"),
    ]


def test_admin_opd_gets_404_for_a_unit_outside_their_scope(app, units, as_role):
    with database(app):
        capil = ServiceUnit.get_by_id(units["capil"])
        flagged = add_response(capil, status="flagged", suggestion="Antre lama").id
    client = as_role("admin_opd")
    for method, url in scoped_urls(units["capil"], units["capil_period"], flagged):
        response = getattr(client, method)(url, data={"decision": "accept"})
        assert response.status_code == 404, (method, url, response.status_code)
    with database(app):
        assert SurveyResponse.get_by_id(flagged).status == "flagged"
        assert ServiceUnit.get_by_id(units["capil"]).kiosk_token == ""


def test_admin_opd_of_dinas_kesehatan_cannot_see_the_demo_dukcapil_unit(app, as_role):
    with database(app):
        dukcapil = ServiceUnit.get(ServiceUnit.code == "dukcapil")
        period = SurveyPeriod.select().where(SurveyPeriod.service_unit == dukcapil).first()
        flagged = SurveyResponse.get((SurveyResponse.service_unit == dukcapil)
                                     & (SurveyResponse.status == "flagged"))
    client = as_role("admin_opd")
    for method, url in scoped_urls(dukcapil.id, period.id, flagged.id):
        assert getattr(client, method)(url, data={"decision": "reject"}).status_code == 404, url
    assert "Layanan Adminduk Disdukcapil" not in client.get("/skm").get_data(as_text=True)
    assert "Layanan Adminduk Disdukcapil" not in client.get("/skm/tinjauan").get_data(as_text=True)
    assert as_role("admin").get(f"/skm/unit/{dukcapil.id}").status_code == 200


def test_admin_opd_works_inside_their_scope(app, units, as_role):
    with database(app):
        sehat = ServiceUnit.get_by_id(units["sehat"])
        response_id = add_response(sehat, suggestion="Antre lama").id
    client = as_role("admin_opd")
    for url in (f"/skm/unit/{units['sehat']}", f"/skm/unit/{units['sehat']}/kertas",
                f"/skm/unit/{units['sehat']}/saran/{response_id}",
                f"/skm/unit/{units['sehat']}/periode/{units['sehat_period']}/laporan.pdf"):
        assert client.get(url).status_code == 200, url


def test_pegawai_is_refused_everywhere(app, units, as_role):
    client = as_role("pegawai")
    with database(app):
        response_id = add_response(ServiceUnit.get_by_id(units["sehat"]), status="flagged").id
    urls = [("get", "/skm"), ("get", "/skm/unit/baru"), ("get", "/skm/bobot"),
            ("get", "/skm/tinjauan"), ("post", "/skm/tinjauan")]
    urls += scoped_urls(units["sehat"], units["sehat_period"], response_id)
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, units):
    response = client.get("/skm")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert client.get("/skm/tinjauan", headers=HX).status_code == 401


def test_missing_and_huge_ids_are_404(as_role, units):
    client = as_role("admin")
    for url in ("/skm/unit/999999", "/skm/unit/99999999999999999999999",
                f"/skm/unit/{units['sehat']}/periode/{units['capil_period']}/laporan.pdf",
                f"/skm/unit/{units['sehat']}/periode/{units['sehat_period']}/tanggapan.pdf",
                "/skm/tinjauan?unit=abc"):
        assert client.get(url).status_code == 404, url


# --- Dashboard ----------------------------------------------------------------------------

def test_dashboard_shows_each_unit_in_scope_with_its_figures(app, units, as_role):
    with database(app):
        sehat = ServiceUnit.get_by_id(units["sehat"])
        for _ in range(3):
            add_response(sehat, answers=4)
        add_response(sehat, status="flagged")
        add_response(sehat, suggestion="Ruang tunggu panas")
    page = as_role("admin_opd").get("/skm").get_data(as_text=True)
    row = page[page.index(f'id="skm-unit-{units["sehat"]}"'):]
    row = row[:row.index("</tr>")]
    assert "Semester I 2026" in row
    assert "100,00 — A (Sangat Baik)" in row
    assert "4 / 44" in row          # respondents / minimum sample for N = 50
    assert "belum representatif" in row
    assert f'/skm/tinjauan?unit={units["sehat"]}">1<' in row
    assert f'/skm/unit/{units["sehat"]}/saran">1<' in row
    assert "Unit uji-capil" not in page
    assert "Unit uji-capil" in as_role("admin").get("/skm").get_data(as_text=True)


def test_lists_do_not_run_more_queries_for_more_rows(app, units, as_role):
    client = as_role("admin_opd")
    su = units["sehat"]
    pages = [f"/skm/tinjauan?unit={su}", f"/skm/unit/{su}/saran?status=semua", f"/skm/unit/{su}"]

    def add_rows():
        with database(app):
            unit = ServiceUnit.get_by_id(su)
            service = Service.get(Service.service_unit == unit)
            for i in range(4):
                add_response(unit, status="flagged", service=service)
                answered = add_response(unit, suggestion=f"saran {i}", service=service)
                SuggestionFollowUp.create(response=answered, status="diproses",
                                          handler=Employee.select().first())
            Service.create(service_unit=unit, name="Layanan tambahan")

    add_rows()
    before = [counted_get(client, url)[0] for url in pages]
    add_rows()
    assert [counted_get(client, url)[0] for url in pages] == before


def test_dashboard_queries_do_not_grow_with_units(app, units, as_role):
    client = as_role("admin")
    before = counted_get(client, "/skm")[0]
    with database(app):
        for i in range(6):
            su = make_unit(f"tambahan-{i}", "KEC-SUKAMAJU")
            add_response(su, suggestion="saran")
            add_response(su, status="flagged")
    assert counted_get(client, "/skm")[0] == before
