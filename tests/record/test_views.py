"""The employee record page and its PDF: who may open it (every denial is a 404), what it
shows, a constant number of queries whatever the history, and odd input."""
import datetime
import io

import pytest
from hypothesis import given, settings, strategies as st
from pypdf import PdfReader

from kinerja.models import (CoachingPlan, DisciplineCase, Evaluation, PerformanceYear,
                            PersonnelDecision, Setting, Skp, TrainingRecord)
from kinerja.rules import talent as talent_rules
from kinerja.stores.training.summary import year_total

from ..support import counted_get, database
from ..support.app import TODAY
from ..support.evaluation import as_employee, as_user, make_admin_opd

URL = "/rekam-pegawai"


def url(employee, pdf=False):
    return f"{URL}/{employee.id}{'/pdf' if pdf else ''}"


def admin_opd(app, code, name):
    with database(app):
        return make_admin_opd(code, name)


FIRST = 2010  # before the demo's own history


def add_history(app, employee, years):
    """`years` years of annual and quarterly predikat from 2010, a coaching plan, training, a
    decision and a discipline case for each: the history a long career leaves."""
    with database(app):
        for year in range(FIRST, FIRST + years):
            PerformanceYear.create(year=year, skp_deadline=datetime.date(year, 1, 31), is_open=False)
            skp = Skp.create(employee=employee.id, year=year, status="approved",
                             period_start=datetime.date(year, 1, 1),
                             period_end=datetime.date(year, 12, 31), unit=employee.unit_id)
            for kind, number, starts, ends in [("annual", 1, 1, 12)] + [
                    ("periodic", q, 3 * q - 2, 3 * q) for q in range(1, 5)]:
                ev = Evaluation.create(employee=employee.id, skp=skp.id, year=year, kind=kind,
                                       number=number, starts=datetime.date(year, starts, 1),
                                       ends=datetime.date(year, ends, 28), unit=employee.unit_id,
                                       status="approved", predikat="butuh_perbaikan")
            CoachingPlan.create(employee=employee.id, evaluation=ev.id, unit=employee.unit_id,
                                status="closed", outcome="membaik")
            TrainingRecord.create(employee=employee.id, title=f"Diklat {year}", kind="klasikal",
                                  starts=datetime.date(year, 5, 1), ends=datetime.date(year, 5, 3),
                                  year=year, hours=24)
            PersonnelDecision.create(employee=employee.id, unit=employee.unit_id,
                                     category="penghargaan", kind="piagam", basis="Sangat Baik",
                                     status="disetujui", sk_number=f"800/{year}",
                                     sk_date=datetime.date(year, 12, 1),
                                     valid_from=datetime.date(year, 12, 1))
            DisciplineCase.create(employee=employee.id, unit=employee.unit_id, year=year,
                                  source="presensi", days=8, level="ringan", kind="tidak_puas",
                                  authority="kepala_opd", status="dihentikan")


# --- Who may open it ------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["admin", "admin_opd", "atasan", "penilai", "self"])
def test_those_around_the_employee_open_the_record(app, client, people, who):
    worker = people.cast.worker
    if who == "admin":
        as_user(client, "admin")
    elif who == "admin_opd":
        as_user(client, admin_opd(app, "DINKES", "admin.dinkes.rekam"))
    else:
        as_employee(client, {"atasan": people.cast.atasan, "penilai": people.cast.penilai,
                             "self": worker}[who])
    response = client.get(url(worker))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert worker.nip in html and "Riwayat predikat kinerja" in html
    assert client.get(url(worker, pdf=True)).status_code == 200


def test_the_head_of_the_opd_opens_the_record_of_anyone_in_it(client, people):
    # The Kepala Dinas Kesehatan heads the OPD of the bidan of another Puskesmas too.
    other = people.cast.objector
    as_employee(client, people.cast.atasan)
    assert client.get(url(other)).status_code == 200


