"""What every blueprint uses: the clock, reading ids from a request, refusing with a reason,
the admin roles, and the one place a domain error becomes an answer."""
from flask import abort, current_app, make_response, request, send_file
from flask_login import current_user, login_required

from ..clock import today  # noqa: F401  (views take "today" from here, never from datetime)
from ..errors import render_error
from ..rules import DomainError
from ..rules.evidence import DEFAULT_MAX_BYTES, check_file, clean_filename
from ..rules.text import clean
from ..security import login_manager

ADMINS = ("admin_opd", "admin")


def me():
    """The employee behind the account, or None for system accounts."""
    return current_user.employee if current_user.employee_id else None


def deny(message: str, code: int = 403):
    """Stop with an error page (or, for htmx, a fragment the toast shows) saying why."""
    body, status = render_error(code, message)
    abort(make_response(body, status))


def readable(row, relations):
    """(row, how the user stands to it from `relations(user, row)`): 404 when it is missing
    and when the user stands nowhere, so an outsider cannot learn which rows exist."""
    if row is None:
        abort(404)
    roles = relations(current_user, row)
    if not roles:
        abort(404)
    return row, roles


def private_file(path, mimetype: str, name: str | None = None, attachment: bool = False):
    """A stored upload sent to the one person allowed it, never kept by a cache."""
    response = send_file(path, mimetype=mimetype, as_attachment=attachment,
                         download_name=name or path.name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def uploaded(field, only: tuple = (), refusal: str = ""):
    """(filename shown, extension, bytes) of the file sent in a form's file `field`, None when
    none was sent or it is refused, with the reason beside the field: the size the request
    declares is checked before anything is read, then the content (only the extensions in
    `only`, when given, else `refusal`)."""
    file = request.files.get(field.name)
    if not file or not file.filename:
        return None
    limit = current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)
    if (request.content_length or 0) > limit + 64 * 1024:
        field.errors = [f"Ukuran berkas melebihi {limit // (1024 * 1024)} MB."]
        return None
    data = file.read(limit + 1)
    try:
        ext, _ = check_file(file.filename, data, limit)
        if only and ext not in only:
            raise DomainError(refusal)
    except DomainError as exc:
        field.errors = [exc.message]
        return None
    return clean_filename(file.filename), ext, data


def refused(error: DomainError, form=None, field: str | None = None) -> bool:
    """Put a domain error beside its form field (True), or stop with 409 when it has none."""
    name = error.field or field
    if form is not None and name and name in form:
        form[name].errors = [*form[name].errors, error.message]
        return True
    deny(error.message, 409)
    return False


def int_arg(name: str, default=None, source=None):
    """An integer from the query string (or `source`); `default` when absent or unreadable."""
    try:
        value = int((source if source is not None else request.args).get(name, ""))
    except (TypeError, ValueError):
        return default
    # SQLite integers are 64-bit: a larger id would raise instead of finding nothing.
    return value if -2**63 <= value < 2**63 else default


def text_arg(name: str, default: str = "", limit: int = 100) -> str:
    """A text from the query string (a search, a filter code), trimmed and cut to `limit`,
    control characters dropped: a NUL could never match, and PostgreSQL refuses it outright."""
    return clean(request.args.get(name, default)).strip()[:limit]


def require_roles(blueprint, *roles: str) -> None:
    """Every view of `blueprint` needs a login with one of `roles` (checked once, so a new
    view cannot forget it)."""
    @blueprint.before_request
    @login_required
    def _roles_required():
        if current_user.role not in roles:
            abort(403)


def require_login(blueprint) -> None:
    @blueprint.before_request
    def _login_required():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None
