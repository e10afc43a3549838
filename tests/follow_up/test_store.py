"""Follow-up in the database: proposing when an evaluation becomes final, re-proposing after an
objection, the decisions, the coaching plan and the reminders."""
import datetime

import pytest

from kinerja.models import (AuditLog, CoachingAction, CoachingPlan, Evaluation, FollowUp, Notification,
                            Position, Setting, User)
from kinerja.rules import DomainError
from kinerja.rules import follow_up as rules
from kinerja.stores.evaluation import workflow
from kinerja.stores.follow_up import plans, proposals, reminders, settings

from ..support.app import TODAY
from ..support.evaluation import LAST, evaluation_of


def account(employee):
    return User.get(User.employee == employee.id)


def approve(cast, employee, result, behaviour, number=LAST):
    ev = evaluation_of(employee, number)
    return workflow.rate(account(cast.penilai), ev.id, "approve", result, behaviour, {}, {}, "", TODAY)


def test_approving_a_butuh_perbaikan_proposes_a_coaching_plan_in_the_same_step(cast):
    ev = approve(cast, cast.worker, "below", "meets")
    rows = list(FollowUp.select().where(FollowUp.evaluation == ev.id))
    assert [(r.kind, r.status, r.appraiser_id) for r in rows] == [("coaching", "proposed", cast.penilai.id)]
    assert AuditLog.select().where((AuditLog.entity == "follow_up") & (AuditLog.action == "propose")
                                   & (AuditLog.entity_id == rows[0].id)).exists()
    notice = (Notification.select().where(Notification.recipient == cast.penilai.id)
              .order_by(Notification.id.desc()).first())
    assert "Rencana pembinaan" in notice.text and notice.link == f"/tindak-lanjut/usulan/{rows[0].id}"
    # The same evaluation never gets the same kind twice.
    assert proposals.propose(None, Evaluation.get_by_id(ev.id), cast.worker) == []
    assert FollowUp.select().where(FollowUp.evaluation == ev.id).count() == 1


def test_a_baik_proposes_nothing(cast):
    ev = approve(cast, cast.worker, "meets", "meets")
    assert not FollowUp.select().where(FollowUp.evaluation == ev.id).exists()


def test_a_sangat_baik_proposes_a_reward_and_invites_a_good_practice(cast):
    ev = approve(cast, cast.worker, "above", "above")
    kinds = sorted(r.kind for r in FollowUp.select().where(FollowUp.evaluation == ev.id))
    assert kinds == ["practice_invite", "reward", "talent_pool"]
    invite = (Notification.select().where(Notification.recipient == cast.worker.id)
              .order_by(Notification.id.desc()).first())
    assert invite.link == "/praktik-baik/tulis"


def test_the_regency_matrix_is_used(cast):
    settings.save(account(cast.penilai), {"baik": ["coaching"]}, False)
    assert Setting.get_value(rules.MATRIX_SETTING)
    ev = approve(cast, cast.worker, "meets", "meets")
    assert [r.kind for r in FollowUp.select().where(FollowUp.evaluation == ev.id)] == ["coaching"]


def test_an_objection_that_changes_the_predikat_re_proposes(cast):
    ev = evaluation_of(cast.objector, LAST)
    assert ev.status == "objected"
    ev.predikat, ev.result_rating, ev.behaviour_rating = "butuh_perbaikan", "below", "meets"
    ev.save()
    proposals.propose(None, ev, cast.objector)
    assert [r.kind for r in FollowUp.select().where(FollowUp.evaluation == ev.id)] == ["coaching"]
    decided = workflow.decide_objection(account(cast.atasan), ev.id, "above", "above", "Dikabulkan", TODAY)
    rows = {r.kind: r for r in FollowUp.select().where(FollowUp.evaluation == decided.id)}
    assert rows["coaching"].status == "dismissed"
    assert rows["coaching"].reason == "predikat berubah setelah keberatan"
    assert {"reward", "talent_pool", "practice_invite"} <= set(rows)


def test_an_objection_that_keeps_the_predikat_changes_nothing(cast):
    ev = evaluation_of(cast.objector, LAST)
    ev.predikat, ev.result_rating, ev.behaviour_rating = "butuh_perbaikan", "below", "meets"
    ev.save()
    proposals.propose(None, ev, cast.objector)
    workflow.decide_objection(account(cast.atasan), ev.id, "below", "meets", "Tetap", TODAY)
    rows = list(FollowUp.select().where(FollowUp.evaluation == ev.id))
    assert [(r.kind, r.status) for r in rows] == [("coaching", "proposed")]


