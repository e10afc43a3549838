"""The coaching plan (rencana pembinaan, domain/followup.md §2): opened by the Pejabat
Penilai with the gap taken from the evaluation, agreed actions with owner, due date and
status, check-in meetings, the employee's comments and agreement, the improvement period of
PP 30/2019 Pasal 57 with its next steps, and the closing result. Each write is one
transaction that re-reads the plan and re-checks who acts (rules/follow_up.py)."""
import secrets
from dataclasses import dataclass
from pathlib import Path

from peewee import JOIN

from ...formatting import tanggal
from ...models import (AuditLog, CoachingAction, CoachingComment, CoachingMeeting, CoachingPlan,
                       Employee, Evaluation, EvaluationFeedback, FollowUp, Position, Rhk, TrainingRecord,
                       db, snapshot, utcnow)
from ...rules import DomainError
from ...rules import evaluation as eval_rules
from ...rules import follow_up as rules
from ...rules.skp import CORE_VALUE_NAMES
from ..evaluation import periods
from ..notifications import actor_name, excerpt, notify
from .access import plan_relation

AUDIT_FIELDS = ["status", "gap", "improvement_starts", "improvement_ends", "outcome",
                "outcome_note", "acknowledged_at"]


def plan_link(plan_id) -> str:
    return f"/tindak-lanjut/pembinaan/{plan_id}"


def _audit(actor, action, plan, summary, before=None, after=None):
    AuditLog.record(actor, action, "coaching_plan", plan.id, summary, before=before, after=after,
                    unit=plan.unit_id)


def gap_from(evaluation) -> str:
    """The gap as the evaluation shows it: the RHK when the Rating Hasil Kerja is below
    expectation, the BerAKHLAK values when the Rating Perilaku Kerja is, each with the Pejabat
    Penilai's feedback."""
    if evaluation is None:
        return ""
    feedback = list(EvaluationFeedback.select().where(EvaluationFeedback.evaluation == evaluation.id))
    by_rhk = {f.rhk_id: f.text for f in feedback if f.rhk_id}
    by_value = {f.value: f.text for f in feedback if f.value}
    lines = [f"Evaluasi {periods.period_of(evaluation).label}: predikat "
             f"{eval_rules.predikat_label(evaluation.predikat)}."]
    if evaluation.result_rating == "below":
        lines.append("Hasil kerja di bawah ekspektasi:")
        for rhk in (Rhk.select().where(Rhk.skp == evaluation.skp_id)
                    .order_by(Rhk.kind.desc(), Rhk.order, Rhk.id)):
            note = by_rhk.get(rhk.id)
            lines.append(f"- RHK {rhk.kind.capitalize()}: {excerpt(rhk.text, 200)}"
                         + (f" (umpan balik: {excerpt(note, 200)})" if note else ""))
    if evaluation.behaviour_rating == "below":
        lines.append("Perilaku kerja di bawah ekspektasi:")
        for code, name in CORE_VALUE_NAMES.items():
            note = by_value.get(code)
            lines.append(f"- {name}" + (f": {excerpt(note, 200)}" if note else ""))
    return "\n".join(lines)


def eligible_for_improvement(employee) -> bool:
    if not employee.position_id:
        return False
    kind = Position.select(Position.kind).where(Position.id == employee.position_id).scalar()
    return kind in rules.IMPROVEMENT_POSITION_KINDS


def open_in_transaction(actor, employee, evaluation, today, improvement: bool = False) -> CoachingPlan:
    """The employee's open plan, or a new one with the gap of the evaluation. Call inside a
    transaction (a decision on a proposal, or open_plan)."""
    plan = (CoachingPlan.select().where((CoachingPlan.employee == employee.id)
                                        & (CoachingPlan.status == "open")).first())
    if plan is None:
        appraiser_id = evaluation.appraiser_id if evaluation else getattr(employee.appraiser(), "id", None)
        superior_id = evaluation.superior_id if evaluation else getattr(employee.appraiser_superior(), "id", None)
        plan = CoachingPlan.create(
            employee=employee.id, evaluation=evaluation.id if evaluation else None,
            appraiser=appraiser_id, superior=superior_id,
            unit=evaluation.unit_id if evaluation else employee.unit_id,
            gap=gap_from(evaluation), opened_by=actor.id)
        _audit(actor, "create", plan, f"Membuka rencana pembinaan {employee.full_name}",
               after=snapshot(plan, AUDIT_FIELDS))
        plan.just_opened = True
    if improvement and plan.improvement_starts is None:
        _start_improvement(actor, plan, employee, today)
    return plan


