"""SKM for staff: service units, services, periods, kiosk, weights and the poster."""
import datetime
import io

import pytest
import zxingcpp
from pypdf import PdfReader

from kinerja.demo import DEMO_PASSWORD
from kinerja.models import (AuditLog, Service, ServiceUnit, Setting, SurveyPeriod, Unit)

from ..support.app import login, make_app
from ..support import database
from ..support.survey import add_response, make_unit
from ..support import HX


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
