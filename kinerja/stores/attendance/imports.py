"""Import of attendance records: daily rows (NIP, date, time in, time out) or the machine's
taps (NIP or machine user id, timestamp). A dry run names every bad row; the confirmation
writes all or nothing, replacing the imported days of the people in the file."""
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from peewee import JOIN

from ...models import (
    AttendanceDay,
    AttendanceImport,
    AuditLog,
    Employee,
    MachineUser,
    Unit,
    db,
)
from ...rules import DomainError
from ...rules import attendance as rules
from ...rules import roster as roster_rules
from ...rules.org import is_within
from ..calendar import calendars_for_units, rosters
from ..chunks import chunks
from ..import_cells import CHUNK, RowsChecked, text
from ..import_cells import nip as read_nip
from ..kept import Spreadsheets
from .months import refresh_months

# The file between its dry run and its confirmation.
uploads = Spreadsheets("attendance-imports")

MAX_ROWS = 600000
DAILY = "harian"
TAPS = "tap"
# (normalised header, header shown, required) per layout
DAILY_COLUMNS = [("nip", "NIP", True), ("tanggal", "Tanggal", True),
                 ("jam masuk", "Jam masuk", False), ("jam pulang", "Jam pulang", False)]
TAP_COLUMNS = [("nip", "NIP atau", False), ("id mesin", "ID mesin", False),
               ("waktu", "Waktu", True)]


def template_sheets() -> dict:
    return {
        "Harian": ([shown for _, shown, _ in DAILY_COLUMNS], [
            ["199001012015032001", "2026-11-23", "07:25", "16:05"],
            ["199001012015032001", "2026-11-24", "07:48", "16:02"]]),
        "Tap mesin": (["NIP", "ID mesin", "Waktu"], [
            ["199001012015032001", "", "2026-11-23 07:25"],
            ["", "1043", "2026-11-23 16:05"]]),
    }


@dataclass
class PlannedRow:
    line: int
    who: str
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    employee_id: int | None = None
    day: datetime.date | None = None
    times: tuple = ()
    machine_id: str = ""
    stamp: datetime.datetime | None = None


@dataclass
class ImportPlan(RowsChecked):
    layout: str
    rows: list
    days: dict = field(default_factory=dict)  # (employee id, day) -> (time in, time out)
    names: dict = field(default_factory=dict)  # employee id -> (NIP, name)
    unknown_machine_ids: list = field(default_factory=list)
    calendars: dict = field(default_factory=dict)  # unit id -> Calendar
    rosters: dict = field(default_factory=dict)  # employee id -> {day: hours or None}

    def hours(self, employee_id: int, day: datetime.date):
        """The person's hours on the day: their roster's shift, else their unit's calendar."""
        cal = self.calendars.get(self.names[employee_id][2], self.calendars[None])
        return roster_rules.hours_for(cal, day, self.rosters.get(employee_id, {}))

    @property
    def noted(self) -> list:
        return [r for r in self.rows if r.notes and not r.problems]

    @property
    def people(self) -> int:
        return len({e for e, _ in self.days})

    @property
    def first_day(self):
        return min((d for _, d in self.days), default=None)

    @property
    def last_day(self):
        return max((d for _, d in self.days), default=None)


def _layout(headers) -> str:
    if "waktu" in headers:
        if "nip" not in headers and "id mesin" not in headers:
            raise DomainError("Berkas tap mesin memerlukan kolom NIP atau ID mesin.", field="file")
        return TAPS
    missing = [shown for key, shown, required in DAILY_COLUMNS if required and key not in headers]
    if missing or ("jam masuk" not in headers and "jam pulang" not in headers):
        raise DomainError("Judul kolom tidak dikenali. Berkas harian memerlukan kolom NIP, "
                          "Tanggal, Jam masuk dan Jam pulang; berkas tap mesin memerlukan NIP "
                          "atau ID mesin, dan Waktu. Gunakan templat yang disediakan.", field="file")
    return DAILY


