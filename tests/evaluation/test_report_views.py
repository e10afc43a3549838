"""Evaluation documents and reports: the PDF, the recap, the organisation predikat and the curve,
revised plans, audit and inline validation."""
import datetime
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.models import (
    AuditLog, Indicator, OrgPerformance,
    ProgressEntry, Rhk, Skp, db,
)
from kinerja.rules import evaluation as rules

from ..support import postgres
from ..support.evaluation import (
    YEAR, as_employee, as_user, evaluation_of,
)
from ..support.org import HX, audit_rows, fresh, unit

from ..support.evaluation import (LAST, rate_url, recap_rows)


# --- Documents ---------------------------------------------------------------------------

def test_evaluation_document_pdf(client, cast):
    ev = evaluation_of(cast.worker, 1)
    as_employee(client, cast.worker)
    response = client.get(f"/kinerja/evaluasi/{ev.id}/dokumen.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in text
    assert "TRIWULAN I" in text
    assert cast.worker.nip in text and cast.penilai.nip in text and cast.atasan.nip in text
    assert "CAPAIAN KINERJA ORGANISASI" in text and "BAIK" in text
    assert "PREDIKAT KINERJA PEGAWAI" in text
    assert rules.predikat_label(ev.predikat).upper() in text
    assert "Berorientasi Pelayanan" in text and "Pejabat Penilai Kinerja" in text
    assert len(reader.pages) >= 1


def test_the_no_column_of_the_evaluation_pdf_is_narrow(client, cast):
    ev = evaluation_of(cast.worker, 1)
    as_employee(client, cast.worker)
    page = PdfReader(io.BytesIO(client.get(f"/kinerja/evaluasi/{ev.id}/dokumen.pdf").data)).pages[0]
    xs = {}

    def visit(text, cm, tm, font, size):
        if text.strip() in ("No", "Rencana Hasil Kerja") and text.strip() not in xs:
            xs[text.strip()] = tm[4] * cm[0] + cm[4]
    page.extract_text(visitor_text=visit)
    width = float(page.mediabox.width)
    assert 0 < xs["Rencana Hasil Kerja"] - xs["No"] < width * 0.1


def test_document_denials(client, cast):
    pending = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.worker)
    assert client.get(f"/kinerja/evaluasi/{pending.id}/dokumen.pdf").status_code == 409
    as_employee(client, cast.objector)
    assert client.get(f"/kinerja/evaluasi/{evaluation_of(cast.worker, 1).id}/dokumen.pdf").status_code == 404



def test_recap_xlsx_of_a_unit(client, cast):
    dinkes = unit("DINKES")
    as_user(client, "admin.dinkes")
    response = client.get(f"/kinerja/rekap.xlsx?unit={dinkes.id}&tahun={YEAR}&periode=periodik-1")
    assert response.status_code == 200
    rows = recap_rows(response)
    assert rows[0][:3] == ["NIP", "Nama", "Jabatan"]
    by_nip = {r[0]: r for r in rows[1:]}
    worker = by_nip[cast.worker.nip]
    assert worker[5] == "Ditetapkan"
    assert worker[8] == rules.predikat_label(evaluation_of(cast.worker, 1).predikat)
    assert by_nip[cast.planless.nip][5] == "Belum diisi"
    assert all(r[4] == f"Triwulan I {YEAR}" for r in rows[1:])


def test_recap_denials(client, cast):
    disdik = unit("DISDIK")
    as_user(client, "admin.dinkes")
    assert client.get(f"/kinerja/rekap.xlsx?unit={disdik.id}").status_code == 404
    assert client.get("/kinerja/rekap.xlsx").status_code == 404
    as_employee(client, cast.penilai)  # heads a Puskesmas, not an OPD
    assert client.get(f"/kinerja/rekap.xlsx?unit={unit('DINKES').id}").status_code == 404
    assert client.get("/kinerja/rekap").status_code == 403
    as_employee(client, cast.atasan)  # the head of Dinas Kesehatan
    assert client.get(f"/kinerja/rekap.xlsx?unit={unit('DINKES').id}").status_code == 200
    assert client.get(f"/kinerja/rekap.xlsx?unit={disdik.id}").status_code == 404


# --- Organisation predikat and the curve ------------------------------------------------

