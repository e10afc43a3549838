"""The talent map's stored inputs (TalentStanding): which map years a person's predikat and
assessments reach, kept by every write that can change them — approving and deciding an annual
evaluation, entering and importing a potential score — and filled by the migration from what a
regency had already stored."""
import datetime

import pytest
from hypothesis import given, strategies as st
from playhouse.migrations import Runner

from kinerja import create_app
from kinerja.models import (Employee, Evaluation, PerformanceYear, PotentialAssessment, Skp,
                            TalentStanding, Unit, User, db)
from kinerja.rules import talent as rules
from kinerja.rules.evaluation import PREDIKATS
from kinerja.schema import MIGRATIONS, migrate
from kinerja.stores.evaluation import workflow
from kinerja.stores.talent import placement, potential, standing

from ..support import database, postgres
from ..support.app import TODAY
from ..support.evaluation import demo_cast

YEAR = TODAY.year
PREDIKAT_YEARS = st.dictionaries(st.integers(2018, 2026), st.sampled_from(sorted(PREDIKATS)),
                                 max_size=4)
LEVEL_YEARS = st.dictionaries(st.integers(2018, 2026), st.sampled_from(sorted(rules.POTENTIAL)),
                              max_size=3)


def test_an_assessment_counts_from_two_years_before_to_the_year_after_the_map():
    levels = {2021: "rendah", 2025: "tinggi"}
    assert rules.potential_in_force(2023, levels) == "rendah"   # 2021 is two years before
    assert rules.potential_in_force(2024, levels) == "tinggi"   # the latest, made the year after
    assert rules.potential_in_force(2027, levels) == "tinggi"
    assert rules.potential_in_force(2028, levels) is None       # three years old: too old
    assert rules.potential_in_force(2020, levels) == "rendah"   # made the year after
    assert rules.potential_in_force(2019, levels) is None       # two years later: not yet


@given(predikats=PREDIKAT_YEARS, levels=LEVEL_YEARS)
def test_the_stored_rows_are_exactly_the_map_years_something_reaches(predikats, levels):
    rows = {year: rest for year, *rest in standing.rows_of(predikats, levels)}
    for year in range(2010, 2035):
        # Said plainly: the latest assessment made from two years before to the year after.
        window = [made for made in levels if year - 2 <= made <= year + 1]
        expected = [predikats.get(year - 1), predikats.get(year),
                    levels[max(window)] if window else None]
        if any(expected):
            assert rows.get(year) == expected, year
        else:
            assert year not in rows, year


@pytest.fixture
def cast(app):
    return demo_cast()


def _account(employee):
    return User.get(User.employee == employee.id)


def _annual_waiting(employee, appraiser) -> Evaluation:
    skp = Skp.approved_for(employee.id, YEAR)
    return Evaluation.create(employee=employee.id, skp=skp.id, year=YEAR, kind="annual", number=1,
                             starts=datetime.date(YEAR, 1, 1), ends=datetime.date(YEAR, 12, 31),
                             unit=employee.unit_id, appraiser=appraiser.id, status="submitted")


def _placed(employee):
    return placement.talent_map(YEAR, employee_id=employee.id).people[0]


def test_approving_and_deciding_an_annual_evaluation_move_the_person_on_the_map(app, cast):
    with database(app):
        ev = _annual_waiting(cast.worker, cast.penilai)
        ev.superior = cast.atasan.id
        ev.save()
        assert _placed(cast.worker).predikats.get(YEAR) is None
        workflow.rate(_account(cast.penilai), ev.id, "approve", "above", "above", {}, {}, "", TODAY)
        assert _placed(cast.worker).predikats[YEAR] == "sangat_baik"
        workflow.file_objection(_account(cast.worker), ev.id, "Tidak sesuai", TODAY)
        assert _placed(cast.worker).predikats[YEAR] == "sangat_baik"   # in force while objected
        workflow.decide_objection(_account(cast.atasan), ev.id, "below", "below", "Ditolak", TODAY)
        assert _placed(cast.worker).predikats[YEAR] == "sangat_kurang"
        # The next year's map reads this year's predikat as its first.
        next_year = placement.talent_map(YEAR + 1, employee_id=cast.worker.id).people[0]
        assert next_year.predikats == {YEAR: "sangat_kurang"}


