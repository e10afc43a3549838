"""SKM for staff (/skm): units, periods, kiosk, poster, review, paper entry, import,
follow-up, reports — and every denial of scope."""
import csv
import datetime
import io
import re
import json

import pytest
import zxingcpp
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.demo import DEMO_PASSWORD
from kinerja.models import (AuditLog, Employee, Service, ServiceUnit, Setting, SuggestionFollowUp,
                            SurveyPeriod, SurveyResponse, Unit, User)

from ..support import postgres
from ..support.app import login, make_app
from ..support import counted_get, database
from ..support.survey import add_response, make_unit
from ..support import HX



@pytest.fixture
def units(app):
    """'sehat' in Dinas Kesehatan (scope of admin.dinkes), 'capil' in Disdukcapil (not)."""
    with database(app):
        sehat = make_unit("uji-sehat", "PKM-SUKAMAJU", services=("Pemeriksaan umum", "Imunisasi"))
        capil = make_unit("uji-capil", "DISDUKCAPIL-DAFDUK", services=("KTP-el",))
        return {"sehat": sehat.id, "capil": capil.id,
                "sehat_period": SurveyPeriod.get(SurveyPeriod.service_unit == sehat).id,
                "capil_period": SurveyPeriod.get(SurveyPeriod.service_unit == capil).id}


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


# --- Service units, services, periods, kiosk, weight ------------------------------------------

def unit_form(**overrides):
    data = {"name": "Mal Pelayanan Publik", "code": "mpp", "unit": "", "period_kind": "semester",
            "active": "y"}
    data.update(overrides)
    return data


def test_admin_opd_creates_a_unit_only_inside_their_scope(app, as_role):
    client = as_role("admin_opd")
    with database(app):
        inside = Unit.get(Unit.code == "PKM-CIBENING").id
        outside = Unit.get(Unit.code == "DISDUKCAPIL").id
    refused = client.post("/skm/unit/baru", data=unit_form(unit=outside))
    assert refused.status_code == 422
    response = client.post("/skm/unit/baru", data=unit_form(unit=inside, code="  PKM-Cbn-2 "))
    assert response.status_code == 302
    with database(app):
        su = ServiceUnit.get(ServiceUnit.code == "pkm-cbn-2")
        assert su.unit_id == inside
        assert AuditLog.get((AuditLog.entity == "service_unit") & (AuditLog.entity_id == su.id))


@pytest.mark.parametrize("code,message", [
    ("a", "antara 2 dan 40 karakter"), ("pkm sukamaju", "huruf kecil"), ("-awal", "tidak diawali"),
    ("uji-capil", "sudah dipakai"), ("", "wajib diisi")])
def test_bad_codes_are_refused_with_the_reason(app, units, as_role, code, message):
    client = as_role("admin")
    with database(app):
        unit_id = Unit.get(Unit.code == "DINKES").id
    response = client.post("/skm/unit/baru", data=unit_form(unit=unit_id, code=code))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_code_is_checked_inline_when_the_field_is_left(app, units, as_role):
    client = as_role("admin")
    response = client.post("/skm/unit/baru", data=unit_form(code="uji-capil"),
                           headers={**HX, "HX-Trigger-Name": "code"})
    page = response.get_data(as_text=True)
    assert 'id="field-code"' in page and "sudah dipakai" in page
    assert "<html" not in page


def test_code_cannot_change_once_the_unit_has_responses(app, units, as_role):
    client = as_role("admin")
    url = f"/skm/unit/{units['sehat']}/ubah"
    with database(app):
        unit_id = ServiceUnit.get_by_id(units["sehat"]).unit_id
    # Without responses the code may still be corrected.
    assert client.post(url, data=unit_form(unit=unit_id, code="uji-sehat-2")).status_code == 302
    with database(app):
        add_response(ServiceUnit.get_by_id(units["sehat"]))
    assert 'readonly' in client.get(url).get_data(as_text=True)
    response = client.post(url, data=unit_form(unit=unit_id, code="lain-lagi"))
    assert response.status_code == 422
    assert "Kode tidak dapat diubah" in response.get_data(as_text=True)
    renamed = client.post(url, data=unit_form(unit=unit_id, code="uji-sehat-2", name="Nama baru"))
    assert renamed.status_code == 302
    with database(app):
        su = ServiceUnit.get_by_id(units["sehat"])
        assert (su.code, su.name) == ("uji-sehat-2", "Nama baru")


