"""One employee's record (rekam pegawai), the page BKPSDM opens before a promotion or a
transfer: identity, predikat history, coaching plans, training hours against 20 JP, rewards
and sanctions, discipline cases, the talent box and angka kredit. Who may open it and what each
reader gets of it; the same few queries whatever the length of the history."""
import datetime
from dataclasses import dataclass, field

from peewee import JOIN, fn

from ..models import (CoachingPlan, DisciplineCase, Employee, Evaluation, PerformanceYear,
                      TrainingRecord, Unit)
from ..rules import decisions as decision_rules
from ..rules import discipline as discipline_rules
from ..rules import evaluation as eval_rules
from ..rules import training as training_rules
from . import decisions
from .evaluation.access import opd_headed_by
from .talent import credits, placement, settings as talent_settings

OWNER, APPRAISER, SUPERIOR, ADMIN, OPD_HEAD = (eval_rules.OWNER, eval_rules.APPRAISER,
                                               eval_rules.SUPERIOR, eval_rules.ADMIN, "opd_head")


def employee_of(employee_id: int) -> Employee | None:
    """The employee with their position and unit."""
    return Employee.with_org().where(Employee.id == employee_id).first()


def people_of(employee) -> tuple[Employee | None, Employee | None]:
    """(Pejabat Penilai, Atasan) as they stand today, the Pejabat Penilai looked up once: the
    page names them and the reader's relation is read from them."""
    appraiser = employee.appraiser()
    if employee.appraiser_superior_override_id:
        return appraiser, employee.appraiser_superior()
    return appraiser, appraiser.appraiser() if appraiser is not None else None


def relations(user, employee, people) -> set[str]:
    """How the user stands to the employee (with their `people_of`): themself, their Pejabat
    Penilai or Atasan, an admin whose scope holds them (BKPSDM: everyone), the head of their
    OPD. Empty: the user may not open the record."""
    roles = set()
    scope = None
    if eval_rules.admin_scoped(user) and user.scope_unit_id:
        scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
    if employee.unit_id and eval_rules.admin_sees(user, scope.path if scope else None, employee.unit.path):
        roles.add(ADMIN)
    me = user.employee_id
    if me is None:
        return roles
    if me == employee.id:
        return roles | {OWNER}
    appraiser, superior = people
    if appraiser is not None and appraiser.id == me:
        roles.add(APPRAISER)
    if superior is not None and superior.id == me:
        roles.add(SUPERIOR)
    if employee.unit_id:
        headed = opd_headed_by(user.employee)
        if headed is not None and employee.unit.path.startswith(headed.path):
            roles.add(OPD_HEAD)
    return roles


def sees_talent(user, roles: set[str]) -> bool:
    """The talent box follows the map's own rule (domain/followup.md §6): BKPSDM and the head
    of the OPD; the employee only when the regency shows people their own box."""
    if user.role == "admin" or OPD_HEAD in roles:
        return True
    return OWNER in roles and talent_settings.own_box_visible()


ALL_CASES, AUTHORITY_CASES, OWN_CASES = "all", "authority", "own"


def discipline_reach(user, roles: set[str]) -> str | None:
    """Which discipline cases the reader sees, as the discipline area lets them read cases:
    BKPSDM and the admin OPD all, the head of the OPD those in their authority, the employee
    theirs once examined; the Pejabat Penilai and the Atasan none (None)."""
    if ADMIN in roles or user.role == "admin":
        return ALL_CASES
    if OPD_HEAD in roles:
        return AUTHORITY_CASES
    return OWN_CASES if OWNER in roles else None


@dataclass
class TrainingYear:
    year: int
    hours: int
    activities: int

    @property
    def meets(self) -> bool:
        return training_rules.meets(self.hours)

    @property
    def shortfall(self) -> int:
        return training_rules.shortfall(self.hours)


@dataclass
class Talent:
    year: int
    person: placement.Person
    label: str


@dataclass
class Record:
    employee: Employee
    opd: Unit | None
    appraiser: Employee | None
    superior: Employee | None
    predikats: list                     # (evaluation, period label), newest first
    plans: list                         # CoachingPlan with .basis (evaluation or None)
    training: list                      # TrainingYear, newest first, this year always present
    decisions: list                     # approved rewards and sanctions, latest first
    in_force: set = field(default_factory=set)   # ids of those in force today
    talent: Talent | None = None
    credit: credits.Credit | None = None
    discipline: list | None = None      # None: not shown to this reader