def test_entering_and_importing_a_potential_place_the_person_at_once(app, cast):
    with database(app):
        admin = User.get(User.username == "admin")
        PotentialAssessment.delete().where(PotentialAssessment.employee == cast.worker.id).execute()
        standing.refresh([cast.worker.id])
        assert _placed(cast.worker).level is None
        potential.enter(admin, cast.worker.nip, "tinggi", None, "Assessment Center",
                        datetime.date(YEAR, 3, 1), TODAY)
        assert _placed(cast.worker).level == "tinggi"
        headers = list(rules.IMPORT_COLUMNS)
        cells = {"nip": cast.worker.nip, "potensial": "rendah", "skor": "",
                 "tanggal": datetime.date(YEAR, 6, 1), "sumber": "Uji Kompetensi"}
        row = type("Row", (), {"line": 2, "cells": cells, "problem": None})()
        plan = potential.plan_import(headers, [row], TODAY)
        assert plan.ready, (plan.bad, plan.missing)
        potential.confirm_import(admin, headers, [row], TODAY, plan.digest, "potensi.xlsx")
        assert _placed(cast.worker).level == "rendah"


def _stored() -> list:
    return sorted(TalentStanding.select(TalentStanding.employee, TalentStanding.year,
                                        TalentStanding.first, TalentStanding.second,
                                        TalentStanding.level).tuples())


def test_after_writes_through_the_stores_the_table_equals_a_rebuild(app, cast):
    """Approving, objecting, deciding and entering potential, each keeping its own rows: the
    table then holds exactly what computing everything again from the sources gives."""
    with database(app):
        admin = User.get(User.username == "admin")
        ev = _annual_waiting(cast.worker, cast.penilai)
        ev.superior = cast.atasan.id
        ev.save()
        workflow.rate(_account(cast.penilai), ev.id, "approve", "below", "meets", {}, {}, "", TODAY)
        workflow.file_objection(_account(cast.worker), ev.id, "Tidak sesuai", TODAY)
        workflow.decide_objection(_account(cast.atasan), ev.id, "above", "above", "Dikabulkan",
                                  TODAY)
        for employee, level in ((cast.worker, "rendah"), (cast.objector, "tinggi")):
            potential.enter(admin, employee.nip, level, None, "Assessment Center",
                            datetime.date(YEAR - 1, 3, 1), TODAY)
        kept = _stored()
        this_year = next(row for row in kept if row[:2] == (cast.worker.id, YEAR))
        assert this_year[3:] == ("sangat_baik", "rendah")   # decided, and just entered
        standing.rebuild()
        assert _stored() == kept


def test_the_migration_fills_the_standing_from_stored_evaluations(tmp_path):
    url = (postgres.server().create() if postgres.enabled()
           else f"sqlite:///{tmp_path / 'old.sqlite3'}")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": url})
    with app.app_context():
        db.connect(reuse_if_open=True)
        Runner(db.obj, str(MIGRATIONS)).up(target="0027_training_year_totals")
        assert "talent_standing" not in db.get_tables()
        opd = Unit.create(code="OPD", name="Dinas Contoh", path="/1/")
        a = Employee.create(nip="198001012005011001", name="Ani", unit=opd.id)
        b = Employee.create(nip="198001012005011002", name="Budi", unit=opd.id)
        for year, predikat, status in ((2024, "baik", "approved"), (2025, "sangat_baik", "decided"),
                                       (2026, "kurang", "submitted")):
            PerformanceYear.create(year=year, skp_deadline=datetime.date(year, 1, 31))
            skp = Skp.create(employee=a.id, year=year, status="approved", unit=opd.id,
                             period_start=datetime.date(year, 1, 1),
                             period_end=datetime.date(year, 12, 31))
            Evaluation.create(employee=a.id, skp=skp.id, year=year, kind="annual", number=1,
                              starts=datetime.date(year, 1, 1), ends=datetime.date(year, 12, 31),
                              unit=opd.id, status=status, predikat=predikat)
        PotentialAssessment.create(employee=b.id, year=2025, level="menengah", source="Uji",
                                   assessed_on=datetime.date(2025, 3, 1))
        assert "0028_talent_standing" in migrate()
        stored = _stored()
        # Ani: 2024 and 2025 final (2026 only submitted); Budi: 2025's assessment, 2024–2027.
        assert stored == [(a.id, 2024, None, "baik", None), (a.id, 2025, "baik", "sangat_baik", None),
                          (a.id, 2026, "sangat_baik", None, None),
                          (b.id, 2024, None, None, "menengah"), (b.id, 2025, None, None, "menengah"),
                          (b.id, 2026, None, None, "menengah"), (b.id, 2027, None, None, "menengah")]
        standing.rebuild()
        assert _stored() == stored
        db.close()