def _start_improvement(actor, plan, employee, today):
    if not eligible_for_improvement(employee):
        raise DomainError("Masa perbaikan kinerja 6 bulan (PP 30/2019 Pasal 57) hanya untuk pejabat "
                          "JPT, Administrator, dan Fungsional.")
    before = snapshot(plan, AUDIT_FIELDS)
    plan.improvement_starts, plan.improvement_ends = today, rules.improvement_end(today)
    plan.save()
    _audit(actor, "update", plan, f"Memulai masa perbaikan kinerja {employee.full_name}",
           before=before, after=snapshot(plan, AUDIT_FIELDS))


def open_plan(actor, employee_id, evaluation_id, today) -> CoachingPlan:
    """The Pejabat Penilai opens a plan, from an evaluation with a predikat or (without one)
    for a member of their team."""
    with db.atomic():
        employee = Employee.get_or_none(Employee.id == employee_id)
        if employee is None:
            raise DomainError("Pegawai tidak ditemukan.")
        evaluation = None
        if evaluation_id is not None:
            evaluation = Evaluation.get_or_none((Evaluation.id == evaluation_id)
                                                & (Evaluation.employee == employee.id))
            if evaluation is None or evaluation.status not in eval_rules.WITH_PREDIKAT:
                raise DomainError("Rencana pembinaan dibuka dari evaluasi yang sudah ditetapkan.")
            appraiser_id = evaluation.appraiser_id
        else:
            appraiser = employee.appraiser()
            appraiser_id = appraiser.id if appraiser else None
        allowed = (actor.employee_id is not None and actor.employee_id == appraiser_id) or \
            (appraiser_id is None and eval_rules.records_for_kepala_daerah(actor))
        if not allowed or actor.employee_id == employee.id:
            raise DomainError("Rencana pembinaan dibuka oleh Pejabat Penilai pegawai ini.")
        plan = open_in_transaction(actor, employee, evaluation, today)
        if getattr(plan, "just_opened", False):
            notify(employee.id, f"{actor_name(actor)} membuka rencana pembinaan untuk Anda; bacalah, "
                   "beri tanggapan, dan setujui", plan_link(plan.id), kind="followup")
    return plan


# --- Reading ---------------------------------------------------------------------------

def _people():
    Appraiser, Superior = Employee.alias("appraiser_person"), Employee.alias("superior_person")
    return (CoachingPlan.select(CoachingPlan, Employee, Appraiser, Superior)
            .join(Employee, on=(CoachingPlan.employee == Employee.id))
            .switch(CoachingPlan).join(Appraiser, JOIN.LEFT_OUTER, on=(CoachingPlan.appraiser == Appraiser.id),
                                       attr="appraiser_person")
            .switch(CoachingPlan).join(Superior, JOIN.LEFT_OUTER, on=(CoachingPlan.superior == Superior.id),
                                       attr="superior_person"))


def get(plan_id):
    return _people().where(CoachingPlan.id == plan_id).first()


def current_for(employee_id):
    """The employee's open plan, else their latest one."""
    return (_people().where(CoachingPlan.employee == employee_id)
            .order_by(CoachingPlan.status != "open", CoachingPlan.opened_at.desc(), CoachingPlan.id.desc())
            .first())


def open_plan_of(employee_id):
    """The employee's open plan (for their Beranda), or None: one query."""
    return (CoachingPlan.select().where((CoachingPlan.employee == employee_id)
                                        & (CoachingPlan.status == "open")).first())


@dataclass
class Detail:
    plan: CoachingPlan
    evaluation: Evaluation | None
    period_label: str
    actions: list
    meetings: list
    comments: list
    steps: list
    trainings: list             # the employee's training records since the plan was opened


def detail(plan) -> Detail:
    """Everything on the plan's page: six queries whatever the number of rows."""
    evaluation = Evaluation.get_or_none(Evaluation.id == plan.evaluation_id) if plan.evaluation_id else None
    label = periods.period_of(evaluation).label if evaluation else ""
    actions = list(CoachingAction.select().where(CoachingAction.plan == plan.id)
                   .order_by(CoachingAction.due, CoachingAction.id))
    meetings = list(CoachingMeeting.select().where(CoachingMeeting.plan == plan.id)
                    .order_by(CoachingMeeting.day, CoachingMeeting.id))
    comments = list(CoachingComment.select(CoachingComment, Employee).join(Employee)
                    .where(CoachingComment.plan == plan.id).order_by(CoachingComment.created_at,
                                                                     CoachingComment.id))
    steps = list(FollowUp.select().where(FollowUp.plan == plan.id).order_by(FollowUp.step_date, FollowUp.id))
    # Training is linked by time: what the employee completed since the plan was opened
    # (the training record of the development area), so nobody links it twice.
    opened = plan.opened_at.date() if hasattr(plan.opened_at, "date") else plan.opened_at
    trainings = list(TrainingRecord.select().where((TrainingRecord.employee == plan.employee_id)
                                                   & (TrainingRecord.ends >= opened))
                     .order_by(TrainingRecord.ends, TrainingRecord.id))
    return Detail(plan, evaluation, label, actions, meetings, comments, steps, trainings)


