"""One employee's record (rekam pegawai), the page BKPSDM opens before a promotion or a
transfer: identity, predikat history, coaching plans, training hours against 20 JP, rewards
and sanctions, discipline cases, the talent box and angka kredit. Who may open it and what each
reader gets of it; the same few queries whatever the length of the history."""
import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from peewee import JOIN, fn

from ..models import (CoachingPlan, DisciplineCase, Employee, Evaluation, PerformanceYear,
                      PersonnelDecision, Position, TrainingRecord, Unit)
from ..rules import decisions as decision_rules
from ..rules import discipline as discipline_rules
from ..rules import evaluation as eval_rules
from ..rules import training as training_rules
from .evaluation.access import opd_headed_by
from .talent import credits, placement, settings as talent_settings

OWNER, APPRAISER, SUPERIOR, ADMIN, OPD_HEAD = (eval_rules.OWNER, eval_rules.APPRAISER,
                                               eval_rules.SUPERIOR, eval_rules.ADMIN, "opd_head")


def employee_of(employee_id: int) -> Employee | None:
    """The employee with their position and unit."""
    return Employee.with_org().where(Employee.id == employee_id).first()


def people_of(employee) -> tuple[Employee | None, Employee | None]:
    """(Pejabat Penilai, Atasan) as they stand today: the page names them and the reader's
    relation is read from them. The rule is the model's (`Employee.appraiser`: the override,
    else the first active holder of the nearest position above); the positions above and
    their holders are read in one query instead of two per step up."""
    chain = _chain(employee.position_id) if employee.position_id else {}

    def appraiser_of(person):
        if person.appraiser_override_id:
            return Employee.get_or_none(Employee.id == person.appraiser_override_id)
        if person.position_id is None:
            return None
        if person.position_id not in chain:
            return person.derived_appraiser()
        # Employee.derived_appraiser, walking the chain read at once.
        position, seen = person.position_id, set()
        while position is not None:
            parent = chain[position][0]
            if not parent or parent in seen:
                return None
            seen.add(parent)
            holder = chain[parent][1] if parent in chain else None
            if holder is not None and holder.id != person.id:
                return holder
            position = parent if parent in chain else None
        return None

    appraiser = appraiser_of(employee)
    if employee.appraiser_superior_override_id:
        return appraiser, employee.appraiser_superior()
    return appraiser, appraiser_of(appraiser) if appraiser is not None else None


def _chain(position_id: int) -> dict:
    """{position id: (parent id, its first active holder or None)} for the position and every
    one above it (a recursive CTE; UNION, so a loop in the tree ends), in one query."""
    Up = Position.alias()
    start = (Position.select(Position.id, Position.parent).where(Position.id == position_id)
             .cte("chain", recursive=True, columns=("pid", "parent_pid")))
    chain = start.union(Up.select(Up.id, Up.parent).join(start, on=(Up.id == start.c.parent_pid)))
    Holder = Employee.alias()
    first = (Holder.select(fn.MIN(Holder.id))
             .where((Holder.position == chain.c.pid) & Holder.active))
    rows = (Employee.select(chain.c.pid.alias("chain_pid"), chain.c.parent_pid.alias("chain_parent"),
                            *Employee._meta.sorted_fields)
            .from_(chain)
            .join(Employee, JOIN.LEFT_OUTER, on=(Employee.id == first))
            .with_cte(chain)
            .objects(_holder))
    return {row[0]: row[1:] for row in rows}


def _holder(chain_pid, chain_parent, **fields):
    return chain_pid, chain_parent, Employee(**fields) if fields.get("id") is not None else None


def relations(user, employee, people, units: dict | None = None) -> set[str]:
    """How the user stands to the employee (with their `people_of`): themself, their Pejabat
    Penilai or Atasan, an admin whose scope holds them (BKPSDM: everyone), the head of their
    OPD. Empty: the user may not open the record. The units read on the way are put in
    `units` (by id), for record() to find the OPD there."""
    roles = set()
    units = {} if units is None else units
    scope = None
    if eval_rules.admin_scoped(user) and user.scope_unit_id:
        scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
        if scope is not None:
            units[scope.id] = scope
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
        if headed is not None:
            units[headed.id] = headed
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


