"""Which parts of the record a reader gets, from how they stand to the employee."""
from types import SimpleNamespace

import pytest

from kinerja.stores import record as store


def user(role="pegawai"):
    return SimpleNamespace(role=role, employee_id=1)


@pytest.mark.parametrize("role, roles, reach", [
    ("admin", set(), store.ALL_CASES),
    ("admin_opd", {store.ADMIN}, store.ALL_CASES),
    ("pegawai", {store.OPD_HEAD, store.SUPERIOR}, store.AUTHORITY_CASES),
    ("pegawai", {store.OWNER}, store.OWN_CASES),
    ("pegawai", {store.APPRAISER}, None),
    ("pegawai", {store.SUPERIOR}, None),
])
def test_discipline_reach(role, roles, reach):
    assert store.discipline_reach(user(role), roles) == reach


@pytest.mark.parametrize("role, roles", [("admin", {store.ADMIN}), ("pegawai", {store.OPD_HEAD})])
def test_bkpsdm_and_the_head_of_the_opd_see_the_talent_box(role, roles):
    assert store.sees_talent(user(role), roles)


@pytest.mark.parametrize("role, roles", [("admin_opd", {store.ADMIN}), ("pegawai", {store.APPRAISER}),
                                         ("pegawai", {store.SUPERIOR})])
def test_others_around_the_employee_do_not(role, roles):
    assert not store.sees_talent(user(role), roles)
