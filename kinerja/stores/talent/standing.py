"""The stored talent-map inputs of each employee's years (TalentStanding), recomputed from the
evaluations and assessments in the transaction that changes them: every write of an annual
evaluation's state or predikat, and of a potential assessment, calls `refresh` with the
employees it touched. A person's rows are computed again from their sources, never patched, so
they cannot drift from them. Who is active and in which unit is not stored: the map joins the
employee, so a move or a departure needs nothing here."""
from ...models import Evaluation, PotentialAssessment, TalentStanding, db
from ...rules import talent as rules
from ...rules.evaluation import ANNUAL, WITH_PREDIKAT
from ..chunks import chunks

CHUNK = 500
FIELDS = [TalentStanding.employee, TalentStanding.year, TalentStanding.first,
          TalentStanding.second, TalentStanding.level]


def rows_of(predikats: dict, levels: dict) -> list[tuple]:
    """(year, first, second, level) of every map year a person's annual predikat
    {year: key} and assessments {year: level} reach, where any of the three exists."""
    rows = []
    for year in sorted(rules.standing_years(predikats, levels)):
        first, second = predikats.get(year - 1), predikats.get(year)
        level = rules.potential_in_force(year, levels)
        if first or second or level:
            rows.append((year, first, second, level))
    return rows


def _sources(people: list[int] | None):
    """({employee: {year: predikat}}, {employee: {year: level}}) of these people (all when
    None): the final annual predikat and every assessment."""
    annual = (Evaluation.select(Evaluation.employee, Evaluation.year, Evaluation.predikat)
              .where((Evaluation.kind == ANNUAL) & (Evaluation.number == 1)
                     & Evaluation.status.in_(WITH_PREDIKAT) & Evaluation.predikat.is_null(False)))
    assessed = PotentialAssessment.select(PotentialAssessment.employee, PotentialAssessment.year,
                                          PotentialAssessment.level)
    if people is not None:
        annual = annual.where(Evaluation.employee.in_(people))
        assessed = assessed.where(PotentialAssessment.employee.in_(people))
    predikats, levels = {}, {}
    for who, year, predikat in annual.tuples():
        predikats.setdefault(who, {})[year] = predikat
    for who, year, level in assessed.tuples():
        levels.setdefault(who, {})[year] = level
    return predikats, levels


def _store(people: list[int] | None) -> int:
    predikats, levels = _sources(people)
    rows = [(who, *row) for who in sorted(set(predikats) | set(levels))
            for row in rows_of(predikats.get(who, {}), levels.get(who, {}))]
    for chunk in chunks(rows, CHUNK):
        TalentStanding.insert_many(chunk, FIELDS).execute()
    return len(rows)


def refresh(employee_ids) -> None:
    """Recompute the stored rows of these employees from their evaluations and assessments.
    Call inside the transaction that wrote them."""
    people = sorted({int(who) for who in employee_ids})
    with db.atomic():
        for chunk in chunks(people, CHUNK):
            TalentStanding.delete().where(TalentStanding.employee.in_(chunk)).execute()
            _store(chunk)


def rebuild() -> int:
    """Every stored row computed again from all the evaluations and assessments (after a
    bulk load such as the demo or a benchmark); returns the number of rows."""
    with db.atomic():
        TalentStanding.delete().execute()
        return _store(None)