# The rows of the tables: bare tuples with names, not models (a long career is hundreds).
class Predikat(NamedTuple):
    id: int
    year: int
    kind: str
    number: int
    status: str
    predikat: str
    label: str          # the period's name: "Triwulan IV 2023", "Tahunan 2023"


class Plan(NamedTuple):
    id: int
    appraiser_id: int | None
    superior_id: int | None
    status: str
    outcome: str | None
    opened_at: datetime.datetime
    improvement_starts: datetime.date | None
    improvement_ends: datetime.date | None
    basis_label: str    # the period of the evaluation it started from ("" without one)
    basis_predikat: str | None


class Decision(NamedTuple):
    id: int
    category: str
    kind: str
    sk_number: str
    sk_date: datetime.date | None
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    status: str


class Case(NamedTuple):
    id: int
    source: str
    days: object        # Decimal or None
    level: str
    kind: str
    status: str
    proposed_at: datetime.datetime


@dataclass
class Record:
    employee: Employee
    opd: Unit | None
    appraiser: Employee | None
    superior: Employee | None
    predikats: list                     # Predikat, newest first
    plans: list                         # Plan, the open one first
    training: list                      # TrainingYear, newest first, this year always present
    decisions: list                     # Decision: approved rewards and sanctions, latest first
    in_force: set = field(default_factory=set)   # ids of those in force today
    talent: Talent | None = None
    credit: credits.Credit | None = None
    discipline: list | None = None      # Case; None: not shown to this reader


def _predikats(employee_id) -> list[Predikat]:
    """Every evaluation with a predikat in force, with its period's name: one query, the
    cadence of each year joined in (a long history costs no query per year)."""
    rows = list(Evaluation.select(Evaluation.id, Evaluation.year, Evaluation.kind, Evaluation.number,
                                  Evaluation.status, Evaluation.predikat,
                                  PerformanceYear.evaluation_cadence)
                .join(PerformanceYear, JOIN.LEFT_OUTER, on=(PerformanceYear.year == Evaluation.year))
                .where((Evaluation.employee == employee_id)
                       & Evaluation.status.in_(eval_rules.WITH_PREDIKAT)
                       & Evaluation.predikat.is_null(False))
                .order_by(Evaluation.year.desc(), Evaluation.kind, Evaluation.number.desc())
                .tuples())
    labels = {}
    for year, cadence in {(row[1], row[6]) for row in rows}:
        cadence = cadence if cadence in eval_rules.CADENCES else eval_rules.DEFAULT_CADENCE
        for period in eval_rules.periods(year, cadence) + [eval_rules.annual_period(year)]:
            labels[(year, period.kind, period.number)] = period.label
    return [Predikat(ev_id, year, kind, number, status, predikat,
                     labels.get((year, kind, number), str(year)))
            for ev_id, year, kind, number, status, predikat, _ in rows]


def _plans(employee_id, labels: dict) -> list[Plan]:
    """Coaching plans, the open one first, with the evaluation they started from."""
    Basis = Evaluation.alias()
    rows = (CoachingPlan.select(CoachingPlan.id, CoachingPlan.appraiser, CoachingPlan.superior,
                                CoachingPlan.status, CoachingPlan.outcome, CoachingPlan.opened_at,
                                CoachingPlan.improvement_starts, CoachingPlan.improvement_ends,
                                CoachingPlan.evaluation, Basis.id, Basis.year, Basis.predikat)
            .join(Basis, JOIN.LEFT_OUTER, on=(CoachingPlan.evaluation == Basis.id))
            .where(CoachingPlan.employee == employee_id)
            .order_by(CoachingPlan.status != "open", CoachingPlan.opened_at.desc(),
                      CoachingPlan.id.desc())
            .tuples())
    plans = []
    for *shown, evaluation_id, basis_id, basis_year, predikat in rows:
        if evaluation_id:
            plans.append(Plan(*shown, labels.get(basis_id, str(basis_year)), predikat))
        else:
            plans.append(Plan(*shown, "", None))
    return plans


