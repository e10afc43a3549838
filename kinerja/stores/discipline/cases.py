"""Writing discipline cases: proposals from the attendance ladder (inside the attendance
import's transaction), violations recorded by hand, the official's examination with its
record, the decision that writes the sanction into the ledger, and dismissal. Every step is
audited in its own transaction and announced to whoever must act or is concerned."""
import secrets
from decimal import Decimal
from pathlib import Path

from peewee import fn

from ... import clock
from ...models import AuditLog, DisciplineCase, Employee, PersonnelDecision, db, utcnow
from ...rules import DomainError
from ...rules import decisions as ledger
from ...rules import discipline as rules
from ..notifications import actor_name, notify
from . import access

AUDITED = ("employee", "year", "source", "days", "threshold", "consecutive", "incident_date",
           "evidence", "level", "kind", "authority", "status", "examined_on", "examination",
           "document_name", "reason", "decision")


def _said(case) -> dict:
    return {name: case.__data__.get(name) for name in AUDITED}


def link(case_id: int) -> str:
    return f"/disiplin/{case_id}"


def _open(actor, employee, *, year, source, level, kind, evidence, days=None, threshold=None,
          consecutive=False, incident_date=None, officials=None):
    """A new proposal, audited and announced to the official with authority. `officials`
    memoises who that is per OPD over one import, which may open many cases at once."""
    opd = access.opd_of(employee)
    case = DisciplineCase.create(
        employee=employee.id, unit=employee.unit_id, opd=opd.id if opd else None, year=year,
        source=source, days=days, threshold=threshold, consecutive=consecutive,
        incident_date=incident_date, evidence=evidence, level=level, kind=kind,
        authority=access.authority_of(employee, opd, level), status=rules.PROPOSED,
        proposed_by=getattr(actor, "id", None), proposed_at=utcnow())
    AuditLog.record(actor, "create", "discipline_case", case.id,
                    f"Usulan kasus disiplin {rules.LEVELS[level].lower()} untuk {employee.full_name}",
                    after=_said(case), unit=employee.unit_id)
    officials = {} if officials is None else officials
    key = (case.authority, case.opd_id if case.authority == rules.OPD_HEAD else None)
    if key not in officials:
        officials[key] = access.officials(case)
    for official in officials[key]:
        if official != employee.id:
            notify(official, f"Usulan kasus disiplin ({rules.kind_label(kind)}) untuk "
                             f"{employee.full_name} menunggu pemeriksaan Anda.",
                   link(case.id), kind="followup")
    return case


