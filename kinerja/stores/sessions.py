"""Signing in and out: login attempts counted for throttling, the server-side sessions of
each browser, and the owner's own change of password. Each write is one transaction; the
owner's own steps are audited in it."""
import datetime
import secrets

from ..models import AuditLog, LoginAttempt, User, UserSession, db, utcnow

# A session unused for this long is gone even if the browser kept its cookie.
SESSION_DAYS = 30


def account_named(username: str) -> User | None:
    return User.get_or_none(User.username == username)


def reserve_attempt(limits: dict[str, int], minutes: int) -> tuple[list[int], bool]:
    """Count this attempt before its password is checked, in one transaction, so that
    parallel tries cannot all pass the count: (ids of the rows written, throttled?)."""
    since = utcnow() - datetime.timedelta(minutes=minutes)
    with db.atomic():
        ids = [LoginAttempt.create(key=key).id for key in limits]
        throttled = any(
            LoginAttempt.select().where((LoginAttempt.key == key) & (LoginAttempt.at >= since)).count() > limit
            for key, limit in limits.items())
    return ids, throttled


def signed_in(user: User, attempt_ids: list[int], key: str | None = None) -> None:
    """A successful login: its own attempt rows, and the earlier failures of that key, are
    forgotten; the time of the login is kept."""
    condition = LoginAttempt.id.in_(attempt_ids)
    if key:
        condition |= LoginAttempt.key == key
    with db.atomic():
        LoginAttempt.delete().where(condition).execute()
        user.last_login = utcnow()
        user.save(only=[User.last_login])


def start_session(user: User) -> None:
    """A new server-side session for this browser (before login_user writes the cookie)."""
    since = utcnow() - datetime.timedelta(days=SESSION_DAYS)
    with db.atomic():
        UserSession.delete().where((UserSession.user == user.id) & (UserSession.created_at < since)).execute()
        user.session_token = secrets.token_urlsafe(32)
        UserSession.create(user=user.id, token=user.session_token)


def end_session(user) -> None:
    """This browser's session: a saved copy of the cookie no longer works."""
    UserSession.delete().where((UserSession.user == user.id)
                               & (UserSession.token == user.session_token)).execute()


def end_every_session(user_id: int) -> None:
    """Every session of the account, on every browser, the caller's included."""
    with db.atomic():
        user = User.get_by_id(user_id)
        User.update(session_version=User.session_version + 1).where(User.id == user.id).execute()
        UserSession.delete().where(UserSession.user == user.id).execute()
        AuditLog.record(user, "sessions_ended", "user", user.id,
                        f"{user.username} keluar dari semua perangkat")


def change_own_password(user_id: int, password_hash: str, session_token: str) -> User:
    """The owner's new password: every other session of the account ends, this browser's
    (`session_token`) stays. Returns the account with its new session version."""
    with db.atomic():
        user = User.get_by_id(user_id)
        user.password_hash = password_hash
        user.must_change_password = False
        user.session_version += 1
        user.save()
        user.session_token = session_token
        UserSession.delete().where((UserSession.user == user.id)
                                   & (UserSession.token != session_token)).execute()
        AuditLog.record(user, "password_changed", "user", user.id,
                        f"Kata sandi {user.username} diubah oleh pemiliknya")
    return user
