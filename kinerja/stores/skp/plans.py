"""Reading one SKP plan and what its pages show, a fixed number of queries per page
whatever the number of rows. The decisions about what is allowed live in rules/skp.py."""
from peewee import JOIN

from ...models import (
    APPENDIX_SECTIONS, BehaviourExpectation, Employee, Indicator, OrgGoal, PerformanceYear, Rhk,
    Skp, SkpAppendixItem, SkpDecision, Unit, User,
)
from ...rules import DomainError
from ...rules import skp as rules

Appraiser = Employee.alias("appraiser_employee")
APPENDIX_ORDER = ["resources", "accountability", "consequences"]


def get_plan(skp_id):
    """One SKP revision with its employee, year and Pejabat Penilai, in one query."""
    return (Skp.select(Skp, Employee, PerformanceYear, Appraiser)
            .join(Employee, on=(Skp.employee == Employee.id))
            .switch(Skp).join(PerformanceYear, on=(Skp.year == PerformanceYear.year))
            .switch(Skp).join(Appraiser, JOIN.LEFT_OUTER, on=(Skp.appraiser == Appraiser.id),
                              attr="appraiser")
            .where(Skp.id == skp_id).first())


def approved_in(unit, year: int) -> list:
    """The approved SKP of a year of everyone in the unit and its sub-units, as get_plan loads
    one, in the order of the unit tree and then by name."""
    return list(Skp.select(Skp, Employee, PerformanceYear, Appraiser)
                .join(Employee, on=(Skp.employee == Employee.id))
                .join(Unit, on=(Employee.unit == Unit.id))
                .switch(Skp).join(PerformanceYear, on=(Skp.year == PerformanceYear.year))
                .switch(Skp).join(Appraiser, JOIN.LEFT_OUTER, on=(Skp.appraiser == Appraiser.id),
                                  attr="appraiser")
                .where(Unit.within(unit) & (Skp.year == year) & (Skp.status == "approved"))
                .order_by(Unit.path, Employee.name))


def is_latest(skp) -> bool:
    return not Skp.select().where((Skp.employee == skp.employee_id) & (Skp.year == skp.year_id)
                                  & (Skp.revision > skp.revision)).exists()


def plan_facts(skp, latest: bool | None = None) -> rules.Plan:
    return rules.Plan(status=skp.status, owner_id=skp.employee_id, appraiser_id=skp.appraiser_id,
                      is_latest=is_latest(skp) if latest is None else latest,
                      year_open=skp.year.is_open)


def plan_unit(skp):
    """The unit an admin's scope must hold to see the plan: the owner's now, else the plan's."""
    unit_id = skp.employee.unit_id or skp.unit_id
    return Unit.get_or_none(Unit.id == unit_id) if unit_id else None


def supervises(viewer_id, owner) -> bool:
    """The viewer is the owner's Pejabat Penilai or the Atasan Pejabat Penilai now."""
    if viewer_id is None:
        return False
    appraiser = owner.appraiser()
    if appraiser is None:
        return False
    if appraiser.id == viewer_id:
        return True
    superior = owner.appraiser_superior()
    return superior is not None and superior.id == viewer_id


def rhk_of(skp, rhk_id: int):
    return Rhk.get_or_none((Rhk.id == rhk_id) & (Rhk.skp == skp.id))


def appendix_item_of(skp, section: str, item_id: int):
    return SkpAppendixItem.get_or_none((SkpAppendixItem.id == item_id) & (SkpAppendixItem.skp == skp.id)
                                       & (SkpAppendixItem.section == section))


def appendix_items(skp, section: str) -> list:
    return list(SkpAppendixItem.select().where((SkpAppendixItem.skp == skp.id)
                                               & (SkpAppendixItem.section == section))
                .order_by(SkpAppendixItem.order, SkpAppendixItem.id))


def rhk_ids(skp) -> list[int]:
    return [r for (r,) in Rhk.select(Rhk.id).where(Rhk.skp == skp.id).tuples()]


def indicators_of(rhk) -> list:
    return list(Indicator.select().where(Indicator.rhk == rhk.id).order_by(Indicator.order, Indicator.id))


