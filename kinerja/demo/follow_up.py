"""Demo data of follow-up: one member of the demo Pejabat Penilai's team (Kepala Puskesmas
Sukamaju) has a final Butuh Perbaikan evaluation from the year's first quarter whose coaching
proposal waits, so the first start shows the journey of domain/followup.md §1–2."""
import datetime

from ..models import AuditLog, Evaluation, FollowUp
from ..rules import evaluation as rules


def seed(holders, today) -> None:
    penilai = (holders.get("kapus-skm") or [None])[0]
    if penilai is None:
        return
    demo_employee = (holders.get("perawat-skm") or [None])[0]
    # The earliest approved quarter of the year of a team member other than the demo pegawai:
    # the evaluation demo's waiting, objected and last-quarter figures stay as they are.
    evaluation = (Evaluation.select().where(
        (Evaluation.appraiser == penilai.id) & (Evaluation.year == today.year)
        & (Evaluation.kind == rules.PERIODIC) & (Evaluation.status == "approved")
        & (Evaluation.employee != getattr(demo_employee, "id", 0)))
        .order_by(Evaluation.employee.desc(), Evaluation.number).first())
    if evaluation is None:
        return
    evaluation.result_rating, evaluation.behaviour_rating = "below", "meets"
    evaluation.predikat = rules.predikat("below", "meets")
    evaluation.save()
    at = evaluation.approved_at or datetime.datetime.combine(evaluation.ends, datetime.time(2))
    proposal = FollowUp.create(employee=evaluation.employee_id, evaluation=evaluation.id,
                               appraiser=evaluation.appraiser_id, unit=evaluation.unit_id,
                               kind="coaching", predikat=evaluation.predikat, proposed_at=at)
    AuditLog.create(at=at, action="propose", entity="follow_up", entity_id=proposal.id,
                    unit=evaluation.unit_id, summary="Kinerja mengusulkan Rencana pembinaan (data demo)")