def test_services_are_added_and_edited_in_the_page(app, units, as_role):
    client = as_role("admin")
    response = client.post(f"/skm/unit/{units['sehat']}/layanan",
                           data={"new-name": "Pemeriksaan gigi uji", "new-active": "y"}, headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.lstrip().startswith('<section id="layanan"')
    assert "Pemeriksaan gigi uji" in page
    with database(app):
        service = Service.get((Service.name == "Pemeriksaan gigi uji")
                              & (Service.service_unit == units["sehat"]))
    response = client.post(f"/skm/unit/{units['sehat']}/layanan/{service.id}",
                           data={f"s{service.id}-name": "Poli gigi"}, headers=HX)
    assert "Poli gigi" in response.get_data(as_text=True)
    with database(app):
        service = Service.get_by_id(service.id)
        assert (service.name, service.active) == ("Poli gigi", False)
    empty = client.post(f"/skm/unit/{units['sehat']}/layanan", data={"new-name": " "}, headers=HX)
    assert empty.status_code == 422
    # A service of another unit is not reachable through this unit.
    with database(app):
        other = Service.get(Service.service_unit == units["capil"]).id
    assert client.post(f"/skm/unit/{units['sehat']}/layanan/{other}",
                       data={f"s{other}-name": "x"}).status_code == 404


def test_periods_take_their_dates_from_kind_year_and_number(app, units, as_role):
    client = as_role("admin")
    url = f"/skm/unit/{units['sehat']}/periode"
    response = client.post(url, data={"new-kind": "triwulan", "new-year": "2025",
                                      "new-number": "4", "new-population": "300"}, headers=HX)
    assert response.status_code == 200
    assert "Triwulan IV 2025" in response.get_data(as_text=True)
    with database(app):
        period = SurveyPeriod.get((SurveyPeriod.kind == "triwulan") & (SurveyPeriod.year == 2025))
        assert (period.starts, period.ends) == (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    assert "sampel minimum 169" in client.get(f"/skm/unit/{units['sehat']}").get_data(as_text=True)


@pytest.mark.parametrize("data,message", [
    ({"new-kind": "semester", "new-year": "2026", "new-number": "3"}, "hanya bernomor 1 sampai 2"),
    ({"new-kind": "triwulan", "new-year": "2026", "new-number": "2"}, "Tumpang tindih"),
    ({"new-kind": "semester", "new-year": "2026", "new-number": "2", "new-is_open": "y"},
     "masih dibuka"),
    ({"new-kind": "tahun", "new-year": "1999", "new-number": "1"}, "Angka harus antara"),
])
def test_period_rules_are_enforced(app, units, as_role, data, message):
    response = as_role("admin").post(f"/skm/unit/{units['sehat']}/periode", data=data, headers=HX)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_only_one_open_period_per_unit(app, units, as_role):
    client = as_role("admin")
    client.post(f"/skm/unit/{units['sehat']}/periode",
                data={"new-kind": "semester", "new-year": "2026", "new-number": "2"})
    with database(app):
        second = SurveyPeriod.get((SurveyPeriod.service_unit == units["sehat"])
                                  & (SurveyPeriod.number == 2))
    url = f"/skm/unit/{units['sehat']}/periode/{second.id}"
    refused = client.post(url, data={f"p{second.id}-is_open": "y"}, headers=HX)
    assert refused.status_code == 422 and "masih dibuka" in refused.get_data(as_text=True)
    first = units["sehat_period"]
    assert client.post(f"/skm/unit/{units['sehat']}/periode/{first}",
                       data={f"p{first}-population": "80"}, headers=HX).status_code == 200
    assert client.post(url, data={f"p{second.id}-is_open": "y"}, headers=HX).status_code == 200
    with database(app):
        assert [p.id for p in SurveyPeriod.select().where(
            (SurveyPeriod.service_unit == units["sehat"]) & SurveyPeriod.is_open)] == [second.id]
        assert SurveyPeriod.get_by_id(first).population == 80


def test_kiosk_token_is_generated_and_rotated(app, units, as_role, accounts):
    client = as_role("admin_opd")
    url = f"/skm/unit/{units['sehat']}/kios"
    # Without PUBLIC_URL the link follows the address staff reached the server at (make run PORT=5101).
    served = "http://127.0.0.1:5101"
    client.post("/masuk", base_url=served, data={"username": accounts["admin_opd"], "password": DEMO_PASSWORD})
    first = client.post(url, headers=HX, base_url=served).get_data(as_text=True)
    with database(app):
        token = ServiceUnit.get_by_id(units["sehat"]).kiosk_token
    assert len(token) >= 24
    assert f"http://127.0.0.1:5101/survei/uji-sehat?kiosk={token}" in first
    client.post(url, headers=HX)
    with database(app):
        assert ServiceUnit.get_by_id(units["sehat"]).kiosk_token not in ("", token)
        trail = AuditLog.select().where(AuditLog.action == "kiosk_token")
        assert trail.count() == 2 and all(token not in (a.summary + str(a.after)) for a in trail)


def test_weight_is_set_by_admin_only_and_audited(app, as_role):
    assert as_role("admin_opd").get("/skm/bobot").status_code == 403
    client = as_role("admin")
    assert client.post("/skm/bobot", data={"weight": "0.5"}).status_code == 422
    assert client.post("/skm/bobot", data={"weight": "0.111"}).status_code == 302
    assert "0,111" in client.get("/skm/bobot").get_data(as_text=True)
    with database(app):
        assert Setting.get_value("ikm_weight") == "0.111"
        audit = AuditLog.get(AuditLog.entity == "setting")
        assert audit.before_dict() == {"ikm_weight": "1/9"}
        assert audit.after_dict() == {"ikm_weight": "0.111"}


# --- Poster ----------------------------------------------------------------------------------

def _decoded_qr_codes(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    texts = []
    for image in reader.pages[0].images:
        texts += [barcode.text for barcode in zxingcpp.read_barcodes(image.image)]
    return reader, texts


def test_poster_pdf_carries_the_unit_the_address_and_a_qr_code_to_it(tmp_path):
    app = make_app(tmp_path, PUBLIC_URL="https://skm.sukamajukab.go.id")
    with database(app):
        su = make_unit("pkm-poster", "PKM-SUKAMAJU")
    client = app.test_client()
    login(client, "admin.dinkes")
    response = client.get(f"/skm/unit/{su.id}/poster.pdf")
    assert response.mimetype == "application/pdf"
    reader, codes = _decoded_qr_codes(response.data)
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "Survei Kepuasan Masyarakat" in text and "Unit pkm-poster" in text
    assert "https://skm.sukamajukab.go.id/survei/pkm-poster" in text
    assert codes == ["https://skm.sukamajukab.go.id/survei/pkm-poster"]


def test_without_public_url_the_poster_points_where_staff_reached_the_server(tmp_path, accounts):
    app = make_app(tmp_path)
    assert app.config["PUBLIC_URL"] == ""
    with database(app):
        su = make_unit("pkm-poster", "PKM-SUKAMAJU")
    client = app.test_client()
    served = "http://127.0.0.1:5101"
    client.post("/masuk", base_url=served, data={"username": "admin.dinkes", "password": DEMO_PASSWORD})
    _, codes = _decoded_qr_codes(client.get(f"/skm/unit/{su.id}/poster.pdf", base_url=served).data)
    assert codes == [f"{served}/survei/pkm-poster"]


# --- Review queue ----------------------------------------------------------------------------

def test_review_queue_lists_flagged_responses_of_the_scope_only(app, units, as_role):
    with database(app):
        add_response(ServiceUnit.get_by_id(units["sehat"]), status="flagged",
                     suggestion="isi cepat sekali")
        add_response(ServiceUnit.get_by_id(units["capil"]), status="flagged")
    page = as_role("admin_opd").get("/skm/tinjauan").get_data(as_text=True)
    assert "Unit uji-sehat" in page and "Unit uji-capil" not in page
    assert "Diisi terlalu cepat (3 detik)" in page and "isi cepat sekali" in page
    assert as_role("admin").get("/skm/tinjauan").get_data(as_text=True).count('name="ids"') >= 2


def test_accepting_in_the_page_removes_the_row_and_counts_the_response(app, units, as_role):
    with database(app):
        su = ServiceUnit.get_by_id(units["sehat"])
        first, second = add_response(su, status="flagged"), add_response(su, status="flagged")
    client = as_role("admin_opd")
    response = client.post(f"/skm/tinjauan/{first.id}", data={"decision": "accept"}, headers=HX)
    assert response.status_code == 200 and response.get_data(as_text=True).strip() == ""
    assert "skm-review-changed" in json.loads(response.headers["HX-Trigger"])
    count = client.get(f"/skm/tinjauan/jumlah?unit={su.id}").get_data(as_text=True)
    assert 'id="review-count"' in count and ">1<" in count
    rejected = client.post(f"/skm/tinjauan/{second.id}", data={"decision": "reject"})
    assert rejected.status_code == 302
    with database(app):
        accepted = SurveyResponse.get_by_id(first.id)
        assert accepted.status == "valid" and accepted.reviewed_by_id is not None
        assert SurveyResponse.get_by_id(second.id).status == "rejected"
        assert AuditLog.select().where(AuditLog.action.startswith("review_")).count() == 2
    # The index now counts the accepted response.
    dashboard = client.get("/skm").get_data(as_text=True)
    assert "100,00 — A (Sangat Baik)" in dashboard


def test_a_response_already_reviewed_cannot_be_decided_again(app, units, as_role):
    with database(app):
        response = add_response(ServiceUnit.get_by_id(units["sehat"]), status="flagged")
    client = as_role("admin")
    client.post(f"/skm/tinjauan/{response.id}", data={"decision": "reject"}, headers=HX)
    again = client.post(f"/skm/tinjauan/{response.id}", data={"decision": "accept"}, headers=HX)
    assert again.status_code == 409
    assert "sudah ditinjau" in again.get_data(as_text=True)
    assert client.post(f"/skm/tinjauan/{response.id}", data={"decision": "nanti"}).status_code == 400
    with database(app):
        assert SurveyResponse.get_by_id(response.id).status == "rejected"


def test_bulk_review_changes_only_flagged_responses_in_scope(app, units, as_role):
    with database(app):
        sehat = ServiceUnit.get_by_id(units["sehat"])
        ours = [add_response(sehat, status="flagged").id for _ in range(3)]
        theirs = add_response(ServiceUnit.get_by_id(units["capil"]), status="flagged").id
    client = as_role("admin_opd")
    response = client.post("/skm/tinjauan", headers=HX, data={
        "decision": "accept", "ids": [*ours[:2], theirs, "abc", "99999999999999999999"]})
    assert response.status_code == 200
    assert "2 tanggapan diterima" in response.get_data(as_text=True)
    assert "skm-review-changed" in response.headers["HX-Trigger"]
    with database(app):
        statuses = {r.id: r.status for r in SurveyResponse.select()
                    .where(SurveyResponse.id.in_([*ours, theirs]))}
        assert statuses == {ours[0]: "valid", ours[1]: "valid", ours[2]: "flagged",
                            theirs: "flagged"}
        audit = AuditLog.get(AuditLog.action == "review_accept")
        assert audit.after_dict()["ids"] == ours[:2]


# --- Paper questionnaires ----------------------------------------------------------------------

def paper_data(**overrides):
    data = {"answered_on": "2026-03-15", "service": "0", "count": "0",
            **{f"u{i}": "3" for i in range(1, 10)}, "age": "", "sex": "", "education": "",
            "occupation": "", "suggestion": ""}
    data.update(overrides)
    return data


def test_paper_questionnaire_is_saved_and_the_form_comes_back_fresh(app, units, as_role):
    client = as_role("admin_opd")
    with database(app):
        service = Service.get((Service.name == "Imunisasi")
                              & (Service.service_unit == units["sehat"])).id
    response = client.post(f"/skm/unit/{units['sehat']}/kertas", headers=HX, data=paper_data(
        service=str(service), u9="", age="34", sex="P", education="S1", occupation="Swasta",
        suggestion="Ruang tunggu sempit", count="4"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.lstrip().startswith('<section id="paper-entry"')
    assert 'id="paper-count">5<' in page and "Lembar ke-5 tersimpan" in page
    u1 = _input_tag(page, "u1")
    assert 'value=""' in u1 and "autofocus" in u1
    assert 'value="2026-03-15"' in page and f'<option selected value="{service}">' in page
    with database(app):
        saved = SurveyResponse.get((SurveyResponse.source == "paper")
                                   & (SurveyResponse.service_unit == units["sehat"]))
        user = User.get(User.username == "admin.dinkes")
        assert saved.entered_by_id == user.id and saved.status == "valid"
        assert saved.period_id == units["sehat_period"] and saved.service_id == service
        assert (saved.u1, saved.u9, saved.age, saved.sex) == (3, None, 34, "P")
        assert saved.submitted_at.date() == datetime.date(2026, 3, 15)


def _input_tag(page, name):
    start = page.rindex("<input", 0, page.index(f'name="{name}"'))
    return page[start:page.index(">", start)]


@pytest.mark.parametrize("overrides,message", [
    ({"u3": "5"}, "Isi 1, 2, 3 atau 4"),
    ({f"u{i}": "" for i in range(1, 10)}, "tanpa satu jawaban"),
    ({"answered_on": "2025-03-15"}, "di luar semua periode"),
    ({"answered_on": "2031-01-01"}, "di masa depan"),
    ({"age": "7"}, "Angka harus antara"),
    ({"sex": "X"}, "Pilihan tidak sah"),
])
def test_paper_questionnaire_errors_keep_what_was_typed(app, units, as_role, overrides, message):
    client = as_role("admin")
    response = client.post(f"/skm/unit/{units['sehat']}/kertas", headers=HX,
                           data=paper_data(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with database(app):
        assert paper_rows(units["sehat"]) == 0


# --- Import ----------------------------------------------------------------------------------

HEADER = ("tanggal,layanan,u1,u2,u3,u4,u5,u6,u7,u8,u9,umur,jenis_kelamin,pendidikan,"
          "pekerjaan,saran")


def upload(client, su_id, text, name="kuesioner.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(f"/skm/unit/{su_id}/impor", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name)})


def paper_rows(su_id):
    return SurveyResponse.select().where((SurveyResponse.source == "paper")
                                         & (SurveyResponse.service_unit == su_id)).count()


def test_import_dry_run_lists_every_bad_row_with_its_reason(app, units, as_role):
    rows = [
        "2026-03-01,Imunisasi,4,4,4,4,4,4,4,4,4,30,L,SMA,PNS,baik",      # 2: fine
        "2025-03-01,,3,3,3,3,3,3,3,3,3,,,,,",                              # 3: outside periods
        "2031-03-01,,3,3,3,3,3,3,3,3,3,,,,,",                              # 4: future
        "kemarin,,3,3,3,3,3,3,3,3,3,,,,,",                                  # 5: unreadable date
        ",,3,3,3,3,3,3,3,3,3,,,,,",                                         # 6: no date
        "2026-03-01,Bedah jantung,3,3,3,3,3,3,3,3,3,,,,,",                 # 7: unknown service
        "2026-03-01,,3,3,5,3,3,3,3,3,3,,,,,",                              # 8: answer 5
        "2026-03-01,,,,,,,,,,,,,,,tanpa jawaban",                          # 9: no answer
        "2026-03-01,,3,3,3,3,3,3,3,3,3,abc,,,,",                           # 10: age
        "2026-03-01,,3,3,3,3,3,3,3,3,3,,X,,,",                             # 11: sex
        "2026-03-01,,3,3,3,3,3,3,3,3,3,,,SMK Teknik,,",                    # 12: education
        "2026-03-01,,3,3,3,3,3,3,3,3,3,,,,Petani,",                        # 13: occupation
        "15/03/2026,imunisasi ,2,3,,4,1,2,3,4,1,70,P,D3,Lainnya,",         # 14: fine
    ]
    response = upload(as_role("admin_opd"), units["sehat"], "\n".join([HEADER, *rows]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    table = page[page.index('id="import-errors"'):page.index("</table>", page.index('id="import-errors"'))]
    expected = {3: "di luar semua periode", 4: "di masa depan", 5: "tidak terbaca",
                6: "tanggal wajib diisi", 7: "jenis layanan &#39;Bedah jantung&#39; tidak dikenal",
                8: "jawaban U3 harus 1–4", 9: "tidak ada satu jawaban pun",
                10: "umur &#39;abc&#39; tidak sah", 11: "jenis kelamin &#39;X&#39; tidak sah",
                12: "pendidikan &#39;SMK Teknik&#39; tidak sah",
                13: "pekerjaan &#39;Petani&#39; tidak sah"}
    for line, reason in expected.items():
        cell = f'<td class="num">{line}</td><td>'
        assert cell in table, line
        assert reason in table[table.index(cell):].split("</tr>")[0], (line, reason)
    assert '<td class="num">2</td>' not in table and '<td class="num">14</td>' not in table
    assert "2</strong> baris siap disimpan" in page and "11</strong> baris bermasalah" in page
    assert "import_confirm" not in page and "Simpan 2 kuesioner" not in page
    with database(app):
        assert paper_rows(units["sehat"]) == 0


@pytest.mark.parametrize("content,name,message", [
    ("tanggal,u1,u2\n2026-03-01,3,3", "a.csv", "Kolom wajib tidak ada: u3"),
    (HEADER + ",catatan\n2026-03-01,,3,3,3,3,3,3,3,3,3,,,,,,x", "a.csv", "Kolom tidak dikenal: catatan"),
    (HEADER + "\n", "a.csv", "tidak memuat baris data"),
    ("", "a.csv", "Berkas kosong"),
    ("bukan excel", "a.xlsx", "tidak dapat dibaca"),
    ("x", "a.txt", "Berkas harus berformat .csv atau .xlsx"),
])
def test_import_refuses_a_file_it_cannot_use(app, units, as_role, content, name, message):
    response = upload(as_role("admin"), units["sehat"], content, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def _confirm_token(page):
    marker = 'name="token" type="hidden" value="'
    return page[page.index(marker) + len(marker):].split('"')[0]


def test_import_confirmation_writes_every_row_at_once_and_audits_once(app, units, as_role):
    client = as_role("admin_opd")
    body = "\n".join([HEADER, *["2026-02-0%d,Imunisasi,4,4,4,4,4,4,4,4,4,,,,,=cmd|' /C calc'!A0"
                                % day for day in range(1, 6)]])
    dry = upload(client, units["sehat"], body)
    assert dry.status_code == 200
    page = dry.get_data(as_text=True)
    assert "Simpan 5 kuesioner" in page
    with database(app):
        assert paper_rows(units["sehat"]) == 0
    token = _confirm_token(page)
    # Another admin cannot use this pending file.
    other = as_role("admin")
    assert other.post(f"/skm/unit/{units['sehat']}/impor/simpan",
                      data={"token": token}).status_code == 302
    with database(app):
        assert paper_rows(units["sehat"]) == 0
    client = as_role("admin_opd")
    response = client.post(f"/skm/unit/{units['sehat']}/impor/simpan", data={"token": token})
    assert response.status_code == 302
    with database(app):
        assert paper_rows(units["sehat"]) == 5
        user = User.get(User.username == "admin.dinkes")
        assert {r.entered_by_id for r in SurveyResponse.select().where(
            SurveyResponse.service_unit == units["sehat"])} == {user.id}
        audit = AuditLog.select().where(AuditLog.action == "import_paper")
        assert audit.count() == 1 and audit.get().after_dict()["rows"] == 5
    # The same pending file cannot be saved twice, nor the same file imported again.
    client.post(f"/skm/unit/{units['sehat']}/impor/simpan", data={"token": token})
    again = upload(client, units["sehat"], body)
    assert again.status_code == 422 and "sudah diimpor" in again.get_data(as_text=True)
    with database(app):
        assert paper_rows(units["sehat"]) == 5


def test_import_reads_xlsx_and_the_template_has_the_columns(app, units, as_role):
    client = as_role("admin")
    template = client.get(f"/skm/unit/{units['sehat']}/impor/templat.xlsx")
    workbook = load_workbook(io.BytesIO(template.data))
    assert [c.value for c in workbook.worksheets[0][1]] == HEADER.split(",")
    assert "Imunisasi" in str([row for row in workbook["Petunjuk"].values])
    sheet = workbook.worksheets[0]
    sheet.append([datetime.datetime(2026, 4, 2), "Pemeriksaan umum", 4, 3, 3, 4, 4, 3, 4, 2, 3,
                  41.0, "L", "S1", "PNS", None])
    out = io.BytesIO()
    workbook.save(out)
    dry = upload(client, units["sehat"], out.getvalue(), "isi.xlsx")
    assert dry.status_code == 200
    client.post(f"/skm/unit/{units['sehat']}/impor/simpan",
                data={"token": _confirm_token(dry.get_data(as_text=True))})
    with database(app):
        saved = SurveyResponse.get((SurveyResponse.source == "paper")
                                   & (SurveyResponse.service_unit == units["sehat"]))
        assert (saved.u8, saved.age, saved.education) == (2, 41, "S1")


def test_import_writes_nothing_when_a_row_fails_at_confirmation(app, units, as_role):
    client = as_role("admin")
    dry = upload(client, units["sehat"], "\n".join([HEADER, "2026-03-01,Imunisasi,4,4,4,4,4,4,4,4,4,,,,,"]))
    token = _confirm_token(dry.get_data(as_text=True))
    with database(app):  # the service is renamed between the dry run and the confirmation
        Service.update(name="Vaksinasi").where((Service.name == "Imunisasi")
                                               & (Service.service_unit == units["sehat"])).execute()
    response = client.post(f"/skm/unit/{units['sehat']}/impor/simpan", data={"token": token})
    assert response.status_code == 422 and "tidak dikenal" in response.get_data(as_text=True)
    with database(app):
        assert paper_rows(units["sehat"]) == 0


# --- Suggestions and follow-up -----------------------------------------------------------------

def test_follow_up_is_edited_in_the_page_and_closes_the_suggestion(app, units, as_role):
    with database(app):
        su = ServiceUnit.get_by_id(units["sehat"])
        answers = {f"u{i}": 4 for i in range(1, 10)} | {"u9": 2}
        response = add_response(su, answers=answers, suggestion="Kursi ruang tunggu rusak")
        add_response(su, status="flagged", suggestion="tersembunyi sampai ditinjau")
        handler = Employee.select().join(Unit, on=(Employee.unit == Unit.id)).where(
            Unit.code == "PKM-SUKAMAJU").first()
        stranger = Employee.select().join(Unit, on=(Employee.unit == Unit.id)).where(
            Unit.code == "DISDUKCAPIL-DAFDUK").first()
    client = as_role("admin_opd")
    listing = client.get(f"/skm/unit/{su.id}/saran").get_data(as_text=True)
    assert "Kursi ruang tunggu rusak" in listing and "tersembunyi" not in listing
    assert "U9 Sarana dan Prasarana" in listing and "perkiraan" in listing
    assert 'id="open-count"' in listing
    url = f"/skm/unit/{su.id}/saran/{response.id}"
    form = client.get(url, headers=HX).get_data(as_text=True)
    assert form.lstrip().startswith('<article id="saran-') and "Simpan tindak lanjut" in form
    p = f"t{response.id}-"
    incomplete = client.post(url, headers=HX, data={p + "status": "selesai", p + "handler": handler.id})
    assert incomplete.status_code == 422
    assert "Tuliskan tindakan" in incomplete.get_data(as_text=True)
    outsider = client.post(url, headers=HX, data={p + "status": "diproses", p + "handler": stranger.id})
    assert outsider.status_code == 422
    saved = client.post(url, headers=HX, data={
        p + "status": "selesai", p + "handler": handler.id, p + "element": "u9",
        p + "action": "Kursi diganti baru", p + "done_on": "2026-03-20"})
    assert saved.status_code == 200
    assert saved.headers["HX-Trigger"] == "skm-suggestions-changed"
    fragment = saved.get_data(as_text=True)
    assert "Kursi diganti baru" in fragment and handler.name in fragment and "20 Maret 2026" in fragment
    with database(app):
        follow_up = SuggestionFollowUp.get(SuggestionFollowUp.response == response.id)
        assert (follow_up.status, follow_up.element, follow_up.handler_id) == ("selesai", "u9", handler.id)
        assert AuditLog.get(AuditLog.entity == "suggestion_follow_up").unit_id == su.unit_id
    assert "Kursi ruang tunggu rusak" not in client.get(f"/skm/unit/{su.id}/saran").get_data(as_text=True)
    assert "Kursi ruang tunggu rusak" in client.get(
        f"/skm/unit/{su.id}/saran?status=selesai").get_data(as_text=True)
    count = client.get(f"/skm/unit/{su.id}/saran/jumlah").get_data(as_text=True)
    assert ">0<" in count
    row = client.get("/skm").get_data(as_text=True)
    row = row[row.index(f'id="skm-unit-{su.id}"'):]
    assert f'/skm/unit/{su.id}/saran"' not in row.split("</tr>")[0]


def test_a_compliment_is_marked_pujian_and_no_longer_waits_for_follow_up(app, units, as_role):
    with database(app):
        su = ServiceUnit.get_by_id(units["sehat"])
        praise = add_response(su, answers={f"u{i}": 4 for i in range(1, 10)} | {"u2": 3},
                              suggestion="Petugasnya ramah dan sabar, terima kasih")
        guessed = add_response(su, answers={f"u{i}": 4 for i in range(1, 10)} | {"u4": 1},
                               suggestion="Antrean di loket obat terlalu lama")
    client = as_role("admin_opd")
    before = int(re.search(r">(\d+)<", client.get(f"/skm/unit/{su.id}/saran/jumlah").get_data(as_text=True)).group(1))
    p = f"t{praise.id}-"
    saved = client.post(f"/skm/unit/{su.id}/saran/{praise.id}", headers=HX, data={p + "status": "pujian"})
    assert saved.status_code == 200 and "Pujian" in saved.get_data(as_text=True)  # no handler, no action asked
    after = int(re.search(r">(\d+)<", client.get(f"/skm/unit/{su.id}/saran/jumlah").get_data(as_text=True)).group(1))
    assert after == before - 1
    assert "Petugasnya ramah" not in client.get(f"/skm/unit/{su.id}/saran").get_data(as_text=True)
    assert "Petugasnya ramah" in client.get(f"/skm/unit/{su.id}/saran?status=pujian").get_data(as_text=True)

    _, text = _report(client, su.id, units["sehat_period"])
    text = " ".join(text.split())
    assert "Pujian — tidak perlu tindak lanjut (1 pujian)" in text
    unassigned = text[text.index("Unsur belum ditetapkan petugas"):]
    assert "Antrean di loket obat terlalu lama" in unassigned
    assert "Perkiraan unsur (nilai terendah responden): U4 Biaya/Tarif" in unassigned
    assert "U2 " not in text[text.index("Saran dan masukan"):].split("Pujian —")[0]  # the compliment is not filed as U2


def test_follow_up_of_a_response_without_suggestion_is_404(app, units, as_role):
    with database(app):
        response = add_response(ServiceUnit.get_by_id(units["sehat"]))
    assert as_role("admin").get(f"/skm/unit/{units['sehat']}/saran/{response.id}").status_code == 404


# --- Reports ---------------------------------------------------------------------------------

def _report(client, su_id, period_id):
    response = client.get(f"/skm/unit/{su_id}/periode/{period_id}/laporan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_report_pdf_states_the_index_the_elements_and_what_was_excluded(app, units, as_role):
    with database(app):
        su = ServiceUnit.get_by_id(units["sehat"])
        for age in (25, 34, 67):
            add_response(su, answers=4, age=age, sex="P", education="S1", occupation="PNS")
        add_response(su, answers=3, status="flagged")
        add_response(su, answers=1, status="rejected")
        follow = add_response(su, answers=4, suggestion="Parkir sempit sekali")
        SuggestionFollowUp.create(response=follow, status="selesai", element="u9",
                                  action="Lahan parkir diperluas", done_on=datetime.date(2026, 4, 1))
    client = as_role("admin_opd")
    reader, text = _report(client, su.id, units["sehat_period"])
    assert "Semester I 2026" in text and "Unit uji-sehat" in text
    assert "100,00 — A (Sangat Baik)" in text
    assert text.count("4,000") == 9                      # NRR of every element
    assert "U4 Biaya/Tarif" in text
    assert "44" in text and "belum representatif" in text  # N = 50 → minimum 44
    assert "2 (1 ditandai menunggu tinjauan, 1 ditolak)" in text
    assert "1/9" in text
    assert "20–29 tahun" in text and "≥ 60 tahun" in text and "Perempuan" in text
    assert "U9 Sarana dan Prasarana (1 saran)" in text and "Lahan parkir diperluas" in text
    assert "halaman 1" in reader.pages[0].extract_text()
    assert f"halaman {len(reader.pages)}" in reader.pages[-1].extract_text()
    as_role("admin").post("/skm/bobot", data={"weight": "0.111"})
    _, text = _report(as_role("admin_opd"), su.id, units["sehat_period"])
    assert "99,90 — A (Sangat Baik)" in text and "0,111" in text


def test_report_of_a_period_without_answers_says_so(app, units, as_role):
    _, text = _report(as_role("admin"), units["capil"], units["capil_period"])
    assert "Belum ada tanggapan sah" in text and "IKM: —" in text


def test_raw_responses_export_as_csv_and_xlsx_without_formula_injection(app, units, as_role):
    with database(app):
        su = ServiceUnit.get_by_id(units["sehat"])
        add_response(su, answers=3, suggestion="=HYPERLINK(\"http://evil\",\"klik\")")
        add_response(su, answers=2, suggestion="@SUM(1+1)", status="flagged")
        add_response(su, answers=4, suggestion="-2+3")
    client = as_role("admin")
    base = f"/skm/unit/{su.id}/periode/{units['sehat_period']}/tanggapan"
    response = client.get(base + ".csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "tanggal", "jam_wib", "periode", "layanan"]
    assert len(rows) == 4
    saran = [row[rows[0].index("saran")] for row in rows[1:]]
    assert saran == ["'=HYPERLINK(\"http://evil\",\"klik\")", "'@SUM(1+1)", "'-2+3"]
    assert [row[rows[0].index("status")] for row in rows[1:]] == [
        "Sah", "Ditandai (menunggu tinjauan)", "Sah"]
    sheet = load_workbook(io.BytesIO(client.get(base + ".xlsx").data)).worksheets[0]
    values = list(sheet.values)
    column = values[0].index("saran")
    assert [row[column] for row in values[1:]][0].startswith("'=")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_stored_vertical_tab_or_nul_does_not_break_the_exports(app, units, as_role):
    """Word's Shift+Enter (\\x0b) in a suggestion stored before it was refused: the export
    still opens, with the line break as a newline."""
    with database(app):
        su = ServiceUnit.get_by_id(units["sehat"])
        # PostgreSQL cannot store a NUL in text at all: there only the vertical tab is old data.
        add_response(su, answers=3, suggestion="Antrean lama.\x0bParkir sempit."
                     + ("" if postgres.enabled() else "\x00"))
    client = as_role("admin")
    base = f"/skm/unit/{su.id}/periode/{units['sehat_period']}/tanggapan"
    xlsx = client.get(base + ".xlsx")
    assert xlsx.status_code == 200
    values = list(load_workbook(io.BytesIO(xlsx.data)).worksheets[0].values)
    assert values[1][values[0].index("saran")] == "Antrean lama.\nParkir sempit."
    text = client.get(base + ".csv").data.decode("utf-8-sig")
    assert "Antrean lama.\nParkir sempit." in text and "\x0b" not in text and "\x00" not in text


# --- Nothing anyone sends causes a 500 ---------------------------------------------------------

ODD = ["", "0", "-1", "1e9", "abc", "99999999999999999999", "2026-13-45", "\u0000", "９", "5",
       "<script>", "../../etc/passwd", "' OR 1=1 --", "1,5", "selesai", "accept", "u9"]
FIELDS = ["name", "code", "unit", "period_kind", "active", "new-name", "new-kind", "new-year",
          "new-number", "new-population", "new-is_open", "weight", "decision", "ids", "unit",
          "answered_on", "service", "u1", "u5", "age", "sex", "education", "count", "token",
          "status", "page", "cancel"]


@pytest.mark.parametrize("role", ["admin", "admin_opd"])
def test_staff_routes_survive_odd_input(app, units, as_role, role):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    with database(app):
        su = ServiceUnit.get_by_id(units["sehat"])
        response = add_response(su, status="flagged", suggestion="saran")
        service = Service.get(Service.service_unit == su).id
    client = as_role(role)
    ids = {"su": units["sehat"], "period": units["sehat_period"], "response": response.id}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("survey_admin.")]

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
    @given(value=st.one_of(st.sampled_from(ODD), st.text(max_size=12)),
           field=st.sampled_from(FIELDS))
    def check(value, field):
        for rule in rules:
            url = (rule.rule.replace("<int:su_id>", str(ids["su"]))
                   .replace("<int:period_id>", str(ids["period"]))
                   .replace("<int:service_id>", str(service))
                   .replace("<int:response_id>", str(ids["response"])).replace("<fmt>", "csv"))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                data = {field: value, f"p{ids['period']}-{field}": value,
                        f"t{ids['response']}-{field}": value, f"s{service}-{field}": value}
                for headers in ({}, {**HX, "HX-Trigger-Name": field}):
                    answer = client.open(url, method=method, query_string={field: value},
                                         data=data, headers=headers)
                    assert answer.status_code < 500, f"{method} {url} {field}={value!r}"

    check()
