"""An existing database upgrades in place through the numbered migrations, keeping its data,
on SQLite and on PostgreSQL."""
from playhouse.migrations import Runner

from kinerja import create_app
from kinerja.schema import MIGRATIONS, migrate
from kinerja.models import Employee, PeerFeedback, PeerFeedbackSnapshot, PerformanceYear, Unit, UserSession, db

from ..support import postgres


def _old_app(tmp_path):
    """An app on an empty database of the kind the suite runs on."""
    url = (postgres.server().create() if postgres.enabled()
           else f"sqlite:///{tmp_path / 'old.sqlite3'}")
    return create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": url})


def _add_employee(name, unit_id):
    """An employee row written with SQL as an older version of the app would have."""
    p = db.obj.param
    db.execute_sql("INSERT INTO employee (nip, name, title_front, title_back, rank, grade, "
                   f"employment_type, unit_id, active) VALUES ('198001012005011001', {p}, '', '', "
                   f"'', '', 'pns', {p}, {p})", (name, unit_id, True))


def test_an_older_database_upgrades_without_losing_rows(tmp_path):
    app = _old_app(tmp_path)
    with app.app_context():
        db.connect(reuse_if_open=True)
        applied = Runner(db.obj, str(MIGRATIONS)).up(target="0006_survey_element")
        assert applied[-1] == "0006_survey_element"
        unit = Unit.create(code="OPD", name="Dinas Contoh", path="/1/")
        _add_employee("Budi", unit.id)
        p = db.obj.param
        db.execute_sql("INSERT INTO performance_year (year, skp_deadline, evaluation_cadence, "
                       f"objection_days, is_open, created_at) VALUES (2026, '2026-01-31', "
                       f"'triwulanan', 14, {p}, '2026-01-01 00:00:00')", (True,))
        assert migrate()[:4] == ["0007_employee_list_index", "0008_peer_feedback",
                                 "0009_audit_action_index", "0010_user_session"]
        assert UserSession.select().count() == 0
        assert PerformanceYear.get_by_id(2026).peer_min_raters == 3
        assert PeerFeedback.select().count() == 0
        assert PeerFeedbackSnapshot.select().count() == 0
        assert Employee.get(Employee.nip == "198001012005011001").name == "Budi"
        assert "employee_active_name_id" in {i.name for i in db.get_indexes("employee")}
        assert "audit_log_action" in {i.name for i in db.get_indexes("audit_log")}
        assert migrate() == []
        db.close()


def test_control_characters_stored_before_are_cleaned_on_upgrade(tmp_path):
    app = _old_app(tmp_path)
    with app.app_context():
        db.connect(reuse_if_open=True)
        Runner(db.obj, str(MIGRATIONS)).up(target="0010_user_session")
        # PostgreSQL never stored a NUL (it refuses one); SQLite did.
        unit = Unit.create(code="OPD", name="Dinas\x01 Contoh" if postgres.enabled()
                           else "Dinas\x00 Contoh", path="/1/")
        _add_employee("Budi\x0bSantoso\u2028Jr", unit.id)
        assert "0011_clean_control_characters" in migrate()
        assert Unit.get_by_id(unit.id).name == "Dinas Contoh"
        assert Employee.get(Employee.nip == "198001012005011001").name == "Budi\nSantoso\nJr"
        db.close()
