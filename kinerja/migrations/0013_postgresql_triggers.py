"""PostgreSQL gets what SQLite got from triggers in 0001 and 0005: the audit trail refuses
UPDATE, DELETE and TRUNCATE, and `survey_tally` is kept by a trigger on `survey_response`,
so that an IKM figure reads a few tally rows instead of summing every response. The tally is
filled once here from the responses already stored. On SQLite this migration does nothing.

Same rules as the SQLite triggers (kinerja/stores/survey/stats.py): a response without a
single answer is left out; an UPDATE of the period, the status or an answer moves the
response out of its old row and into its new one, in the same transaction.
"""
from peewee import PostgresqlDatabase

ELEMENTS = range(1, 10)
COLUMNS = "period_id, status, responses, " + ", ".join(f"s{i}, c{i}" for i in ELEMENTS)


def _answered(row):
    return "(" + " OR ".join(f"{row}.u{i} IS NOT NULL" for i in ELEMENTS) + ")"


def _values(row):
    return ", ".join(f"COALESCE({row}.u{i}, 0), ({row}.u{i} IS NOT NULL)::integer" for i in ELEMENTS)


# The tally of every stored response in one statement (also bench_postgresql's data load).
BUILD_TALLY = (
    f"INSERT INTO survey_tally ({COLUMNS}) SELECT period_id, status, COUNT(*), "
    + ", ".join(f"SUM(COALESCE(u{i}, 0)), COUNT(u{i})" for i in ELEMENTS)
    + f" FROM survey_response WHERE {_answered('survey_response')} GROUP BY period_id, status")

KEEP_TALLY = f"""
CREATE FUNCTION survey_tally_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND {_answered('OLD')} THEN
    UPDATE survey_tally SET responses = responses - 1,
      {', '.join(f's{i} = s{i} - COALESCE(OLD.u{i}, 0), c{i} = c{i} - (OLD.u{i} IS NOT NULL)::integer'
                 for i in ELEMENTS)}
    WHERE period_id = OLD.period_id AND status = OLD.status;
  END IF;
  IF TG_OP <> 'DELETE' AND {_answered('NEW')} THEN
    INSERT INTO survey_tally ({COLUMNS}) VALUES (NEW.period_id, NEW.status, 1, {_values('NEW')})
    ON CONFLICT (period_id, status) DO UPDATE SET responses = survey_tally.responses + 1,
      {', '.join(f's{i} = survey_tally.s{i} + excluded.s{i}, c{i} = survey_tally.c{i} + excluded.c{i}'
                 for i in ELEMENTS)};
  END IF;
  RETURN NULL;
END $$"""

TALLY_TRIGGER = f"""
CREATE TRIGGER survey_tally_keep
AFTER INSERT OR DELETE OR UPDATE OF period_id, status, {', '.join(f'u{i}' for i in ELEMENTS)}
ON survey_response FOR EACH ROW EXECUTE FUNCTION survey_tally_keep()"""

APPEND_ONLY = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$"""


def up(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql(APPEND_ONLY)
    db.execute_sql("CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
    db.execute_sql("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()")
    db.execute_sql(KEEP_TALLY)
    db.execute_sql(TALLY_TRIGGER)
    db.execute_sql("DELETE FROM survey_tally")
    db.execute_sql(BUILD_TALLY)


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql("DROP TRIGGER IF EXISTS survey_tally_keep ON survey_response")
    db.execute_sql("DROP FUNCTION IF EXISTS survey_tally_keep()")
    db.execute_sql("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
    db.execute_sql("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    db.execute_sql("DROP FUNCTION IF EXISTS audit_log_append_only()")
    db.execute_sql("DELETE FROM survey_tally")
