"""Monitoring and evaluation (blueprint `evaluation`, prefix /kinerja): progress with evidence,
continuous feedback and notifications, periodic and annual evaluations, rating, objections,
the organisation predikat with the distribution curve, and the documents.
One module per group of pages; they share the blueprint and the helpers here."""

from flask import Blueprint, abort, make_response, request
from flask_login import current_user

from ... import evaluations as store
from ...clock import today  # noqa: F401  (the area's modules take it from here)
from ...errors import render_error
from ...formatting import angka
from ...rules import evaluation as rules

bp = Blueprint("evaluation", __name__, url_prefix="/kinerja")


@bp.app_template_filter("jumlah")
def jumlah(value) -> str:
    """A realised quantity: '12' for a whole number, '12,5' otherwise."""
    if value is None:
        return "—"
    whole = value == int(value)
    return angka(value, 0 if whole else 2)


def me():
    """The employee behind the account, or None for system accounts."""
    return current_user.employee if current_user.employee_id else None


def deny(message: str, code: int = 403):
    """Stop with an error page (or, for htmx, a fragment the toast shows) saying why."""
    body, status = render_error(code, message)
    abort(make_response(body, status))


def int_arg(name: str, default=None, source=None):
    try:
        return int((source if source is not None else request.args).get(name, ""))
    except (TypeError, ValueError):
        return default


def period_arg(raw, year: int) -> tuple[str, int]:
    """?periode=tahunan | periodik-N as (kind, number); when absent or unreadable, the last
    period that has ended (the annual one once the year is over)."""
    raw = (raw or "").strip()
    if raw.startswith("periodik-"):
        try:
            number = int(raw.split("-", 1)[1])
            if 1 <= number <= 12:
                return rules.PERIODIC, number
        except ValueError:
            pass
    cadence, _ = store.year_settings(year)
    ended = [p for p in rules.periods(year, cadence) if p.ends < today()]
    if ended and ended[-1].number != len(rules.periods(year, cadence)):
        return rules.PERIODIC, ended[-1].number
    return rules.ANNUAL, 1


def period_param(kind: str, number: int) -> str:
    return "tahunan" if kind == rules.ANNUAL else f"periodik-{number}"


def evaluation_or_404(evaluation_id: int):
    """The evaluation with the user's standing to it; 404 for anyone with none."""
    evaluation = store.get_evaluation(evaluation_id)
    if evaluation is None:
        abort(404)
    roles = store.evaluation_relation(current_user, evaluation)
    if not roles:
        abort(404)
    return evaluation, roles


def evaluation_as(evaluation_id: int, role: str, refusal: str):
    """The evaluation for a user who stands to it as `role`; others who see it are told why not."""
    evaluation, roles = evaluation_or_404(evaluation_id)
    if role not in roles:
        deny(refusal)
    return evaluation, roles


from . import progress, team, rating, reports, peer  # noqa: E402,F401  (routes register on bp)
