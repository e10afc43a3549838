"""Proposals of follow-up: made inside the transaction that makes an evaluation final
(approved, or decided after an objection), re-made when an objection changes the predikat,
and decided by the Pejabat Penilai (accepted, changed or dismissed with a reason)."""
from peewee import JOIN

from ...models import AuditLog, Employee, Evaluation, FollowUp, Position, db, snapshot, utcnow
from ...paging import Page
from ...rules import DomainError
from ...rules import evaluation as eval_rules
from ...rules import follow_up as rules
from ..evaluation import periods
from ..notifications import actor_name, notify
from . import access, plans
from .settings import matrix

AUDIT_FIELDS = ["status", "kind", "changed_to", "reason", "note"]
# The good-practice library's writing page (issue 14, area practices); a notice keeps its path.
PRACTICE_LINK = "/praktik-baik/tulis"


def proposal_link(proposal_id) -> str:
    return f"/tindak-lanjut/usulan/{proposal_id}"


def _audit(actor, action, proposal, summary, before=None, after=None):
    AuditLog.record(actor, action, "follow_up", proposal.id, summary, before=before, after=after,
                    unit=proposal.unit_id)


def propose(actor, evaluation, employee) -> list[FollowUp]:
    """What the evaluation's (new) final predikat calls for, written with its audit rows and
    notices. Call inside the transaction that makes the evaluation final. Idempotent: a kind
    already proposed for this evaluation is not proposed again; a waiting proposal the new
    predikat no longer calls for is dismissed with the reason."""
    position_kind = None
    if employee.position_id:
        position_kind = (Position.select(Position.kind).where(Position.id == employee.position_id)
                         .scalar())
    wanted = rules.proposals(evaluation.predikat, position_kind, matrix())
    existing = {f.kind: f for f in FollowUp.select().where(FollowUp.evaluation == evaluation.id)}
    new, stale = rules.reconcile({k: f.status for k, f in existing.items()}, wanted)
    for kind in stale:
        proposal = existing[kind]
        before = snapshot(proposal, AUDIT_FIELDS)
        proposal.status, proposal.reason = "dismissed", rules.PREDIKAT_CHANGED
        proposal.decided_at, proposal.decided_by = utcnow(), getattr(actor, "id", None)
        proposal.save()
        _audit(actor, "dismiss", proposal, f"Usulan {rules.kind_label(kind)} untuk "
               f"{employee.full_name} tidak dilanjutkan: {rules.PREDIKAT_CHANGED}",
               before=before, after=snapshot(proposal, AUDIT_FIELDS))
    created = []
    for kind in new:
        proposal = FollowUp.create(employee=employee.id, evaluation=evaluation.id,
                                   appraiser=evaluation.appraiser_id, unit=evaluation.unit_id,
                                   kind=kind, predikat=evaluation.predikat)
        _audit(actor, "propose", proposal, f"Kinerja mengusulkan {rules.kind_label(kind)} untuk "
               f"{employee.full_name}", after=snapshot(proposal, AUDIT_FIELDS))
        created.append(proposal)
    if created:
        label = periods.period_of(evaluation).label
        kinds = ", ".join(rules.kind_label(p.kind) for p in created)
        notify(evaluation.appraiser_id, f"Usulan tindak lanjut untuk {employee.full_name} (predikat "
               f"{eval_rules.predikat_label(evaluation.predikat)}, {label}): {kinds}",
               proposal_link(created[0].id), kind="followup")
        if any(p.kind == "practice_invite" for p in created):
            notify(employee.id, f"Predikat Anda {label} Sangat Baik. Anda diundang menulis praktik "
                   "baik agar rekan dapat belajar darinya.", PRACTICE_LINK, kind="followup")
    return created


def _with_people():
    Appraiser = Employee.alias("appraiser_person")
    return (FollowUp.select(FollowUp, Employee, Evaluation, Appraiser)
            .join(Employee, on=(FollowUp.employee == Employee.id))
            .switch(FollowUp).join(Evaluation, JOIN.LEFT_OUTER, on=(FollowUp.evaluation == Evaluation.id))
            .switch(FollowUp).join(Appraiser, JOIN.LEFT_OUTER, on=(FollowUp.appraiser == Appraiser.id),
                                   attr="appraiser_person"))