@pytest.mark.parametrize("who", ["colleague", "penilai_of_others", "other_head", "other_admin_opd"])
def test_everyone_else_gets_404(app, client, people, who):
    target = people.outsider if who == "penilai_of_others" else people.cast.worker
    if who == "colleague":
        as_employee(client, people.cast.objector)
    elif who == "penilai_of_others":
        as_employee(client, people.cast.penilai)
    elif who == "other_head":
        as_employee(client, people.head_bkpsdm)
    else:
        as_user(client, admin_opd(app, "DISDIK", "admin.disdik.rekam"))
    assert client.get(url(target)).status_code == 404
    assert client.get(url(target, pdf=True)).status_code == 404


def test_a_stranger_is_sent_to_the_login(client, people):
    response = client.get(url(people.cast.worker))
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/0", "/999999", "/99999999999999999999", "/-1", "/abc", "/1/pdfx",
                                  "/%00", "/9223372036854775808/pdf"])
def test_odd_ids_are_404(client, people, path):
    as_user(client, "admin")
    assert client.get(URL + path).status_code == 404


def test_no_path_gives_a_500(client, people):
    as_user(client, "admin")

    @settings(max_examples=40, deadline=None)
    @given(tail=st.text(max_size=30))
    def probe(tail):
        assert client.get(f"{URL}/{tail}").status_code < 500

    probe()


# --- What it shows --------------------------------------------------------------------------

def test_the_record_gathers_the_history(app, client, people):
    worker = people.cast.worker
    add_history(app, worker, 2)
    with database(app):
        before = year_total(worker.id, TODAY.year)
        TrainingRecord.create(employee=worker.id, title="E-learning SKP", kind="e_learning",
                              starts=TODAY, ends=TODAY, year=TODAY.year, hours=6)
        PersonnelDecision.create(employee=worker.id, unit=worker.unit_id, category="sanksi",
                                 kind="teguran_tertulis", basis="Disiplin", status="disetujui",
                                 sk_number="800/TT/2026", sk_date=datetime.date(2026, 11, 22),
                                 valid_from=datetime.date(2026, 11, 22))
        PersonnelDecision.create(employee=worker.id, unit=worker.unit_id, category="sanksi",
                                 kind="teguran_lisan", basis="Usulan saja", status="diusulkan")
    as_user(client, "admin")
    html = client.get(url(worker)).get_data(as_text=True)
    assert f"Tahunan {FIRST + 1}" in html and f"Triwulan IV {FIRST}" in html and "Butuh Perbaikan" in html
    assert "Membaik" in html and "Selesai" in html
    assert f"Kurang {20 - before - 6} JP" in html and "Memenuhi 20 JP" in html
    assert "800/TT/2026" in html and "22 November 2026" in html and "Berlaku" in html
    assert "Teguran lisan" not in html  # still a proposal: not in the record
    assert "Kotak" in html or "Belum ditempatkan" in html


def test_the_talent_box_follows_the_map_rule(app, client, people):
    worker = people.cast.worker
    as_employee(client, people.cast.penilai)
    assert "hanya dilihat BKPSDM dan kepala OPD" in client.get(url(worker)).get_data(as_text=True)
    as_employee(client, people.cast.atasan)
    assert "hanya dilihat BKPSDM" not in client.get(url(worker)).get_data(as_text=True)
    as_employee(client, worker)
    assert "belum membuka peta talenta" in client.get(url(worker)).get_data(as_text=True)
    with database(app):
        Setting.insert(key=talent_rules.OWN_BOX_SETTING, value="1").on_conflict(
            conflict_target=[Setting.key], update={Setting.value: "1"}).execute()
    assert "hanya dilihat BKPSDM" not in client.get(url(worker)).get_data(as_text=True)


def test_angka_kredit_for_functional_staff_only(client, people):
    as_user(client, "admin")
    functional = people.cast.worker
    html = client.get(url(functional)).get_data(as_text=True)
    assert ("Angka kredit" in html) == (functional.position.kind == "fungsional")
    assert "Angka kredit" not in client.get(url(people.head_bkpsdm)).get_data(as_text=True)


