"""Login manager, password hashing, and the role and scope checks every view uses."""
import functools
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, redirect, request, url_for
from flask_login import LoginManager, current_user

from .htmx import is_htmx, htmx_redirect
from peewee import JOIN

from .models import Employee, Unit, User

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Silakan masuk terlebih dahulu."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

# OWASP password storage cheat sheet: argon2id, m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Tests create hundreds of accounts; the parameters there only need to be valid.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _ph() -> PasswordHasher:
    return _fast_hasher if current_app.config.get("PASSWORD_HASH_FAST") else _hasher


def hash_password(password: str) -> str:
    return _ph().hash(password)


# Verified against when the account does not exist, so the answer takes as long.
_DUMMY_HASH = _hasher.hash("kinerja-dummy-password")


def verify_password(user: User | None, password: str) -> bool:
    if user is None:
        try:
            _ph().verify(_DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            pass
        return False
    try:
        _ph().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _ph().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        user.save(only=[User.password_hash])
    return True


@login_manager.user_loader
def load_user(user_id: str):
    try:
        uid, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = (User.select(User, Employee).join(Employee, join_type=JOIN.LEFT_OUTER)
            .where(User.id == uid).first())
    if user is None or not user.active or user.session_version != version:
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    if is_htmx():
        # Come back to the page the fragment belongs to, not to the fragment itself.
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = current.path + (f"?{current.query}" if current.query else "") if current.path else None
        return htmx_redirect(url_for("auth.login", next=back), status=401)
    login_url = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    from flask import flash
    flash(login_manager.login_message, "info")
    return redirect(login_url)


def role_required(*roles):
    """Allow only accounts with one of these roles (admins pass every admin check)."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def admin_scope_unit(user: User) -> Unit | None:
    """The unit an admin OPD manages; None means the whole regency (admin)."""
    if user.role == "admin":
        return None
    if user.role == "admin_opd" and user.scope_unit_id:
        return Unit.get_or_none(Unit.id == user.scope_unit_id)
    abort(403)


def scoped_units(user: User):
    """Units an admin may see and change."""
    scope = admin_scope_unit(user)
    query = Unit.select()
    return query if scope is None else query.where(Unit.within(scope))


def unit_in_scope(user: User, unit: Unit | None) -> bool:
    scope = admin_scope_unit(user)
    if scope is None:
        return True
    return unit is not None and unit.path.startswith(scope.path)


def require_unit_scope(user: User, unit: Unit | None) -> None:
    # 404 rather than 403: an admin OPD should not learn which ids exist elsewhere.
    if not unit_in_scope(user, unit):
        abort(404)


def scoped_employees(user: User, query=None):
    """Restrict an employee query to what this admin may see."""
    query = query if query is not None else Employee.with_org()
    scope = admin_scope_unit(user)
    if scope is None:
        return query
    return query.where(Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(scope))))
