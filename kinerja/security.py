"""Login manager, password hashing, and the role and scope checks every view uses."""
import datetime
import functools
import secrets
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, redirect, request, url_for
from flask_login import LoginManager, current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .htmx import is_htmx, htmx_redirect
from peewee import JOIN

from .models import Employee, Position, Unit, User, UserSession, utcnow
from .stores.org import tree as org_tree
from .stores.sessions import SESSION_DAYS

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


def _spend_a_check(password: str) -> None:
    try:
        _ph().verify(_DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        pass


def verify_password(user: User | None, password: str) -> bool:
    """Takes as long whether the account exists, has a password (an imported account has none
    until it is given one) or not: the time must not tell which NIPs are real."""
    if user is None:
        _spend_a_check(password)
        return False
    try:
        _ph().verify(user.password_hash, password)
    except InvalidHashError:
        _spend_a_check(password)
        return False
    except VerificationError:
        return False
    if _ph().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        user.save(only=[User.password_hash])
    return True


@login_manager.user_loader
def load_user(user_id: str):
    try:
        uid, version, token = user_id.split(":")
        uid, version = int(uid), int(version)
    except ValueError:
        return None
    since = utcnow() - datetime.timedelta(days=SESSION_DAYS)
    # The position comes along: the menu asks whether it is functional (angka kredit).
    user = (User.select(User, Employee, Position)
            .join(UserSession, on=((UserSession.user == User.id) & (UserSession.token == token)
                                   & (UserSession.created_at >= since)))
            .switch(User).join(Employee, join_type=JOIN.LEFT_OUTER)
            .join(Position, join_type=JOIN.LEFT_OUTER, on=(Employee.position == Position.id))
            .where(User.id == uid).first())
    if user is None or not user.active or user.session_version != version:
        return None
    user.session_token = token
    return user


# --- Login throttling (OWASP's device cookies) -----------------------------------------------
# Failures are counted per account and per address, but a browser that has signed in to the
# account before carries a signed device cookie and is counted on its own: someone who knows
# a NIP can slow down strangers trying it, not lock its owner out of their own browser.

DEVICE_COOKIE = "kinerja_perangkat"
DEVICE_DAYS = 365


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="perangkat-masuk")


def device_cookie_for(username: str) -> str:
    return _devices().dumps({"u": username, "n": secrets.token_urlsafe(12)})


def trusted_device(cookie: str | None, username: str) -> str | None:
    """The device's nonce when the cookie was issued to this browser for this account."""
    if not cookie or len(cookie) > 300:
        return None
    try:
        payload = _devices().loads(cookie, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None
    if isinstance(payload, dict) and payload.get("u") == username and isinstance(payload.get("n"), str):
        return payload["n"]
    return None


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


def unit_in_scope(user: User, unit: Unit | None) -> bool:
    return org_tree.in_scope(admin_scope_unit(user), unit)


def require_unit_scope(user: User, unit: Unit | None) -> None:
    # 404 rather than 403: an admin OPD should not learn which ids exist elsewhere.
    if not unit_in_scope(user, unit):
        abort(404)