def _labelled(rows):
    for row in rows:
        ev = row.evaluation if row.evaluation_id else None
        row.period_label = (periods.period_or_annual(ev.year, ev.kind, ev.number).label
                            if ev is not None else "")
    return rows


def get(proposal_id):
    rows = _labelled(list(_with_people().where(FollowUp.id == proposal_id)))
    return rows[0] if rows else None


def of_evaluation(evaluation_id) -> list:
    return _labelled(list(_with_people().where(FollowUp.evaluation == evaluation_id)
                          .order_by(FollowUp.id)))


def page(user, number: int, per_page: int = 25) -> Page | None:
    """The proposals the user sees, the waiting ones first, the oldest first among them."""
    condition = access.visible_condition(user)
    if condition is None:
        return None
    query = (_with_people().where(condition & FollowUp.plan.is_null())
             .order_by(FollowUp.status != "proposed", FollowUp.proposed_at, FollowUp.id))
    result = Page(query, number, per_page)
    _labelled(result.items)
    return result


def waiting(user, limit: int):
    """(the oldest waiting proposals for this Pejabat Penilai, how many wait): two queries."""
    condition = access.decider_condition(user)
    if condition is None:
        return [], 0
    query = _with_people().where(condition & (FollowUp.status == "proposed") & FollowUp.plan.is_null())
    return (_labelled(list(query.order_by(FollowUp.proposed_at, FollowUp.id).limit(limit))),
            query.count())


def decide(actor, proposal_id, decision: str, today, reason: str = "", changed_to: str | None = None,
           note: str = ""):
    """The Pejabat Penilai's decision on a waiting proposal; (proposal, coaching plan opened
    or None). Accepting a coaching plan or an improvement period (or changing to one) opens
    the plan in the same transaction."""
    with db.atomic():
        proposal = FollowUp.get_or_none(FollowUp.id == proposal_id)
        if proposal is None:
            raise DomainError("Usulan ini tidak ada lagi.")
        if access.DECIDER not in access.proposal_relation(actor, proposal):
            raise DomainError("Hanya Pejabat Penilai pegawai ini yang memutuskan usulan tindak lanjut.")
        reason_text = rules.decision_denial(proposal.status, decision, reason, changed_to, proposal.kind)
        if reason_text:
            field = {"dismissed": "reason", "changed": "changed_to"}.get(decision)
            raise DomainError(reason_text, field=field if proposal.status == "proposed" else None)
        before = snapshot(proposal, AUDIT_FIELDS)
        proposal.status = decision
        proposal.reason = reason.strip() if decision == "dismissed" else ""
        proposal.changed_to = changed_to if decision == "changed" else None
        proposal.note = note.strip()
        proposal.decided_at, proposal.decided_by = utcnow(), actor.id
        proposal.save()
        employee = Employee.get_by_id(proposal.employee_id)
        verbs = {"accepted": "Menerima", "changed": "Mengubah", "dismissed": "Tidak melanjutkan"}
        _audit(actor, {"accepted": "accept", "changed": "change", "dismissed": "dismiss"}[decision], proposal,
               f"{verbs[decision]} usulan {rules.kind_label(proposal.kind)} untuk {employee.full_name}",
               before=before, after=snapshot(proposal, AUDIT_FIELDS))
        plan = None
        effective = proposal.changed_to or proposal.kind
        if decision != "dismissed" and effective in ("coaching", "improvement_period"):
            evaluation = Evaluation.get_or_none(Evaluation.id == proposal.evaluation_id)
            plan = plans.open_in_transaction(actor, employee, evaluation, today,
                                             improvement=effective == "improvement_period")
        if plan is not None and getattr(plan, "just_opened", False):
            notify(proposal.employee_id, f"{actor_name(actor)} membuka rencana pembinaan untuk Anda; "
                   "bacalah, beri tanggapan, dan setujui", plans.plan_link(plan.id), kind="followup")
    return proposal, plan
