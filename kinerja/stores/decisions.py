"""The rewards and sanctions ledger: proposals by the Pejabat Penilai or the head of the OPD,
BKPSDM's approval with the SK or its refusal, withdrawal by the proposer, what is in force for
an employee, and the honour page. Every change is audited in its own transaction."""
import secrets
from pathlib import Path

from peewee import JOIN

from ..models import AuditLog, Employee, Evaluation, PersonnelDecision, Setting, Unit, User, db, utcnow
from ..rules import DomainError
from ..rules import decisions as rules
from ..rules.evaluation import admin_sees
from .evaluation.access import opd_headed_by
from .notifications import actor_name, notify

HONOUR_SETTING = "decisions.honour_page"
DONE_LIMIT = 200
AUDITED = ("employee", "category", "kind", "basis", "evaluation", "status", "reason", "sk_number",
           "sk_date", "valid_from", "valid_until", "document_name", "public")


def _said(decision) -> dict:
    return {name: decision.__data__.get(name) for name in AUDITED}


def link(decision_id: int) -> str:
    return f"/penghargaan-sanksi/{decision_id}"


# --- Who stands where ------------------------------------------------------------------------

def proposer_relations(user, employee) -> set[str]:
    """How the user may stand as a proposer to the employee: their Pejabat Penilai, the head
    of the OPD the employee works in, both, or neither."""
    relations = set()
    me = user.employee_id
    if me is None or employee is None:
        return relations
    appraiser = employee.appraiser()
    if appraiser is not None and appraiser.id == me:
        relations.add(rules.APPRAISER)
    headed = opd_headed_by(user.employee)
    if headed is not None and employee.unit_id:
        unit = Unit.get_or_none(Unit.id == employee.unit_id)
        if unit is not None and unit.path.startswith(headed.path):
            relations.add(rules.OPD_HEAD)
    return relations


def proposable_employees(user) -> list:
    """Those the user may propose for: the people they appraise and, for the head of an OPD,
    everyone active in it."""
    if user.employee_id is None:
        return []
    condition = Employee.id.in_(user.employee.subordinates().select(Employee.id))
    headed = opd_headed_by(user.employee)
    if headed is not None:
        condition |= Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(headed)))
    return list(Employee.select().where(condition & Employee.active & (Employee.id != user.employee_id))
                .order_by(Employee.name))


def viewer_relations(user, decision) -> set[str]:
    """How the user stands to one entry: BKPSDM, the admin OPD of its unit, its proposer, or
    the employee (who sees it once it is decided)."""
    roles = set()
    if user.role == "admin":
        roles.add("admin")
    elif user.role == "admin_opd" and user.scope_unit_id and decision.unit_id:
        scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
        if scope is not None and admin_sees(user, scope.path, decision.unit.path):
            roles.add("admin_opd")
    if decision.proposer_id is not None and decision.proposer_id == user.id:
        roles.add("proposer")
    if (user.employee_id is not None and user.employee_id == decision.employee_id
            and decision.status in (rules.APPROVED, rules.REJECTED)):
        roles.add("employee")
    return roles


# --- Reading ---------------------------------------------------------------------------------

ProposerUser = User.alias()
ProposerEmployee = Employee.alias()


def _with_people():
    """Entries with their employee, unit and proposer's name: one query for any number."""
    return (PersonnelDecision
            .select(PersonnelDecision, Employee, Unit, ProposerUser, ProposerEmployee)
            .join(Employee, on=(PersonnelDecision.employee == Employee.id))
            .switch(PersonnelDecision)
            .join(Unit, JOIN.LEFT_OUTER, on=(PersonnelDecision.unit == Unit.id))
            .switch(PersonnelDecision)
            .join(ProposerUser, JOIN.LEFT_OUTER, on=(PersonnelDecision.proposer == ProposerUser.id),
                  attr="proposer")
            .join(ProposerEmployee, JOIN.LEFT_OUTER, on=(ProposerUser.employee == ProposerEmployee.id),
                  attr="person"))


def get(decision_id: int):
    return _with_people().where(PersonnelDecision.id == decision_id).first()


