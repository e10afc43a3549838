"""Demo data: the working calendar and three months of attendance for the demo staff.

The holidays are the demo's reading of the 2026 national holidays and cuti bersama (SKB of
three ministers); BKPSDM checks them against the published decree before relying on them.
The Puskesmas Sukamaju works six days a week. Everyone is recorded present from the first of
the month three months back until yesterday, a few minutes late now and then; one employee of
the Puskesmas has two days tanpa keterangan and much lateness, close to the first threshold
of PP 94/2021, and a midwife has two days of sick leave with its letter. The Puskesmas keeps
shifts (pagi, siang, malam) and two of its nurses have a roster from today to the end of next
month: days still ahead, so the figures above stay as they are."""
import datetime
import random

from flask import current_app

from ..models import (AttendanceDay, AttendanceImport, Holiday, Leave, RosterDay, Shift, Unit, User,
                      WorkSchedule)
from ..rules import attendance as rules
from ..rules import calendar as cal_rules
from ..stores.attendance.leave import _store_file
from ..stores.attendance.months import refresh_months
from ..stores.calendar import calendars_for_units, hours_to_json
from .evaluation import tiny_pdf

HOLIDAYS_2026 = [
    ("2026-01-01", "Tahun Baru 2026 Masehi", "libur"),
    ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW", "libur"),
    ("2026-02-16", "Cuti bersama Tahun Baru Imlek", "cuti_bersama"),
    ("2026-02-17", "Tahun Baru Imlek 2577 Kongzili", "libur"),
    ("2026-03-18", "Cuti bersama Hari Suci Nyepi", "cuti_bersama"),
    ("2026-03-19", "Hari Suci Nyepi (Tahun Baru Saka 1948)", "libur"),
    ("2026-03-20", "Cuti bersama Idulfitri 1447 H", "cuti_bersama"),
    ("2026-03-21", "Idulfitri 1447 H", "libur"),
    ("2026-03-22", "Idulfitri 1447 H", "libur"),
    ("2026-03-23", "Cuti bersama Idulfitri 1447 H", "cuti_bersama"),
    ("2026-03-24", "Cuti bersama Idulfitri 1447 H", "cuti_bersama"),
    ("2026-04-03", "Wafat Yesus Kristus", "libur"),
    ("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)", "libur"),
    ("2026-05-01", "Hari Buruh Internasional", "libur"),
    ("2026-05-14", "Kenaikan Yesus Kristus", "libur"),
    ("2026-05-15", "Cuti bersama Kenaikan Yesus Kristus", "cuti_bersama"),
    ("2026-05-27", "Iduladha 1447 H", "libur"),
    ("2026-05-28", "Cuti bersama Iduladha 1447 H", "cuti_bersama"),
    ("2026-05-31", "Hari Raya Waisak 2570 BE", "libur"),
    ("2026-06-01", "Hari Lahir Pancasila", "libur"),
    ("2026-06-16", "Tahun Baru Islam 1448 H", "libur"),
    ("2026-08-17", "Hari Kemerdekaan Republik Indonesia", "libur"),
    ("2026-08-25", "Maulid Nabi Muhammad SAW", "libur"),
    ("2026-12-24", "Cuti bersama Hari Raya Natal", "cuti_bersama"),
    ("2026-12-25", "Hari Raya Natal", "libur"),
]
# Holidays on the same date every year, for a demo built in another year.
FIXED = [("01-01", "Tahun Baru Masehi"), ("05-01", "Hari Buruh Internasional"),
         ("06-01", "Hari Lahir Pancasila"), ("08-17", "Hari Kemerdekaan Republik Indonesia"),
         ("12-25", "Hari Raya Natal")]
MONTHS_BACK = 3


def _holidays(admin, years) -> None:
    rows = []
    for year in years:
        listed = HOLIDAYS_2026 if year == 2026 else [
            (f"{year}-{md}", name, "libur") for md, name in FIXED]
        for day, name, kind in listed:
            day = datetime.date.fromisoformat(day)
            rows.append(dict(day=day, year=day.year, name=name, kind=kind, created_by=admin.id))
    Holiday.insert_many(rows).execute()