def test_user_text_is_escaped(app, client, people):
    worker = people.cast.worker
    with database(app):
        PersonnelDecision.create(employee=worker.id, unit=worker.unit_id, category="penghargaan",
                                 kind="piagam", basis="x", status="disetujui",
                                 sk_number="<script>alert(1)</script>", sk_date=TODAY)
    as_user(client, "admin")
    html = client.get(url(worker)).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_the_pdf_reads_back_in_indonesian(app, client, people):
    worker = people.cast.worker
    add_history(app, worker, 1)
    as_user(client, "admin")
    response = client.get(url(worker, pdf=True))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"rekam-pegawai-{worker.nip}.pdf" in response.headers["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "REKAM PEGAWAI" in text and worker.nip in text
    assert "24 November 2026" in text and "RIWAYAT PREDIKAT KINERJA" in text
    assert f"Tahunan {FIRST}" in text and "Butuh Perbaikan" in text
    assert "PENGHARGAAN DAN SANKSI" in text and f"800/{FIRST}" in text


# --- Cost -----------------------------------------------------------------------------------

def test_the_page_costs_the_same_queries_whatever_the_history(app, client, people):
    worker = people.cast.worker
    as_user(client, "admin")
    short, _ = counted_get(client, url(worker))
    add_history(app, worker, 6)
    long, html = counted_get(client, url(worker))
    assert f"Tahunan {FIRST}" in html
    assert long == short, (short, long)
    assert long <= 30


def test_discipline_cases_follow_the_discipline_area(app, client, people):
    worker = people.cast.worker
    with database(app):
        DisciplineCase.create(employee=worker.id, unit=worker.unit_id, year=TODAY.year, source="presensi",
                              days=3, level="ringan", kind="teguran_lisan", authority="kepala_opd")
        DisciplineCase.create(employee=worker.id, unit=worker.unit_id, year=TODAY.year, source="lainnya",
                              level="sedang", kind="potong_tukin_6", authority="kepala_opd",
                              status="diperiksa", examined_on=datetime.date(2026, 11, 20))
        DisciplineCase.create(employee=worker.id, unit=worker.unit_id, year=TODAY.year, source="lainnya",
                              level="berat", kind="penurunan_jabatan", authority="kepala_daerah")
    as_user(client, "admin")
    html = client.get(url(worker)).get_data(as_text=True)
    assert "Teguran lisan" in html and "25 % selama 6 bulan" in html and "Penurunan jabatan" in html
    as_employee(client, people.cast.atasan)  # head of the OPD: the cases in their authority
    html = client.get(url(worker)).get_data(as_text=True)
    assert "Teguran lisan" in html and "Penurunan jabatan" not in html
    as_employee(client, worker)  # themself: once examined
    html = client.get(url(worker)).get_data(as_text=True)
    assert "25 % selama 6 bulan" in html and "Teguran lisan" not in html
    as_employee(client, people.cast.penilai)  # the Pejabat Penilai: none
    html = client.get(url(worker)).get_data(as_text=True)
    assert "Kasus disiplin dilihat pegawai sendiri" in html and "Teguran lisan" not in html


def test_the_pages_around_link_to_the_record(client, people):
    worker = people.cast.worker
    as_user(client, "admin")
    html = client.get(f"/organisasi/pegawai/{worker.id}").get_data(as_text=True)
    assert f'href="{url(worker)}"' in html and "Rekam pegawai" in html


def test_rekam_saya_opens_ones_own_record_and_a_system_account_has_none(as_role, accounts, in_db):
    from kinerja.models import Employee
    nurse = in_db(lambda: Employee.get(Employee.nip == accounts["pegawai"]).id)
    response = as_role("pegawai").get("/rekam-pegawai/saya")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/rekam-pegawai/{nurse}")
    assert as_role("admin").get("/rekam-pegawai/saya").status_code == 404
