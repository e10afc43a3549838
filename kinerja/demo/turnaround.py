"""Demo data: the Disdukcapil counter publishes its service standard and its service log of
this year, so turnaround per kind and per petugas can be read at once; most documents meet
the standard, a few Akta Kelahiran run late."""
import datetime
import random

from ..models import ServiceRecord, ServiceStandard, Unit, User
from ..rules import calendar as calendar_rules
from ..stores.calendar import calendar_for

UNIT_CODE = "DISDUKCAPIL-DAFDUK"
# (kind, SOP days, the days it usually takes)
STANDARDS = [("Kartu Keluarga", 1, (0, 0, 1, 1, 2)), ("KTP-el", 1, (0, 0, 0, 1)),
             ("Akta Kelahiran", 3, (1, 2, 3, 3, 5)), ("Surat Pindah", 1, (0, 1, 1))]
HANDLER_KEYS = ("petugas-dafduk", "adminduk")


def seed(holders, today) -> None:
    rng = random.Random(15)
    unit = Unit.get(Unit.code == UNIT_CODE)
    admin = User.get(User.username == "admin")
    ServiceStandard.insert_many([dict(unit=unit.id, kind=kind, sop_days=sop, updated_by=admin.id)
                                 for kind, sop, _ in STANDARDS]).execute()
    handlers = [e for key in HANDLER_KEYS for e in holders.get(key, [])]
    calendar = calendar_for(unit.id, today.year)
    records, seen = [], set()
    day = datetime.date(today.year, 1, 2)
    while day < today - datetime.timedelta(days=7):
        if calendar_rules.is_working_day(calendar, day):
            for handler in handlers:
                for _ in range(rng.randint(0, 2)):
                    kind, _, usual = rng.choice(STANDARDS)
                    received = datetime.datetime.combine(
                        day, datetime.time(rng.randint(8, 13), rng.choice((0, 15, 30, 45))))
                    if (handler.id, kind, received) in seen:
                        continue
                    seen.add((handler.id, kind, received))
                    finished = datetime.datetime.combine(
                        calendar_rules.add_working_days(calendar, day, rng.choice(usual)),
                        datetime.time(rng.randint(14, 15), rng.choice((0, 20, 40))))
                    records.append(dict(unit=unit.id, kind=kind, received_at=received,
                                        finished_at=finished, handler=handler.id,
                                        imported_by=admin.id))
        day += datetime.timedelta(days=1)
    for start in range(0, len(records), 500):
        ServiceRecord.insert_many(records[start:start + 500]).execute()