def propose_from_attendance(actor, employee_ids, year: int, today) -> int:
    """Open a proposal for each of these employees whose unexcused days this year reach a
    threshold of the ladder no case of the year covers yet, or who were absent 10 working
    days in a row; the number opened. Runs inside the caller's transaction (a savepoint
    here), so the proposals exist exactly when the import that caused them does."""
    from ..attendance import figures
    ids = list(employee_ids)
    if not ids:
        return 0
    totals = figures.unexcused_days(year, ids, today=today)
    runs = figures.longest_absent_run(year, ids, today=today)
    wanted = {eid for eid in ids if rules.step_for(totals.get(eid, 0)) is not None
              or rules.consecutive_step(runs.get(eid, 0)) is not None}
    if not wanted:
        return 0
    opened, officials = 0, {}
    with db.atomic():
        covered = dict(DisciplineCase
                       .select(DisciplineCase.employee, fn.MAX(DisciplineCase.threshold))
                       .where(DisciplineCase.employee.in_(list(wanted)) & (DisciplineCase.year == year)
                              & (DisciplineCase.source == rules.ATTENDANCE)
                              & ~DisciplineCase.consecutive)
                       .group_by(DisciplineCase.employee).tuples())
        run_covered = {e for (e,) in DisciplineCase.select(DisciplineCase.employee).where(
            DisciplineCase.employee.in_(list(wanted)) & (DisciplineCase.year == year)
            & (DisciplineCase.source == rules.ATTENDANCE) & DisciplineCase.consecutive).tuples()}
        for employee in Employee.select().where(Employee.id.in_(list(wanted))).order_by(Employee.id):
            days = totals.get(employee.id, Decimal(0))
            step = rules.step_for(days)
            if rules.needs_proposal(step, covered.get(employee.id)):
                _open(actor, employee, year=year, source=rules.ATTENDANCE, level=step.level,
                      kind=step.kind, days=days, threshold=step.days,
                      evidence=f"{rules.days_text(days)} hari tidak masuk kerja tanpa alasan yang sah "
                               f"dalam tahun {year} (keterlambatan dan pulang cepat dijumlahkan); "
                               f"mencapai batas {step.days} hari, {step.basis}.",
                      officials=officials)
                opened += 1
            run = runs.get(employee.id, 0)
            if rules.consecutive_step(run) and employee.id not in run_covered:
                step = rules.CONSECUTIVE
                _open(actor, employee, year=year, source=rules.ATTENDANCE, level=step.level,
                      kind=step.kind, days=days, threshold=step.days, consecutive=True,
                      evidence=f"{run} hari kerja berturut-turut tidak masuk kerja tanpa alasan "
                               f"yang sah dalam tahun {year}, {step.basis}.", officials=officials)
                opened += 1
    return opened


def record_other(actor, employee_id, incident_date, what: str, evidence: str, kind: str, today):
    """A violation other than attendance, recorded by hand with the sanction it may call for;
    the recorder's standing is checked again inside the transaction."""
    if kind not in rules.LEVEL_OF:
        raise DomainError("Pilih hukuman disiplin yang diusulkan.", field="kind")
    if incident_date > today:
        raise DomainError("Tanggal kejadian tidak boleh di masa depan.", field="incident_date")
    with db.atomic():
        employee = Employee.get_or_none(Employee.id == employee_id)
        if employee is None or not employee.active:
            raise DomainError("Pegawai tidak ditemukan.", field="employee")
        if not access.may_record(actor, employee):
            raise DomainError(rules.NOT_A_RECORDER, field="employee")
        text = what.strip() + (f"\n\nBukti: {evidence.strip()}" if evidence.strip() else "")
        return _open(actor, employee, year=incident_date.year, source=rules.OTHER,
                     level=rules.LEVEL_OF[kind], kind=kind, evidence=text,
                     incident_date=incident_date)


def _current(case_id):
    """The case, read again inside the transaction that changes it."""
    case = DisciplineCase.get_or_none(DisciplineCase.id == case_id)
    if case is None:
        raise DomainError("Kasus tidak ditemukan.")
    return case


def _store_document(upload_dir: str, data: bytes, ext: str) -> str:
    folder = Path(upload_dir) / "discipline"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    with open(folder / name, "xb") as fh:
        fh.write(data)
    return name


def document_path(upload_dir: str, case) -> Path | None:
    if not case.document_stored:
        return None
    path = Path(upload_dir) / "discipline" / case.document_stored
    return path if path.is_file() else None


