"""Accounts: list, reset a password, deactivate/reactivate, roles, system accounts."""
from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from ..forms.accounts import AccountSearchForm, CreateAccountForm, RoleForm
from ..htmx import respond
from ..paging import page_number
from ..rules import DomainError
from ..rules.accounts import manage_denial, may_change_roles, may_manage, role_change_denial
from ..rules.passwords import one_time_password
from ..security import admin_scope_unit, hash_password
from ..stores import accounts as store
from ..stores.org.tree import unit_choices
from .toolkit import deny, refused, require_roles

bp = Blueprint("accounts", __name__, url_prefix="/akun")
require_roles(bp, "admin", "admin_opd")

PER_PAGE = 25


@bp.context_processor
def _rights():
    """What the signed-in admin may do, as the templates ask it (the rules decide); nothing
    for an error page answered before the login check (a malformed address)."""
    return rights_of(current_user) if current_user.is_authenticated else {}


def rights_of(actor) -> dict:
    return {"can_change_roles": may_change_roles(actor.role),
            "can_manage": lambda account: may_manage(actor.role, account.role)}


# --- loaders ------------------------------------------------------------------------------------

def load_account(user_id: int, actor, scope, action: str | None = None):
    """An account the actor sees within their scope (404 otherwise: an admin OPD should not
    learn which ids exist elsewhere) and, for `action`, may act on (403 with the reason)."""
    account = store.get_account(scope, user_id)
    if account is None:
        abort(404)
    if action and (problem := manage_denial(action, actor.role, account.role,
                                            account.id == actor.id)):
        deny(problem)
    return account


def require_role_changes(actor) -> None:
    if problem := role_change_denial(actor.role):
        deny(problem)


def _row(account, message: str, status: int = 200, **context):
    """The account's row for htmx; for a plain form, back to the list showing that row."""
    return respond("accounts/index.html", "accounts/_account.html", status=status,
                   redirect=url_for("accounts.index", q=account.username), message=message,
                   account=account, **context)


# --- pages ----------------------------------------------------------------------------------------

@bp.get("/")
def index():
    scope = admin_scope_unit(current_user)
    form = AccountSearchForm(request.args)
    valid = form.validate()
    listing = store.account_listing(
        scope, text=form.q.data if valid else "", role=form.role.data if valid else "",
        status=form.status.data if valid else "", number=page_number(request.args.get("page")),
        per_page=PER_PAGE)
    url_args = {name: value for name, value in request.args.items() if name != "page" and value}
    create_form = (CreateAccountForm(units=unit_choices(scope))
                   if rights_of(current_user)["can_change_roles"] else None)
    return respond("accounts/index.html", "accounts/_results.html", status=200 if valid else 422,
                   form=form, listing=listing, url_args=url_args, create_form=create_form,
                   scope=scope)


@bp.get("/<int:user_id>")
def row(user_id):
    """One account's row as it stands (the "Batal" of an in-page form)."""
    account = load_account(user_id, current_user, admin_scope_unit(current_user))
    return respond(None, "accounts/_account.html",
                   redirect=url_for("accounts.index", q=account.username), account=account)


@bp.post("/<int:user_id>/atur-ulang-sandi")
def reset_password(user_id):
    scope = admin_scope_unit(current_user)
    account = load_account(user_id, current_user, scope, "reset")
    secret = one_time_password()
    account = store.reset_password(current_user, scope, account.id, hash_password(secret))
    # Shown in this response only: never stored in clear, flashed or logged.
    return respond("accounts/one_time.html", "accounts/_account.html", account=account,
                   one_time_password=secret,
                   message="Kata sandi diatur ulang. Sesi akun ini diakhiri.")


@bp.post("/<int:user_id>/nonaktifkan")
def deactivate(user_id):
    scope = admin_scope_unit(current_user)
    account = load_account(user_id, current_user, scope, "deactivate")
    account = store.set_active(current_user, scope, account.id, False)
    return _row(account, f"Akun {account.username} dinonaktifkan; sesinya diakhiri.")


@bp.post("/<int:user_id>/aktifkan")
def reactivate(user_id):
    scope = admin_scope_unit(current_user)
    account = load_account(user_id, current_user, scope, "reactivate")
    account = store.set_active(current_user, scope, account.id, True)
    return _row(account, f"Akun {account.username} aktif kembali.")


@bp.route("/<int:user_id>/peran", methods=["GET", "POST"])
def change_role(user_id):
    require_role_changes(current_user)
    scope = admin_scope_unit(current_user)
    account = load_account(user_id, current_user, scope)
    form = RoleForm(units=unit_choices(scope), has_employee=account.employee_id is not None,
                    is_self=account.id == current_user.id, id_prefix=f"role{account.id}",
                    data={"role": account.role, "scope_unit": account.scope_unit_id})
    if form.validate_on_submit():
        try:
            account, changed = store.change_role(current_user, account.id, form.role.data,
                                                 form.scope_unit.data)
        except DomainError as exc:
            refused(exc, form)
        else:
            if not changed:
                return _row(account, "Peran tidak berubah.")
            return _row(account, f"Peran {account.username} sekarang {account.role_label}"
                                 + (f" ({account.scope_unit.name})." if account.scope_unit_id else "."))
    status = 422 if form.is_submitted() else 200
    return respond("accounts/role.html", "accounts/_account.html", status=status,
                   account=account, role_form=form)


@bp.route("/baru", methods=["GET", "POST"])
def create():
    require_role_changes(current_user)
    units = unit_choices(admin_scope_unit(current_user))
    form = CreateAccountForm(units=units)
    if form.validate_on_submit():
        secret = one_time_password()
        try:
            account = store.create_system_account(current_user, form.username.data, form.role.data,
                                                  form.scope_unit.data, hash_password(secret))
        except DomainError as exc:
            refused(exc, form)
        else:
            created = {"username": account.username, "role_label": account.role_label,
                       "one_time_password": secret}
            return respond("accounts/create.html", "accounts/_create.html",
                           trigger="accountsChanged",
                           create_form=CreateAccountForm(formdata=None, units=units),
                           created=created)
    status = 422 if form.is_submitted() else 200
    return respond("accounts/create.html", "accounts/_create.html", status=status,
                   create_form=form, open_form=True)
