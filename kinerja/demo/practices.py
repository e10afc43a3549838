"""Demo data: the good-practice library. The seed articles' two examples, published — the
digital archive that sped up a service, and the Dinas Kesehatan vaccination team — with a
question answered and a few "bermanfaat" marks, and one practice of Puskesmas Sukamaju
waiting for its head, the demo Pejabat Penilai. The articles give no figures; the numbers
here are illustrative."""
import datetime
import secrets
from pathlib import Path

from flask import current_app

from ..models import (
    Notification, Practice, PracticeAttachment, PracticeAuthor, PracticeQuestion, PracticeTheme,
    PracticeUseful, User,
)
from ..stores.practices import practice_link
from .evaluation import tiny_pdf

ARCHIVE = {
    "title": "Arsip digital dokumen kependudukan mempercepat penerbitan akta",
    "problem": ("Berkas permohonan akta dan KK disimpan dalam map di lemari. Petugas rata-rata "
                "memerlukan 25 menit untuk menemukan satu berkas lama, dan pemohon sering diminta "
                "datang kembali karena berkas belum ditemukan."),
    "action": ("Petugas registrasi memindai berkas lama dan baru, memberi nama berkas menurut NIK "
               "dan nomor register, lalu menyimpannya di server dinas dengan salinan cadangan "
               "mingguan.\nPemohon kini cukup menyebutkan NIK; berkas tampil di layar loket."),
    "results": ("Waktu pencarian berkas turun dari rata-rata 25 menit menjadi 3 menit.\n"
                "Penerbitan akta kelahiran turun dari 5 hari kerja menjadi 2 hari kerja.\n"
                "14.200 berkas dipindai dalam 6 bulan; pemohon yang diminta datang kembali turun "
                "dari 31 menjadi 4 orang per bulan."),
    "themes": ["pelayanan-publik", "digitalisasi"],
}
VACCINATION = {
    "title": "Tim vaksinasi keliling Puskesmas Sukamaju menjangkau posyandu terjauh",
    "problem": ("Cakupan imunisasi dasar lengkap di wilayah Puskesmas Sukamaju tertinggal karena "
                "banyak keluarga di dusun terjauh tidak datang ke puskesmas pada jadwal imunisasi."),
    "action": ("Perawat dan bidan membentuk tim vaksinasi keliling yang datang ke 12 posyandu "
               "sesuai jadwal bulanan, bekerja sama dengan kader dan kepala desa untuk "
               "mengingatkan keluarga sehari sebelumnya.\nSetiap kunjungan dicatat langsung pada "
               "register kohort bayi."),
    "results": ("Cakupan imunisasi dasar lengkap naik dari 78% menjadi 95% dalam 9 bulan.\n"
                "1.240 anak divaksin di 12 posyandu; anak yang terlambat jadwal imunisasi turun "
                "dari 96 menjadi 18 anak."),
    "themes": ["kesehatan", "kolaborasi", "pelayanan-publik"],
}
WAITING = {
    "title": "Pengingat jadwal kontrol pasien hipertensi lewat pesan singkat",
    "problem": ("Sebagian pasien hipertensi tidak datang kontrol bulanan sehingga tekanan "
                "darahnya tidak terpantau."),
    "action": ("Petugas mengirim pesan pengingat dua hari sebelum jadwal kontrol, dari daftar "
               "pasien prolanis yang diperbarui setiap minggu."),
    "results": "Kehadiran kontrol bulanan naik dari 54% menjadi 81% dalam 3 bulan.",
    "themes": ["kesehatan", "pelayanan-publik"],
}


def _at(today: datetime.date, days_ago: int, hour: int = 2) -> datetime.datetime:
    """A moment in UTC, as stored (02.00 UTC is 09.00 WIB)."""
    return datetime.datetime.combine(today - datetime.timedelta(days=days_ago),
                                     datetime.time(hour, 0))


def _practice(content, author, coauthors, reviewer, status, submitted, reviewed=None):
    practice = Practice.create(
        title=content["title"], problem=content["problem"], action=content["action"],
        results=content["results"], unit=author.unit_id, author=author.id, status=status,
        reviewer=reviewer.id, submitted_at=submitted, reviewed_at=reviewed,
        published_at=reviewed if status == "published" else None,
        created_at=submitted - datetime.timedelta(days=3), updated_at=submitted)
    for theme in content["themes"]:
        PracticeTheme.create(practice=practice.id, theme=theme)
    for employee in coauthors:
        PracticeAuthor.create(practice=practice.id, employee=employee.id)
    return practice


def _attach(practice, filename: str, text: str, when) -> None:
    data = tiny_pdf(text)
    folder = Path(current_app.config["UPLOAD_DIR"]) / "practices"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.pdf"
    (folder / name).write_bytes(data)
    PracticeAttachment.create(practice=practice.id, stored_name=name, filename=filename,
                              mime="application/pdf", size=len(data), created_at=when)


def _mark_useful(practice, employees, when) -> None:
    accounts = [a for (a,) in User.select(User.id).where(
        User.employee.in_([e.id for e in employees])).tuples()]
    for account in accounts:
        PracticeUseful.create(practice=practice.id, account=account, created_at=when)
    Practice.update(useful_count=len(accounts)).where(Practice.id == practice.id).execute()


def seed(holders, today) -> None:
    archive = _practice(ARCHIVE, holders["petugas-dafduk"][0], [holders["adminduk"][0]],
                        holders["kabid-dafduk"][0], "published", _at(today, 60), _at(today, 57))
    _attach(archive, "Alur layanan arsip digital.pdf",
            "Alur layanan arsip digital Disdukcapil", _at(today, 60))
    vaccination = _practice(VACCINATION, holders["perawat-skm"][1], [holders["bidan-skm"][0]],
                            holders["kapus-skm"][0], "published", _at(today, 35), _at(today, 33))
    _attach(vaccination, "Jadwal tim vaksinasi keliling.pdf",
            "Jadwal tim vaksinasi keliling Puskesmas Sukamaju", _at(today, 35))
    _mark_useful(archive, [holders["pelayanan-skm"][0], holders["kabid-kin"][0],
                           holders["pengelola-sd"][0]], _at(today, 50))
    _mark_useful(vaccination, [holders["perawat-cbn"][0], holders["kapus-cbn"][0]],
                 _at(today, 30))
    asker = User.get(User.employee == holders["perawat-cbn"][0].id)
    PracticeQuestion.create(
        practice=vaccination.id, asker=asker.id, created_at=_at(today, 30, 3),
        text="Bagaimana tim membagi jadwal antara kunjungan posyandu dan layanan di puskesmas?",
        answer=("Tim keliling berangkat dua hari dalam seminggu, bergantian; pada hari itu satu "
                "perawat tetap berjaga di ruang imunisasi puskesmas."),
        answered_by=holders["perawat-skm"][1].id, answered_at=_at(today, 29, 1))

    waiting = _practice(WAITING, holders["perawat-skm"][2], [], holders["kapus-skm"][0],
                        "submitted", _at(today, 2))
    # Worded as the store's notice when a practice is submitted.
    Notification.create(recipient=holders["kapus-skm"][0].id, created_at=_at(today, 2),
                        text=(f"{holders['perawat-skm'][2].full_name} mengajukan praktik baik “"
                              f"{WAITING['title']}” untuk Anda tinjau."),
                        link=practice_link(waiting.id))