def examine(actor, case_id, examined_on, record: str, today, document=None, upload_dir=""):
    """The official records the examination (berita acara pemeriksaan); `document` is
    (filename shown, extension, bytes) of a file already checked by content, written first and
    removed again when the step is refused. The employee is told: from now on the case is
    theirs to read."""
    stored = _store_document(upload_dir, document[2], document[1]) if document else None
    try:
        with db.atomic():
            case = _current(case_id)
            denial = rules.examine_denial(access.is_authority(actor, case),
                                          actor.employee_id == case.employee_id, case.status)
            if denial:
                raise DomainError(denial)
            denial = rules.examined_on_denial(examined_on, clock.to_local(case.proposed_at).date(), today)
            if denial:
                raise DomainError(denial, field="examined_on")
            before = _said(case)
            case.status, case.examined_on, case.examination = rules.EXAMINED, examined_on, record
            case.examined_by = actor.id
            if document:
                case.document_stored, case.document_name = stored, document[0]
                case.document_size = len(document[2])
            case.save()
            employee = Employee.get_by_id(case.employee_id)
            AuditLog.record(actor, "examine", "discipline_case", case.id,
                            f"Pemeriksaan disiplin {employee.full_name} dicatat",
                            before=before, after=_said(case), unit=case.unit_id)
            notify(case.employee_id, f"{actor_name(actor)} mencatat pemeriksaan disiplin Anda.",
                   link(case.id), kind="followup")
    except Exception:
        if stored:
            (Path(upload_dir) / "discipline" / stored).unlink(missing_ok=True)
        raise
    return case


def decide(actor, case_id, kind, sk_number, sk_date, valid_from, valid_until):
    """The official's decision with its SK. The sanction is written into the ledger as an
    approved entry in the same transaction, so it is in force exactly for its duration."""
    with db.atomic():
        case = _current(case_id)
        denial = rules.decide_denial(access.is_authority(actor, case),
                                     actor.employee_id == case.employee_id, case.status,
                                     case.authority, kind)
        if denial:
            raise DomainError(denial)
        valid_from = valid_from or sk_date
        valid_from, valid_until = ledger.validity(kind, valid_from, valid_until)
        employee = Employee.get_by_id(case.employee_id)
        entry = PersonnelDecision.create(
            employee=case.employee_id, unit=case.unit_id, category=ledger.SANCTION, kind=kind,
            basis=f"Kasus disiplin #{case.id}: {case.evidence}"[:2000], proposer=actor.id,
            proposed_at=utcnow(), status=ledger.APPROVED, decided_by=actor.id, decided_at=utcnow(),
            sk_number=sk_number, sk_date=sk_date, valid_from=valid_from, valid_until=valid_until)
        AuditLog.record(actor, "create", "personnel_decision", entry.id,
                        f"{rules.kind_label(kind)} untuk {employee.full_name}, SK {sk_number} "
                        f"(kasus disiplin #{case.id})", unit=case.unit_id)
        before = _said(case)
        case.status, case.kind, case.level = rules.DECIDED, kind, rules.LEVEL_OF[kind]
        case.decided_by, case.decided_at, case.decision = actor.id, utcnow(), entry.id
        case.save()
        AuditLog.record(actor, "decide", "discipline_case", case.id,
                        f"Kasus disiplin {employee.full_name} diputuskan: {rules.kind_label(kind)}, "
                        f"SK {sk_number}", before=before, after=_said(case), unit=case.unit_id)
        notify(case.employee_id, f"{actor_name(actor)} menetapkan hukuman disiplin "
                                 f"{rules.kind_label(kind)} (SK {sk_number}).",
               link(case.id), kind="followup")
    return case


def dismiss(actor, case_id, reason: str):
    """The official stops the case with a reason; the employee hears of it only if they were
    examined (a proposal stopped before that was never put to them)."""
    with db.atomic():
        case = _current(case_id)
        denial = rules.act_denial(access.is_authority(actor, case),
                                  actor.employee_id == case.employee_id, case.status)
        if denial:
            raise DomainError(denial)
        before = _said(case)
        case.status, case.reason = rules.DISMISSED, reason
        case.decided_by, case.decided_at = actor.id, utcnow()
        case.save()
        employee = Employee.get_by_id(case.employee_id)
        AuditLog.record(actor, "dismiss", "discipline_case", case.id,
                        f"Kasus disiplin {employee.full_name} dihentikan",
                        before=before, after=_said(case), unit=case.unit_id)
        if case.examined_on is not None:
            notify(case.employee_id, f"{actor_name(actor)} menghentikan kasus disiplin Anda.",
                   link(case.id), kind="followup")
    return case
