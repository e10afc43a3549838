"""Demo SKM: five service units with three years of semester surveys whose results differ.

Answers are drawn per unit and element around a target mean, so the IKMs land in
different bands (A, B and one C) and move a little over time; the current semester is
open with a population N, one unit still below its minimum sample.
"""
import datetime
import random

from ..models import (
    Service, ServiceUnit, SuggestionFollowUp, SurveyPeriod, SurveyResponse, Unit,
)
from ..rules import ikm
from ..rules.survey_periods import period_dates

DEMO_KIOSK_TOKEN = "demo-kios-pkm-sukamaju"

# code, name, unit code, services, mean answer per element u1…u9 (first period),
# change of the mean per semester, responses per closed semester, population N now,
# responses so far this semester.
UNITS = [
    ("pkm-sukamaju", "UPTD Puskesmas Sukamaju", "PKM-SUKAMAJU",
     ["Pemeriksaan umum", "Kesehatan ibu dan anak", "Imunisasi", "Pemeriksaan gigi"],
     (3.6, 3.5, 3.3, 3.9, 3.5, 3.6, 3.7, 3.3, 3.4), 0.03, 90, 300, 75),
    ("pkm-cibening", "UPTD Puskesmas Cibening", "PKM-CIBENING",
     ["Pemeriksaan umum", "Kesehatan ibu dan anak", "Laboratorium"],
     (3.3, 3.2, 3.0, 3.7, 3.3, 3.4, 3.4, 3.0, 2.8), 0.02, 70, 120, 96),
    ("dukcapil", "Layanan Adminduk Disdukcapil", "DISDUKCAPIL-DAFDUK",
     ["KTP-el", "Kartu Keluarga", "Akta Kelahiran", "Surat Pindah"],
     (3.3, 3.1, 2.7, 3.9, 3.3, 3.3, 3.4, 3.0, 3.2), 0.04, 110, 500, 230),
    ("kec-sukamaju", "Pelayanan Kecamatan Sukamaju", "KEC-SUKAMAJU",
     ["Surat keterangan", "Rekomendasi izin usaha", "Legalisasi dokumen"],
     (3.7, 3.6, 3.5, 3.8, 3.6, 3.7, 3.8, 3.4, 3.5), 0.0, 60, 80, 70),
    ("kec-cibening", "Pelayanan Kecamatan Cibening", "KEC-CIBENING",
     ["Surat keterangan", "Surat pengantar", "Legalisasi dokumen"],
     (2.9, 2.8, 2.5, 3.4, 2.9, 2.9, 3.0, 2.6, 2.6), 0.02, 50, 90, 60),
]

SUGGESTIONS = [
    "Antrean terlalu lama, mohon ditambah loket.",
    "Petugas ramah dan sigap, terima kasih.",
    "Ruang tunggu panas, mohon dipasang kipas angin.",
    "Persyaratan sebaiknya diumumkan di papan informasi.",
    "Kotak pengaduan tidak jelas tindak lanjutnya.",
    "Toilet perlu lebih bersih.",
    "Jam pelayanan agar tepat waktu dimulai pukul 08.00.",
    "Informasi biaya agar ditempel di loket.",
    "Tempat parkir sempit.",
    "Pelayanan sudah cepat, pertahankan.",
]
FOLLOW_UPS = {
    "Antrean terlalu lama, mohon ditambah loket.": "Loket kedua dibuka pada jam sibuk.",
    "Ruang tunggu panas, mohon dipasang kipas angin.": "Dua kipas angin dipasang di ruang tunggu.",
    "Toilet perlu lebih bersih.": "Jadwal piket kebersihan toilet ditambah menjadi tiga kali sehari.",
}
HEADS = {"PKM-SUKAMAJU": "kapus-skm", "PKM-CIBENING": "kapus-cbn",
         "DISDUKCAPIL-DAFDUK": "kabid-dafduk", "KEC-SUKAMAJU": "kasi-pel-skm",
         "KEC-CIBENING": "kasi-pel-cbn"}


def _answer(rng: random.Random, mean: float) -> int:
    return min(4, max(1, round(rng.gauss(mean, 0.55))))


def _semesters(today: datetime.date) -> list[tuple[int, int]]:
    current = (today.year, 1 if today.month <= 6 else 2)
    return [(y, n) for y in range(today.year - 2, today.year + 1) for n in (1, 2)
            if (y, n) <= current]