def load_rhks(skp_ids) -> list:
    """RHK of these plans with the intervened RHK or goal and their indicators (two queries).
    Each RHK gets `.indicator_list`."""
    Parent = Rhk.alias("parent_rhk")
    rhks = list(Rhk.select(Rhk, Parent, OrgGoal)
                .join(Parent, JOIN.LEFT_OUTER, on=(Rhk.parent == Parent.id), attr="parent")
                .switch(Rhk).join(OrgGoal, JOIN.LEFT_OUTER, on=(Rhk.org_goal == OrgGoal.id),
                                  attr="org_goal")
                .where(Rhk.skp.in_(list(skp_ids)))
                .order_by(Rhk.skp, Rhk.kind.desc(), Rhk.order, Rhk.id))
    by_rhk = {r.id: r for r in rhks}
    for rhk in rhks:
        rhk.indicator_list = []
    if rhks:
        for indicator in (Indicator.select().where(Indicator.rhk.in_(list(by_rhk)))
                          .order_by(Indicator.rhk, Indicator.order, Indicator.id)):
            by_rhk[indicator.rhk_id].indicator_list.append(indicator)
    return rhks


def intervened_label(rhk) -> str:
    """What the RHK intervenes in, as printed in the first column of the Hasil Kerja table."""
    if rhk.parent_id and rhk.parent is not None:
        return rhk.parent.text
    if rhk.org_goal_id and rhk.org_goal is not None:
        goal = rhk.org_goal
        return f"{goal.goal} — {goal.indicator}" if goal.indicator else goal.goal
    return ""


def target_label(approach: str, indicator) -> str:
    return rules.format_target(approach, indicator.target_min, indicator.target_max,
                               indicator.target_unit, indicator.target_text)


class PlanContent:
    """Everything shown on an SKP page, loaded with a fixed number of queries."""

    def __init__(self, skp):
        self.skp = skp
        self.rhks = load_rhks([skp.id])
        self.utama = [r for r in self.rhks if r.kind == "utama"]
        self.tambahan = [r for r in self.rhks if r.kind == "tambahan"]
        self.appendix = {section: [] for section in APPENDIX_ORDER}
        for item in (SkpAppendixItem.select().where(SkpAppendixItem.skp == skp.id)
                     .order_by(SkpAppendixItem.order, SkpAppendixItem.id)):
            self.appendix.setdefault(item.section, []).append(item)
        self.expectations = {e.value: e for e in
                             BehaviourExpectation.select().where(BehaviourExpectation.skp == skp.id)}

    def by_kind(self, kind):
        return self.utama if kind == "utama" else self.tambahan

    def placed(self, rhk_id: int) -> dict:
        """One RHK as its row shows it: numbered in its group, first or last."""
        rhk = next(r for r in self.rhks if r.id == rhk_id)
        group = self.by_kind(rhk.kind)
        return {"rhk": rhk, "number": group.index(rhk) + 1, "first": group[0].id == rhk.id,
                "last": group[-1].id == rhk.id}

    def problems(self) -> list[str]:
        return rules.submission_problems(self.skp.approach, [
            {"kind": r.kind, "text": r.text, "has_parent": bool(r.parent_id or r.org_goal_id),
             "indicators": [{"text": i.text, "target_min": i.target_min, "target_max": i.target_max,
                             "target_unit": i.target_unit, "target_text": i.target_text}
                            for i in r.indicator_list]}
            for r in self.utama + self.tambahan], is_head=self.skp.appraiser_id is None)

    def diff_shape(self, keyed_by_origin: bool) -> dict:
        return {
            "approach": self.skp.approach_label,
            "rhks": [{"key": (r.origin_id if keyed_by_origin else r.id), "kind": r.kind, "text": r.text,
                      "parent": intervened_label(r),
                      "indicators": [f"{i.aspect_label}: {i.text} ({target_label(self.skp.approach, i)})"
                                     for i in r.indicator_list]}
                     for r in self.utama + self.tambahan],
            "appendix": {APPENDIX_SECTIONS[s]: [i.text for i in items] for s, items in self.appendix.items()},
            "expectations": {rules.CORE_VALUE_NAMES.get(v, v): e.special_expectation
                             for v, e in self.expectations.items() if e.special_expectation},
        }


