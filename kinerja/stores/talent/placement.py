"""Where the people of a scope stand on the nine-box map of a year: a fixed number of
queries whatever the number of people (their units, the annual predikat of the two years,
the potential levels), the placing itself done by rules/talent.py. The map reads bare ids
and codes only; names, positions and the assessments' details are read for the people a
page lists (`describe`), so the regency's map stays cheap at 10,000 employees."""
import datetime
from dataclasses import dataclass, field

from peewee import JOIN, fn

from ...models import Employee, Evaluation, Position, PotentialAssessment, Unit, db
from ...rules import talent as rules
from ...rules.evaluation import ANNUAL, WITH_PREDIKAT

# An assessment older than this many years before the map year no longer describes a person.
POTENTIAL_YEARS = 3
NOT_ASSESSED = "Belum ada hasil asesmen potensial"
INCOMPLETE = "Predikat tahunan belum lengkap"


@dataclass
class Person:
    id: int
    opd_id: int | None
    predikats: dict = field(default_factory=dict)
    performance: str | None = None
    reason: str = ""
    level: str | None = None     # the potential level in force
    box: int | None = None
    # Filled in by describe():
    nip: str = ""
    name: str = ""
    position: str = "-"
    unit: str = "-"
    potential: object = None     # the PotentialAssessment in force

    @property
    def why_not(self) -> str:
        if self.performance is None:
            return self.reason
        return NOT_ASSESSED if self.level is None else ""


