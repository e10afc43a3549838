"""Request-wide behaviour: CSRF, security headers, what every template sees."""
from urllib.parse import urlsplit

from flask import abort, current_app, request
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.datastructures import ImmutableMultiDict

csrf = CSRFProtect()

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
       "object-src 'none'; frame-ancestors 'none'")


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint != "static" and not request.path.startswith("/survei"):
        # Pages behind login hold personal data: never cache them in shared caches.
        headers.setdefault("Cache-Control", "no-store")
    return response


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths; anything else (//evil, https://…) falls back."""
    # A CR/LF would end up in the Location header; no real path of ours has whitespace.
    if not target or any(ch.isspace() or not ch.isprintable() for ch in target):
        return default
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. "//[" is an unclosed IPv6 address
        return default
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


def template_globals():
    return {
        "regency_name": current_app.config["REGENCY_NAME"],
        "nav": navigation(),
    }


EVERYONE = ("pegawai", "admin_opd", "admin")
ADMINS = ("admin_opd", "admin")
# (endpoint, label, roles). An area appears once its blueprint registers the endpoint.
NAV = [
    ("main.dashboard", "Beranda", EVERYONE),
    ("skp.mine", "SKP Saya", EVERYONE),
    ("skp.inbox", "Persetujuan SKP", EVERYONE),
    ("skp.team", "Rekap SKP", EVERYONE),
    ("skp.cascade", "Kaskade", EVERYONE),
    ("skp.goals", "Sasaran Organisasi", ADMINS),
    ("skp.years", "Tahun Kinerja", ("admin",)),
    ("evaluation.mine", "Kinerja Saya", EVERYONE),
    ("evaluation.team", "Tim Saya", EVERYONE),
    ("evaluation.peer_index", "Umpan Balik 360°", EVERYONE),
    ("evaluation.curve", "Kurva Predikat", ADMINS),
    ("survey_admin.index", "SKM", ADMINS),
    ("org.employees", "Pegawai", ADMINS),
    ("org.units", "Unit & Jabatan", ADMINS),
    ("imports.index", "Impor SIASN", ADMINS),
    ("accounts.index", "Akun", ADMINS),
    ("audit.index", "Jejak Audit", ADMINS),
]


# Pages about the person behind the account: a system account (admin) has no one to show.
NEEDS_EMPLOYEE = {"evaluation.peer_index"}


def navigation() -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the current user's role."""
    if not current_user.is_authenticated:
        return []
    return [(endpoint, label) for endpoint, label, roles in NAV
            if current_user.role in roles and endpoint in current_app.view_functions
            and (current_user.employee_id or endpoint not in NEEDS_EMPLOYEE)]


def drop_nul():
    """PostgreSQL cannot hold or even compare a string with a NUL in it, and no one types
    one: a path with a NUL names no page (404), and NULs are dropped from the query string
    before any page reads it, so every search and filter, the ones added later too, is safe
    without a check of its own. Form fields refuse every control character next to the field
    (forms/__init__.py); a NUL never gets that far on its own."""
    if "\x00" in request.path:
        abort(404)
    pairs = list(request.args.items(multi=True))
    if any("\x00" in key or "\x00" in value for key, value in pairs):
        request.args = ImmutableMultiDict([(key.replace("\x00", ""), value.replace("\x00", ""))
                                           for key, value in pairs])


def init_app(app) -> None:
    csrf.init_app(app)
    app.before_request(drop_nul)
    app.after_request(security_headers)
    app.context_processor(template_globals)
