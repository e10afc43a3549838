"""Demo data: the rewards and sanctions ledger: an approved, published piagam and a proposal
waiting for BKPSDM, both for employees whose latest predikat is Sangat Baik, and the
honour page switched on."""
import datetime

from ..models import Evaluation, PersonnelDecision, Setting, User, utcnow
from ..rules import decisions as rules
from ..stores.decisions import HONOUR_SETTING


def seed(holders, today) -> None:
    admin = User.get_or_none(User.username == "admin")
    best, seen = [], set()
    for evaluation in (Evaluation.select().where(
            (Evaluation.predikat == "sangat_baik") & Evaluation.status.in_(["approved", "decided"])
            & Evaluation.appraiser.is_null(False))
            .order_by(Evaluation.year.desc(), Evaluation.number.desc(), Evaluation.id)):
        if evaluation.employee_id not in seen and len(best) < 2:
            seen.add(evaluation.employee_id)
            best.append(evaluation)
    proposers = {u.employee_id: u for u in User.select().where(
        User.employee.in_([e.appraiser_id for e in best] or [0]))}
    Setting.create(key=HONOUR_SETTING, value="1")
    if len(best) < 2 or admin is None:
        return
    now = utcnow()
    sk_date = max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=20))
    for evaluation, approved in zip(best, (True, False)):
        proposer = proposers.get(evaluation.appraiser_id)
        label = "tahunan" if evaluation.kind == "annual" else f"periode {evaluation.number}"
        decision = PersonnelDecision(
            employee=evaluation.employee_id, unit=evaluation.unit_id, category=rules.REWARD,
            kind="piagam" if approved else "prioritas_pengembangan",
            basis=f"Predikat Sangat Baik pada evaluasi kinerja {label} {evaluation.year}.",
            evaluation=evaluation.id, proposer=proposer.id if proposer else None,
            proposed_at=now - datetime.timedelta(days=30 if approved else 2),
            status=rules.PROPOSED, public=approved)
        if approved:
            decision.status, decision.decided_by = rules.APPROVED, admin.id
            decision.decided_at = now - datetime.timedelta(days=20)
            decision.sk_number = f"800.1.12/045/BKPSDM/{sk_date.year}"
            decision.sk_date = decision.valid_from = sk_date
        decision.save()
