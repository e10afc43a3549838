"""The Pejabat Penilai and the Atasan the record names: the model's rule (Employee.appraiser,
Employee.appraiser_superior) read in one query for the whole chain of positions above, and
the page's cost does not grow with the number of vacant positions on the way up."""
import pytest

from kinerja.models import Employee, Position
from kinerja.stores import record as store

from ..support import counted_get, database
from ..support.evaluation import as_user


def same(found, expected):
    """Two employees (or None) are the same person with the same data."""
    if found is None or expected is None:
        return found is expected
    return found.id == expected.id and found.__data__ == expected.__data__


def named(employee):
    """(Pejabat Penilai, Atasan) as the record names them and as the model does."""
    employee = Employee.get_by_id(employee.id)
    return store.people_of(employee), (employee.appraiser(), employee.appraiser_superior())


def check(employee):
    (appraiser, superior), (expected_appraiser, expected_superior) = named(employee)
    assert same(appraiser, expected_appraiser), (appraiser, expected_appraiser)
    assert same(superior, expected_superior), (superior, expected_superior)


def vacant_above(position_id, levels):
    """Put `levels` vacant positions between a position and its parent."""
    position = Position.get_by_id(position_id)
    parent = position.parent_id
    for level in range(levels):
        parent = Position.create(name=f"Jabatan kosong {level}", kind="administrator",
                                 unit=position.unit_id, parent=parent).id
    Position.update(parent=parent).where(Position.id == position.id).execute()


def test_everyone_of_the_demo_has_the_models_people(app, people):
    with database(app):
        for employee in Employee.select():
            check(employee)


@pytest.mark.parametrize("case", ["vacant", "holder_inactive", "appraiser_override",
                                  "superior_override", "appraiser_has_override", "loop",
                                  "no_position", "holder_is_self"])
def test_the_odd_cases_follow_the_model(app, people, case):
    cast = people.cast
    with database(app):
        worker = Employee.get_by_id(cast.worker.id)
        penilai = Employee.get_by_id(cast.penilai.id)
        if case == "vacant":
            vacant_above(worker.position_id, 3)
        elif case == "holder_inactive":
            Employee.update(active=False).where(Employee.id == penilai.id).execute()
        elif case == "appraiser_override":
            Employee.update(appraiser_override=people.head_bkpsdm.id).where(
                Employee.id == worker.id).execute()
        elif case == "superior_override":
            Employee.update(appraiser_superior_override=people.head_bkpsdm.id).where(
                Employee.id == worker.id).execute()
        elif case == "appraiser_has_override":
            Employee.update(appraiser_override=people.head_bkpsdm.id).where(
                Employee.id == penilai.id).execute()
        elif case == "loop":
            # Two positions above each other both ways: the walk up ends all the same.
            first = Position.create(name="Siklus A", kind="administrator", unit=worker.unit_id)
            second = Position.create(name="Siklus B", kind="administrator", unit=worker.unit_id,
                                     parent=first.id)
            Position.update(parent=second.id).where(Position.id == first.id).execute()
            Position.update(parent=first.id).where(Position.id == worker.position_id).execute()
        elif case == "no_position":
            Employee.update(position=None).where(Employee.id == worker.id).execute()
        elif case == "holder_is_self":
            # On the way up, the one holder of a position is the employee themself.
            own = Position.create(name="Jabatan sendiri", kind="pengawas", unit=worker.unit_id)
            above = Position.create(name="Jabatan kosong", kind="administrator",
                                    unit=worker.unit_id, parent=own.id)
            Position.update(parent=above.id).where(Position.id == own.id).execute()
            Employee.update(position=own.id).where(Employee.id == worker.id).execute()
        check(worker)
        check(penilai)


def test_vacant_positions_above_cost_no_query(app, client, people):
    worker = people.cast.worker
    as_user(client, "admin")
    short, _ = counted_get(client, f"/rekam-pegawai/{worker.id}")
    with database(app):
        vacant_above(Employee.get_by_id(worker.id).position_id, 4)
        penilai = Employee.get_by_id(people.cast.penilai.id)
        vacant_above(penilai.position_id, 4)
    long, html = counted_get(client, f"/rekam-pegawai/{worker.id}")
    assert people.cast.penilai.name in html
    assert long == short, (short, long)
