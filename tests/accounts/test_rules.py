from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.accounts import (
    ROLE_CODES, manage_denial, may_change_roles, may_manage, role_change_denial, role_problems,
    scope_for, username_problems,
)
from kinerja.rules.passwords import one_time_password, password_problems

roles = st.sampled_from(ROLE_CODES)


def test_only_admin_changes_roles():
    assert may_change_roles("admin")
    assert not may_change_roles("admin_opd") and not may_change_roles("pegawai")


@given(roles)
def test_admin_opd_manages_only_pegawai_and_pegawai_nobody(target):
    assert may_manage("admin", target)
    assert may_manage("admin_opd", target) == (target == "pegawai")
    assert not may_manage("pegawai", target)


@given(st.sampled_from(["reset", "deactivate", "reactivate"]), roles, roles, st.booleans())
def test_managing_is_refused_with_a_reason_exactly_when_not_allowed(action, actor, target, is_self):
    problem = manage_denial(action, actor, target, is_self)
    allowed = may_manage(actor, target) and not (is_self and action != "reactivate")
    assert (problem is None) == allowed
    if is_self and may_manage(actor, target) and problem:
        assert "sendiri" in problem


@given(roles)
def test_only_admin_is_let_change_roles(actor):
    assert (role_change_denial(actor) is None) == may_change_roles(actor)


@given(roles, st.booleans(), st.booleans())
def test_nobody_changes_their_own_role(role, has_employee, has_scope):
    assert role_problems(role, has_employee=has_employee, has_scope=has_scope, is_self=True)


def test_role_rules():
    ok = dict(has_employee=True, has_scope=True, is_self=False)
    assert role_problems("admin_opd", **ok) == []
    assert role_problems("admin_opd", **dict(ok, has_scope=False))
    assert role_problems("pegawai", **dict(ok, has_employee=False))
    assert role_problems("admin", **dict(ok, has_employee=False, has_scope=False)) == []
    assert role_problems("raja", **ok) == ["Peran tidak dikenal."]


@given(roles, st.one_of(st.none(), st.integers()))
def test_only_admin_opd_keeps_a_scope(role, scope):
    assert scope_for(role, scope) == (scope if role == "admin_opd" else None)


def test_usernames():
    assert username_problems("admin.dinkes") == []
    assert username_problems("op_kec-2") == []
    for bad in ("", "ab", "Admin", "199001012015011001", "1abc", "nama spasi", "a" * 65, "ádmin"):
        assert username_problems(bad), bad


@given(st.text(max_size=70))
def test_a_valid_username_never_looks_like_a_nip(text):
    if not username_problems(text):
        assert text[0].isalpha() and not text.isdigit()


def test_one_time_passwords_pass_the_policy_and_differ():
    secrets = {one_time_password() for _ in range(50)}
    assert len(secrets) == 50
    assert all(not password_problems(secret) for secret in secrets)