def test_the_demo_curve_of_dinas_kesehatan_breaks_the_caps(client, cast):
    as_employee(client, cast.atasan)
    response = client.get("/kinerja/kurva", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Dinas Kesehatan" in html and "melampaui batas" in html
    assert "paling sedikit 1 pegawai" in html
    assert "Simpan predikat organisasi" not in html  # the head sees, the admin sets


def test_admin_overview_marks_the_broken_curve_only(client):
    as_user(client, "admin")
    html = client.get("/kinerja/kurva").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td><a [^>]*>([^<]+)</a></td>.*?</tr>", html, re.S)
    assert "Dinas Kesehatan" in rows
    warned = re.findall(r"<td><a [^>]*>([^<]+)</a></td>(?:(?!</tr>).)*peringatan", html, re.S)
    assert warned == ["Dinas Kesehatan"]


def test_admin_sets_the_organisation_predikat(client, cast):
    dinkes = unit("DINKES")
    as_user(client, "admin")
    url = f"/kinerja/kurva/{dinkes.id}/predikat"
    bad = client.post(url, headers=HX, data={"predikat": "luar_biasa", "tahun": YEAR})
    assert bad.status_code == 422 and "Pilih dari daftar" in bad.get_data(as_text=True)
    response = client.post(url, headers=HX, data={"predikat": "istimewa", "note": "SK 12/2026",
                                                  "tahun": YEAR, "periode": "periodik-1"})
    assert response.status_code == 200
    assert OrgPerformance.get((OrgPerformance.unit == dinkes.id) & (OrgPerformance.year == YEAR)).predikat == "istimewa"
    row = audit_rows("org_performance")[-1]
    assert row.before_dict()["predikat"] == "baik" and row.after_dict()["predikat"] == "istimewa"
    assert row.unit_id == dinkes.id
    assert "Istimewa" in response.get_data(as_text=True)


def test_organisation_predikat_denials(client, cast):
    dinkes = unit("DINKES")
    url = f"/kinerja/kurva/{dinkes.id}/predikat"
    as_user(client, "admin.dinkes")
    assert client.post(url, data={"predikat": "istimewa"}).status_code == 403
    as_employee(client, cast.atasan)
    assert client.post(url, data={"predikat": "istimewa"}).status_code == 403
    as_user(client, "admin")
    sub = unit("PKM-SUKAMAJU")
    assert client.post(f"/kinerja/kurva/{sub.id}/predikat", data={"predikat": "baik"}).status_code == 404
    assert OrgPerformance.get((OrgPerformance.unit == dinkes.id) & (OrgPerformance.year == YEAR)).predikat == "baik"


def test_curve_denials(client, cast):
    as_employee(client, cast.penilai)  # not the head of an OPD
    assert client.get("/kinerja/kurva").status_code == 403
    assert client.get(f"/kinerja/kurva?unit={unit('DINKES').id}").status_code == 404
    as_employee(client, cast.atasan)
    assert client.get(f"/kinerja/kurva?unit={unit('DISDIK').id}").status_code == 404
    as_user(client, "admin.dinkes")
    assert client.get(f"/kinerja/kurva?unit={unit('DISDIK').id}").status_code == 404
    assert client.get(f"/kinerja/kurva?unit={unit('DINKES').id}").status_code == 200


# --- Plans revised after approval ----------------------------------------------------------

def test_progress_follows_a_revised_plan(app, cast):
    from kinerja.stores.evaluation import progress as store
    revised = Skp.select().where((Skp.year == YEAR) & (Skp.revision == 2) & (Skp.status == "approved")).first()
    old = Skp.get((Skp.employee == revised.employee_id) & (Skp.year == YEAR) & (Skp.revision == 1))
    old_indicator = Indicator.select().join(Rhk).where(Rhk.skp == old.id).first()
    new_indicator = Indicator.get(Indicator.origin == old_indicator.id)
    ProgressEntry.create(employee=revised.employee_id, skp=old.id, indicator=old_indicator.id,
                         day=datetime.date(YEAR, 1, 20), description="Sebelum revisi", quantity=7)
    _, progress = store.plan_progress(revised, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 1, 31))
    assert progress[new_indicator.id].entries >= 1
    assert progress[new_indicator.id].realised >= 7


def test_every_state_change_is_audited_in_its_transaction(client, cast):
    """A failing audit write must undo the change it records."""
    from unittest import mock
    ev = evaluation_of(cast.worker, LAST)
    as_employee(client, cast.penilai)
    with mock.patch.object(AuditLog, "record", side_effect=RuntimeError("disk penuh")):
        with pytest.raises(RuntimeError):
            client.post(rate_url(ev), data={"action": "approve", "result_rating": "above",
                                            "behaviour_rating": "above"})
    assert fresh(ev).status == "submitted"
    db.close()


def test_inline_validation_answers_with_the_field_alone(client, cast):
    as_employee(client, cast.worker)
    response = client.post("/kinerja/progres", headers={**HX, "HX-Trigger-Name": "quantity"},
                           data={"quantity": "banyak", "description": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="field-quantity"' in html and "Harus berupa angka" in html
    assert "Tuliskan apa yang dikerjakan" not in html


def test_the_navigation_counter_polls_for_employees_only(client, cast):
    as_employee(client, cast.worker)
    html = client.get("/kinerja/saya").get_data(as_text=True)
    assert 'hx-get="/notifikasi/jumlah"' in html and "every 30s" in html
    as_user(client, "admin")
    assert "/notifikasi/jumlah" not in client.get("/").get_data(as_text=True)


def test_recap_xlsx_writes_no_formula_and_opens_whatever_names_hold(client, cast):
    """A position named like a formula stays text; a NUL or vertical tab stored in a name
    (before they were refused) does not break the file."""
    from kinerja.models import Employee, Position
    Position.update(name='=HYPERLINK("http://evil","klik")').where(
        Position.id == cast.worker.position_id).execute()
    # PostgreSQL cannot store a NUL in text at all, so there only the vertical tab is old data.
    stored = "Sri Wahyuni\x0bBaru" if postgres.enabled() else "Sri\x00 Wahyuni\x0bBaru"
    Employee.update(name=stored).where(Employee.id == cast.objector.id).execute()
    as_user(client, "admin.dinkes")
    response = client.get(f"/kinerja/rekap.xlsx?unit={unit('DINKES').id}&tahun={YEAR}&periode=periodik-1")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert all(cell.data_type != "f" for row in book.worksheets[0].iter_rows() for cell in row)
    by_nip = {r[0]: r for r in recap_rows(response)[1:]}
    assert by_nip[cast.worker.nip][2] == '\'=HYPERLINK("http://evil","klik")'
    assert "Sri Wahyuni\nBaru" in by_nip[cast.objector.nip][1]
