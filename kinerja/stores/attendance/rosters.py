"""Rosters (jadwal dinas) imported by the admin OPD: one row per employee, NIP then one column
per date holding a shift code, or L or nothing for a day off. A dry run names every bad row;
the confirmation replaces that month's roster of the people in the file, all or nothing, and
recomputes their attendance of the month's year."""
import calendar
import datetime
from dataclasses import dataclass, field

from peewee import JOIN

from ...models import AttendanceDay, AuditLog, Employee, RosterDay, Shift, Unit, db
from ...rules import DomainError
from ...rules import roster as rules
from ...rules.org import is_within
from ..calendar import refresh_days
from ..chunks import chunks
from ..import_cells import CHUNK, RowsChecked, text
from ..import_cells import nip as read_nip
from ..kept import Spreadsheets
from .imports import employees_by_nip
from .shifts import shifts_in

uploads = Spreadsheets("roster-imports")
MAX_ROWS = 5000


@dataclass
class RosterRow:
    line: int
    who: str
    problems: list = field(default_factory=list)
    employee_id: int | None = None
    name: str = ""
    codes: dict = field(default_factory=dict)  # day -> shift code ("" for a day off)


@dataclass
class RosterPlan(RowsChecked):
    month: datetime.date
    days: list
    rows: list
    ignored: list = field(default_factory=list)
    entries: dict = field(default_factory=dict)  # employee id -> {day: shift id or None}

    @property
    def people(self) -> int:
        return len(self.entries)

    @property
    def month_text(self) -> str:
        return rules.month_text(self.month)

    @property
    def shifts_given(self) -> int:
        return sum(1 for days in self.entries.values() for s in days.values() if s is not None)


def _shift_books(unit_paths) -> dict:
    """{unit path: {code: shift id}}: each unit's shifts and its ancestors', the nearest
    unit's code winning, in one query."""
    ancestors = {a for path in unit_paths for a in Unit.path_ids(path or "")}
    shifts = list(Shift.select(Shift.id, Shift.code, Shift.unit).where(
        Shift.unit.in_(list(ancestors))).tuples()) if ancestors else []
    books = {}
    for path in unit_paths:
        chain = Unit.path_ids(path or "")
        book = {}
        for shift_id, code, unit_id in sorted(
                (s for s in shifts if s[2] in chain), key=lambda s: chain.index(s[2])):
            book[code.upper()] = shift_id
        books[path] = book
    return books


def plan_roster(headers, rows, scope, month) -> RosterPlan:
    """Every row checked (`scope`: the admin OPD's unit, None for BKPSDM); `month` is the
    chosen month (needed when the date columns are day numbers)."""
    if "nip" not in headers:
        raise DomainError("Kolom NIP tidak ada. Baris judul berisi NIP lalu satu kolom per "
                          "tanggal; gunakan templat.", field="file")
    columns, ignored, month = rules.date_columns(headers, month)
    days = sorted(columns.values())
    plan = RosterPlan(month, days, [], ignored=ignored)
    first_line = {}
    for row in rows:
        item = RosterRow(row.line, "")
        if row.problem:
            item.problems.append(row.problem)
        nip, problem = read_nip(row.cells.get("nip"))
        item.who = nip
        if problem:
            item.problems.append(problem)
        elif nip in first_line:
            item.problems.append(f"NIP {nip} sudah ada pada baris {first_line[nip]}.")
        else:
            first_line[nip] = row.line
        for header, day in columns.items():
            item.codes[day] = rules.shift_code(text(row.cells.get(header)))
        plan.rows.append(item)
    employees = employees_by_nip({r.who for r in plan.rows if not r.problems})
    books = _shift_books({e[4] for e in employees.values()})
    for item in plan.rows:
        if item.problems:
            continue
        employee = employees.get(item.who)
        if employee is None:
            item.problems.append(f"NIP {item.who} tidak terdaftar di Kinerja.")
            continue
        item.name = employee[2]
        if scope is not None and not is_within(employee[4], scope.path):
            item.problems.append(f"NIP {item.who} ({employee[2]}) bukan pegawai {scope.name}.")
            continue
        book = books.get(employee[4], {})
        unknown = {}
        for day, code in item.codes.items():
            if code and code not in book:
                unknown.setdefault(code, []).append(str(day.day))
        for code, numbers in unknown.items():
            item.problems.append(f"Kode “{code[:10]}” (tanggal {', '.join(numbers[:10])}) bukan "
                                 "kode shift unit pegawai ini; tulis kode yang terdaftar atau L "
                                 "untuk libur.")
        if not unknown:
            item.employee_id = employee[0]
            plan.entries[employee[0]] = {day: book[code] if code else None
                                         for day, code in item.codes.items()}
    return plan


