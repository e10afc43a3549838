"""Everything shown about one evaluation (or a period not yet evaluated): the plan's progress
in the period, what the employee claimed, the Pejabat Penilai's feedback, the objection, and
the organisation predikat; a fixed number of queries whatever the rows."""
from dataclasses import dataclass, field

from ...models import (BehaviourExpectation, Employee, Evaluation, EvaluationFeedback, EvaluationItem,
                       Indicator, Objection, OrgPerformance, ProgressEntry, Skp)
from ...rules import evaluation as rules
from ..skp.plans import load_rhks
from .access import opd_headed_by
from .organisation import org_predikat
from .progress import attach_evidence_and_threads, indicator_lineage, plan_progress, progress_values
from .queue import evaluations_with_people


def get_evaluation(evaluation_id):
    return evaluations_with_people().where(Evaluation.id == evaluation_id).first()


def get_own(employee_id, year: int, kind: str, number: int):
    return (evaluations_with_people()
            .where((Evaluation.employee == employee_id) & (Evaluation.year == year)
                   & (Evaluation.kind == kind) & (Evaluation.number == number)).first())


def rhk_ids(skp_id) -> list[int]:
    return [r.id for r in load_rhks([skp_id])]


def expectations(skp_id) -> dict[str, str]:
    """{BerAKHLAK value: the leader's special expectation} of a plan."""
    return {e.value: e.special_expectation for e in
            BehaviourExpectation.select().where(BehaviourExpectation.skp == skp_id)}


def people(evaluation) -> dict[int, Employee]:
    """The employee, the Pejabat Penilai and the Atasan with position and unit, by id."""
    ids = [i for i in (evaluation.employee_id, evaluation.appraiser_id, evaluation.superior_id) if i]
    return {e.id: e for e in Employee.with_org().where(Employee.id.in_(ids))}


@dataclass
class EvaluationPage:
    employee: Employee
    skp: Skp
    period: rules.Period
    evaluation: Evaluation | None
    rhks: list = field(default_factory=list)
    progress: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    rhk_feedback: dict = field(default_factory=dict)
    value_feedback: dict = field(default_factory=dict)
    entries: list = field(default_factory=list)
    objection: Objection | None = None
    org: OrgPerformance | None = None
    heads_opd: bool = False
    periodic_results: list = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.evaluation.status if self.evaluation else "draft"


def load_page(employee, skp, period, evaluation=None) -> EvaluationPage:
    page = EvaluationPage(employee, skp, period, evaluation)
    page.rhks, page.progress = plan_progress(skp, period.starts, period.ends)
    lineage = indicator_lineage(skp)
    if period.kind == rules.PERIODIC:
        _add_period_targets(page.progress, skp, period, lineage)
    page.entries = list(ProgressEntry.select(ProgressEntry, Indicator).join(Indicator)
                        .where((ProgressEntry.employee == employee.id)
                               & ProgressEntry.indicator.in_(list(lineage) or [0])
                               & (ProgressEntry.day >= period.starts) & (ProgressEntry.day <= period.ends))
                        .order_by(ProgressEntry.day, ProgressEntry.id))
    attach_evidence_and_threads(page.entries)
    for entry in page.entries:
        entry.current_indicator_id = lineage.get(entry.indicator_id)
    if evaluation is not None:
        page.items = {i.indicator_id: i for i in EvaluationItem.select()
                      .where(EvaluationItem.evaluation == evaluation.id)}
        for fb in EvaluationFeedback.select().where(EvaluationFeedback.evaluation == evaluation.id):
            if fb.rhk_id:
                page.rhk_feedback[fb.rhk_id] = fb.text
            else:
                page.value_feedback[fb.value] = fb.text
        page.objection = Objection.get_or_none(Objection.evaluation == evaluation.id)
    page.org = org_predikat(employee.unit_id, period.year)
    page.heads_opd = skp.appraiser_id is None or opd_headed_by(employee) is not None
    if period.kind == rules.ANNUAL:
        page.periodic_results = list(Evaluation.select().where(
            (Evaluation.employee == employee.id) & (Evaluation.year == period.year)
            & (Evaluation.kind == rules.PERIODIC)).order_by(Evaluation.number))
    return page


def _add_period_targets(progress: dict, skp, period, lineage: dict) -> None:
    """Each quantitative indicator's share of its yearly target for the period, and what the
    year has realised up to the period's end (one query for all of them)."""
    plan_days = (skp.period_end - skp.period_start).days + 1
    period_days = (min(period.ends, skp.period_end) - max(period.starts, skp.period_start)).days + 1
    so_far = progress_values(skp.employee_id, lineage, skp.period_start, period.ends)
    for indicator_id, p in progress.items():
        if not p.quantitative:
            continue
        p.period_target = rules.period_target(p.indicator.aspect, p.target_number, period_days, plan_days)
        p.cumulative = rules.realisation(p.indicator.aspect, so_far.get(indicator_id, []))
