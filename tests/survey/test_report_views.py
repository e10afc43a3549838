"""SKM for staff: suggestions and their follow-up, reports and exports, and junk input."""
import csv
import datetime
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.models import (AuditLog, Employee, Service, ServiceUnit, SuggestionFollowUp,
                            Unit)

from ..support import postgres
from ..support import database
from ..support.survey import add_response
from ..support import HX


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
        add_response(su, answers={f"u{i}": 4 for i in range(1, 10)} | {"u4": 1},
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
