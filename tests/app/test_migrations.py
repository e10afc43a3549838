"""An existing database upgrades in place through the numbered migrations, keeping its data."""
from playhouse.migrations import Runner

from kinerja import create_app
from kinerja.cli import MIGRATIONS, migrate
from kinerja.models import Employee, PeerFeedback, PeerFeedbackSnapshot, PerformanceYear, Unit, UserSession, db


def test_an_older_database_upgrades_without_losing_rows(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    with app.app_context():
        db.connect(reuse_if_open=True)
        applied = Runner(db.obj, str(MIGRATIONS)).up(target="0006_survey_element")
        assert applied[-1] == "0006_survey_element"
        unit = Unit.create(code="OPD", name="Dinas Contoh", path="/1/")
        db.execute_sql("INSERT INTO employee (nip, name, title_front, title_back, rank, grade, "
                       "employment_type, unit_id, active) VALUES "
                       "('198001012005011001', 'Budi', '', '', '', '', 'pns', ?, 1)", (unit.id,))
        db.execute_sql("INSERT INTO performance_year (year, skp_deadline, evaluation_cadence, "
                       "objection_days, is_open, created_at) VALUES "
                       "(2026, '2026-01-31', 'triwulanan', 14, 1, '2026-01-01 00:00:00')")
        assert migrate()[:4] == ["0007_employee_list_index", "0008_peer_feedback",
                                 "0009_audit_action_index", "0010_user_session"]
        assert UserSession.select().count() == 0
        assert PerformanceYear.get_by_id(2026).peer_min_raters == 3
        assert PeerFeedback.select().count() == 0
        assert PeerFeedbackSnapshot.select().count() == 0
        assert Employee.get(Employee.nip == "198001012005011001").name == "Budi"
        indexes = {row[1] for row in db.execute_sql("PRAGMA index_list(employee)").fetchall()}
        assert "employee_active_name_id" in indexes
        audit_indexes = {row[1] for row in db.execute_sql("PRAGMA index_list(audit_log)").fetchall()}
        assert "audit_log_action" in audit_indexes
        assert migrate() == []
        db.close()


def test_control_characters_stored_before_are_cleaned_on_upgrade(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    with app.app_context():
        db.connect(reuse_if_open=True)
        Runner(db.obj, str(MIGRATIONS)).up(target="0010_user_session")
        unit = Unit.create(code="OPD", name="Dinas\x00 Contoh", path="/1/")
        db.execute_sql("INSERT INTO employee (nip, name, title_front, title_back, rank, grade, "
                       "employment_type, unit_id, active) VALUES "
                       "('198001012005011001', ?, '', '', '', '', 'pns', ?, 1)",
                       ("Budi\x0bSantoso\u2028Jr", unit.id))
        assert "0011_clean_control_characters" in migrate()
        assert Unit.get_by_id(unit.id).name == "Dinas Contoh"
        assert Employee.get(Employee.nip == "198001012005011001").name == "Budi\nSantoso\nJr"
        db.close()
