"""The training store: records counted in the year they ended, the refusals re-checked inside
the transaction, the plan of a year, and the counts per OPD summed in SQL."""
import datetime

import pytest

from kinerja.models import AuditLog, DevelopmentPlan, Employee, TrainingRecord, Unit, User
from kinerja.rules import DomainError
from kinerja.stores.training import plans, records, summary

from ..support.app import TODAY

VALUES = {"title": "Pelatihan Lintas Tahun", "kind": "klasikal", "organiser": "LAN",
          "starts": datetime.date(2025, 12, 29), "ends": datetime.date(2026, 1, 3), "hours": 30}


def user_of(employee):
    return User.get(User.employee == employee.id)


def test_a_record_counts_in_the_year_it_ended(app, cast, tmp_path):
    before = summary.year_total(cast.colleague.id, 2026)
    record = records.add_record(user_of(cast.colleague), cast.colleague, VALUES, TODAY, upload_dir=tmp_path)
    assert record.year == 2026
    assert summary.year_total(cast.colleague.id, 2026) == before + 30
    assert summary.totals_for([cast.colleague.id], 2026)[cast.colleague.id] == before + 30


def test_future_or_reversed_dates_are_refused_in_the_store(app, cast, tmp_path):
    with pytest.raises(DomainError) as error:
        records.add_record(user_of(cast.nurse), cast.nurse,
                           dict(VALUES, ends=TODAY + datetime.timedelta(days=2)), TODAY, upload_dir=tmp_path)
    assert error.value.field == "ends"
    with pytest.raises(DomainError):
        records.add_record(user_of(cast.nurse), cast.nurse,
                           dict(VALUES, starts=datetime.date(2026, 2, 1), ends=datetime.date(2026, 1, 1)),
                           TODAY, upload_dir=tmp_path)


def test_a_refused_upload_leaves_no_file(app, cast, tmp_path):
    upload = ("s.pdf", "pdf", "application/pdf", b"%PDF-1.4")
    imported = cast.imported_record()
    with pytest.raises(DomainError):
        records.update_record(user_of(cast.nurse), cast.nurse, imported.id,
                              dict(VALUES, ends=datetime.date(2026, 1, 3)), TODAY, upload, tmp_path)
    assert not any((tmp_path / "certificates").iterdir())


def test_changes_to_others_or_imported_records_are_refused(app, cast, tmp_path):
    own = cast.own_record()
    with pytest.raises(DomainError, match="tidak ditemukan"):
        records.delete_record(user_of(cast.colleague), cast.colleague, own.id, tmp_path)
    with pytest.raises(DomainError, match="hasil impor"):
        records.delete_record(user_of(cast.nurse), cast.nurse, cast.imported_record().id, tmp_path)
    assert TrainingRecord.get_or_none(TrainingRecord.id == own.id) is not None


def test_the_plan_of_a_year_is_one_row_audited(app, cast):
    actor = user_of(cast.colleague)
    plans.save_plan(actor, cast.colleague, 2026, "Gap", "Rencana", "tinggi")
    plans.save_plan(actor, cast.colleague, 2026, "Gap 2", "Rencana 2", "rendah")
    rows = list(DevelopmentPlan.select().where(DevelopmentPlan.employee == cast.colleague.id))
    assert len(rows) == 1 and rows[0].priority == "rendah"
    actions = [a.action for a in AuditLog.select().where(AuditLog.entity == "development_plan")
               .where(AuditLog.entity_id == rows[0].id).order_by(AuditLog.id)]
    assert actions == ["create", "update"]


def test_counts_per_opd_match_the_people(app, cast):
    counts = summary.opd_counts(None, TODAY.year)
    active = Employee.select().where(Employee.active & Employee.unit.is_null(False)).count()
    assert sum(c.employees for c in counts) == active
    below = summary.below_page(None, TODAY.year, None, 1, 1000)
    assert sum(c.below for c in counts) == below.total
    assert all(int(e.jp_total or 0) < 20 for e in below.items)
    totals = [int(e.jp_total or 0) for e in below.items]
    assert totals == sorted(totals)
    dinkes = Unit.get(Unit.code == "DINKES")
    scoped = summary.opd_counts(dinkes, TODAY.year)
    assert [c.opd.code for c in scoped] == ["DINKES"]
    rows = summary.below_rows(dinkes, TODAY.year)
    assert {r[4] for r in rows} == {"Dinas Kesehatan"}
    assert any(r[0] == cast.nurse.nip and r[5] == 12 and r[6] == 8 for r in rows)


def test_the_team_puts_those_below_first(app, cast):
    team = summary.team(cast.penilai, TODAY.year)
    names = [m.id for m, _ in team]
    assert cast.nurse.id in names
    met = [total >= 20 for _, total in team]
    assert met == sorted(met)
    assert summary.team(None, TODAY.year) == []