def _visible_to(user):
    """The condition of the entries a user may read (None: all of them)."""
    if user.role == "admin":
        return None
    mine = PersonnelDecision.proposer == user.id
    if user.employee_id is not None:
        mine |= ((PersonnelDecision.employee == user.employee_id)
                 & PersonnelDecision.status.in_([rules.APPROVED, rules.REJECTED]))
    if user.role == "admin_opd" and user.scope_unit_id:
        scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
        if scope is not None:
            mine |= Unit.path.startswith(scope.path)
    return mine


def listing(user) -> tuple[list, list]:
    """(waiting, oldest first; decided or withdrawn, latest first) of what the user may read."""
    condition = _visible_to(user)
    base = _with_people()
    if condition is not None:
        base = base.where(condition)
    waiting = list(base.where(PersonnelDecision.status == rules.PROPOSED)
                   .order_by(PersonnelDecision.proposed_at, PersonnelDecision.id))
    done = list(base.where(PersonnelDecision.status != rules.PROPOSED)
                .order_by(PersonnelDecision.decided_at.desc(), PersonnelDecision.id.desc())
                .limit(DONE_LIMIT))
    return waiting, done


def ledger_for(employee_id) -> list:
    """An employee's approved rewards and sanctions, latest first (for the employee record)."""
    return list(_with_people().where((PersonnelDecision.employee == employee_id)
                                     & (PersonnelDecision.status == rules.APPROVED))
                .order_by(PersonnelDecision.sk_date.desc(), PersonnelDecision.id.desc()))


def in_force(employee_id, today) -> list:
    """The employee's approved decisions whose validity covers `today`."""
    return [d for d in ledger_for(employee_id)
            if rules.in_force(d.status, d.valid_from, d.valid_until, today)]


def honour_page_on() -> bool:
    return Setting.get_value(HONOUR_SETTING, "0") == "1"


def honour_roll(year: int) -> list:
    """This year's approved public rewards, by SK date."""
    return [d for d in _with_people().where(
                (PersonnelDecision.category == rules.REWARD)
                & (PersonnelDecision.status == rules.APPROVED) & PersonnelDecision.public)
            .order_by(PersonnelDecision.sk_date.desc(), Employee.name)
            if rules.on_honour_roll(d.category, d.status, d.public, d.sk_date, year)]


def evaluation_for(evaluation_id, employee_id):
    """The evaluation a proposal rests on, only when it is this employee's and has a predikat."""
    if evaluation_id is None:
        return None
    evaluation = Evaluation.get_or_none(Evaluation.id == evaluation_id)
    if evaluation is None or evaluation.employee_id != employee_id or not evaluation.has_predikat:
        return None
    return evaluation


def document_path(upload_dir: str, decision) -> Path | None:
    if not decision.document_stored:
        return None
    path = Path(upload_dir) / "decisions" / decision.document_stored
    return path if path.is_file() else None


# --- Writing ---------------------------------------------------------------------------------

def set_honour_page(actor, on: bool) -> None:
    with db.atomic():
        before = honour_page_on()
        Setting.insert(key=HONOUR_SETTING, value="1" if on else "0").on_conflict(
            conflict_target=[Setting.key], update={Setting.value: "1" if on else "0"}).execute()
        AuditLog.record(actor, "update", "setting", None,
                        f"Halaman penghargaan {'dibuka' if on else 'ditutup'}",
                        before={HONOUR_SETTING: before}, after={HONOUR_SETTING: on})


def propose(actor, employee_id, category, kind, basis, evaluation_id=None, public=False):
    """A proposal waiting for BKPSDM; the actor's standing and the evaluation are checked
    again inside the transaction."""
    denial = rules.kind_denial(category, kind)
    if denial:
        raise DomainError(denial, field="kind")
    with db.atomic():
        employee = Employee.get_or_none(Employee.id == employee_id)
        if employee is None or not employee.active:
            raise DomainError("Pegawai tidak ditemukan.", field="employee")
        denial = rules.propose_denial(proposer_relations(actor, employee),
                                      actor.employee_id == employee.id)
        if denial:
            raise DomainError(denial, field="employee")
        if evaluation_id is not None and evaluation_for(evaluation_id, employee.id) is None:
            raise DomainError("Evaluasi ini bukan milik pegawai tersebut atau belum berpredikat.",
                              field="employee")
        decision = PersonnelDecision.create(
            employee=employee.id, unit=employee.unit_id, category=category, kind=kind,
            basis=basis, evaluation=evaluation_id, proposer=actor.id, proposed_at=utcnow(),
            status=rules.PROPOSED, public=bool(public) and category == rules.REWARD)
        AuditLog.record(actor, "create", "personnel_decision", decision.id,
                        f"Usulan {rules.kind_label(kind)} untuk {employee.full_name}",
                        after=_said(decision), unit=employee.unit_id)
    return decision


