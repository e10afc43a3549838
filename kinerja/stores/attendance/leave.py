"""Leave, sickness and official travel over a span of days, with their document: the working
days in them count as excused."""
import secrets
from pathlib import Path

from peewee import JOIN

from ...models import AuditLog, Employee, Leave, Unit, db
from ...rules import DomainError
from ...rules.evidence import clean_filename

FIELDS = ("employee", "kind", "leave_kind", "starts", "ends", "note", "document_filename")


def _folder(upload_dir) -> Path:
    return Path(upload_dir) / "leave-documents"


def _store_file(upload_dir, ext: str, data: bytes) -> str:
    folder = _folder(upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    with open(folder / name, "xb") as fh:
        fh.write(data)
    return name


def document_path(upload_dir, leave) -> Path | None:
    folder = _folder(upload_dir).resolve()
    path = (folder / leave.document_name).resolve()
    if not leave.document_name or not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


def employee_in_scope(nip: str, scope):
    """The employee with this NIP inside the admin's scope; DomainError otherwise."""
    employee = (Employee.select(Employee, Unit).join(Unit, JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
                .where(Employee.nip == nip).first())
    if employee is None:
        raise DomainError(f"NIP {nip} tidak terdaftar di Kinerja.", field="nip")
    if scope is not None and not (employee.unit_id and employee.unit.path.startswith(scope.path)):
        raise DomainError(f"NIP {nip} bukan pegawai {scope.name}.", field="nip")
    return employee


def add_leave(actor, scope, values: dict, upload, upload_dir, today) -> Leave:
    """`upload` is (shown name, extension, mime, bytes) already checked by content."""
    from ..discipline.cases import propose_from_attendance
    if values["ends"] < values["starts"]:
        raise DomainError("Tanggal selesai tidak boleh sebelum tanggal mulai.", field="ends")
    if values["starts"].year != values["ends"].year:
        raise DomainError("Catat izin/cuti per tahun: pisahkan yang melewati pergantian tahun.",
                          field="ends")
    name = ""
    try:
        with db.atomic():
            employee = employee_in_scope(values["nip"], scope)
            if upload is not None:
                name = _store_file(upload_dir, upload[1], upload[3])
            leave = Leave.create(
                employee=employee.id, kind=values["kind"], leave_kind=values.get("leave_kind", ""),
                starts=values["starts"], ends=values["ends"], year=values["starts"].year,
                note=values.get("note", ""), document_name=name,
                document_filename=clean_filename(upload[0]) if upload else "",
                document_mime=upload[2] if upload else "", entered_by=actor.id)
            AuditLog.record(actor, "create", "leave", leave.id,
                            f"{values['kind']} {employee.full_name} {values['starts']}–{values['ends']}",
                            after={f: leave.__data__.get(f) for f in FIELDS}, unit=employee.unit_id)
            propose_from_attendance(actor, [employee.id], leave.year, today)
    except Exception:
        if name:
            (_folder(upload_dir) / name).unlink(missing_ok=True)
        raise
    return leave


def delete_leave(actor, scope, leave_id: int, upload_dir, today) -> None:
    from ..discipline.cases import propose_from_attendance
    with db.atomic():
        leave = leave_in_scope(leave_id, scope)
        if leave is None:
            raise DomainError("Catatan izin/cuti ini tidak ditemukan.")
        before = {f: leave.__data__.get(f) for f in FIELDS}
        leave.delete_instance()
        AuditLog.record(actor, "delete", "leave", leave_id, "Catatan izin/cuti dihapus",
                        before=before, unit=leave.employee.unit_id)
        propose_from_attendance(actor, [leave.employee_id], leave.year, today)
    if leave.document_name:
        (_folder(upload_dir) / leave.document_name).unlink(missing_ok=True)


def leave_in_scope(leave_id: int, scope):
    leave = (Leave.select(Leave, Employee, Unit).join(Employee)
             .join(Unit, JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
             .where(Leave.id == leave_id).first())
    if leave is None or (scope is not None and not (
            leave.employee.unit_id and leave.employee.unit.path.startswith(scope.path))):
        return None
    return leave


def leaves(scope, year: int, limit: int = 200) -> list:
    query = (Leave.select(Leave, Employee).join(Employee)
             .join(Unit, JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
             .where(Leave.year == year).order_by(Leave.starts.desc(), Leave.id.desc()).limit(limit))
    if scope is not None:
        query = query.where(Unit.within(scope))
    return list(query)


def leaves_of(employee_id, year: int) -> list:
    return list(Leave.select().where((Leave.employee == employee_id) & (Leave.year == year))
                .order_by(Leave.starts))