def seed(holders, today) -> None:
    rng = random.Random(15)
    admin = User.get(User.username == "admin")
    start = (today.replace(day=1) - datetime.timedelta(days=31 * (MONTHS_BACK - 1))).replace(day=1)
    end = today - datetime.timedelta(days=1)
    _holidays(admin, sorted({start.year, today.year}))
    puskesmas = Unit.get(Unit.code == "PKM-SUKAMAJU")
    WorkSchedule.create(unit=puskesmas.id, kind="6hari", hours=hours_to_json(cal_rules.SIX_DAY_HOURS),
                        updated_by=admin.id)
    people = [e for employees in holders.values() for e in employees]
    near = holders["admin-skm"][0]
    sick = holders["bidan-skm"][0]
    calendars = calendars_for_units({e.unit_id for e in people}, start.year,
                                    range(start.year, end.year + 1))
    sick_days = cal_rules.working_days(calendars[sick.unit_id], end - datetime.timedelta(days=20),
                                       end)[:2]
    batches, rows = {}, []
    for employee in people:
        cal = calendars.get(employee.unit_id, calendars[None])
        days = cal_rules.working_days(cal, start, end)
        absent = set(rng.sample(days[-40:], 2)) if employee.id == near.id else set()
        if employee.id == sick.id:
            absent |= set(sick_days)
        for day in days:
            if day in absent:
                continue
            opening, closing = cal.hours[day.weekday()]
            late = rng.choice([0] * 8 + [3, 12]) if employee.id != near.id else rng.choice([0] * 6 + [10, 15])
            early = rng.choice([0] * 12 + [15])
            time_in = _shift(opening, late - rng.randint(5, 20) if not late else late)
            time_out = _shift(closing, -early if early else rng.randint(1, 30))
            month = (day.year, day.month)
            if month not in batches:
                first = max(start, day.replace(day=1))
                last = min(end, (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
                           - datetime.timedelta(days=1))
                batches[month] = AttendanceImport.create(
                    unit=None, filename=f"presensi-{day:%Y-%m}.xlsx", first_day=first,
                    last_day=last, created_by=admin.id).id
            rows.append(dict(employee=employee.id, day=day, year=day.year, month=day.month,
                             time_in=time_in, time_out=time_out,
                             minutes_late=rules.minutes_late(time_in, opening),
                             minutes_early=rules.minutes_early(time_out, closing, time_in),
                             working=True, batch=batches[month]))
    for offset in range(0, len(rows), 500):
        AttendanceDay.insert_many(rows[offset:offset + 500]).execute()
    refresh_months([e.id for e in people], range(start.year, end.year + 1))
    for batch_id in batches.values():
        AttendanceImport.update(rows=AttendanceDay.select().where(AttendanceDay.batch == batch_id)
                                .count()).where(AttendanceImport.id == batch_id).execute()
    if sick_days:
        Leave.create(employee=sick.id, kind="sakit", starts=sick_days[0], ends=sick_days[-1],
                     year=sick_days[0].year, note="Surat keterangan dokter Puskesmas",
                     document_name=_store_file(current_app.config["UPLOAD_DIR"], "pdf",
                                               tiny_pdf("Surat keterangan sakit")),
                     document_filename="Surat keterangan sakit.pdf",
                     document_mime="application/pdf", entered_by=admin.id)
    _roster(admin, puskesmas, holders["perawat-skm"][2:], today)


SHIFTS = [("P", "Pagi", datetime.time(7), datetime.time(14)),
          ("S", "Siang", datetime.time(14), datetime.time(21)),
          ("M", "Malam", datetime.time(21), datetime.time(7))]
ROTATION = ["P", "P", "S", "S", "M", "M", None]


def _roster(admin, puskesmas, nurses, today) -> None:
    ids = {code: Shift.create(unit=puskesmas.id, code=code, name=name, starts=start, ends=end,
                              updated_by=admin.id).id for code, name, start, end in SHIFTS}
    end = (today.replace(day=28) + datetime.timedelta(days=40)).replace(day=1) - datetime.timedelta(days=1)
    rows = []
    for offset, nurse in enumerate(nurses):
        day = today
        while day <= end:
            code = ROTATION[(day.toordinal() + 3 * offset) % len(ROTATION)]
            rows.append(dict(employee=nurse.id, day=day, year=day.year, month=day.month,
                             shift=ids[code] if code else None))
            day += datetime.timedelta(days=1)
    RosterDay.insert_many(rows).execute()


def _shift(moment: datetime.time, minutes: int) -> datetime.time:
    value = datetime.datetime.combine(datetime.date(2000, 1, 1), moment) + datetime.timedelta(
        minutes=minutes)
    return value.time()
