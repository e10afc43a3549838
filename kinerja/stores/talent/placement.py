"""Where the people of a scope stand on the nine-box map of a year. The placement depends
only on (annual predikat of the year before, annual predikat of the year, potential level in
force), so the map is counted in SQL grouped by those three and the unit, and the rules
(rules/talent.py) place a few hundred combinations instead of every person: a fixed number
of queries whatever the number of people, and no row per person read for the grid.

The people behind a count are read only when a page lists them (`in_box`, `unplaced`,
`people`): the combinations that fall in the box are worked out from the rules and become
the query's condition, with the page's LIMIT. Names, positions and the assessments' details
are read for the people listed (`describe`), so the regency's map stays cheap at 10,000
employees."""
import datetime
from dataclasses import dataclass, field
from itertools import product
from types import SimpleNamespace

from peewee import JOIN, Case, fn

from ...models import (Employee, Evaluation, Position, PotentialAssessment, TalentStanding,
                       Unit, db)
from ...rules import talent as rules
from ...rules.evaluation import ANNUAL, PREDIKATS, WITH_PREDIKAT

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


def place(year: int, first, second, level) -> tuple[str | None, str, int | None]:
    """(performance level, its reason, box) of one combination of the two annual predikat
    (keys or None) and the potential level (or None): the rules' placing of every person
    who has it."""
    performance, reason = rules.performance_level(
        year, {y: p for y, p in ((year - 1, first), (year, second)) if p})
    box = rules.BOXES[(performance, level)] if performance and level else None
    return performance, reason, box


def unplaced_reason(performance, level) -> str:
    """The reason counted for a person off the grid."""
    return (NOT_ASSESSED if level is None else "") if performance else INCOMPLETE


class _Scope:
    """The people of a map (active employees of the regency, of an OPD, or one employee)
    with the annual predikat of the two years and the potential level in force: their stored
    standing of the map year (stores/talent/standing.py), one indexed row per person."""

    def __init__(self, year, opd_of, opd=None, exclude_id=None, employee_id=None):
        self.year, self.opd_of = year, opd_of
        self.opd, self.exclude_id, self.employee_id = opd, exclude_id, employee_id
        self.first, self.second = TalentStanding.first, TalentStanding.second
        self.level = TalentStanding.level

    def select(self, *columns):
        query = (Employee.select(*columns)
                 .join(TalentStanding, JOIN.LEFT_OUTER,
                       on=((TalentStanding.employee == Employee.id)
                           & (TalentStanding.year == self.year)))
                 .where(Employee.active))
        if self.employee_id is not None:
            query = query.where(Employee.id == self.employee_id)
        elif self.opd is not None:
            query = query.where(Employee.unit.in_(
                [unit_id for unit_id, opd_id in self.opd_of.items() if opd_id == self.opd.id]))
        if self.exclude_id is not None:
            query = query.where(Employee.id != self.exclude_id)
        return query

    def combinations(self):
        """(unit id, first predikat, second predikat, potential level, people)."""
        key = (Employee.unit, self.first, self.second, self.level)
        return db.execute(self.select(*key, fn.COUNT(Employee.id)).group_by(*key)).fetchall()

    def rows(self, condition=None, limit=None) -> list:
        """(id, opd id, first, second, level) of the people meeting `condition`, by id."""
        query = self.select(Employee.id, Employee.unit, self.first, self.second,
                            self.level).order_by(Employee.id)
        if condition is not None:
            query = query.where(condition)
        if limit:
            query = query.limit(limit)
        # The bare cursor: every column is an id or a code.
        return [(emp_id, self.opd_of.get(unit_id), first, second, level)
                for emp_id, unit_id, first, second, level in db.execute(query).fetchall()]

    def _performed(self, wanted) -> object:
        """The SQL condition "the two predikat give a performance level in `wanted`": the
        pairs the rules map there, grouped by the first year's predikat."""
        seconds = {}
        for first, second in product(PREDIKATS, repeat=2):
            if place(self.year, first, second, None)[0] in wanted:
                seconds.setdefault(first, []).append(second)
        terms = [(self.first == first) & self.second.in_(listed)
                 for first, listed in seconds.items()]
        condition = terms[0] if terms else None
        for term in terms[1:]:
            condition = condition | term
        return condition

    def in_box(self, box: int):
        """The SQL condition of the people the rules put in `box`."""
        performance, level = rules.PLACE_OF_BOX[box]
        return (self.level == level) & self._performed({performance})

    def unplaced(self):
        """The SQL condition of the people the rules leave off the grid (NULLs included)."""
        placed = (self.level.in_(list(rules.POTENTIAL))
                  & self._performed(set(rules.PERFORMANCE)))
        return Case(None, [(placed, 1)], 0) == 0