@dataclass
class TalentMap:
    """Counts for the grid; the people behind them are made on demand (`people`, `in_box`,
    `unplaced`) from the bare rows, so counting 10,000 people builds no object per person."""
    year: int
    rows: list                                   # (id, opd id, first, second, level, box)
    performance: dict                            # (first, second) -> (level, reason)
    counts: dict = field(default_factory=dict)   # box -> people
    reasons: list = field(default_factory=list)  # (reason, people)
    per_opd: dict = field(default_factory=dict)  # opd id -> {box: people, 0: unplaced}

    @property
    def placed(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def unplaced_count(self) -> int:
        return self.total - self.placed

    def _person(self, row) -> Person:
        emp_id, opd_id, first, second, level, box = row
        predikats = {y: p for y, p in ((self.year - 1, first), (self.year, second)) if p}
        performance, reason = self.performance[(first, second)]
        return Person(emp_id, opd_id, predikats, performance, reason, level, box)

    @property
    def people(self) -> list:
        return [self._person(row) for row in self.rows]

    def in_box(self, box: int) -> list:
        return [self._person(row) for row in self.rows if row[5] == box]

    def unplaced(self, limit: int | None = None) -> list:
        found = (self._person(row) for row in self.rows if row[5] is None)
        return [person for person, _ in zip(found, range(limit))] if limit else list(found)


def default_year(today: datetime.date) -> int:
    """The latest year with an annual predikat in force, else the year before today's."""
    latest = (Evaluation.select(Evaluation.year)
              .where((Evaluation.kind == ANNUAL) & Evaluation.status.in_(WITH_PREDIKAT)
                     & (Evaluation.year <= today.year))
              .order_by(Evaluation.year.desc()).limit(1).scalar())
    return latest or today.year - 1


def talent_map(year: int, opd: Unit | None = None, exclude_id: int | None = None,
               employee_id: int | None = None) -> TalentMap:
    """The map of `year` for the active employees of `opd` (the regency when None), or of
    one employee; `exclude_id` leaves out the one looking (a head of OPD is not on their
    own OPD's map)."""
    opd_of = {unit_id: (Unit.path_ids(path) or [None])[0]
              for unit_id, path in Unit.select(Unit.id, Unit.path).tuples()}
    # One row per person: the annual predikat of each year and the potential level of their
    # latest assessment, looked up through the unique (employee, year…) indexes.
    before, last = Evaluation.alias(), Evaluation.alias()
    latest = PotentialAssessment.alias()
    latest_year = (latest.select(fn.MAX(latest.year))
                   .where((latest.employee == Employee.id)
                          & (latest.year >= year - POTENTIAL_YEARS + 1)))
    query = (Employee.select(Employee.id, Employee.unit, before.predikat, last.predikat,
                             PotentialAssessment.level)
             .join(before, JOIN.LEFT_OUTER, on=_annual(before, year - 1))
             .switch(Employee)
             .join(last, JOIN.LEFT_OUTER, on=_annual(last, year))
             .switch(Employee)
             .join(PotentialAssessment, JOIN.LEFT_OUTER,
                   on=((PotentialAssessment.employee == Employee.id)
                       & (PotentialAssessment.year == latest_year)))
             .where(Employee.active))
    if employee_id is not None:
        query = query.where(Employee.id == employee_id)
    elif opd is not None:
        query = query.where(Employee.unit.in_(
            [unit_id for unit_id, opd_id in opd_of.items() if opd_id == opd.id]))
    if exclude_id is not None:
        query = query.where(Employee.id != exclude_id)
    # The bare cursor: every column is an id or a code, and peewee's conversion of 10,000
    # rows would cost more than the query itself.
    result = TalentMap(year, [], {}, counts={box: 0 for box in range(1, 10)})
    performance, reasons, rows = result.performance, {}, result.rows
    for emp_id, unit_id, first, second, level in db.execute(query).fetchall():
        pair = (first, second)
        if pair not in performance:
            performance[pair] = rules.performance_level(
                year, {y: p for y, p in ((year - 1, first), (year, second)) if p})
        opd_id = opd_of.get(unit_id)
        opd_counts = result.per_opd.get(opd_id)
        if opd_counts is None and opd_id:
            opd_counts = result.per_opd[opd_id] = dict.fromkeys(range(10), 0)
        performed = performance[pair][0]
        box = rules.BOXES[(performed, level)] if performed and level else None
        if box:
            result.counts[box] += 1
        else:
            key = (NOT_ASSESSED if level is None else "") if performed else INCOMPLETE
            reasons[key] = reasons.get(key, 0) + 1
        if opd_counts is not None:
            opd_counts[box or 0] += 1
        rows.append((emp_id, opd_id, first, second, level, box))
    result.reasons = sorted(reasons.items(), key=lambda item: -item[1])
    return result


def _annual(alias, year):
    return ((alias.employee == Employee.id) & (alias.year == year) & (alias.kind == ANNUAL)
            & (alias.number == 1) & alias.status.in_(WITH_PREDIKAT))


def describe(people: list, year: int) -> list:
    """The people with their name, NIP, position, unit and assessment in force, sorted by
    name: two queries, whatever the number."""
    if not people:
        return []
    ids = [p.id for p in people]
    found = {}
    for emp_id, nip, front, name, back, position, unit in (
            Employee.select(Employee.id, Employee.nip, Employee.title_front, Employee.name,
                            Employee.title_back, Position.name, Unit.name)
            .join(Position, on=(Employee.position == Position.id), join_type=JOIN.LEFT_OUTER)
            .switch(Employee)
            .join(Unit, on=(Employee.unit == Unit.id), join_type=JOIN.LEFT_OUTER)
            .where(Employee.id.in_(ids)).tuples()):
        found[emp_id] = (nip, Employee(title_front=front or "", name=name or "",
                                       title_back=back or "").full_name, position, unit)
    assessments = {a.employee_id: a for a in PotentialAssessment.select()
                   .where(PotentialAssessment.employee.in_(ids)
                          & (PotentialAssessment.year >= year - POTENTIAL_YEARS + 1))
                   .order_by(PotentialAssessment.year, PotentialAssessment.assessed_on)}
    for person in people:
        nip, name, position, unit = found.get(person.id, ("", "", None, None))
        person.nip, person.name = nip, name
        person.position, person.unit = position or "-", unit or "-"
        person.potential = assessments.get(person.id)
    return sorted(people, key=lambda p: (p.name, p.id))
