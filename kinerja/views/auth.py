"""Login with NIP or username, throttled; logout; change of password."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..forms.auth import ChangePasswordForm, LoginForm
from ..htmx import is_htmx
from ..rules.nip import normalise
from ..security import (
    DEVICE_COOKIE, DEVICE_DAYS, device_cookie_for, hash_password, trusted_device, verify_password,
)
from ..stores import sessions
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


def _limits(username: str, address: str, device: str | None) -> dict[str, int]:
    """What this attempt is counted against: a known device only against itself."""
    cfg = current_app.config
    if device:
        return {f"d:{device}": cfg["LOGIN_MAX_PER_ACCOUNT"]}
    return {f"u:{username}": cfg["LOGIN_MAX_PER_ACCOUNT"], f"ip:{address}": cfg["LOGIN_MAX_PER_ADDRESS"]}


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
        device = trusted_device(request.cookies.get(DEVICE_COOKIE), username)
        limits = _limits(username, address, device)
        attempt, throttled = sessions.reserve_attempt(limits,
                                                      current_app.config["LOGIN_WINDOW_MINUTES"])
        if throttled:
            error = (f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam "
                     f"{current_app.config['LOGIN_WINDOW_MINUTES']} menit.")
            status = 429
        else:
            user = sessions.account_named(username)
            if verify_password(user, form.password.data) and user.active:
                sessions.signed_in(user, attempt, next(iter(limits)))
                sessions.start_session(user)
                login_user(user)
                target = safe_next(request.args.get("next"), url_for("main.dashboard"))
                if user.must_change_password:
                    target = url_for("auth.change_password", next=target)
                response = redirect(target)
                response.set_cookie(DEVICE_COOKIE, device_cookie_for(username), max_age=DEVICE_DAYS * 86400,
                                    httponly=True, samesite="Lax",
                                    secure=current_app.config["SESSION_COOKIE_SECURE"])
                return response
            # One message whether the account exists, is inactive or the password is wrong.
            error = "NIP/nama pengguna atau kata sandi salah."
            status = 401
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/keluar")
def logout():
    if current_user.is_authenticated:
        sessions.end_session(current_user)
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/keluar-semua")
@login_required
def logout_everywhere():
    """Ends every session of the account, on every browser, this one included."""
    sessions.end_every_session(current_user.id)
    logout_user()
    flash("Anda telah keluar dari semua perangkat.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm(username=current_user.username)
    if form.validate_on_submit():
        if not verify_password(current_user, form.current.data):
            form.current.errors.append("Kata sandi saat ini salah.")
        else:
            user = sessions.change_own_password(current_user.id, hash_password(form.new.data),
                                                current_user.session_token)
            login_user(user)
            flash("Kata sandi berhasil diubah.", "success")
            return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/change_password.html", form=form), status
