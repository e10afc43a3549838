"""Reminders of coaching actions falling due: the worker runs remind_due(today) daily. Each
action is told once when it is due within three days and once when it is overdue; running
twice the same day (or again after a missed day) sends nothing twice."""
from ...formatting import tanggal
from ...models import CoachingAction, CoachingPlan, db
from ...rules import follow_up as rules
from ..notifications import excerpt, notify
from .plans import plan_link


def remind_due(today) -> int:
    """Notify the owners of planned actions of open plans due within REMIND_DAYS days or
    overdue; how many notices were sent."""
    horizon = today.toordinal() + rules.REMIND_DAYS
    sent = 0
    with db.atomic():
        rows = (CoachingAction.select(CoachingAction, CoachingPlan).join(CoachingPlan)
                .where((CoachingAction.status == "planned") & (CoachingPlan.status == "open")
                       & (CoachingAction.due <= today.fromordinal(horizon))
                       & (CoachingAction.reminded != "overdue")))
        for action in rows:
            stage = rules.reminder_due(action.due, today, action.status, action.reminded)
            if stage is None:
                continue
            plan = action.plan
            recipient = plan.employee_id if action.owner == "employee" else plan.appraiser_id
            when = (f"lewat batas {tanggal(action.due)}" if stage == "overdue"
                    else f"jatuh tempo {tanggal(action.due)}")
            notify(recipient, f"Tindakan rencana pembinaan {when}: {excerpt(action.description)}",
                   plan_link(plan.id), kind="followup")
            CoachingAction.update(reminded=stage).where(CoachingAction.id == action.id).execute()
            sent += 1
    return sent
