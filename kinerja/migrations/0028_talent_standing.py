"""The talent map's inputs stored per employee and map year (the two annual predikat and the
potential level in force), so that the regency's map reads one indexed row per person instead
of probing three evaluations and the latest assessment. Filled here from the evaluations and
assessments already stored; kept by kinerja/stores/talent/standing.py from then on (the rules
are copied here as they were, so that this migration means the same thing whatever later
code says)."""
from peewee import *

WITH_PREDIKAT = ('approved', 'objected', 'decided')
POTENTIAL_YEARS = 3


def _rows(predikats, levels):
    years = set()
    for year in predikats:
        years.update((year, year + 1))
    for made in levels:
        years.update(range(made - 1, made + POTENTIAL_YEARS))
    for year in sorted(years):
        in_window = [y for y in levels if year - POTENTIAL_YEARS + 1 <= y <= year + 1]
        level = levels[max(in_window)] if in_window else None
        first, second = predikats.get(year - 1), predikats.get(year)
        if first or second or level:
            yield year, first, second, level


def up(migrator, db):
    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class TalentStanding(Model):
        employee = ForeignKeyField(Employee, on_delete='CASCADE')
        year = IntegerField()
        first = CharField(max_length=16, null=True)
        second = CharField(max_length=16, null=True)
        level = CharField(max_length=10, null=True)

        class Meta:
            database = db
            table_name = 'talent_standing'
            indexes = ((('employee', 'year'), True),
                       (('employee', 'year', 'first', 'second', 'level'), False))
    db.create_tables([TalentStanding])
    predikats, levels = {}, {}
    statuses = ", ".join(f"'{s}'" for s in WITH_PREDIKAT)
    for who, year, predikat in db.execute_sql(
            "SELECT employee_id, year, predikat FROM evaluation WHERE kind = 'annual' "
            f"AND number = 1 AND status IN ({statuses}) AND predikat IS NOT NULL").fetchall():
        predikats.setdefault(who, {})[year] = predikat
    for who, year, level in db.execute_sql(
            "SELECT employee_id, year, level FROM potential_assessment").fetchall():
        levels.setdefault(who, {})[year] = level
    rows = [(who, *row) for who in sorted(set(predikats) | set(levels))
            for row in _rows(predikats.get(who, {}), levels.get(who, {}))]
    fields = [TalentStanding.employee, TalentStanding.year, TalentStanding.first,
              TalentStanding.second, TalentStanding.level]
    for start in range(0, len(rows), 500):
        TalentStanding.insert_many(rows[start:start + 500], fields).execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_table('talent_standing'))
