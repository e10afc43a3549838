"""Reading the audit trail: dates as people type them, the regency's days, readable changes."""
import datetime
import re
from dataclasses import dataclass

MIN_YEAR, MAX_YEAR = 1900, 2999

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
}
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")

DATE_HINT = "Tulis tanggal seperti 24-11-2026 atau 24 November 2026."


def parse_date(text: str) -> datetime.date | None:
    """'24-11-2026', '24/11/2026', '2026-11-24', '24 November 2026', '24 Nov 2026' → a date.

    Empty text is no date (None). Anything else raises ValueError with an Indonesian
    message fit to show next to the field.
    """
    text = " ".join((text or "").split()).lower()
    if not text:
        return None
    if match := _DAY_FIRST.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif (match := _WORDS.match(text)) and match.group(2) in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
    else:
        raise ValueError(f"Tanggal tidak dikenali. {DATE_HINT}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"Tahun harus antara {MIN_YEAR} dan {MAX_YEAR}.")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"Tanggal {day:02d}-{month:02d}-{year} tidak ada di kalender.") from None


def local_day_bounds(start: datetime.date | None, end: datetime.date | None, zone: datetime.tzinfo):
    """The naive-UTC instants [from, until) covering whole days start…end (inclusive) in `zone`.

    Audit times are stored in UTC; a user in Jakarta asking for "24 November" means the day
    that begins at 17.00 UTC the day before.
    """
    def midnight(day):
        local = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
        return local.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return (midnight(start) if start else None,
            midnight(end + datetime.timedelta(days=1)) if end else None)


# Labels for the codes areas write; an unknown code is shown as it is.
# Every code an area writes has a label here (tests/test_audit_rules.py reads the source to
# check); the trail never shows a user an internal name.
ENTITY_LABELS = {
    "user": "Akun", "employee": "Pegawai", "unit": "Unit kerja", "position": "Jabatan",
    "skp": "SKP", "rhk": "RHK", "skp_appendix": "Lampiran SKP",
    "skp_expectation": "Ekspektasi khusus pimpinan", "performance_year": "Tahun kinerja",
    "org_goal": "Sasaran/IKU organisasi", "org_performance": "Capaian kinerja organisasi",
    "evaluation": "Evaluasi kinerja", "objection": "Keberatan", "progress_entry": "Progres kerja",
    "follow_up": "Tindak lanjut", "suggestion_follow_up": "Tindak lanjut saran SKM",
    "survey": "SKM", "service_unit": "Unit layanan", "service": "Jenis layanan",
    "survey_period": "Periode SKM", "survey_response": "Kuesioner SKM", "import": "Impor SIASN",
    "setting": "Pengaturan", "system": "Sistem", "mail_preference": "Pilihan email",
    "outbox_message": "Email", "export_job": "Pekerjaan latar belakang",
    "coaching_plan": "Rencana pembinaan", "personnel_decision": "Penghargaan/sanksi",
    "potential_assessment": "Penilaian potensial", "practice": "Praktik baik",
    "practice_attachment": "Lampiran praktik baik", "practice_question": "Pertanyaan praktik baik",
    "training_record": "Riwayat pelatihan", "service_record": "Log layanan",
    "service_standard": "Standar pelayanan", "attendance_day": "Presensi harian",
    "complaint": "Pengaduan", "complaint_desk": "Penanggung jawab pengaduan",
    "discipline_case": "Kasus disiplin", "leave": "Izin/sakit/cuti/dinas luar",
    "machine_user": "ID mesin presensi", "holiday": "Hari libur", "work_schedule": "Hari dan jam kerja unit",
    "shift": "Shift jadwal dinas", "roster_day": "Jadwal dinas",
}
ACTION_LABELS = {
    "create": "Dibuat", "update": "Diubah", "delete": "Dihapus", "reorder": "Urutan diubah",
    "password_reset": "Kata sandi diatur ulang", "password_changed": "Kata sandi diganti",
    "activate": "Diaktifkan", "deactivate": "Dinonaktifkan", "reactivate": "Diaktifkan kembali",
    "role_change": "Peran diubah", "override": "Penilai diganti",
    "submit": "Diajukan", "approve": "Disetujui", "return": "Dikembalikan", "rate": "Dinilai",
    "revise": "Revisi dibuka", "set_appraiser": "Pejabat Penilai ditetapkan",
    "acknowledge": "Hasil diterima", "object": "Keberatan diajukan", "decide": "Keberatan diputuskan",
    "kiosk_token": "Token kios diganti", "import_paper": "Kuesioner kertas diimpor",
    "follow_up": "Tindak lanjut dicatat", "review_accept": "Disahkan setelah ditinjau",
    "review_reject": "Ditolak setelah ditinjau",
    "import": "Diimpor", "demo_data": "Data demo", "sessions_ended": "Keluar dari semua perangkat",
    "verify": "Diverifikasi", "resend": "Dikirim ulang", "export": "Diminta (dikerjakan di latar belakang)",
    "propose": "Diusulkan", "accept": "Usulan diterima", "change": "Usulan diubah",
    "dismiss": "Tidak dilanjutkan", "close": "Ditutup", "reject": "Ditolak", "withdraw": "Ditarik",
    "ask": "Pertanyaan diajukan", "answer": "Dijawab", "potential_entered": "Potensial dicatat",
    "potential_imported": "Potensial diimpor", "talent_setting": "Pengaturan peta talenta diubah",
    "complaint_desk": "Penanggung jawab ditetapkan", "complaint_forward": "Diteruskan ke unit lain",
    "complaint_note": "Catatan internal", "complaint_review": "Ditinjau (tanda mencurigakan)",
    "examine": "Diperiksa",
    # The calendar's and the rosters' own codes, written with their area in front.
    "holiday.create": "Hari libur ditambahkan", "holiday.delete": "Hari libur dihapus",
    "schedule.update": "Hari dan jam kerja diubah", "shift.create": "Shift ditambahkan",
    "shift.update": "Shift diubah", "shift.delete": "Shift dihapus",
}
FIELD_LABELS = {
    "username": "Nama pengguna", "employee": "Pegawai", "role": "Peran",
    "email": "Alamat email", "email_verified_at": "Email diverifikasi pada",
    "scope_unit": "Unit cakupan", "active": "Aktif", "must_change_password": "Wajib ganti kata sandi",
    "nip": "NIP", "name": "Nama", "title_front": "Gelar depan", "title_back": "Gelar belakang",
    "rank": "Pangkat", "grade": "Golongan", "employment_type": "Jenis ASN", "position": "Jabatan",
    "unit": "Unit kerja", "parent": "Induk", "code": "Kode", "kind": "Jenis", "status": "Status",
    "appraiser_override": "Pejabat Penilai (pengganti)",
    "appraiser_superior_override": "Atasan Pejabat Penilai (pengganti)",
    # SKP
    "year": "Tahun", "revision": "Revisi", "approach": "Pendekatan", "appraiser": "Pejabat Penilai",
    "comment": "Catatan", "text": "Uraian", "org_goal": "Sasaran/IKU organisasi", "order": "Urutan",
    "indicators": "Indikator", "section": "Bagian lampiran", "special_expectation": "Ekspektasi khusus",
    "goal": "Sasaran strategis", "indicator": "Indikator", "target": "Target",
    "skp_deadline": "Batas persetujuan SKP", "evaluation_cadence": "Periode evaluasi",
    "objection_days": "Batas waktu keberatan (hari)", "peer_min_raters": "Minimal penilai 360°",
    "is_open": "Dibuka",
    # Evaluation
    "result_rating": "Rating Hasil Kerja", "behaviour_rating": "Rating Perilaku Kerja",
    "predikat": "Predikat", "return_comment": "Alasan pengembalian", "superior": "Atasan Pejabat Penilai",
    "self_note": "Catatan penilaian diri", "acknowledged_at": "Diterima pada", "reasons": "Alasan keberatan",
    "decision": "Keputusan", "note": "Keterangan",
    # SKM
    "period_kind": "Jenis periode", "number": "Nomor periode", "starts": "Mulai", "ends": "Selesai",
    "population": "Populasi (N)", "element": "Unsur", "handler": "Penanggung jawab",
    "action": "Tindakan", "done_on": "Selesai pada", "weight": "Bobot",
    # Follow-up
    "changed_to": "Diganti dengan", "reason": "Alasan", "gap": "Kesenjangan kinerja",
    "improvement_starts": "Masa perbaikan mulai", "improvement_ends": "Masa perbaikan berakhir",
    "outcome": "Hasil pembinaan", "outcome_note": "Catatan penutup", "step_date": "Tanggal",
    "sk_number": "Nomor SK", "filename": "Berkas", "matrix": "Matriks usulan",
    "admins_see_notes": "Admin melihat isi rencana",
}


def label(labels: dict, code) -> str:
    return labels.get(code, str(code) if code is not None else "-")


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


def changes(before: dict | None, after: dict | None) -> list[Change]:
    """The fields whose value differs between the two snapshots, in the order recorded.

    A creation (no before) lists every field of after; a deletion every field of before.
    """
    before, after = before or {}, after or {}
    fields = list(before) + [name for name in after if name not in before]
    return [Change(name, before.get(name), after.get(name)) for name in fields
            if before.get(name) != after.get(name)]


def display_value(value, value_labels: dict | None = None) -> str:
    """One recorded value as a person reads it."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if value_labels and isinstance(value, str) and value in value_labels:
        return value_labels[value]
    if isinstance(value, list):
        return "; ".join(display_value(item, value_labels) for item in value) or "-"
    if isinstance(value, dict):
        return ", ".join(f"{label(FIELD_LABELS, key)}: {display_value(item)}" for key, item in value.items())
    return str(value)
