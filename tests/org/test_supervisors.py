"""Pejabat Penilai and Atasan Pejabat Penilai derived from the demo position tree."""
from kinerja.models import Employee, Position

from ..support.org import fresh, holder, position


def test_the_appraiser_is_the_holder_of_the_parent_position(app):
    perawat = holder("Perawat Ahli Pertama")
    kapus = holder("Kepala UPTD Puskesmas Sukamaju")
    kadinkes = holder("Kepala Dinas Kesehatan")
    assert perawat.derived_appraiser().id == kapus.id
    assert perawat.appraiser().id == kapus.id
    assert perawat.appraiser_superior().id == kadinkes.id
    assert kapus.appraiser().id == kadinkes.id


def test_a_head_of_opd_has_no_appraiser_in_the_tree(app):
    kadinkes = holder("Kepala Dinas Kesehatan")
    assert kadinkes.derived_appraiser() is None
    assert kadinkes.appraiser_superior() is None


def test_a_camat_is_appraised_across_opds_by_the_sekda(app):
    assert holder("Camat Sukamaju").appraiser().id == holder("Sekretaris Daerah").id


def test_derivation_walks_past_a_vacant_position(app):
    perawat = holder("Perawat Ahli Pertama")
    kapus = holder("Kepala UPTD Puskesmas Sukamaju")
    Employee.update(active=False).where(Employee.id == kapus.id).execute()
    assert perawat.derived_appraiser().id == holder("Kepala Dinas Kesehatan").id
    Employee.update(active=True, position=None).where(Employee.id == kapus.id).execute()
    assert perawat.derived_appraiser().id == holder("Kepala Dinas Kesehatan").id


def test_two_vacant_levels_in_a_row_are_skipped(app):
    perawat = holder("Perawat Ahli Pertama")
    for name in ("Kepala UPTD Puskesmas Sukamaju", "Kepala Dinas Kesehatan"):
        Employee.update(position=None).where(Employee.position == position(name)).execute()
    assert perawat.derived_appraiser() is None  # the Kepala Daerah appraises


def test_override_wins_over_the_derived_appraiser(app):
    perawat = holder("Perawat Ahli Pertama")
    sek = holder("Sekretaris Dinas Kesehatan")
    Employee.update(appraiser_override=sek.id).where(Employee.id == perawat.id).execute()
    perawat = fresh(perawat)
    assert perawat.appraiser().id == sek.id
    assert perawat.derived_appraiser().id == holder("Kepala UPTD Puskesmas Sukamaju").id
    # The superior follows the overriding appraiser unless overridden too.
    assert perawat.appraiser_superior().id == holder("Kepala Dinas Kesehatan").id
    sekda = holder("Sekretaris Daerah")
    Employee.update(appraiser_superior_override=sekda.id).where(Employee.id == perawat.id).execute()
    assert fresh(perawat).appraiser_superior().id == sekda.id


def test_subordinates_are_the_holders_below_plus_overrides_minus_those_overridden_away(app):
    kapus = holder("Kepala UPTD Puskesmas Sukamaju")
    below = {e.id for e in Employee.select().where(Employee.position.in_(
        Position.select(Position.id).where(Position.parent == kapus.position_id)))}
    assert len(below) == 9  # 4 perawat, 3 bidan, 2 pengadministrasi
    assert {e.id for e in kapus.subordinates()} == below
    moved_away = holder("Perawat Ahli Pertama")
    brought_in = holder("Dokter Ahli Pertama")
    Employee.update(appraiser_override=holder("Kepala Dinas Kesehatan").id).where(
        Employee.id == moved_away.id).execute()
    Employee.update(appraiser_override=kapus.id).where(Employee.id == brought_in.id).execute()
    assert {e.id for e in kapus.subordinates()} == (below - {moved_away.id}) | {brought_in.id}
    Employee.update(active=False).where(Employee.id == brought_in.id).execute()
    assert brought_in.id not in {e.id for e in kapus.subordinates()}
