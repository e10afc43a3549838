"""Accounts: the list an admin sees, and every change an admin makes to an account, each in one
transaction with its audit row, the account re-read and the rule re-run inside it.

The scope is a plain value: the unit an admin OPD manages, or None for the BKPSDM admin.
Passwords arrive hashed (the strength is the app's setting): no secret passes through here."""
from peewee import JOIN, IntegrityError, fn

from ..models import ROLES, AuditLog, Employee, LoginAttempt, Unit, User, db, snapshot
from ..paging import Page
from ..rules import DomainError
from ..rules.accounts import manage_denial, role_problems, scope_for
from ..rules.nip import normalise

# What the audit trail keeps of an account: never the hash, never the session counter.
AUDITED = ["username", "employee", "role", "scope_unit", "active", "must_change_password"]


def _accounts():
    """Accounts with their employee, the employee's unit and the scope unit: one query."""
    scope_unit = Unit.alias()
    return (User.select(User, Employee, Unit, scope_unit)
            .join(Employee, JOIN.LEFT_OUTER, on=(User.employee == Employee.id))
            .join(Unit, JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
            .switch(User)
            .join(scope_unit, JOIN.LEFT_OUTER, on=(User.scope_unit == scope_unit.id),
                  attr="scope_unit"))


def visible_accounts(scope: Unit | None):
    """An admin sees every account; an admin OPD only employees' accounts with the
    pegawai role in their units (never system accounts, never other admins)."""
    query = _accounts()
    if scope is None:
        return query
    return query.where((User.role == "pegawai") & Unit.within(scope))


def get_account(scope: Unit | None, user_id: int) -> User | None:
    return visible_accounts(scope).where(User.id == user_id).first()


def account_listing(scope: Unit | None, *, text: str, role: str, status: str, number: int,
                    per_page: int) -> Page:
    """One page of the visible accounts matching a name, NIP or username, a role and a status
    ("aktif", "nonaktif"; empty for any), by name."""
    query = visible_accounts(scope)
    text = (text or "").strip()
    if text:
        nip = normalise(text)
        if nip.isdigit():
            query = query.where(User.username.startswith(nip))
        else:
            query = query.where(User.username.contains(text.lower()) | Employee.name.contains(text))
    if role:
        query = query.where(User.role == role)
    if status:
        query = query.where(User.active == (status == "aktif"))
    return Page(query.order_by(fn.COALESCE(Employee.name, User.username), User.username),
                number, per_page)


def _account_unit(account: User):
    """The unit an account's audit rows belong to, so the right admin OPD sees them."""
    if account.employee_id:
        return account.employee.unit_id
    return account.scope_unit_id


def _record(actor, action: str, account: User, summary: str, before: dict | None) -> None:
    AuditLog.record(actor, action, "user", account.id, summary, before=before,
                    after=snapshot(account, AUDITED), unit=_account_unit(account))


def _managed(actor, scope, action: str, user_id: int) -> User:
    """The account as it is now, if the actor may still do `action` to it."""
    account = get_account(scope, user_id)
    if account is None:
        raise DomainError("Akun ini tidak lagi dalam cakupan Anda.")
    problem = manage_denial(action, actor.role, account.role, account.id == actor.id)
    if problem:
        raise DomainError(problem)
    return account


def reset_password(actor, scope, user_id: int, password_hash: str) -> User:
    """A new one-time password; every open session of the account ends."""
    with db.atomic():
        account = _managed(actor, scope, "reset", user_id)
        before = snapshot(account, AUDITED)
        account.password_hash = password_hash
        account.must_change_password = True
        User.update(password_hash=password_hash, must_change_password=True,
                    session_version=User.session_version + 1).where(User.id == account.id).execute()
        # A locked-out owner is the usual reason for a reset: let them in with the new password.
        LoginAttempt.delete().where(LoginAttempt.key == f"u:{account.username}").execute()
        _record(actor, "password_reset", account,
                f"Kata sandi akun {account.username} diatur ulang; sesi yang berjalan diakhiri",
                before)
    return account


def set_active(actor, scope, user_id: int, active: bool) -> User:
    """Deactivate (every open session ends on its next request) or reactivate an account;
    nothing is written when it already is so."""
    with db.atomic():
        account = _managed(actor, scope, "reactivate" if active else "deactivate", user_id)
        if account.active == active:
            return account
        before = snapshot(account, AUDITED)
        account.active = active
        if active:
            User.update(active=True).where(User.id == account.id).execute()
            _record(actor, "reactivate", account,
                    f"Akun {account.username} diaktifkan kembali", before)
        else:
            # load_user refuses the old version: every open session ends on its next request.
            User.update(active=False, session_version=User.session_version + 1).where(
                User.id == account.id).execute()
            _record(actor, "deactivate", account, f"Akun {account.username} dinonaktifkan", before)
    return account


def change_role(actor, user_id: int, role: str, scope_unit_id: int | None) -> tuple[User, bool]:
    """Give an account a role (an admin OPD with the unit they manage). (account, changed)."""
    scope_id = scope_for(role, scope_unit_id)
    with db.atomic():
        account = _accounts().where(User.id == user_id).get()
        if (role, scope_id) == (account.role, account.scope_unit_id):
            return account, False
        problems = role_problems(role, has_employee=account.employee_id is not None,
                                 has_scope=scope_id is not None, is_self=account.id == actor.id)
        if problems:
            raise DomainError(" ".join(problems), field="role")
        before = snapshot(account, AUDITED)
        User.update(role=role, scope_unit=scope_id).where(User.id == account.id).execute()
        account = _accounts().where(User.id == account.id).get()
        _record(actor, "role_change", account,
                f"Peran akun {account.username}: {ROLES.get(before['role'], before['role'])} → "
                f"{account.role_label}", before)
    return account, True


def create_system_account(actor, username: str, role: str, scope_unit_id: int | None,
                          password_hash: str) -> User:
    """An account tied to no employee (an admin BKPSDM or an admin OPD), with a password to
    change at first login."""
    try:
        with db.atomic():
            account = User.create(username=username, password_hash=password_hash, role=role,
                                  scope_unit=scope_for(role, scope_unit_id),
                                  must_change_password=True)
            _record(actor, "create", account,
                    f"Akun sistem {account.username} ({account.role_label}) dibuat", None)
    except IntegrityError:  # the same name saved a moment earlier
        raise DomainError("Nama pengguna ini sudah dipakai.", field="username") from None
    return account
