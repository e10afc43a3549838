"""Accounts: list, reset a password, deactivate/reactivate, roles, system accounts."""
from flask import (Blueprint, abort, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_login import current_user, login_required
from peewee import JOIN, fn

from ..errors import render_error
from ..forms.accounts import AccountSearchForm, CreateAccountForm, RoleForm
from ..htmx import is_htmx, render
from ..models import ROLES, AuditLog, Employee, LoginAttempt, Unit, User, db, snapshot
from ..org_choices import unit_choices
from ..paging import Page, page_number
from ..rules.accounts import may_manage, scope_for
from ..rules.nip import normalise
from ..rules.passwords import one_time_password
from ..security import admin_scope_unit, hash_password, role_required

bp = Blueprint("accounts", __name__, url_prefix="/akun")

PER_PAGE = 25
# What the audit trail keeps of an account: never the hash, never the session counter.
AUDITED = ["username", "employee", "role", "scope_unit", "active", "must_change_password"]
ADMINS = ("admin", "admin_opd")


def _accounts():
    """Accounts with their employee, the employee's unit and the scope unit: one query."""
    scope_unit = Unit.alias()
    return (User.select(User, Employee, Unit, scope_unit)
            .join(Employee, JOIN.LEFT_OUTER, on=(User.employee == Employee.id))
            .join(Unit, JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
            .switch(User)
            .join(scope_unit, JOIN.LEFT_OUTER, on=(User.scope_unit == scope_unit.id),
                  attr="scope_unit"))


def visible_accounts(user):
    """An admin sees every account; an admin OPD only employees' accounts with the
    pegawai role in their units (never system accounts, never other admins)."""
    scope = admin_scope_unit(user)
    query = _accounts()
    if scope is None:
        return query
    return query.where((User.role == "pegawai") & Unit.within(scope))


def _account_or_404(user_id: int) -> User:
    account = visible_accounts(current_user).where(User.id == user_id).first()
    if account is None:
        abort(404)
    return account


def _search(query, form: AccountSearchForm):
    text = (form.q.data or "").strip()
    if text:
        nip = normalise(text)
        if nip.isdigit():
            query = query.where(User.username.startswith(nip))
        else:
            query = query.where(User.username.contains(text.lower()) | Employee.name.contains(text))
    if form.role.data:
        query = query.where(User.role == form.role.data)
    if form.status.data:
        query = query.where(User.active == (form.status.data == "aktif"))
    return query


def account_unit(account: User):
    """The unit an account's audit rows belong to, so the right admin OPD sees them."""
    if account.employee_id:
        return account.employee.unit_id
    return account.scope_unit_id


def _record(action: str, account: User, summary: str, before: dict):
    AuditLog.record(current_user, action, "user", account.id, summary, before=before,
                    after=snapshot(account, AUDITED), unit=account_unit(account))


def _row(account: User, message: str, status: int = 200, **context):
    """The account's row for htmx; for a plain form, back to the list showing that row."""
    if is_htmx():
        return render("accounts/index.html", "accounts/_account.html", status=status,
                      account=account, message=message, **context)
    flash(message, "success")
    return redirect(url_for("accounts.index", q=account.username))


@bp.get("/")
@login_required
@role_required(*ADMINS)
def index():
    form = AccountSearchForm(request.args)
    valid = form.validate()
    query = visible_accounts(current_user)
    if valid:
        query = _search(query, form)
    query = query.order_by(fn.COALESCE(Employee.name, User.username), User.username)
    listing = Page(query, page_number(request.args.get("page")), PER_PAGE)
    url_args = {name: value for name, value in request.args.items() if name != "page" and value}
    create_form = (CreateAccountForm(units=unit_choices(current_user))
                   if current_user.role == "admin" else None)
    return render("accounts/index.html", "accounts/_results.html", status=200 if valid else 422,
                  form=form, listing=listing, url_args=url_args, create_form=create_form)


@bp.get("/<int:user_id>")
@login_required
@role_required(*ADMINS)
def row(user_id):
    """One account's row as it stands (the "Batal" of an in-page form)."""
    account = _account_or_404(user_id)
    if not is_htmx():
        return redirect(url_for("accounts.index", q=account.username))
    return render_template("accounts/_account.html", account=account)


def _managed_account(user_id: int, on_self: str | None = None) -> User:
    """An account this admin may manage; `on_self` says why this may not be done to one's own."""
    account = _account_or_404(user_id)
    if not may_manage(current_user.role, account.role):
        abort(403)
    if on_self and account.id == current_user.id:
        abort(make_response(*render_error(403, on_self)))
    return account


@bp.post("/<int:user_id>/atur-ulang-sandi")
@login_required
@role_required(*ADMINS)
def reset_password(user_id):
    account = _managed_account(user_id, "Untuk akun Anda sendiri gunakan menu Ubah kata sandi.")
    secret = one_time_password()
    with db.atomic():
        before = snapshot(account, AUDITED)
        account.password_hash = hash_password(secret)
        account.must_change_password = True
        User.update(password_hash=account.password_hash, must_change_password=True,
                    session_version=User.session_version + 1).where(User.id == account.id).execute()
        # A locked-out owner is the usual reason for a reset: let them in with the new password.
        LoginAttempt.delete().where(LoginAttempt.key == f"u:{account.username}").execute()
        _record("password_reset", account,
                f"Kata sandi akun {account.username} diatur ulang; sesi yang berjalan diakhiri",
                before)
    # Shown in this response only: never stored in clear, flashed or logged.
    return render("accounts/one_time.html", "accounts/_account.html", account=account,
                  one_time_password=secret, message="Kata sandi diatur ulang. Sesi akun ini diakhiri.")


@bp.post("/<int:user_id>/nonaktifkan")
@login_required
@role_required(*ADMINS)
def deactivate(user_id):
    account = _managed_account(user_id, "Anda tidak dapat menonaktifkan akun Anda sendiri.")
    if account.active:
        with db.atomic():
            before = snapshot(account, AUDITED)
            account.active = False
            # load_user refuses the old version: every open session ends on its next request.
            User.update(active=False, session_version=User.session_version + 1).where(
                User.id == account.id).execute()
            _record("deactivate", account, f"Akun {account.username} dinonaktifkan", before)
    return _row(account, f"Akun {account.username} dinonaktifkan; sesinya diakhiri.")


@bp.post("/<int:user_id>/aktifkan")
@login_required
@role_required(*ADMINS)
def reactivate(user_id):
    account = _managed_account(user_id)
    if not account.active:
        with db.atomic():
            before = snapshot(account, AUDITED)
            account.active = True
            User.update(active=True).where(User.id == account.id).execute()
            _record("reactivate", account, f"Akun {account.username} diaktifkan kembali", before)
    return _row(account, f"Akun {account.username} aktif kembali.")


@bp.route("/<int:user_id>/peran", methods=["GET", "POST"])
@login_required
@role_required("admin")
def change_role(user_id):
    account = _account_or_404(user_id)
    form = RoleForm(units=unit_choices(current_user), has_employee=account.employee_id is not None,
                    is_self=account.id == current_user.id, id_prefix=f"role{account.id}",
                    data={"role": account.role, "scope_unit": account.scope_unit_id})
    if form.validate_on_submit():
        role, scope_id = form.role.data, scope_for(form.role.data, form.scope_unit.data)
        if (role, scope_id) == (account.role, account.scope_unit_id):
            return _row(account, "Peran tidak berubah.")
        with db.atomic():
            before = snapshot(account, AUDITED)
            User.update(role=role, scope_unit=scope_id).where(User.id == account.id).execute()
            account = _accounts().where(User.id == account.id).get()
            _record("role_change", account,
                    f"Peran akun {account.username}: {ROLES.get(before['role'], before['role'])} → "
                    f"{account.role_label}", before)
        return _row(account, f"Peran {account.username} sekarang {account.role_label}"
                             + (f" ({account.scope_unit.name})." if account.scope_unit_id else "."))
    status = 422 if form.is_submitted() else 200
    return render("accounts/role.html", "accounts/_account.html", status=status,
                  account=account, role_form=form)


@bp.route("/baru", methods=["GET", "POST"])
@login_required
@role_required("admin")
def create():
    form = CreateAccountForm(units=unit_choices(current_user))
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render("accounts/create.html", "accounts/_create.html", status=status,
                      create_form=form, open_form=True)
    secret = one_time_password()
    with db.atomic():
        account = User.create(username=form.username.data, password_hash=hash_password(secret),
                              role=form.role.data,
                              scope_unit=scope_for(form.role.data, form.scope_unit.data),
                              must_change_password=True)
        _record("create", account, f"Akun sistem {account.username} ({account.role_label}) dibuat",
                None)
    created = {"username": account.username, "role_label": account.role_label,
               "one_time_password": secret}
    return render("accounts/create.html", "accounts/_create.html",
                  trigger="accountsChanged",
                  create_form=CreateAccountForm(formdata=None, units=unit_choices(current_user)),
                  created=created)