# --- Writing ---------------------------------------------------------------------------

def _fresh(actor, plan_id, action, **facts):
    plan = CoachingPlan.get_or_none(CoachingPlan.id == plan_id)
    if plan is None:
        raise DomainError("Rencana pembinaan ini tidak ada lagi.")
    rules.check_plan(action, plan_relation(actor, plan), plan.status,
                     acknowledged=plan.acknowledged_at is not None, **facts)
    return plan


def _name(plan) -> str:
    return Employee.get_by_id(plan.employee_id).full_name


def update_gap(actor, plan_id, gap: str):
    with db.atomic():
        plan = _fresh(actor, plan_id, "edit")
        before = snapshot(plan, AUDIT_FIELDS)
        plan.gap = gap.strip()
        plan.save()
        _audit(actor, "update", plan, f"Mengubah kesenjangan kinerja rencana pembinaan {_name(plan)}",
               before=before, after=snapshot(plan, AUDIT_FIELDS))
    return plan


def add_action(actor, plan_id, description: str, owner: str, due, today):
    if owner not in rules.ACTION_OWNERS:
        raise DomainError("Pilih pelaksana tindakan.", field="owner")
    with db.atomic():
        plan = _fresh(actor, plan_id, "edit")
        action = CoachingAction.create(plan=plan.id, description=description.strip(), owner=owner, due=due)
        _audit(actor, "create", plan, f"Menambah tindakan pada rencana pembinaan {_name(plan)}",
               after={"action": action.id, "description": action.description, "owner": owner, "due": due})
        if owner == "employee":
            notify(plan.employee_id, f"Tindakan baru dalam rencana pembinaan Anda: "
                   f"{excerpt(action.description)}", plan_link(plan.id), kind="followup")
    return action


def set_action_status(actor, plan_id, action_id, status: str):
    if status not in rules.ACTION_STATUSES:
        raise DomainError("Status tindakan tidak dikenal.")
    with db.atomic():
        action = CoachingAction.get_or_none((CoachingAction.id == action_id) & (CoachingAction.plan == plan_id))
        if action is None:
            raise DomainError("Tindakan ini tidak ada lagi.")
        plan = _fresh(actor, plan_id, "action_status", action_owner=action.owner)
        before = {"status": action.status}
        action.status = status
        action.save()
        _audit(actor, "update", plan, f"Status tindakan pembinaan {_name(plan)}: "
               f"{rules.ACTION_STATUSES[status]}", before={"action": action.id, **before},
               after={"action": action.id, "status": status})
    return action


def add_meeting(actor, plan_id, day, note: str):
    with db.atomic():
        plan = _fresh(actor, plan_id, "edit")
        meeting = CoachingMeeting.create(plan=plan.id, day=day, note=note.strip())
        _audit(actor, "create", plan, f"Mencatat pertemuan pembinaan {_name(plan)}",
               after={"meeting": meeting.id, "day": day})
    return meeting


def add_comment(actor, plan_id, body: str):
    with db.atomic():
        plan = _fresh(actor, plan_id, "comment")
        comment = CoachingComment.create(plan=plan.id, author=actor.employee_id, body=body.strip())
        _audit(actor, "create", plan, f"Menulis tanggapan pada rencana pembinaan {_name(plan)}",
               after={"comment": comment.id})
        other = plan.appraiser_id if actor.employee_id == plan.employee_id else plan.employee_id
        notify(other, f"{actor_name(actor)} menanggapi rencana pembinaan: {excerpt(body)}",
               plan_link(plan.id), kind="followup")
    return comment


def acknowledge(actor, plan_id):
    with db.atomic():
        plan = _fresh(actor, plan_id, "acknowledge")
        before = snapshot(plan, AUDIT_FIELDS)
        plan.acknowledged_at = utcnow()
        plan.save()
        _audit(actor, "acknowledge", plan, f"{_name(plan)} menyetujui rencana pembinaannya",
               before=before, after=snapshot(plan, AUDIT_FIELDS))
        notify(plan.appraiser_id, f"{actor_name(actor)} menyetujui rencana pembinaannya",
               plan_link(plan.id), kind="followup")
    return plan