def test_the_improvement_period_only_for_eligible_positions(cast):
    ev = approve(cast, cast.worker, "below", "below")
    kinds = {r.kind for r in FollowUp.select().where(FollowUp.evaluation == ev.id)}
    eligible = Position.get_by_id(cast.worker.position_id).kind in rules.IMPROVEMENT_POSITION_KINDS
    assert ("improvement_period" in kinds) == eligible and "coaching" in kinds


def test_deciding_a_proposal(cast):
    ev = approve(cast, cast.worker, "below", "meets")
    proposal = FollowUp.get(FollowUp.evaluation == ev.id)
    with pytest.raises(DomainError) as err:
        proposals.decide(account(cast.atasan), proposal.id, "accepted", TODAY)
    assert "Pejabat Penilai" in err.value.message
    with pytest.raises(DomainError) as err:
        proposals.decide(account(cast.penilai), proposal.id, "dismissed", TODAY, reason=" ")
    assert err.value.field == "reason"
    saved, plan = proposals.decide(account(cast.penilai), proposal.id, "accepted", TODAY)
    assert saved.status == "accepted" and plan is not None
    assert AuditLog.get((AuditLog.entity == "follow_up") & (AuditLog.entity_id == proposal.id)
                        & (AuditLog.action == "accept")).after_dict()["status"] == "accepted"
    assert plan.employee_id == cast.worker.id and plan.appraiser_id == cast.penilai.id
    assert "Evaluasi Triwulan" in plan.gap and "Hasil kerja di bawah ekspektasi" in plan.gap
    with pytest.raises(DomainError):
        proposals.decide(account(cast.penilai), proposal.id, "dismissed", TODAY, reason="lagi")


def test_the_coaching_plan_steps_and_reminders(cast):
    penilai, worker = account(cast.penilai), account(cast.worker)
    plan = plans.open_plan(penilai, cast.worker.id, None, TODAY)
    assert plans.open_plan(penilai, cast.worker.id, None, TODAY).id == plan.id  # one open plan
    with pytest.raises(DomainError):
        plans.open_plan(worker, cast.worker.id, None, TODAY)
    soon = plans.add_action(penilai, plan.id, "Ikuti pelatihan SIMPUS", "employee",
                            TODAY + datetime.timedelta(days=2), TODAY)
    late = plans.add_action(penilai, plan.id, "Dampingi pencatatan", "appraiser",
                            TODAY - datetime.timedelta(days=1), TODAY)
    plans.add_action(penilai, plan.id, "Nanti", "employee", TODAY + datetime.timedelta(days=30), TODAY)
    with pytest.raises(DomainError):
        plans.add_action(worker, plan.id, "Saya sendiri", "employee", TODAY, TODAY)
    before = Notification.select().count()
    assert reminders.remind_due(TODAY) == 2
    assert reminders.remind_due(TODAY) == 0  # the same day again: nothing twice
    assert Notification.select().count() == before + 2
    assert CoachingAction.get_by_id(soon.id).reminded == "soon"
    assert reminders.remind_due(TODAY + datetime.timedelta(days=3)) == 1  # now overdue
    assert CoachingAction.get_by_id(late.id).reminded == "overdue"
    plans.set_action_status(worker, plan.id, soon.id, "done")
    with pytest.raises(DomainError):
        plans.set_action_status(worker, plan.id, late.id, "done")
    plans.add_comment(worker, plan.id, "Saya setuju dengan tindakan ini.")
    plans.acknowledge(worker, plan.id)
    with pytest.raises(DomainError):
        plans.acknowledge(worker, plan.id)
    plans.add_meeting(penilai, plan.id, TODAY, "Membahas kemajuan")
    detail = plans.detail(plans.get(plan.id))
    assert len(detail.actions) == 3 and len(detail.meetings) == 1 and len(detail.comments) == 1
    plans.close(penilai, plan.id, "membaik", "Target tercapai")
    assert CoachingPlan.get_by_id(plan.id).status == "closed"
    with pytest.raises(DomainError):
        plans.add_comment(worker, plan.id, "lagi")
    actions = [r.action for r in AuditLog.select().where((AuditLog.entity == "coaching_plan")
                                                          & (AuditLog.entity_id == plan.id))]
    assert actions[0] == "create" and actions[-1] == "close" and "acknowledge" in actions
