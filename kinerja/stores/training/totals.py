"""The stored JP of each employee's year (TrainingYearTotal), recomputed from the records in the
transaction that changes them: every write of a TrainingRecord calls `refresh` with the
(employee, year) pairs it touched, old and new. The total is summed again from the records,
never added to or taken from, so it cannot drift from them. Writers queue one at a time (SQLite;
the advisory lock of OneWriter on PostgreSQL), so the sum sees every record committed before."""
from peewee import EXCLUDED, fn

from ...models import TrainingRecord, TrainingYearTotal, db
from ..chunks import chunks

CHUNK = 500
FIELDS = [TrainingYearTotal.employee, TrainingYearTotal.year, TrainingYearTotal.jp]


def _sums(where=None):
    """(employee, year, JP) summed from the records, of those matching `where`."""
    query = TrainingRecord.select(TrainingRecord.employee, TrainingRecord.year,
                                  fn.SUM(TrainingRecord.hours))
    if where is not None:
        query = query.where(where)
    return query.group_by(TrainingRecord.employee, TrainingRecord.year)


def refresh(pairs) -> None:
    """Recompute the stored totals of these (employee id, year) pairs from their records; a
    pair without records keeps no row. Call inside the transaction that wrote the records."""
    by_year: dict[int, set[int]] = {}
    for who, year in pairs:
        by_year.setdefault(int(year), set()).add(int(who))
    with db.atomic():
        for year, people in sorted(by_year.items()):
            people = sorted(people)
            for chunk in chunks(people, CHUNK):
                _recompute(year, chunk)


def _recompute(year: int, people: list[int]) -> None:
    (TrainingYearTotal
     .insert_from(_sums((TrainingRecord.year == year) & TrainingRecord.employee.in_(people)), FIELDS)
     .on_conflict(conflict_target=[TrainingYearTotal.employee, TrainingYearTotal.year],
                  update={TrainingYearTotal.jp: EXCLUDED.jp})
     .execute())
    records = TrainingRecord.alias()
    none_left = ~fn.EXISTS(records.select(records.id).where(
        (records.employee == TrainingYearTotal.employee) & (records.year == TrainingYearTotal.year)))
    (TrainingYearTotal.delete()
     .where((TrainingYearTotal.year == year) & TrainingYearTotal.employee.in_(people) & none_left)
     .execute())


def rebuild() -> int:
    """Every stored total summed again from all the records (after a bulk load such as the
    demo or a benchmark); returns the number of rows."""
    with db.atomic():
        TrainingYearTotal.delete().execute()
        TrainingYearTotal.insert_from(_sums(), FIELDS).execute()
        return TrainingYearTotal.select().count()
