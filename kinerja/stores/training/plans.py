"""The individual development plan (IDP): one per employee and year."""
from ...models import AuditLog, DevelopmentPlan, db, utcnow


def plan_of(employee_id, year: int):
    return DevelopmentPlan.get_or_none((DevelopmentPlan.employee == employee_id)
                                       & (DevelopmentPlan.year == year))


def save_plan(actor, employee, year: int, gap: str, planned: str, priority: str):
    """Create or change the employee's plan of the year, audited with it."""
    with db.atomic():
        plan = plan_of(employee.id, year)
        before = None
        if plan is None:
            plan = DevelopmentPlan(employee=employee.id, year=year)
        else:
            before = {"gap": plan.gap, "planned": plan.planned, "priority": plan.priority}
        plan.gap, plan.planned, plan.priority = gap, planned, priority
        plan.updated_by, plan.updated_at = actor.id, utcnow()
        plan.save()
        AuditLog.record(actor, "update" if before else "create", "development_plan", plan.id,
                        f"Rencana pengembangan {year} disimpan",
                        before=before,
                        after={"gap": gap, "planned": planned, "priority": priority},
                        unit=employee.unit_id)
    return plan