@dataclass
class TalentMap:
    """Counts for the grid, per OPD and per reason for being unplaced; the people behind
    them are read on demand (`people`, `in_box`, `unplaced`)."""
    year: int
    scope: object                                # _Scope: reads the people behind a count
    performance: dict = field(default_factory=dict)  # (first, second) -> (level, reason)
    counts: dict = field(default_factory=dict)   # box -> people
    reasons: list = field(default_factory=list)  # (reason, people)
    per_opd: dict = field(default_factory=dict)  # opd id -> {box: people, 0: unplaced}
    total: int = 0

    @property
    def placed(self) -> int:
        return sum(self.counts.values())

    @property
    def unplaced_count(self) -> int:
        return self.total - self.placed

    def _person(self, row) -> Person:
        emp_id, opd_id, first, second, level = row
        predikats = {y: p for y, p in ((self.year - 1, first), (self.year, second)) if p}
        performance, reason, box = place(self.year, first, second, level)
        return Person(emp_id, opd_id, predikats, performance, reason, level, box)

    @property
    def people(self) -> list:
        return [self._person(row) for row in self.scope.rows()]

    def in_box(self, box: int, limit: int | None = None) -> list:
        if not self.counts.get(box):
            return []
        return [self._person(row) for row in self.scope.rows(self.scope.in_box(box), limit)]

    def unplaced(self, limit: int | None = None) -> list:
        if not self.unplaced_count:
            return []
        return [self._person(row) for row in self.scope.rows(self.scope.unplaced(), limit)]


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
    scope = _Scope(year, opd_of, opd, exclude_id, employee_id)
    result = TalentMap(year, scope, counts={box: 0 for box in range(1, 10)})
    placed, reasons = {}, {}
    for unit_id, first, second, level, people in scope.combinations():
        combination = (first, second, level)
        if combination not in placed:
            performance, reason, box = place(year, first, second, level)
            result.performance.setdefault((first, second), (performance, reason))
            placed[combination] = (box, None if box else unplaced_reason(performance, level))
        box, why = placed[combination]
        result.total += people
        if box:
            result.counts[box] += people
        else:
            reasons[why] = reasons.get(why, 0) + people
        opd_id = opd_of.get(unit_id)
        if opd_id:
            opd_counts = result.per_opd.get(opd_id)
            if opd_counts is None:
                opd_counts = result.per_opd[opd_id] = dict.fromkeys(range(10), 0)
            opd_counts[box or 0] += people
    result.reasons = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    return result


def box_people(year: int, box: int, opd: Unit | None = None, exclude_id: int | None = None,
               limit: int | None = None) -> tuple[list, int]:
    """(the first `limit` people the rules put in `box`, by id; how many it holds) without
    counting the whole map: the box's own condition lets the database start from its
    potential level, and the count is a query of its own only when the list was cut."""
    opd_of = {unit_id: (Unit.path_ids(path) or [None])[0]
              for unit_id, path in Unit.select(Unit.id, Unit.path).tuples()}
    scope = _Scope(year, opd_of, opd, exclude_id)
    talent = TalentMap(year, scope)
    condition = scope.in_box(box)
    people = [talent._person(row) for row in scope.rows(condition, limit)]
    if limit is None or len(people) < limit:
        return people, len(people)
    return people, scope.select(fn.COUNT(Employee.id)).where(condition).scalar()


def describe(people: list, year: int) -> list:
    """The people with their name, NIP, position, unit and assessment in force, sorted by
    name: one query, whatever the number."""
    if not people:
        return []
    latest = PotentialAssessment.alias()
    first, last = rules.potential_window(year)
    latest_year = (latest.select(fn.MAX(latest.year))
                   .where((latest.employee == Employee.id) & latest.year.between(first, last)))
    assessment = PotentialAssessment.alias()
    found = {}
    query = (Employee.select(Employee.id, Employee.nip, Employee.title_front, Employee.name,
                             Employee.title_back, Position.name, Unit.name, assessment.id,
                             assessment.year, assessment.level, assessment.score,
                             assessment.source, assessment.assessed_on)
             .join(Position, on=(Employee.position == Position.id), join_type=JOIN.LEFT_OUTER)
             .switch(Employee)
             .join(Unit, on=(Employee.unit == Unit.id), join_type=JOIN.LEFT_OUTER)
             .switch(Employee)
             .join(assessment, JOIN.LEFT_OUTER,
                   on=((assessment.employee == Employee.id) & (assessment.year == latest_year)))
             .where(Employee.id.in_([p.id for p in people])))
    # The bare cursor, converting only the two columns that need it.
    score_of, day_of = assessment.score.python_value, assessment.assessed_on.python_value
    for (emp_id, nip, front, name, back, position, unit, assessment_id, assessed_year, level,
         score, source, assessed_on) in db.execute(query).fetchall():
        found[emp_id] = (
            nip, _full_name(front, name, back), position, unit,
            PotentialAssessment(id=assessment_id, employee=emp_id, year=assessed_year,
                                level=level, score=score_of(score), source=source,
                                assessed_on=day_of(assessed_on)) if assessment_id else None)
    for person in people:
        nip, name, position, unit, potential = found.get(person.id, ("", "", None, None, None))
        person.nip, person.name = nip, name
        person.position, person.unit = position or "-", unit or "-"
        person.potential = potential
    return sorted(people, key=lambda p: (p.name, p.id))


def _full_name(front, name, back) -> str:
    """Employee.full_name without building an Employee per row."""
    return Employee.full_name.fget(SimpleNamespace(title_front=front or "", name=name or "",
                                                   title_back=back or ""))
