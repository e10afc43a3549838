"""SKM for staff: the review queue, typing paper questionnaires, importing them."""
import datetime
import io
import json

import pytest
from openpyxl import load_workbook

from kinerja.models import (AuditLog, Service, ServiceUnit, SurveyResponse, User)

from ..support import database
from ..support.survey import add_response
from ..support import HX


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


def _confirm_rows(page):
    marker = 'name="rows" type="hidden" value="'
    return page[page.index(marker) + len(marker):].split('"')[0]


def test_a_large_questionnaire_import_is_saved_by_a_job_that_leads_back_to_the_unit(app, units, as_role):
    app.config["IMPORT_JOB_ROWS"] = 3
    client = as_role("admin_opd")
    body = "\n".join([HEADER, *["2026-02-0%d,Imunisasi,4,4,4,4,4,4,4,4,4,,,,," % day
                                for day in range(1, 6)]])
    page = upload(client, units["sehat"], body).get_data(as_text=True)
    token, rows = _confirm_token(page), _confirm_rows(page)
    assert rows == "5"
    # Another admin's account cannot have the worker save this file.
    other = as_role("admin").post(f"/skm/unit/{units['sehat']}/impor/simpan",
                                  data={"token": token, "rows": rows})
    refused = as_role("admin").get(other.headers["Location"]).get_data(as_text=True)
    assert "Tidak ada yang disimpan" in refused and "Unggah ulang" in refused
    client = as_role("admin_opd")
    response = client.post(f"/skm/unit/{units['sehat']}/impor/simpan", data={"token": token, "rows": rows})
    assert response.status_code == 303 and response.headers["Location"].startswith("/unduhan/")
    job = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Impor kuesioner kertas" in job and "5 kuesioner kertas dari kuesioner.csv disimpan." in job
    assert f'href="/skm/unit/{units["sehat"]}"' in job
    with database(app):
        assert paper_rows(units["sehat"]) == 5
        assert AuditLog.select().where(AuditLog.action == "import_paper").count() == 1