def start_improvement(actor, plan_id, today):
    with db.atomic():
        plan = _fresh(actor, plan_id, "edit")
        if plan.improvement_starts is not None:
            raise DomainError("Masa perbaikan kinerja sudah berjalan.")
        employee = Employee.get_by_id(plan.employee_id)
        _start_improvement(actor, plan, employee, today)
        notify(plan.employee_id, "Masa perbaikan kinerja 6 bulan Anda dimulai (PP 30/2019 Pasal 57) "
               f"sampai {tanggal(plan.improvement_ends)}", plan_link(plan.id), kind="followup")
    return plan


def close(actor, plan_id, outcome: str, note: str):
    if outcome not in rules.OUTCOMES:
        raise DomainError("Pilih hasil pembinaan.", field="outcome")
    with db.atomic():
        plan = _fresh(actor, plan_id, "edit")
        before = snapshot(plan, AUDIT_FIELDS)
        plan.status, plan.outcome, plan.outcome_note = "closed", outcome, note.strip()
        plan.closed_at = utcnow()
        plan.save()
        _audit(actor, "close", plan, f"Menutup rencana pembinaan {_name(plan)}: "
               f"{rules.OUTCOMES[outcome].lower()}", before=before, after=snapshot(plan, AUDIT_FIELDS))
        notify(plan.employee_id, f"Rencana pembinaan Anda ditutup: {rules.OUTCOMES[outcome].lower()}",
               plan_link(plan.id), kind="followup")
    return plan


# --- Next steps of an improvement period that did not improve --------------------------

def _documents(upload_dir: str) -> Path:
    return Path(upload_dir) / "follow_up"


def add_step(actor, plan_id, kind: str, step_date, sk_number: str, note: str, upload, upload_dir: str):
    """A next step (uji kompetensi kembali, pemindahan, penempatan, pemberhentian) recorded as a
    proposal with its date, SK number and document, once the improvement period ended without
    improvement. `upload`: (filename, extension, mime, bytes) already checked, or None."""
    if kind not in rules.NEXT_STEPS:
        raise DomainError("Pilih langkah berikutnya.", field="kind")
    stored = ""
    if upload is not None:
        folder = _documents(upload_dir)
        folder.mkdir(parents=True, exist_ok=True)
        stored = f"{secrets.token_hex(16)}.{upload[1]}"
        (folder / stored).write_bytes(upload[3])
    try:
        with db.atomic():
            plan = CoachingPlan.get_or_none(CoachingPlan.id == plan_id)
            if plan is None:
                raise DomainError("Rencana pembinaan ini tidak ada lagi.")
            if rules.APPRAISER not in plan_relation(actor, plan):
                raise DomainError("Hanya Pejabat Penilai yang mencatat langkah berikutnya.")
            if plan.improvement_starts is None or plan.outcome != "belum_membaik":
                raise DomainError("Langkah berikutnya dicatat setelah masa perbaikan kinerja ditutup "
                                  "dengan hasil belum membaik.")
            step = FollowUp.create(employee=plan.employee_id, plan=plan.id, appraiser=plan.appraiser_id,
                                   unit=plan.unit_id, kind=kind, step_date=step_date,
                                   sk_number=sk_number.strip(), note=note.strip(), stored_name=stored,
                                   filename=upload[0] if upload else "", mime=upload[2] if upload else "")
            _audit(actor, "create", plan, f"Mencatat usulan {rules.kind_label(kind)} untuk {_name(plan)}",
                   after=snapshot(step, ["kind", "step_date", "sk_number", "note", "filename"]))
    except Exception:
        if stored:
            (_documents(upload_dir) / stored).unlink(missing_ok=True)
        raise
    return step


def step_document(plan_id, step_id, upload_dir: str):
    """(step, path) of a step's document inside the upload folder, or None."""
    step = FollowUp.get_or_none((FollowUp.id == step_id) & (FollowUp.plan == plan_id))
    if step is None or not step.stored_name:
        return None
    folder = _documents(upload_dir).resolve()
    path = (folder / step.stored_name).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return None
    return step, path


def latest_final_evaluation(employee_id):
    """The employee's latest evaluation with a predikat in force, the gap's source."""
    return (Evaluation.select().where((Evaluation.employee == employee_id)
                                      & Evaluation.status.in_(eval_rules.WITH_PREDIKAT))
            .order_by(Evaluation.ends.desc(), Evaluation.kind.desc(), Evaluation.id.desc()).first())


def employee_with_org(employee_id):
    return Employee.with_org().where(Employee.id == employee_id).first()
