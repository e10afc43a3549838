"""Potential assessments: entered one at a time or imported from a spreadsheet (a dry run
that lists every bad row, then all rows or none)."""
import datetime
import hashlib
from dataclasses import dataclass

from ...models import AuditLog, Employee, PotentialAssessment, db, snapshot, utcnow
from ...rules import DomainError
from ...rules import talent as rules
from . import standing

FIELDS = ("employee", "year", "level", "score", "source", "assessed_on")


def recent(limit: int = 20) -> list[PotentialAssessment]:
    return list(PotentialAssessment.select(PotentialAssessment, Employee)
                .join(Employee, on=(PotentialAssessment.employee == Employee.id))
                .order_by(PotentialAssessment.entered_at.desc(), PotentialAssessment.id.desc())
                .limit(limit))


def _write(actor, employee_id: int, row) -> tuple[PotentialAssessment, dict | None]:
    """Insert or replace the employee's assessment of the row's year; (row, before)."""
    year = row.assessed_on.year
    existing = PotentialAssessment.get_or_none((PotentialAssessment.employee == employee_id)
                                               & (PotentialAssessment.year == year))
    before = snapshot(existing, FIELDS) if existing else None
    values = {"level": row.level, "score": row.score, "source": row.source,
              "assessed_on": row.assessed_on, "entered_by": actor.id, "entered_at": utcnow()}
    if existing:
        PotentialAssessment.update(**values).where(PotentialAssessment.id == existing.id).execute()
        assessment = PotentialAssessment.get_by_id(existing.id)
    else:
        assessment = PotentialAssessment.create(employee=employee_id, year=year, **values)
    return assessment, before


def enter(actor, nip: str, level: str | None, score, source: str,
          assessed_on: datetime.date, today: datetime.date) -> PotentialAssessment:
    """One assessment typed by BKPSDM; the same checks as an imported row."""
    cells = {"nip": nip, "potensial": level or None, "skor": score, "tanggal": assessed_on,
             "sumber": source}
    with db.atomic():
        employee = Employee.get_or_none((Employee.nip == nip) & Employee.active)
        row, errors = rules.check_row(0, cells, today, {nip} if employee else set())
        if row is None:
            raise DomainError(" ".join(errors), field=_field_of(errors[0]))
        assessment, before = _write(actor, employee.id, row)
        standing.refresh([employee.id])
        AuditLog.record(actor, "potential_entered", "potential_assessment", assessment.id,
                        f"Potensial {employee.name} ({row.assessed_on.year}): "
                        f"{rules.POTENTIAL[row.level]}", before=before,
                        after=snapshot(assessment, FIELDS), unit=employee.unit_id)
    return assessment


def _field_of(message: str) -> str:
    for word, name in (("NIP", "nip"), ("Skor", "score"), ("Potensial", "level"),
                       ("Isi potensial", "level"), ("Tanggal", "assessed_on"),
                       ("Sumber", "source")):
        if message.startswith(word):
            return name
    return "nip"


@dataclass
class ImportPlan:
    good: list
    bad: list
    missing: list
    digest: str

    @property
    def ready(self) -> bool:
        return not self.missing and not self.bad and bool(self.good)


def plan_import(headers, rows, today: datetime.date) -> ImportPlan:
    """The dry run: every row checked against today's active employees."""
    missing = rules.missing_columns(headers)
    if missing:
        return ImportPlan([], [], missing, "")
    known = {nip for (nip,) in Employee.select(Employee.nip).where(Employee.active).tuples()}
    good, bad = rules.check_rows([(r.line, r.cells, r.problem) for r in rows], today, known)
    digest = hashlib.sha256(repr([(g.nip, g.level, str(g.score), g.assessed_on, g.source)
                                  for g in good]).encode()).hexdigest()[:32]
    return ImportPlan(good, bad, [], digest)


def confirm_import(actor, headers, rows, today: datetime.date, digest: str,
                   filename: str) -> ImportPlan:
    """Save every row or none: the rows are checked again inside the transaction, and a plan
    that differs from the dry run the user confirmed is refused."""
    with db.atomic():
        plan = plan_import(headers, rows, today)
        if not plan.ready:
            raise DomainError("Berkas masih memuat baris bermasalah; tidak ada yang disimpan.")
        if plan.digest != digest:
            raise DomainError("Data pegawai berubah sejak pratinjau; periksa pratinjau baru lalu "
                              "konfirmasi lagi.")
        ids = dict(Employee.select(Employee.nip, Employee.id)
                   .where(Employee.nip.in_([g.nip for g in plan.good])).tuples())
        replaced = 0
        for row in plan.good:
            _, before = _write(actor, ids[row.nip], row)
            replaced += before is not None
        standing.refresh(ids.values())
        AuditLog.record(actor, "potential_imported", "potential_assessment", None,
                        f"Impor potensial {filename[:80]}: {len(plan.good)} baris, "
                        f"{replaced} menggantikan data tahun yang sama",
                        after={"filename": filename, "rows": len(plan.good), "replaced": replaced})
    return plan


def template_rows() -> tuple[list[str], list[list]]:
    return (list(rules.IMPORT_COLUMNS),
            [["197901012005011001", "tinggi", "84,5", "2026-03-15", "Assessment Center BKPSDM"],
             ["198503122010012002", "menengah", "", "2026-03-16", "Uji Kompetensi"]])


