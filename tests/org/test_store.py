"""The organisation and account stores decide inside their transaction, from the rows as they
are then: a step another admin made impossible a moment earlier is refused with its reason."""
import pytest

from kinerja.models import Employee, Unit, User
from kinerja.rules import DomainError
from kinerja.stores import accounts
from kinerja.stores.org import employees, units

from ..support.org import audit_rows, fresh, holder, position, unit
from ..support import database


@pytest.fixture
def in_db(app):
    with database(app):
        yield


def test_an_appraiser_deactivated_after_the_form_was_checked_is_refused(in_db):
    admin = User.get(User.username == "admin")
    nurse, chosen = holder("Perawat Ahli Pertama"), holder("Kepala UPTD Puskesmas Sukamaju")
    Employee.update(active=False).where(Employee.id == chosen.id).execute()
    with pytest.raises(DomainError) as refused:
        employees.set_appraisers(admin, nurse.id, chosen, None)
    assert refused.value.field == "appraiser_nip"
    assert fresh(nurse).appraiser_override_id is None
    assert audit_rows("employee", nurse.id, "override") == []


def test_a_unit_given_a_sub_unit_a_moment_ago_is_not_switched_off(in_db):
    admin = User.get(User.username == "admin")
    empty = Unit.create(code="DINKES-LAMA", name="Seksi Lama", parent=unit("DINKES"))
    empty.refresh_path()
    child = Unit.create(code="DINKES-LAMA-1", name="Subseksi", parent=empty)
    child.refresh_path()
    with pytest.raises(DomainError, match="sub-unit aktif"):
        units.set_unit_active(admin, empty.id, False)
    assert fresh(empty).active and audit_rows("unit", empty.id) == []
    assert units.set_position_active(admin, position("Perawat Ahli Pertama").id, True) is False


def test_the_account_rules_are_run_again_inside_the_write(in_db):
    admin = User.get(User.username == "admin")
    with pytest.raises(DomainError, match="sendiri"):
        accounts.set_active(admin, None, admin.id, False)
    with pytest.raises(DomainError, match="sendiri"):
        accounts.change_role(admin, admin.id, "admin_opd", unit("DINKES").id)
    assert fresh(admin).active and fresh(admin).role == "admin"
