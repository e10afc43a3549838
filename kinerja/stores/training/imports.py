"""Import of training records from a spreadsheet: a dry run naming every bad row, then a
confirmation that writes all rows or none."""
import datetime
from dataclasses import dataclass, field

from ...models import AuditLog, TrainingRecord, db
from ...rules import DomainError
from ...rules import training as rules
from ..chunks import chunks
from ..import_cells import CHUNK, RowsChecked, employees_named, text
from ..import_cells import nip as read_nip
from ..kept import Spreadsheets
from . import totals

# The file between its dry run and its confirmation.
uploads = Spreadsheets("training-imports")

# (normalised header, header shown in the template, required)
COLUMNS = [
    ("nip", "NIP", True),
    ("nama pelatihan", "Nama pelatihan", True),
    ("jenis", "Jenis", True),
    ("penyelenggara", "Penyelenggara", False),
    ("tanggal mulai", "Tanggal mulai", True),
    ("tanggal selesai", "Tanggal selesai", True),
    ("jp", "JP", True),
]


def template_sheet() -> tuple[list[str], list[list]]:
    """The headers and two example rows of the template to download."""
    return ([shown for _, shown, _ in COLUMNS], [
        ["199001012015032001", "Pelatihan Pelayanan Prima", "Pelatihan klasikal",
         "BPSDM Provinsi", "2026-03-02", "2026-03-04", 24],
        ["199001012015032001", "Webinar Keselamatan Pasien", "Seminar", "Kementerian Kesehatan",
         "2026-05-20", "2026-05-20", 4],
    ])


@dataclass
class PlannedRow:
    line: int
    nip: str
    nip_ok: bool = False
    name: str = ""
    employee_id: int | None = None
    values: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


@dataclass
class ImportPlan(RowsChecked):
    rows: list

    @property
    def hours(self) -> int:
        return sum(r.values.get("hours", 0) for r in self.good)


def _recorded(employee_ids) -> set[tuple]:
    """(employee id, title in lower case, end date) of what is already recorded."""
    seen = set()
    for chunk in chunks(employee_ids, CHUNK):
        for who, title, ends in (TrainingRecord.select(TrainingRecord.employee,
                                                       TrainingRecord.title, TrainingRecord.ends)
                                 .where(TrainingRecord.employee.in_(chunk))
                                 .tuples()):
            seen.add((who, title.lower(), ends))
    return seen


def missing_columns(headers) -> list[str]:
    return [shown for key, shown, required in COLUMNS if required and key not in headers]


def plan_import(headers, rows, scope, today: datetime.date) -> ImportPlan:
    """Every row checked against the regency (`scope`: the admin OPD's unit, None for BKPSDM);
    a few queries whatever the number of rows."""
    missing = missing_columns(headers)
    if missing:
        raise DomainError("Kolom wajib tidak ada pada baris judul: " + ", ".join(missing)
                          + ". Gunakan templat yang disediakan.", field="file")
    planned = []
    for row in rows:
        nip, problem = read_nip(row.cells.get("nip"))
        item = PlannedRow(row.line, nip, nip_ok=problem is None)
        if row.problem:
            item.problems.append(row.problem)
        if problem:
            item.problems.append(problem)
        _read_values(item, row.cells, today)
        planned.append(item)
    employees = employees_named({r.nip for r in planned if r.nip_ok})
    for item in planned:
        if not item.nip_ok:
            continue
        employee = employees.get(item.nip)
        if employee is None:
            item.problems.append(f"NIP {item.nip} tidak terdaftar di Kinerja.")
        elif scope is not None and not employee.unit.path.startswith(scope.path):
            item.problems.append(f"NIP {item.nip} ({employee.full_name}) bukan pegawai {scope.name}.")
        else:
            item.employee_id, item.name = employee.id, employee.full_name
    recorded = _recorded({r.employee_id for r in planned if r.employee_id})
    in_file = {}
    for item in planned:
        if item.problems or item.employee_id is None:
            continue
        key = (item.employee_id, item.values["title"].lower(), item.values["ends"])
        if key in recorded:
            item.problems.append("Pelatihan ini sudah tercatat untuk pegawai ini (nama pelatihan "
                                 "dan tanggal selesai sama).")
        elif key in in_file:
            item.problems.append(f"Sama dengan baris {in_file[key]} pada berkas ini.")
        else:
            in_file[key] = item.line
    return ImportPlan(planned)


def _read_values(item: PlannedRow, cells: dict, today) -> None:
    title = text(cells.get("nama pelatihan"))
    organiser = text(cells.get("penyelenggara"))
    if not title:
        item.problems.append("Nama pelatihan kosong.")
    elif len(title) > 200:
        item.problems.append("Nama pelatihan lebih dari 200 karakter.")
    if len(organiser) > 200:
        item.problems.append("Penyelenggara lebih dari 200 karakter.")
    values = {"title": title, "organiser": organiser}
    for key, column, reader in (("kind", "Jenis", rules.parse_kind),
                                ("starts", "Tanggal mulai", rules.parse_date),
                                ("ends", "Tanggal selesai", rules.parse_date),
                                ("hours", "JP", rules.parse_jp)):
        try:
            values[key] = reader(cells.get(column.lower()))
        except ValueError as exc:
            item.problems.append(f"{column}: {exc}.")
    if "starts" in values and "ends" in values:
        problem = rules.period_problem(values["starts"], values["ends"], today)
        if problem:
            item.problems.append(problem)
    item.values = values


def confirm_import(actor, headers, rows, scope, today, filename: str, scope_unit_id=None):
    """(plan, records written): the rows checked again inside the transaction; with any bad
    row nothing is written (0)."""
    with db.atomic():
        plan = plan_import(headers, rows, scope, today)
        if plan.bad or not plan.rows:
            return plan, 0
        records = [dict(employee=r.employee_id, year=rules.counted_year(r.values["ends"]),
                        source="impor", entered_by=actor.id, **r.values) for r in plan.good]
        for chunk in chunks(records, CHUNK):
            TrainingRecord.insert_many(chunk).execute()
        totals.refresh((r["employee"], r["year"]) for r in records)
        AuditLog.record(actor, "import", "training_record", None,
                        f"Impor {len(records)} catatan pelatihan dari {filename}",
                        after={"filename": filename, "records": len(records),
                               "hours": plan.hours}, unit=scope_unit_id)
    return plan, len(records)
