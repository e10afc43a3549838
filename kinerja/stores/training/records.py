"""Training records and their certificate files."""
import secrets
from pathlib import Path

from ...models import AuditLog, Employee, TrainingRecord, db, utcnow
from ...rules import DomainError
from ...rules import training as rules
from . import totals

NOT_YOURS = "Catatan pelatihan ini hasil impor BKPSDM/OPD; hubungi admin untuk mengubahnya."
GONE = "Catatan pelatihan tidak ditemukan."


def _folder(upload_dir) -> Path:
    return Path(upload_dir) / "certificates"


def store_file(upload_dir, ext: str, data: bytes) -> str:
    folder = _folder(upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    with open(folder / name, "xb") as fh:
        fh.write(data)
    return name


def _remove_file(upload_dir, name: str) -> None:
    if name:
        (_folder(upload_dir) / name).unlink(missing_ok=True)


def certificate_path(upload_dir, record) -> Path | None:
    """The stored certificate of a record, only if it lies inside the certificate folder."""
    folder = _folder(upload_dir).resolve()
    path = (folder / record.certificate_name).resolve()
    if not record.certificate_name or not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


def _said(record) -> dict:
    """What the audit row keeps of a record."""
    return {"title": record.title, "kind": record.kind, "organiser": record.organiser,
            "starts": record.starts, "ends": record.ends, "hours": record.hours,
            "certificate": record.certificate_filename}


def records_of(employee_id, year: int | None = None) -> list:
    """An employee's records, the latest first; of one year (the year they ended) if given."""
    query = TrainingRecord.select().where(TrainingRecord.employee == employee_id)
    if year is not None:
        query = query.where(TrainingRecord.year == year)
    return list(query.order_by(TrainingRecord.ends.desc(), TrainingRecord.id.desc()))


def record_with_employee(record_id):
    return (TrainingRecord.select(TrainingRecord, Employee).join(Employee)
            .where(TrainingRecord.id == record_id).first())


def _check(values: dict, today) -> None:
    problem = rules.period_problem(values["starts"], values["ends"], today)
    if problem:
        raise DomainError(problem, field="ends")


def add_record(actor, employee, values: dict, today, upload=None, upload_dir=""):
    """Record a finished training of `employee` (entered by the employee). `values` holds
    title, kind, organiser, starts, ends, hours; `upload` is (name shown, extension, mime,
    bytes) already checked. The file is written first and removed when the record is not."""
    _check(values, today)
    stored = store_file(upload_dir, upload[1], upload[3]) if upload else ""
    try:
        with db.atomic():
            record = TrainingRecord.create(
                employee=employee.id, year=rules.counted_year(values["ends"]), source="manual",
                entered_by=actor.id, certificate_name=stored,
                certificate_filename=upload[0] if upload else "",
                certificate_mime=upload[2] if upload else "", **values)
            totals.refresh([(employee.id, record.year)])
            AuditLog.record(actor, "create", "training_record", record.id,
                            f"Pelatihan dicatat: {record.title} ({record.hours} JP)",
                            after=_said(record), unit=employee.unit_id)
    except Exception:
        _remove_file(upload_dir, stored)
        raise
    return record


def _own_record(record_id, employee_id):
    """The record, re-read inside the transaction, when its owner may still change it."""
    record = TrainingRecord.get_or_none(TrainingRecord.id == record_id)
    if record is None or record.employee_id != employee_id:
        raise DomainError(GONE)
    if not rules.editable_by_owner(record.source):
        raise DomainError(NOT_YOURS)
    return record


def update_record(actor, employee, record_id, values: dict, today, upload=None, upload_dir=""):
    """Change one's own record; a new certificate replaces the old one (removed after the
    change is committed, so a refused change keeps it)."""
    _check(values, today)
    stored = store_file(upload_dir, upload[1], upload[3]) if upload else ""
    try:
        with db.atomic():
            record = _own_record(record_id, employee.id)
            before, replaced, year_before = _said(record), "", record.year
            for name, value in values.items():
                setattr(record, name, value)
            record.year = rules.counted_year(record.ends)
            record.updated_at = utcnow()
            if upload:
                replaced = record.certificate_name
                record.certificate_name, record.certificate_filename = stored, upload[0]
                record.certificate_mime = upload[2]
            record.save()
            totals.refresh([(employee.id, year_before), (employee.id, record.year)])
            AuditLog.record(actor, "update", "training_record", record.id,
                            f"Pelatihan diubah: {record.title} ({record.hours} JP)",
                            before=before, after=_said(record), unit=employee.unit_id)
    except Exception:
        _remove_file(upload_dir, stored)
        raise
    _remove_file(upload_dir, replaced)
    return record


def delete_record(actor, employee, record_id, upload_dir="") -> None:
    with db.atomic():
        record = _own_record(record_id, employee.id)
        AuditLog.record(actor, "delete", "training_record", record.id,
                        f"Pelatihan dihapus: {record.title} ({record.hours} JP)",
                        before=_said(record), unit=employee.unit_id)
        name = record.certificate_name
        record.delete_instance()
        totals.refresh([(employee.id, record.year)])
    _remove_file(upload_dir, name)

