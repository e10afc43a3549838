"""SKP planning (blueprint `skp`, prefix /skp): drafting, submission and approval, the team
overview, the cascade, the printed plan, and the admin pages of years and goals.
One module per group of pages; they share the blueprint and the helpers here."""

from flask import Blueprint, abort, make_response, request
from flask_login import current_user

from ...clock import today  # noqa: F401  (the area's modules take it from here)
from ...errors import render_error
from ...models import PerformanceYear, Rhk, Unit
from ...rules import skp as rules
from ...security import unit_in_scope
from ... import skp_store as store

bp = Blueprint("skp", __name__, url_prefix="/skp")

ADMIN_ROLES = ("admin", "admin_opd")


@bp.context_processor
def _skp_helpers():
    return {"intervened": store.intervened_label, "target": store.target_label}


def actor() -> rules.Actor:
    return rules.Actor(current_user.role, current_user.employee_id)


def deny(message: str, code: int = 403):
    """Stop with an error page (or, for htmx, a fragment the toast shows) saying why."""
    body, status = render_error(code, message)
    abort(make_response(body, status))


def int_arg(name: str, default=None, source=None):
    try:
        return int((source or request.args).get(name, ""))
    except (TypeError, ValueError):
        return default


def current_year(requested=None):
    """The year asked for, else the one today falls in, else the newest open one."""
    if requested is not None:
        year = PerformanceYear.get_or_none(PerformanceYear.year == requested)
        if year is not None:
            return year
    return PerformanceYear.for_date(today())


def load_readable(skp_id: int):
    """The plan and its workflow facts, or 404 for anyone who may not read it (an outsider
    should not learn which plans exist)."""
    skp = store.get_plan(skp_id)
    if skp is None:
        abort(404)
    facts = store.plan_facts(skp)
    in_scope = False
    if current_user.role in ADMIN_ROLES:
        unit_id = skp.employee.unit_id or skp.unit_id
        in_scope = unit_in_scope(current_user, Unit.get_or_none(Unit.id == unit_id) if unit_id else None)
    if not rules.can_read(actor(), facts, in_admin_scope=in_scope):
        if not store.supervises(current_user.employee_id, skp.employee):
            abort(404)
    return skp, facts


def load_allowed(skp_id: int, denial):
    """The plan and its facts when `denial` (a rule of rules/skp.py) has nothing against
    this user; otherwise the page saying why."""
    skp, facts = load_readable(skp_id)
    reason = denial(actor(), facts)
    if reason:
        deny(reason)
    return skp, facts


def load_editable(skp_id: int):
    return load_allowed(skp_id, rules.edit_denial)


def rhk_or_404(skp, rhk_id: int):
    rhk = Rhk.get_or_none((Rhk.id == rhk_id) & (Rhk.skp == skp.id))
    if rhk is None:
        abort(404)
    return rhk


from . import document, editor, overview, review, settings  # noqa: E402,F401  (routes register on bp)