def revisions_of(skp) -> list:
    return list(Skp.select(Skp.id, Skp.revision, Skp.status, Skp.change_note, Skp.created_at,
                           Skp.decided_at)
                .where((Skp.employee == skp.employee_id) & (Skp.year == skp.year_id))
                .order_by(Skp.revision))


def history_of(skp_ids) -> list:
    """Every submission and decision on these revisions, oldest first, with the actor."""
    return list(SkpDecision.select(SkpDecision, Skp.id, Skp.revision, User, Employee)
                .join(Skp, on=(SkpDecision.skp == Skp.id))
                .switch(SkpDecision).join(User, JOIN.LEFT_OUTER, on=(SkpDecision.actor == User.id))
                .join(Employee, JOIN.LEFT_OUTER, on=(User.employee == Employee.id))
                .where(SkpDecision.skp.in_(list(skp_ids)))
                .order_by(SkpDecision.at, SkpDecision.id))


def revision_changes(skp, content: PlanContent) -> list:
    """What this revision changed compared with the one it was copied from."""
    if not skp.previous_id:
        return []
    previous = get_plan(skp.previous_id)
    if previous is None:
        return []
    return rules.revision_diff(PlanContent(previous).diff_shape(keyed_by_origin=False),
                               content.diff_shape(keyed_by_origin=True))


def rhk_texts(ids) -> dict[int, str]:
    """Texts of RHK named in the history (a returned RHK may have been rewritten since)."""
    if not ids:
        return {}
    return dict(Rhk.select(Rhk.id, Rhk.text).where(Rhk.id.in_(list(ids))).tuples())


def parent_options(skp) -> list[tuple[int, str]]:
    """What an Utama RHK of this plan may intervene in: the RHK of the Pejabat Penilai's
    approved SKP of the year, or for a head of OPD the goals of the OPD."""
    if skp.appraiser_id is None:
        return [(g.id, f"{g.goal} — {g.indicator}" if g.indicator else g.goal)
                for g in goals_for_plan(skp)]
    approved = Skp.approved_for(skp.appraiser_id, skp.year_id)
    if approved is None:
        return []
    return [(r.id, f"[{r.kind_label}] {r.text}") for r in
            Rhk.select(Rhk.id, Rhk.kind, Rhk.text).where(Rhk.skp == approved.id)
            .order_by(Rhk.kind.desc(), Rhk.order, Rhk.id)]


def goals_for_plan(skp):
    unit = Unit.get_or_none(Unit.id == skp.unit_id) if skp.unit_id else None
    if unit is None:
        return []
    return list(OrgGoal.select().where((OrgGoal.unit == unit.opd_id) & (OrgGoal.year == skp.year_id))
                .order_by(OrgGoal.order, OrgGoal.id))


def employee_of(user):
    """The employee behind an account, or None for system accounts."""
    return Employee.get_or_none(Employee.id == user.employee_id) if user.employee_id else None


def plans_of(employee_id) -> list:
    """Every revision of every year of one employee, newest first."""
    return list(Skp.select(Skp, PerformanceYear).join(PerformanceYear)
                .where(Skp.employee == employee_id)
                .order_by(Skp.year.desc(), Skp.revision.desc()))


def years_with_plan(employee_id) -> set[int]:
    return {y for (y,) in Skp.select(Skp.year).where(Skp.employee == employee_id).distinct().tuples()}


def previous_year_plan(employee_id, year: int):
    """Last year's plan to start from: its approved revision, else its newest."""
    return Skp.approved_for(employee_id, year - 1) or Skp.latest_for(employee_id, year - 1)


def active_employee_by_nip(nip: str):
    """An active employee and their unit (None, None when there is none)."""
    employee = Employee.get_or_none((Employee.nip == nip) & Employee.active)
    unit = Unit.get_or_none(Unit.id == employee.unit_id) if employee and employee.unit_id else None
    return employee, unit


def recheck(skp_id, action: str, user):
    """The plan as it is now and the status `action` takes it to, for a write to call inside
    its transaction; DomainError when the rule refuses it now (someone was quicker, the year
    closed)."""
    skp = get_plan(skp_id)
    if skp is None:
        raise DomainError("SKP ini sudah tidak ada.")
    return skp, rules.transition(action, rules.Actor.of(user), plan_facts(skp))