def _decisions(employee_id) -> list[Decision]:
    """The employee's approved rewards and sanctions, latest first: the ledger of the
    decisions area (decisions.ledger_for) with only the columns the record shows."""
    return [Decision(*row) for row in (
        PersonnelDecision.select(PersonnelDecision.id, PersonnelDecision.category,
                                 PersonnelDecision.kind, PersonnelDecision.sk_number,
                                 PersonnelDecision.sk_date, PersonnelDecision.valid_from,
                                 PersonnelDecision.valid_until, PersonnelDecision.status)
        .where((PersonnelDecision.employee == employee_id)
               & (PersonnelDecision.status == decision_rules.APPROVED))
        .order_by(PersonnelDecision.sk_date.desc(), PersonnelDecision.id.desc())
        .tuples())]


def _training(employee_id, today: datetime.date) -> list[TrainingYear]:
    totals = {year: TrainingYear(year, int(hours or 0), count) for year, hours, count in
              TrainingRecord.select(TrainingRecord.year, fn.SUM(TrainingRecord.hours),
                                    fn.COUNT(TrainingRecord.id))
              .where(TrainingRecord.employee == employee_id)
              .group_by(TrainingRecord.year).tuples()}
    # This year is shown even before anything is recorded: that is when the gap matters.
    totals.setdefault(today.year, TrainingYear(today.year, 0, 0))
    return sorted(totals.values(), key=lambda t: -t.year)


def _discipline(employee_id, reach: str) -> list[Case]:
    """The employee's discipline cases within the reader's reach, latest first."""
    query = (DisciplineCase.select(DisciplineCase.id, DisciplineCase.source, DisciplineCase.days,
                                   DisciplineCase.level, DisciplineCase.kind, DisciplineCase.status,
                                   DisciplineCase.proposed_at)
             .where(DisciplineCase.employee == employee_id))
    if reach == OWN_CASES:
        query = query.where(DisciplineCase.examined_on.is_null(False)
                            & (DisciplineCase.status != discipline_rules.PROPOSED))
    elif reach == AUTHORITY_CASES:
        query = query.where(DisciplineCase.authority == discipline_rules.OPD_HEAD)
    return [Case(*row) for row in
            query.order_by(DisciplineCase.proposed_at.desc(), DisciplineCase.id.desc()).tuples()]


def _talent(employee, today) -> Talent | None:
    year = placement.default_year(today)
    people = placement.talent_map(year, employee_id=employee.id).people
    if not people:
        return None
    person = placement.describe(people, year)[0]
    labels = talent_settings.box_labels()
    return Talent(year, person, labels.get(person.box, "") if person.box else "")


def _opd(employee, units: dict) -> Unit | None:
    """The OPD of the employee's unit: their unit itself, one the access check read already
    (`units`, by id), or one query."""
    if not employee.unit_id:
        return None
    opd_id = (Unit.path_ids(employee.unit.path) or [None])[0]
    if opd_id == employee.unit_id:
        return employee.unit
    if opd_id in units:
        return units[opd_id]
    return Unit.get_or_none(Unit.id == opd_id)


def record(employee, people, today: datetime.date, talent: bool, discipline: str | None = None,
           units: dict | None = None) -> Record:
    """The whole record; `people`: people_of(employee); `talent`: whether the reader may see
    the talent box; `discipline`: the reach of discipline_reach() (None: no cases); `units`:
    the units relations() read, by id."""
    appraiser, superior = people
    predikats = _predikats(employee.id)
    ledger = _decisions(employee.id)
    result = Record(
        employee=employee, opd=_opd(employee, units or {}), appraiser=appraiser, superior=superior,
        predikats=predikats, plans=_plans(employee.id, {ev.id: ev.label for ev in predikats}),
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
