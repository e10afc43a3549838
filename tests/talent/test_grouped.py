"""The map is counted in SQL by combination (the two annual predikat and the potential level
in force), and a box's names are read through a condition the rules give: over random data,
both must agree with placing every person one by one (rules.talent), for the regency and
for one OPD — counts, reasons, the OPD table, the names of each box and the unplaced."""
import datetime
from collections import Counter

from hypothesis import HealthCheck, given, settings, strategies as st

from kinerja.models import (Employee, Evaluation, PerformanceYear, PotentialAssessment, Skp,
                            Unit, db)
from kinerja.rules import talent as rules
from kinerja.rules.evaluation import PREDIKATS, WITH_PREDIKAT
from kinerja.stores.talent import placement, standing

from ..support import database

YEAR = 2031          # a map year no demo data reaches
PEOPLE = 12          # the employees given random data, out of every active one

# An annual evaluation: none, or (status, predikat); only some states keep a predikat in force.
EVALUATION = st.one_of(st.none(), st.tuples(
    st.sampled_from(["approved", "objected", "decided", "draft", "submitted", "returned"]),
    st.one_of(st.none(), st.sampled_from(sorted(PREDIKATS)))))
# Potential assessments by year: some too old for the map year, some after it (the year
# after counts, a later one does not).
ASSESSMENTS = st.dictionaries(st.integers(YEAR - 4, YEAR + 2),
                              st.sampled_from(sorted(rules.POTENTIAL)), max_size=3)
PERSON = st.tuples(EVALUATION, EVALUATION, ASSESSMENTS, st.booleans())


def _write(chosen, data) -> None:
    for year in (YEAR - 1, YEAR):
        PerformanceYear.insert(year=year, skp_deadline=datetime.date(year, 1, 31)
                               ).on_conflict_ignore().execute()
    for (emp_id, unit_id), (first, second, assessments, active) in zip(chosen, data):
        if not active:
            Employee.update(active=False).where(Employee.id == emp_id).execute()
        for year, evaluation in ((YEAR - 1, first), (YEAR, second)):
            if evaluation is None:
                continue
            skp = Skp.create(employee=emp_id, year=year, status="approved", unit=unit_id,
                             period_start=datetime.date(year, 1, 1),
                             period_end=datetime.date(year, 12, 31))
            status, predikat = evaluation
            Evaluation.create(employee=emp_id, skp=skp, year=year, kind="annual", number=1,
                              starts=datetime.date(year, 1, 1), ends=datetime.date(year, 12, 31),
                              unit=unit_id, status=status, predikat=predikat)
        for year, level in assessments.items():
            PotentialAssessment.create(employee=emp_id, year=year, level=level, source="Uji",
                                       assessed_on=datetime.date(min(year, YEAR), 3, 1))
    # Written round the stores, as a bulk load would be: the stored inputs refreshed once.
    standing.refresh([emp_id for emp_id, _ in chosen])


def _one_by_one(data_of, opd_of) -> dict:
    """{employee id: (box or None, reason counted or "", opd id, reason shown)}, placing each
    active one by the rules."""
    placed = {}
    for emp_id, unit_id in Employee.select(Employee.id, Employee.unit).where(Employee.active).tuples():
        first, second, assessments, _ = data_of.get(emp_id, (None, None, {}, True))
        predikats = {year: evaluation[1] for year, evaluation in ((YEAR - 1, first), (YEAR, second))
                     if evaluation and evaluation[0] in WITH_PREDIKAT and evaluation[1]}
        performance, why = rules.performance_level(YEAR, predikats)
        first_year, last_year = YEAR - 2, YEAR + 1   # an assessment's window, said plainly
        in_force = [year for year in assessments if first_year <= year <= last_year]
        level = assessments[max(in_force)] if in_force else None
        box = rules.box(performance, level) if performance and level else None
        reason = "" if box else (placement.INCOMPLETE if performance is None else placement.NOT_ASSESSED)
        placed[emp_id] = (box, reason, opd_of.get(unit_id), why if performance is None else reason)
    return placed


def _check(talent, expected, opd=None) -> None:
    assert talent.total == len(expected)
    assert talent.counts == {box: sum(1 for b, *_ in expected.values() if b == box)
                             for box in range(1, 10)}
    assert dict(talent.reasons) == Counter(r for b, r, *_ in expected.values() if not b)
    assert [n for _, n in talent.reasons] == sorted((n for _, n in talent.reasons), reverse=True)
    per_opd = {}
    for box, _, opd_id, _ in expected.values():
        if opd_id:
            per_opd.setdefault(opd_id, dict.fromkeys(range(10), 0))[box or 0] += 1
    assert talent.per_opd == per_opd
    # The people behind the counts, read through the rules' conditions.
    assert {p.id: p.box for p in talent.people} == {i: e[0] for i, e in expected.items()}
    for box in range(1, 10):
        ids = sorted(i for i, e in expected.items() if e[0] == box)
        assert [p.id for p in talent.in_box(box)] == ids
        assert all(p.box == box for p in talent.in_box(box))
        people, total = placement.box_people(YEAR, box, opd, limit=2)
        assert total == len(ids) and [p.id for p in people] == ids[:2]
    unplaced = sorted(i for i, e in expected.items() if not e[0])
    assert [p.id for p in talent.unplaced()] == unplaced
    assert [p.id for p in talent.unplaced(3)] == unplaced[:3]
    assert [p.why_not for p in talent.unplaced()] == [expected[i][3] for i in unplaced]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(PERSON, min_size=PEOPLE, max_size=PEOPLE))
def test_counting_by_combination_equals_placing_each_person(app, data):
    with database(app):
        opd_of = {unit_id: (Unit.path_ids(path) or [None])[0]
                  for unit_id, path in Unit.select(Unit.id, Unit.path).tuples()}
        chosen = list(Employee.select(Employee.id, Employee.unit).where(Employee.active)
                      .order_by(Employee.id).limit(PEOPLE).tuples())
        with db.atomic() as transaction:
            _write(chosen, data)
            data_of = {emp_id: person for (emp_id, _), person in zip(chosen, data)}
            expected = _one_by_one(data_of, opd_of)
            _check(placement.talent_map(YEAR), expected)
            opd = Unit.get_by_id(opd_of[chosen[0][1]])
            _check(placement.talent_map(YEAR, opd),
                   {i: e for i, e in expected.items() if e[2] == opd.id}, opd)
            transaction.rollback()