def _moment(rng: random.Random, starts: datetime.date, ends: datetime.date) -> datetime.datetime:
    day = starts + datetime.timedelta(days=rng.randint(0, (ends - starts).days))
    # office hours in WIB, stored in UTC
    return datetime.datetime(day.year, day.month, day.day, rng.randint(1, 8), rng.randint(0, 59))


def seed(holders: dict, today: datetime.date) -> None:
    rng = random.Random(2017)
    semesters = _semesters(today)
    units = {u.code: u for u in Unit.select().where(Unit.code.in_([row[2] for row in UNITS]))}
    rows, follow_ups = [], []
    for code, name, unit_code, services, means, drift, per_period, population, so_far in UNITS:
        su = ServiceUnit.create(code=code, name=name, unit=units[unit_code],
                                kiosk_token=DEMO_KIOSK_TOKEN if code == "pkm-sukamaju" else "")
        service_ids = [Service.create(service_unit=su, name=s).id for s in services]
        head = (holders.get(HEADS[unit_code]) or [None])[0]
        for index, (year, number) in enumerate(semesters):
            starts, ends = period_dates("semester", year, number)
            is_current = index == len(semesters) - 1
            count = so_far if is_current else per_period + rng.randint(-8, 8)
            period = SurveyPeriod.create(
                service_unit=su, kind="semester", year=year, number=number, starts=starts,
                ends=ends, is_open=is_current,
                population=population if is_current else round(count * rng.uniform(1.0, 1.25)))
            last_day = min(ends, today)
            for i in range(count):
                answers = {c: _answer(rng, m + drift * index) for c, m in zip(ikm.ELEMENT_CODES, means)}
                if rng.random() < 0.04:  # a paper questionnaire with one question left blank
                    answers[rng.choice(ikm.ELEMENT_CODES)] = None
                source = ("kiosk" if code == "pkm-sukamaju" and rng.random() < 0.3
                          else "paper" if rng.random() < 0.25 else "online")
                suggestion = rng.choice(SUGGESTIONS) if rng.random() < 0.12 else None
                rows.append({
                    "service_unit": su.id, "period": period.id, "service": rng.choice(service_ids),
                    "submitted_at": _moment(rng, starts, last_day), **answers,
                    "age": rng.randint(17, 75) if rng.random() < 0.85 else None,
                    "sex": rng.choice("LP") if rng.random() < 0.9 else None,
                    "education": rng.choice(list(ikm.EDUCATIONS)) if rng.random() < 0.8 else None,
                    "occupation": rng.choice(list(ikm.OCCUPATIONS)) if rng.random() < 0.8 else None,
                    "suggestion": suggestion, "source": source, "status": "valid",
                    "fill_seconds": rng.randint(40, 400) if source != "paper" else None,
                    "submission_token": f"demo-{su.id}-{period.id}-{i}",
                })
                if suggestion in FOLLOW_UPS and not is_current and head is not None:
                    follow_ups.append((rows[-1]["submission_token"], head, FOLLOW_UPS[suggestion],
                                       ends))
            if is_current and code in ("dukcapil", "pkm-cibening"):
                # a burst of identical perfect answers in seconds: kept, flagged, not counted
                for i in range(3 if code == "dukcapil" else 2):
                    rows.append({
                        "service_unit": su.id, "period": period.id, "service": service_ids[0],
                        "submitted_at": _moment(rng, last_day, last_day),
                        **dict.fromkeys(ikm.ELEMENT_CODES, 4), "source": "online",
                        "status": "flagged", "fill_seconds": 3,
                        "flag_reason": "Diisi terlalu cepat (3 detik)",
                        "submission_token": f"demo-{su.id}-{period.id}-flagged-{i}",
                    })
    fields = sorted({key for row in rows for key in row})
    batch = [[row.get(key) for key in fields] for row in rows]
    columns = [getattr(SurveyResponse, key) for key in fields]
    for start in range(0, len(batch), 500):
        SurveyResponse.insert_many(batch[start:start + 500], fields=columns).execute()
    if follow_ups:
        ids = dict(SurveyResponse.select(SurveyResponse.submission_token, SurveyResponse.id)
                   .where(SurveyResponse.submission_token.in_([f[0] for f in follow_ups])).tuples())
        SuggestionFollowUp.insert_many([
            {"response": ids[token], "status": "selesai", "handler": head.id, "action": action,
             "done_on": done} for token, head, action, done in follow_ups]).execute()
