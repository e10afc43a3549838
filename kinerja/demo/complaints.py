"""Demo data of complaints: a handler for Puskesmas Sukamaju and complaints in every state,
one of them a working day from its first-response deadline, one already late."""
import datetime
import random

from ..models import (
    Complaint, ComplaintDesk, ComplaintEvent, Service, ServiceUnit, User,
)
from ..rules import calendar
from ..rules import complaints as rules

# (state, received working days ago, first response after, resolved after, what, answer, extra)
CASES = [
    ("diterima", 4, None, None, "Antrean pendaftaran sangat panjang, nomor antrean habis pukul 08.00 "
     "padahal loket baru buka.", "", {}),
    ("diterima", 1, None, None, "Petugas laboratorium meminta biaya tambahan tanpa kuitansi.", "", {}),
    ("diterima", 7, None, None, "Toilet ruang tunggu rusak dan tidak ada air sejak minggu lalu.", "", {}),
    ("diproses", 6, 2, None, "Obat yang diresepkan kosong dan saya diminta membeli di luar.", "", {}),
    ("dijawab", 10, 1, 6, "Jadwal imunisasi di papan pengumuman berbeda dengan yang disampaikan "
     "petugas.", "Papan pengumuman sudah diperbarui dan petugas diingatkan untuk memakai jadwal "
     "yang sama. Terima kasih atas masukannya.", {}),
    ("selesai", 20, 2, 9, "Ruang tunggu panas, kipas angin tidak menyala.",
     "Dua kipas angin sudah diperbaiki dan satu pendingin ruangan dipasang di ruang tunggu.", {}),
    ("ditolak", 12, 1, 1, "Antrean pendaftaran sangat panjang pagi ini.",
     "Pengaduan yang sama sudah kami terima dan sedang ditindaklanjuti.",
     {"rejection": "duplikat"}),
    ("diterima", 0, None, None, "aaaa bbbb cccc dddd", "",
     {"flagged": True, "flag_reason": "Diisi terlalu cepat (2 detik)"}),
]


def _back(today: datetime.date, days: int) -> datetime.date:
    day = today
    while days > 0:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(rules.DEFAULT_CALENDAR, day):
            days -= 1
    return day


def seed(holders, today) -> None:
    su = ServiceUnit.get_or_none(ServiceUnit.code == "pkm-sukamaju")
    handler = (holders.get("admin-skm") or [None])[0]
    if su is None or handler is None:
        return
    ComplaintDesk.create(service_unit=su, handler=handler, first_response_days=5,
                         resolution_days=14)
    account = User.get_or_none(User.employee == handler.id)
    service = Service.select().where(Service.service_unit == su).order_by(Service.id).first()
    rng = random.Random(2026)
    for number, (state, ago, first_after, resolved_after, what, answer, extra) in enumerate(CASES):
        received = _back(today, ago)
        moment = datetime.datetime.combine(received, datetime.time(2, 15)) + \
            datetime.timedelta(minutes=number * 7)
        first = calendar.add_working_days(rules.DEFAULT_CALENDAR, received, first_after) if first_after is not None else None
        resolved = calendar.add_working_days(rules.DEFAULT_CALENDAR, received, resolved_after) if resolved_after is not None else None
        complaint = Complaint.create(
            code="".join(rng.choice(rules.ALPHABET) for _ in range(rules.CODE_LENGTH)),
            service_unit=su, filed_unit=su, service=service, what=what, happened_on=received,
            place="Ruang pendaftaran" if number % 2 == 0 else "",
            reporter_name="Ibu Sari" if number % 3 == 0 else "",
            reporter_contact="0812-3456-7890" if number % 3 == 0 else "",
            received_at=moment, received_on=received, state=state, answer=answer,
            first_response_on=first, resolved_on=resolved, updated_at=moment,
            submission_token=f"demo-{number}", fill_seconds=95,
            rejection=extra.get("rejection", ""), flagged=extra.get("flagged", False),
            flag_reason=extra.get("flag_reason"))
        steps = []
        if first is not None:
            steps.append((first, "diproses" if state != "ditolak" else "ditolak",
                          "" if state != "ditolak" else answer))
        if state in ("dijawab", "selesai"):
            steps.append((resolved, "dijawab", answer))
        if state == "selesai":
            steps.append((resolved + datetime.timedelta(days=1), "selesai", ""))
        for day, step, text in steps:
            ComplaintEvent.create(complaint=complaint, kind="state", state=step, text=text,
                                  actor=account, at=datetime.datetime.combine(day, datetime.time(3, 0)))