def _read_daily(row, item: PlannedRow) -> None:
    item.day = rules.parse_date(row.cells.get("tanggal"))
    if item.day is None:
        item.problems.append(f"Tanggal “{text(row.cells.get('tanggal'))[:20]}” tidak sah "
                             "(tulis 2026-11-24 atau 24/11/2026).")
    times = []
    for key, label in (("jam masuk", "Jam masuk"), ("jam pulang", "Jam pulang")):
        raw = row.cells.get(key)
        if raw is None or text(raw) == "":
            times.append(None)
            continue
        value = rules.parse_time(raw)
        if value is None:
            item.problems.append(f"{label} “{text(raw)[:20]}” tidak sah (tulis 07:30).")
        times.append(value)
    if times == [None, None] and not item.problems:
        item.problems.append("Jam masuk dan jam pulang keduanya kosong; baris tanpa jam tidak "
                             "dicatat (hari tanpa presensi dihitung dari kalender).")
    item.times = tuple(times)


def _read_tap(row, item: PlannedRow) -> None:
    stamp = rules.parse_stamp(row.cells.get("waktu"))
    if stamp is None:
        item.problems.append(f"Waktu “{text(row.cells.get('waktu'))[:25]}” tidak sah "
                             "(tulis 2026-11-24 07:31).")
        return
    item.stamp, item.day, item.times = stamp, stamp.date(), (stamp.time(),)