def _predikats(employee_id) -> list:
    """Every evaluation with a predikat in force, with its period's name: two queries (the
    cadence of every year at once, so a long history does not cost a query per year)."""
    rows = list(Evaluation.select(Evaluation.id, Evaluation.year, Evaluation.kind, Evaluation.number,
                                  Evaluation.status, Evaluation.predikat)
                .where((Evaluation.employee == employee_id)
                       & Evaluation.status.in_(eval_rules.WITH_PREDIKAT)
                       & Evaluation.predikat.is_null(False))
                .order_by(Evaluation.year.desc(), Evaluation.kind, Evaluation.number.desc()))
    if not rows:
        return []
    cadences = dict(PerformanceYear.select(PerformanceYear.year, PerformanceYear.evaluation_cadence)
                    .where(PerformanceYear.year.in_({e.year for e in rows})).tuples())
    labels = {}
    for year in {e.year for e in rows}:
        cadence = cadences.get(year)
        cadence = cadence if cadence in eval_rules.CADENCES else eval_rules.DEFAULT_CADENCE
        for period in eval_rules.periods(year, cadence) + [eval_rules.annual_period(year)]:
            labels[(year, period.kind, period.number)] = period.label
    return [(ev, labels.get((ev.year, ev.kind, ev.number), str(ev.year))) for ev in rows]


def _plans(employee_id, labels: dict) -> list:
    """Coaching plans, the open one first, with the evaluation they started from."""
    Basis = Evaluation.alias()
    plans = list(CoachingPlan.select(CoachingPlan.id, CoachingPlan.evaluation, CoachingPlan.appraiser,
                                     CoachingPlan.superior, CoachingPlan.status, CoachingPlan.outcome,
                                     CoachingPlan.opened_at, CoachingPlan.improvement_starts,
                                     CoachingPlan.improvement_ends, Basis.id, Basis.year,
                                     Basis.predikat)
                 .join(Basis, JOIN.LEFT_OUTER, on=(CoachingPlan.evaluation == Basis.id), attr="basis")
                 .where(CoachingPlan.employee == employee_id)
                 .order_by(CoachingPlan.status != "open", CoachingPlan.opened_at.desc(),
                           CoachingPlan.id.desc()))
    for plan in plans:
        basis = plan.basis if plan.evaluation_id else None
        plan.basis_label = labels.get(basis.id, str(basis.year)) if basis is not None else ""
    return plans


def _training(employee_id, today: datetime.date) -> list[TrainingYear]:
    totals = {year: TrainingYear(year, int(hours or 0), count) for year, hours, count in
              TrainingRecord.select(TrainingRecord.year, fn.SUM(TrainingRecord.hours),
                                    fn.COUNT(TrainingRecord.id))
              .where(TrainingRecord.employee == employee_id)
              .group_by(TrainingRecord.year).tuples()}
    # This year is shown even before anything is recorded: that is when the gap matters.
    totals.setdefault(today.year, TrainingYear(today.year, 0, 0))
    return sorted(totals.values(), key=lambda t: -t.year)


def _discipline(employee_id, reach: str) -> list:
    """The employee's discipline cases within the reader's reach, latest first."""
    query = (DisciplineCase.select(DisciplineCase.id, DisciplineCase.year, DisciplineCase.source,
                                   DisciplineCase.days, DisciplineCase.level, DisciplineCase.kind,
                                   DisciplineCase.status, DisciplineCase.proposed_at,
                                   DisciplineCase.examined_on, DisciplineCase.decided_at)
             .where(DisciplineCase.employee == employee_id))
    if reach == OWN_CASES:
        query = query.where(DisciplineCase.examined_on.is_null(False)
                            & (DisciplineCase.status != discipline_rules.PROPOSED))
    elif reach == AUTHORITY_CASES:
        query = query.where(DisciplineCase.authority == discipline_rules.OPD_HEAD)
    return list(query.order_by(DisciplineCase.proposed_at.desc(), DisciplineCase.id.desc()))


def _talent(employee, today) -> Talent | None:
    year = placement.default_year(today)
    people = placement.talent_map(year, employee_id=employee.id).people
    if not people:
        return None
    person = placement.describe(people, year)[0]
    labels = talent_settings.box_labels()
    return Talent(year, person, labels.get(person.box, "") if person.box else "")


def record(employee, people, today: datetime.date, talent: bool, discipline: str | None = None) -> Record:
    """The whole record; `people`: people_of(employee); `talent`: whether the reader may see
    the talent box; `discipline`: the reach of discipline_reach() (None: no cases)."""
    opd = None
    if employee.unit_id:
        opd_id = (Unit.path_ids(employee.unit.path) or [None])[0]
        opd = employee.unit if opd_id == employee.unit_id else Unit.get_or_none(Unit.id == opd_id)
    appraiser, superior = people
    predikats = _predikats(employee.id)
    ledger = decisions.ledger_for(employee.id)
    result = Record(
        employee=employee, opd=opd, appraiser=appraiser, superior=superior, predikats=predikats,
        plans=_plans(employee.id, {ev.id: label for ev, label in predikats}),
        training=_training(employee.id, today), decisions=ledger,
        in_force={d.id for d in ledger
                  if decision_rules.in_force(d.status, d.valid_from, d.valid_until, today)})
    if talent:
        result.talent = _talent(employee, today)
    if discipline is not None:
        result.discipline = _discipline(employee.id, discipline)
    if employee.position_id and employee.position.kind == credits.FUNCTIONAL:
        result.credit = credits.credits_for([employee])[0]
    return result