def confirm_roster(actor, headers, rows, scope, month, today, filename: str):
    """(plan, people written): checked again inside the transaction; with any bad row nothing
    is written (0)."""
    from ..discipline.cases import propose_from_attendance
    with db.atomic():
        plan = plan_roster(headers, rows, scope, month)
        if plan.bad or not plan.entries:
            return plan, 0
        people = sorted(plan.entries)
        last = plan.month.replace(day=calendar.monthrange(plan.month.year, plan.month.month)[1])
        for chunk in chunks(people, CHUNK):
            RosterDay.delete().where(RosterDay.employee.in_(chunk)
                                     & (RosterDay.day >= plan.month)
                                     & (RosterDay.day <= last)).execute()
        new_rows = [(employee_id, day, day.year, day.month, shift_id)
                    for employee_id, days in plan.entries.items() for day, shift_id in days.items()]
        for chunk in chunks(new_rows, 1000):
            RosterDay.insert_many(chunk, [
                RosterDay.employee, RosterDay.day, RosterDay.year, RosterDay.month,
                RosterDay.shift]).execute()
        for chunk in chunks(people, CHUNK):
            refresh_days(Employee.select(Employee.id).where(
                Employee.id.in_(chunk)), plan.month.year, lateness=True)
        AuditLog.record(actor, "import", "roster_day", None,
                        f"Impor jadwal dinas {plan.month_text}: {len(people)} pegawai dari "
                        f"{filename}",
                        after={"filename": filename, "month": plan.month, "people": len(people),
                               "shifts": plan.shifts_given},
                        unit=scope.id if scope is not None else None)
        propose_from_attendance(actor, people, plan.month.year, today)
    return plan, len(people)


def template_sheets(scope, month: datetime.date) -> dict:
    """The month's layout (NIP, Nama, a column per day) with an example row, and the shifts
    of the units in scope."""
    last = calendar.monthrange(month.year, month.month)[1]
    pattern = ["P", "P", "S", "S", "M", "M", "L"]
    shifts = shifts_in(scope)
    return {
        "Jadwal dinas": (["NIP", "Nama", *[str(d) for d in range(1, last + 1)]], [
            ["199001012015032001", "Contoh Perawat",
             *[pattern[(d - 1) % 7] for d in range(1, last + 1)]]]),
        "Kode shift": (["Unit", "Kode", "Nama", "Mulai", "Selesai"], [
            [s.unit.name, s.code, s.name, s.starts.strftime("%H:%M"), s.ends.strftime("%H:%M")]
            for s in shifts] + [["", rules.DAY_OFF, "Libur", "", ""]]),
    }


@dataclass
class RosterMonth:
    month: datetime.date
    months: list          # the months of the year that have a roster (first days)
    days: list            # (day, shift or None, attendance row or None) per rostered day


def person_month(employee_id: int, year: int, month: int | None, today) -> RosterMonth | None:
    """The employee's roster for a month of the year, day by day beside what the machine
    recorded; None when the year has no roster for them. Three queries."""
    months = [datetime.date(year, m, 1) for (m,) in RosterDay.select(RosterDay.month).where(
        (RosterDay.employee == employee_id) & (RosterDay.year == year))
        .distinct().order_by(RosterDay.month).tuples()]
    if not months:
        return None
    chosen = datetime.date(year, month, 1) if month in range(1, 13) else None
    if chosen not in months:
        current = today.replace(day=1)
        chosen = current if current in months else months[-1] if months[-1] < current else months[0]
    rows = list(RosterDay.select(RosterDay.day, RosterDay.shift, Shift).join(
        Shift, JOIN.LEFT_OUTER, on=(RosterDay.shift == Shift.id), attr="planned")
        .where((RosterDay.employee == employee_id) & (RosterDay.year == year)
               & (RosterDay.month == chosen.month)).order_by(RosterDay.day))
    seen = {a.day: a for a in AttendanceDay.select().where(
        (AttendanceDay.employee == employee_id) & (AttendanceDay.year == year)
        & (AttendanceDay.month == chosen.month))}
    return RosterMonth(chosen, months, [(r.day, r.planned if r.shift_id else None, seen.get(r.day))
                                        for r in rows])