def employees_by_nip(nips) -> dict:
    """{NIP: (id, NIP, name, unit id, unit path)} of the employees named, a query per 500."""
    found = {}
    for chunk in chunks(nips, CHUNK):
        for row in (Employee.select(Employee.id, Employee.nip, Employee.name, Employee.unit, Unit.path)
                    .join(Unit, JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
                    .where(Employee.nip.in_(chunk)).tuples()):
            found[row[1]] = row
    return found


def _machine_map(ids) -> dict:
    found = {}
    for chunk in chunks(ids, CHUNK):
        for machine_id, nip in (MachineUser.select(MachineUser.machine_id, Employee.nip)
                                .join(Employee).where(MachineUser.machine_id.in_(chunk))
                                .tuples()):
            found[machine_id] = nip
    return found


def plan_import(headers, rows, scope, today: datetime.date) -> ImportPlan:
    """Every row checked (`scope`: the admin OPD's unit, None for BKPSDM); a few queries per
    500 people whatever the number of rows."""
    layout = _layout(headers)
    planned = []
    for row in rows:
        item = PlannedRow(row.line, "")
        if row.problem:
            item.problems.append(row.problem)
        raw_nip = row.cells.get("nip")
        if layout == TAPS and (raw_nip is None or text(raw_nip) == ""):
            item.machine_id = text(row.cells.get("id mesin"))[:40]
            item.who = f"ID mesin {item.machine_id}" if item.machine_id else ""
            if not item.machine_id:
                item.problems.append("NIP dan ID mesin keduanya kosong.")
        else:
            nip, problem = read_nip(raw_nip)
            item.who = nip
            if problem:
                item.problems.append(problem)
        (_read_tap if layout == TAPS else _read_daily)(row, item)
        if item.day is not None and item.day > today:
            item.problems.append("Tanggal presensi belum terjadi.")
        planned.append(item)
    machines = _machine_map({r.machine_id for r in planned if r.machine_id})
    unknown = set()
    for item in planned:
        if item.machine_id:
            if item.machine_id in machines:
                item.who = machines[item.machine_id]
            else:
                unknown.add(item.machine_id)
                item.problems.append(f"ID mesin {item.machine_id} belum dipetakan ke NIP; "
                                     "catat pada halaman ID mesin lalu periksa ulang.")
    employees = employees_by_nip({r.who for r in planned if r.who.isdigit() and len(r.who) == 18})
    plan = ImportPlan(layout, planned, unknown_machine_ids=sorted(unknown))
    for item in planned:
        if not (item.who.isdigit() and len(item.who) == 18):
            continue
        employee = employees.get(item.who)
        if employee is None:
            item.problems.append(f"NIP {item.who} tidak terdaftar di Kinerja.")
        elif scope is not None and not is_within(employee[4], scope.path):
            item.problems.append(f"NIP {item.who} ({employee[2]}) bukan pegawai {scope.name}.")
        else:
            item.employee_id = employee[0]
            plan.names[employee[0]] = (employee[1], employee[2], employee[3])
    _load_calendars(plan)
    _place_on_shifts(plan)
    _gather(plan)
    _note_days_off(plan)
    return plan


# A file may well say year 1; the day before it does not exist.
_FIRST = datetime.date.min


def _load_calendars(plan: ImportPlan) -> None:
    days = [item.day for item in plan.rows if item.employee_id is not None and item.day]
    if not days:
        return
    # A tap after midnight may close the night shift of the day before.
    first, last = max(min(days), _FIRST + roster_rules.ONE_DAY) - roster_rules.ONE_DAY, max(days)
    years = set(range(first.year, last.year + 1))
    plan.calendars = calendars_for_units({u for _, _, u in plan.names.values()}, first.year, years)
    plan.rosters = rosters(sorted(plan.names), first, last)


def _place_on_shifts(plan: ImportPlan) -> None:
    """A night shift's taps after midnight count for the day it started; a daily row may end
    the next morning only on such a shift."""
    for item in plan.rows:
        rostered = (item.employee_id in plan.rosters and item.day is not None
                    and item.day > _FIRST and not item.problems)
        if item.stamp is not None:
            if rostered:
                item.day = roster_rules.tap_day(
                    item.stamp, plan.hours(item.employee_id, item.day - roster_rules.ONE_DAY),
                    plan.hours(item.employee_id, item.day))
        elif _ends_before_start(item.times):
            if not rostered:
                item.problems.append("Jam pulang lebih awal dari jam masuk.")
            elif not roster_rules.crosses_midnight(plan.hours(item.employee_id, item.day)):
                item.problems.append("Jam pulang lebih awal dari jam masuk, padahal jadwal "
                                     "dinas hari itu bukan dinas malam.")


def _ends_before_start(times) -> bool:
    return len(times) == 2 and None not in times and times[1] < times[0]


def _gather(plan: ImportPlan) -> None:
    """Fold the rows into one (in, out) per person and day: the first tap is the arrival and
    the last the departure; a daily file may name a person's day once only."""
    taps, first_line = defaultdict(list), {}
    for item in plan.rows:
        if item.problems or item.employee_id is None or item.day is None:
            continue
        key = (item.employee_id, item.day)
        if plan.layout == DAILY:
            if key in first_line:
                item.problems.append(f"Pegawai dan tanggal yang sama sudah ada pada baris "
                                     f"{first_line[key]}.")
                continue
            first_line[key] = item.line
            plan.days[key] = item.times
        else:
            taps[key].append(item.stamp)
    for key, stamps in taps.items():
        plan.days[key] = roster_rules.first_and_last(stamps)


def _note_days_off(plan: ImportPlan) -> None:
    for item in plan.rows:
        if item.problems or item.employee_id is None:
            continue
        if plan.hours(item.employee_id, item.day) is None:
            item.notes.append("Hari libur atau bukan hari kerja unit ini (atau hari libur pada "
                              "jadwal dinas): dicatat, tetapi tidak dihitung sebagai hari kerja.")


def day_rows(plan: ImportPlan, batch_id=None) -> list:
    """The attendance rows to write, with lateness and working day from the person's roster
    or else the unit's calendar."""
    rows = []
    for (employee_id, day), (time_in, time_out) in plan.days.items():
        hours = plan.hours(employee_id, day)
        late, early = roster_rules.lateness(time_in, time_out, hours)
        rows.append({"employee": employee_id, "day": day, "year": day.year, "month": day.month,
                     "time_in": time_in, "time_out": time_out, "minutes_late": late,
                     "minutes_early": early, "working": hours is not None, "batch": batch_id})
    return rows


INSERTED = ("employee", "day", "year", "month", "time_in", "time_out", "minutes_late",
            "minutes_early", "working", "batch")


def _insert(rows) -> None:
    """One prepared INSERT run for every row: building peewee's statement for a month of a
    regency (hundreds of thousands of rows) costs more than writing them."""
    fields = [AttendanceDay._meta.fields[name] for name in INSERTED]
    native = db.obj.param == "%s"  # PostgreSQL takes dates and times as they are
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        AttendanceDay._meta.table_name, ", ".join(f'"{f.column_name}"' for f in fields),
        ", ".join([db.obj.param] * len(fields)))

    def value(v):
        if native or not isinstance(v, (datetime.date, datetime.time)):
            return v
        return v.isoformat()
    cursor = db.cursor()
    for chunk in chunks(rows, 5000):
        cursor.executemany(sql, [tuple(value(row[name]) for name in INSERTED)
                                 for row in chunk])


