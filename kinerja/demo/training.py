"""Demo data: development plans, training records and the 20 JP a year. The nurse (the demo
pegawai) has 12 JP this year with certificates, so she sees her shortfall; about half of the
regency has reached 20 JP, so the recap's "below 20 JP" list and chart have both kinds."""
import datetime
import random

from flask import current_app

from ..models import DevelopmentPlan, TrainingRecord, User
from ..rules import training as rules
from ..stores.training import totals
from ..stores.training.records import store_file
from .evaluation import tiny_pdf

COURSES = [
    ("Pelatihan Pelayanan Prima", "klasikal", "BPSDM Provinsi", 24),
    ("Pelatihan Penyusunan SKP dan Indikator Kinerja", "klasikal", "BKPSDM", 16),
    ("E-learning Manajemen ASN", "e_learning", "LAN RI", 8),
    ("Webinar Keterbukaan Informasi Publik", "seminar", "Diskominfo", 4),
    ("Coaching Penulisan Laporan Kinerja", "coaching", "Atasan langsung", 2),
    ("Mentoring Analisis Beban Kerja", "mentoring", "Bagian Organisasi", 4),
    ("Pelatihan Literasi Digital ASN", "non_klasikal", "Kementerian Kominfo", 12),
    ("Seminar Inovasi Pelayanan Publik", "seminar", "KemenPANRB", 6),
]
NURSE_COURSES = [
    ("E-learning Pencegahan dan Pengendalian Infeksi", "e_learning", "Kementerian Kesehatan", 8, 95),
    ("Webinar Keselamatan Pasien", "seminar", "RSUD Kabupaten", 4, 40),
]


def seed(holders, today) -> None:
    rng = random.Random(14)
    admin = User.get(User.username == "admin")
    start_of_year = datetime.date(today.year, 1, 5)
    rows = []
    for key, employees in holders.items():
        for employee in employees:
            if key == "perawat-skm" and employee is employees[0]:
                continue
            for title, kind, organiser, hours in rng.sample(COURSES, rng.choice([0, 1, 1, 2, 3])):
                ends = start_of_year + datetime.timedelta(
                    days=rng.randint(0, max(0, (today - start_of_year).days - 1)))
                rows.append(dict(employee=employee.id, title=title, kind=kind, organiser=organiser,
                                 starts=ends - datetime.timedelta(days=hours // 8), ends=ends,
                                 year=ends.year, hours=hours, source="impor", entered_by=admin.id))
    TrainingRecord.insert_many(rows).execute()
    _nurse(holders["perawat-skm"][0], today)
    totals.rebuild()  # the stored 20 JP totals of the records written above, round the store


def _nurse(nurse, today) -> None:
    user = User.get(User.employee == nurse.id)
    upload_dir = current_app.config["UPLOAD_DIR"]
    for title, kind, organiser, hours, days_ago in NURSE_COURSES:
        ends = today - datetime.timedelta(days=days_ago)
        TrainingRecord.create(
            employee=nurse.id, title=title, kind=kind, organiser=organiser, starts=ends, ends=ends,
            year=rules.counted_year(ends), hours=hours, source="manual", entered_by=user.id,
            certificate_name=store_file(upload_dir, "pdf", tiny_pdf(f"Sertifikat {title}")),
            certificate_filename=f"Sertifikat {title}.pdf", certificate_mime="application/pdf")
    last_year = datetime.date(today.year - 1, 9, 18)
    TrainingRecord.create(
        employee=nurse.id, title="Pelatihan Asuhan Keperawatan Dasar", kind="klasikal",
        organiser="BPSDM Provinsi", starts=last_year - datetime.timedelta(days=3), ends=last_year,
        year=last_year.year, hours=32, source="impor", entered_by=None)
    DevelopmentPlan.create(
        employee=nurse.id, year=today.year, priority="tinggi", updated_by=user.id,
        gap="Keterampilan triase gawat darurat dan dokumentasi asuhan keperawatan elektronik.",
        planned="Pelatihan BTCLS (klasikal, 40 JP) pada semester II dan coaching dokumentasi "
                "rekam medis elektronik oleh Kepala Puskesmas.")