def _waiting(decision_id):
    """The entry, read again inside the transaction that changes it."""
    decision = PersonnelDecision.get_or_none(PersonnelDecision.id == decision_id)
    if decision is None:
        raise DomainError("Usulan tidak ditemukan.")
    return decision


def _tell(actor, decision, text: str) -> None:
    """The proposer and the employee hear of BKPSDM's decision."""
    proposer = User.get_or_none(User.id == decision.proposer_id) if decision.proposer_id else None
    told = set()
    for recipient in (proposer.employee_id if proposer else None, decision.employee_id):
        if recipient and recipient not in told:
            told.add(recipient)
            notify(recipient, text, link(decision.id), kind="followup")


def _store_document(upload_dir: str, data: bytes) -> str:
    folder = Path(upload_dir) / "decisions"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.pdf"
    with open(folder / name, "xb") as fh:
        fh.write(data)
    return name


def approve(actor, decision_id, sk_number, sk_date, valid_from, valid_until, public=False,
            document=None, upload_dir=""):
    """BKPSDM approves with the SK; `document` is (filename shown, bytes) of a checked PDF,
    written first and removed again when the approval is refused."""
    stored = _store_document(upload_dir, document[1]) if document else None
    try:
        with db.atomic():
            decision = _waiting(decision_id)
            denial = rules.decide_denial(actor.role, decision.status)
            if denial:
                raise DomainError(denial)
            valid_from, valid_until = rules.validity(decision.kind, valid_from, valid_until)
            before = _said(decision)
            decision.status = rules.APPROVED
            decision.sk_number, decision.sk_date = sk_number, sk_date
            decision.valid_from, decision.valid_until = valid_from, valid_until
            decision.public = bool(public) and decision.category == rules.REWARD
            decision.decided_by, decision.decided_at = actor.id, utcnow()
            if document:
                decision.document_stored, decision.document_name = stored, document[0]
                decision.document_size = len(document[1])
            decision.save()
            employee = Employee.get_by_id(decision.employee_id)
            AuditLog.record(actor, "approve", "personnel_decision", decision.id,
                            f"{rules.kind_label(decision.kind)} untuk {employee.full_name} "
                            f"disetujui, SK {sk_number}",
                            before=before, after=_said(decision), unit=decision.unit_id)
            _tell(actor, decision, f"{actor_name(actor)} menyetujui {rules.kind_label(decision.kind)}"
                                   f" untuk {employee.full_name} (SK {sk_number}).")
    except Exception:
        if stored:
            (Path(upload_dir) / "decisions" / stored).unlink(missing_ok=True)
        raise
    return decision


def reject(actor, decision_id, reason: str):
    with db.atomic():
        decision = _waiting(decision_id)
        denial = rules.decide_denial(actor.role, decision.status)
        if denial:
            raise DomainError(denial)
        before = _said(decision)
        decision.status, decision.reason = rules.REJECTED, reason
        decision.decided_by, decision.decided_at = actor.id, utcnow()
        decision.save()
        employee = Employee.get_by_id(decision.employee_id)
        AuditLog.record(actor, "reject", "personnel_decision", decision.id,
                        f"Usulan {rules.kind_label(decision.kind)} untuk {employee.full_name} ditolak",
                        before=before, after=_said(decision), unit=decision.unit_id)
        _tell(actor, decision, f"{actor_name(actor)} menolak usulan {rules.kind_label(decision.kind)}"
                               f" untuk {employee.full_name}.")
    return decision


def withdraw(actor, decision_id):
    with db.atomic():
        decision = _waiting(decision_id)
        denial = rules.withdraw_denial(decision.proposer_id == actor.id, decision.status)
        if denial:
            raise DomainError(denial)
        before = _said(decision)
        decision.status, decision.decided_at = rules.WITHDRAWN, utcnow()
        decision.save()
        AuditLog.record(actor, "withdraw", "personnel_decision", decision.id,
                        f"Usulan {rules.kind_label(decision.kind)} ditarik",
                        before=before, after=_said(decision), unit=decision.unit_id)
    return decision
