"""The talent stores: placement on the map, potential entries and imports, angka kredit."""
import datetime

import pytest

from kinerja.models import AuditLog, PotentialAssessment
from kinerja.rules import DomainError
from kinerja.spreadsheets import Row
from kinerja.stores.talent import credits, placement, potential

from ..support import database
from ..support.accounts import get_user

TODAY = datetime.date(2026, 11, 24)


def test_every_person_is_placed_once_or_listed_with_a_reason(app):
    with database(app):
        talent = placement.talent_map(2025)
        assert placement.default_year(TODAY) == 2025
        assert talent.placed + len(talent.unplaced()) == len(talent.people) == talent.total
        assert sum(len(talent.in_box(n)) for n in range(1, 10)) == talent.placed
        assert all(p.why_not for p in talent.unplaced())
        assert sum(n for _, n in talent.reasons) == talent.unplaced_count
        assert len(talent.unplaced(3)) == min(3, talent.unplaced_count)
        assert talent.placed > 0


def test_an_opd_map_holds_only_its_people(app, people):
    with database(app):
        from kinerja.models import Unit
        dinkes = Unit.get(Unit.code == "DINKES")
        talent = placement.talent_map(2025, dinkes, exclude_id=people.head_dinkes.id)
        assert set(talent.per_opd) <= {dinkes.id}
        assert people.head_dinkes.id not in {p.id for p in talent.people}


def test_a_second_entry_for_the_same_year_replaces_the_first_with_the_old_values_audited(app, people):
    with database(app):
        admin = get_user(app, "admin")
    with database(app):
        first = potential.enter(admin, people.perawat.nip, "rendah", None, "Uji Kompetensi",
                                datetime.date(2026, 2, 1), TODAY)
        second = potential.enter(admin, people.perawat.nip, None, "81", "Assessment Center",
                                 datetime.date(2026, 9, 1), TODAY)
        assert first.id == second.id and second.level == "tinggi"
        rows = list(AuditLog.select().where((AuditLog.action == "potential_entered")
                                            & (AuditLog.entity_id == first.id)).order_by(AuditLog.id))
        assert rows[-1].before_dict()["level"] == "rendah"


def test_an_entry_for_an_unknown_nip_is_refused_beside_the_field(app):
    with database(app):
        admin = get_user(app, "admin")
    with database(app), pytest.raises(DomainError) as error:
        potential.enter(admin, "199901012020011999", "tinggi", None, "Uji", TODAY, TODAY)
    assert error.value.field == "nip"


def test_an_import_whose_data_changed_since_the_dry_run_is_refused(app, people):
    rows = [Row(2, {"nip": people.perawat.nip, "potensial": "tinggi", "skor": None,
                    "tanggal": "2026-05-01", "sumber": "AC"})]
    headers = ["nip", "potensial", "skor", "tanggal", "sumber"]
    with database(app):
        admin = get_user(app, "admin")
    with database(app):
        plan = potential.plan_import(headers, rows, TODAY)
        with pytest.raises(DomainError):
            potential.confirm_import(admin, headers, rows, TODAY, "0" * 32, "a.xlsx")
        assert not PotentialAssessment.select().where(PotentialAssessment.year == 2026).exists()
        potential.confirm_import(admin, headers, rows, TODAY, plan.digest, "a.xlsx")
        assert PotentialAssessment.select().where(PotentialAssessment.year == 2026).count() == 1


def test_angka_kredit_of_the_functional_staff_with_history(app):
    with database(app):
        rows = credits.credits_for(list(credits.in_unit(None)))
        with_history = [c for c in rows if c.standing and c.standing.years]
        assert with_history
        for credit in with_history:
            years = [year for year, *_ in credit.standing.years]
            assert years == sorted(years)
            assert credit.standing.total == sum(counted for *_, counted in credit.standing.years)
            assert credit.coefficient == credits.tables()[0][credit.jenjang]