def _replace_days(days) -> None:
    """Delete what was recorded on the file's days for the people in it. People are grouped
    by the set of days the file gives them (usually one group: everyone, every day), so a
    month of a regency is a few statements, not one per day and person."""
    by_person = defaultdict(set)
    for employee_id, day in days:
        by_person[employee_id].add(day)
    groups = defaultdict(list)
    for employee_id, person_days in by_person.items():
        groups[frozenset(person_days)].append(employee_id)
    for group_days, ids in groups.items():
        for chunk in chunks(ids, CHUNK):
            AttendanceDay.delete().where(AttendanceDay.employee.in_(chunk)
                                         & AttendanceDay.day.in_(sorted(group_days))).execute()


def _active_in(scope) -> list[int]:
    query = Employee.select(Employee.id).where(Employee.active)
    if scope is not None:
        query = query.join(Unit, on=(Employee.unit == Unit.id)).where(Unit.within(scope))
    return [employee_id for (employee_id,) in query.tuples()]


def confirm_import(actor, headers, rows, scope, today, filename: str):
    """(plan, days written): checked again inside the transaction; with any bad row nothing is
    written (0). The days in the file replace what was recorded for those people on them."""
    from ..discipline.cases import propose_from_attendance
    with db.atomic():
        plan = plan_import(headers, rows, scope, today)
        if plan.bad or not plan.days:
            return plan, 0
        batch = AttendanceImport.create(unit=scope.id if scope is not None else None,
                                        filename=filename[:150], first_day=plan.first_day,
                                        last_day=plan.last_day, rows=len(plan.days),
                                        created_by=actor.id)
        _replace_days(plan.days)
        new_rows = day_rows(plan, batch.id)
        _insert(new_rows)
        AuditLog.record(actor, "import", "attendance_day", batch.id,
                        f"Impor presensi {len(new_rows)} hari-pegawai dari {filename}",
                        after={"filename": filename, "days": len(new_rows),
                               "first_day": plan.first_day, "last_day": plan.last_day},
                        unit=scope.id if scope is not None else None)
        people = sorted({e for e, _ in plan.days})
        refresh_months(people, {d.year for _, d in plan.days})
        # The import covers these days for everyone in its scope: those it has no row for were
        # absent, and they are the ones a threshold is about.
        covered = _active_in(scope)
        for year in sorted({d.year for _, d in plan.days}):
            propose_from_attendance(actor, covered, year, today)
    return plan, len(new_rows)


def recent_imports(scope, limit: int = 10) -> list:
    query = AttendanceImport.select().order_by(AttendanceImport.id.desc()).limit(limit)
    if scope is not None:
        query = query.where(AttendanceImport.unit == scope.id)
    return list(query)
