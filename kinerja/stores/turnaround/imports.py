"""Import of a unit's service log from a spreadsheet: a dry run naming every bad row, then a
confirmation that writes all rows or none."""
import datetime
from dataclasses import dataclass, field

from ...models import AuditLog, ServiceRecord, ServiceStandard, db
from ...rules import DomainError
from ...rules import turnaround as rules
from ..chunks import chunks
from ..import_cells import CHUNK, RowsChecked, employees_named, text
from ..import_cells import nip as read_nip
from ..kept import Spreadsheets

# The file between its dry run and its confirmation.
uploads = Spreadsheets("service-log-imports")

# (normalised header, header shown in the template, required)
COLUMNS = [
    ("jenis dokumen", "Jenis dokumen", True),
    ("diterima", "Diterima", True),
    ("selesai", "Selesai", True),
    ("nip petugas", "NIP petugas", True),
]


def template_sheet(kinds) -> tuple[list[str], list[list]]:
    """The headers and two example rows, with the unit's own kinds where it has them."""
    kinds = list(kinds) or ["Kartu Keluarga", "Akta Kelahiran"]
    return ([shown for _, shown, _ in COLUMNS], [
        [kinds[0], "2026-03-02 08:15", "2026-03-03 10:40", "199001012015032001"],
        [kinds[-1], "2026-03-02 09:05", "2026-03-06 14:00", "199001012015032001"],
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


def _recorded(unit_id: int, handler_ids) -> set[tuple]:
    """(handler, kind in lower case, received at) already in the unit's log."""
    seen = set()
    for chunk in chunks(handler_ids, CHUNK):
        for who, kind, received in (ServiceRecord.select(ServiceRecord.handler, ServiceRecord.kind,
                                                         ServiceRecord.received_at)
                                    .where((ServiceRecord.unit == unit_id)
                                           & ServiceRecord.handler.in_(chunk))
                                    .tuples()):
            seen.add((who, kind.lower(), received))
    return seen


def missing_columns(headers) -> list[str]:
    return [shown for key, shown, required in COLUMNS if required and key not in headers]


def plan_import(headers, rows, unit, today: datetime.date) -> ImportPlan:
    """Every row checked against the unit's standards and its OPD's employees; a few queries
    whatever the number of rows."""
    missing = missing_columns(headers)
    if missing:
        raise DomainError("Kolom wajib tidak ada pada baris judul: " + ", ".join(missing)
                          + ". Gunakan templat yang disediakan.", field="file")
    standards = {s.kind.lower(): s.kind for s in
                 ServiceStandard.select().where(ServiceStandard.unit == unit.id)}
    opd_path = f"/{unit.opd_id}/"
    planned = []
    for row in rows:
        nip, problem = read_nip(row.cells.get("nip petugas"))
        item = PlannedRow(row.line, nip, nip_ok=problem is None)
        if row.problem:
            item.problems.append(row.problem)
        if problem:
            item.problems.append(problem)
        _read_values(item, row.cells, standards, today)
        planned.append(item)
    employees = employees_named({r.nip for r in planned if r.nip_ok})
    for item in planned:
        if not item.nip_ok:
            continue
        employee = employees.get(item.nip)
        if employee is None:
            item.problems.append(f"NIP {item.nip} tidak terdaftar di Kinerja.")
        elif not employee.unit.path.startswith(opd_path):
            item.problems.append(f"NIP {item.nip} ({employee.full_name}) bukan pegawai OPD "
                                 f"unit ini.")
        else:
            item.employee_id, item.name = employee.id, employee.full_name
    recorded = _recorded(unit.id, {r.employee_id for r in planned if r.employee_id})
    in_file = {}
    for item in planned:
        if item.problems or item.employee_id is None:
            continue
        key = (item.employee_id, item.values["kind"].lower(), item.values["received_at"])
        if key in recorded:
            item.problems.append("Dokumen ini sudah tercatat (jenis, waktu diterima, dan "
                                 "petugas sama).")
        elif key in in_file:
            item.problems.append(f"Sama dengan baris {in_file[key]} pada berkas ini.")
        else:
            in_file[key] = item.line
    return ImportPlan(planned)


def _read_values(item: PlannedRow, cells: dict, standards: dict, today) -> None:
    values = {}
    try:
        kind = rules.parse_kind(text(cells.get("jenis dokumen")))
        values["kind"] = standards.get(kind.lower(), kind)
        if kind.lower() not in standards:
            item.problems.append(f"Jenis dokumen “{kind}” belum ada pada standar pelayanan "
                                 "unit ini; tambahkan standarnya lebih dulu.")
    except ValueError as exc:
        item.problems.append(f"Jenis dokumen: {exc}.")
    for key, column in (("received_at", "Diterima"), ("finished_at", "Selesai")):
        try:
            values[key] = rules.parse_moment(cells.get(column.lower()))
        except ValueError as exc:
            item.problems.append(f"{column}: {exc}.")
    if "received_at" in values and "finished_at" in values:
        problem = rules.moment_problem(values["received_at"], values["finished_at"], today)
        if problem:
            item.problems.append(problem)
    item.values = values


def confirm_import(actor, headers, rows, unit, today, filename: str):
    """(plan, records written): the rows checked again inside the transaction; with any bad
    row nothing is written (0)."""
    with db.atomic():
        plan = plan_import(headers, rows, unit, today)
        if plan.bad or not plan.rows:
            return plan, 0
        records = [dict(unit=unit.id, handler=r.employee_id, imported_by=actor.id, **r.values)
                   for r in plan.good]
        for chunk in chunks(records, CHUNK):
            ServiceRecord.insert_many(chunk).execute()
        AuditLog.record(actor, "import", "service_record", None,
                        f"Impor {len(records)} catatan layanan {unit.name} dari {filename}",
                        after={"filename": filename, "records": len(records)}, unit=unit.id)
    return plan, len(records)
