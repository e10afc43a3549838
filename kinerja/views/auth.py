"""Login with NIP or username, throttled; logout; change of password."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..forms.auth import ChangePasswordForm, LoginForm
from ..htmx import is_htmx
from ..models import AuditLog, LoginAttempt, User, db, utcnow
from ..rules.nip import normalise
from ..security import hash_password, verify_password
from ..web import safe_next

bp = Blueprint("auth", __name__)

ALLOWED_WHILE_MUST_CHANGE = {"auth.change_password", "auth.logout", "static", "main.healthz"}


@bp.before_app_request
def force_password_change():
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in ALLOWED_WHILE_MUST_CHANGE
            and request.blueprint not in ("survey_public",)):
        if is_htmx() or request.method != "GET":
            # Fragments (the notification poll) must neither redirect the page the user is
            # typing a new password on, nor become the place they land afterwards.
            return "", 204
        flash("Silakan buat kata sandi Anda sendiri sebelum melanjutkan.", "warning")
        return redirect(url_for("auth.change_password", next=request.full_path))


def _throttled(username: str, address: str) -> bool:
    cfg = current_app.config
    minutes = cfg["LOGIN_WINDOW_MINUTES"]
    return (LoginAttempt.recent(f"u:{username}", minutes) >= cfg["LOGIN_MAX_PER_ACCOUNT"]
            or LoginAttempt.recent(f"ip:{address}", minutes) >= cfg["LOGIN_MAX_PER_ADDRESS"])


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        raw = form.username.data.strip()
        username = normalise(raw) if normalise(raw).isdigit() else raw.lower()
        address = request.remote_addr or "-"
        if _throttled(username, address):
            error = (f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam "
                     f"{current_app.config['LOGIN_WINDOW_MINUTES']} menit.")
            status = 429
        else:
            user = User.get_or_none(User.username == username)
            if verify_password(user, form.password.data) and user.active:
                with db.atomic():
                    LoginAttempt.delete().where(LoginAttempt.key == f"u:{username}").execute()
                    user.last_login = utcnow()
                    user.save(only=[User.last_login])
                login_user(user)
                target = safe_next(request.args.get("next"), url_for("main.dashboard"))
                if user.must_change_password:
                    return redirect(url_for("auth.change_password", next=target))
                return redirect(target)
            with db.atomic():
                LoginAttempt.insert_many([{"key": f"u:{username}"}, {"key": f"ip:{address}"}]).execute()
            # One message whether the account exists, is inactive or the password is wrong.
            error = "NIP/nama pengguna atau kata sandi salah."
            status = 401
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/keluar")
def logout():
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm(username=current_user.username)
    if form.validate_on_submit():
        if not verify_password(current_user, form.current.data):
            form.current.errors.append("Kata sandi saat ini salah.")
        else:
            user = User.get_by_id(current_user.id)
            with db.atomic():
                user.password_hash = hash_password(form.new.data)
                user.must_change_password = False
                user.session_version += 1  # other sessions of this account end here
                user.save()
                AuditLog.record(user, "password_changed", "user", user.id,
                                f"Kata sandi {user.username} diubah oleh pemiliknya")
            login_user(user)
            flash("Kata sandi berhasil diubah.", "success")
            return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/change_password.html", form=form), status
