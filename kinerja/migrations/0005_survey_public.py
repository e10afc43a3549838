"""SKM public side: per-period tally kept by triggers, index for a unit's recent responses."""
from peewee import *

ELEMENTS = range(1, 10)


def _answered(row):
    return "(" + " OR ".join(f"{row}.u{i} IS NOT NULL" for i in ELEMENTS) + ")"


def _add_values(row):
    return ", ".join(f"COALESCE({row}.u{i}, 0), {row}.u{i} IS NOT NULL" for i in ELEMENTS)


COLUMNS = "period_id, status, responses, " + ", ".join(f"s{i}, c{i}" for i in ELEMENTS)
ON_CONFLICT = ("ON CONFLICT (period_id, status) DO UPDATE SET responses = responses + 1, "
               + ", ".join(f"s{i} = s{i} + excluded.s{i}, c{i} = c{i} + excluded.c{i}"
                           for i in ELEMENTS))
SUBTRACT_OLD = ("UPDATE survey_tally SET responses = responses - 1, "
                + ", ".join(f"s{i} = s{i} - COALESCE(OLD.u{i}, 0), c{i} = c{i} - (OLD.u{i} IS NOT NULL)"
                            for i in ELEMENTS)
                + " WHERE period_id = OLD.period_id AND status = OLD.status")
TRIGGERS = [
    f"""CREATE TRIGGER survey_tally_after_insert AFTER INSERT ON survey_response
    WHEN {_answered('NEW')} BEGIN
      INSERT INTO survey_tally ({COLUMNS}) VALUES (NEW.period_id, NEW.status, 1, {_add_values('NEW')})
      {ON_CONFLICT};
    END""",
    f"""CREATE TRIGGER survey_tally_after_delete AFTER DELETE ON survey_response
    WHEN {_answered('OLD')} BEGIN
      {SUBTRACT_OLD};
    END""",
    f"""CREATE TRIGGER survey_tally_after_update AFTER UPDATE OF period_id, status,
      {', '.join(f'u{i}' for i in ELEMENTS)} ON survey_response BEGIN
      {SUBTRACT_OLD} AND {_answered('OLD')};
      INSERT INTO survey_tally ({COLUMNS}) SELECT NEW.period_id, NEW.status, 1, {_add_values('NEW')}
      WHERE {_answered('NEW')} {ON_CONFLICT};
    END""",
]


def up(migrator, db):
    class SurveyPeriod(Model):
        class Meta:
            database = db
            table_name = 'survey_period'

    class SurveyTally(Model):
        period = ForeignKeyField(SurveyPeriod, on_delete='CASCADE')
        status = CharField(max_length=10)
        responses = IntegerField(default=0)
        s1 = IntegerField(default=0)
        c1 = IntegerField(default=0)
        s2 = IntegerField(default=0)
        c2 = IntegerField(default=0)
        s3 = IntegerField(default=0)
        c3 = IntegerField(default=0)
        s4 = IntegerField(default=0)
        c4 = IntegerField(default=0)
        s5 = IntegerField(default=0)
        c5 = IntegerField(default=0)
        s6 = IntegerField(default=0)
        c6 = IntegerField(default=0)
        s7 = IntegerField(default=0)
        c7 = IntegerField(default=0)
        s8 = IntegerField(default=0)
        c8 = IntegerField(default=0)
        s9 = IntegerField(default=0)
        c9 = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'survey_tally'
            indexes = ((('period', 'status'), True),)
    db.create_tables([SurveyTally])
    migrator.migrate(
        migrator.add_index('survey_response', ('service_unit_id', 'submitted_at'), False))
    # The triggers use SQLite's dialect; on another database the figures are summed from
    # the responses (kinerja.survey_stats), so the table simply stays empty there.
    if isinstance(db, SqliteDatabase):
        for sql in TRIGGERS:
            db.execute_sql(sql)
        db.execute_sql(
            f"INSERT INTO survey_tally ({COLUMNS}) SELECT period_id, status, COUNT(*), "
            + ", ".join(f"SUM(COALESCE(u{i}, 0)), COUNT(u{i})" for i in ELEMENTS)
            + f" FROM survey_response WHERE {_answered('survey_response')} GROUP BY period_id, status")


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for name in ('insert', 'delete', 'update'):
            db.execute_sql(f'DROP TRIGGER IF EXISTS survey_tally_after_{name}')
    migrator.migrate(
        migrator.drop_index('survey_response', 'survey_response_service_unit_id_submitted_at'))
    migrator.migrate(migrator.drop_table('survey_tally'))
