"""SKP planning (blueprint `skp`, prefix /skp): drafting, submission and approval, the team
overview, the cascade, the printed plan, and the admin pages of years and goals.
One module per group of pages; they share the blueprint and the loaders here."""

from flask import Blueprint, abort
from flask_login import current_user

from ...models import RHK_KINDS
from ...rules import skp as rules
from ...security import unit_in_scope
from ...stores.skp import plans
from ...stores.skp import settings as skp_settings
from ..toolkit import deny, today

bp = Blueprint("skp", __name__, url_prefix="/skp")


@bp.context_processor
def _skp_helpers():
    return {"intervened": plans.intervened_label, "target": plans.target_label, "rhk_kinds": RHK_KINDS}


def actor() -> rules.Actor:
    return rules.Actor.of(current_user)


def current_year(requested=None):
    """The year asked for, else the one today falls in, else the newest open one."""
    return skp_settings.current_year(today(), requested)


def load_readable(skp_id: int):
    """The plan and its workflow facts, or 404 for anyone who may not read it (an outsider
    should not learn which plans exist)."""
    skp = plans.get_plan(skp_id)
    if skp is None:
        abort(404)
    facts = plans.plan_facts(skp)
    who = actor()
    in_scope = rules.is_admin(who) and unit_in_scope(current_user, plans.plan_unit(skp))
    if not rules.can_read(who, facts, in_admin_scope=in_scope):
        if not plans.supervises(current_user.employee_id, skp.employee):
            abort(404)
    return skp, facts


def load_for(skp_id: int, action: str):
    """The plan and its facts when rules.denial has nothing against this user taking
    `action` now; otherwise the page saying why."""
    skp, facts = load_readable(skp_id)
    reason = rules.denial(action, actor(), facts)
    if reason:
        deny(reason)
    return skp, facts


def rhk_or_404(skp, rhk_id: int):
    rhk = plans.rhk_of(skp, rhk_id)
    if rhk is None:
        abort(404)
    return rhk


from . import document, editor, overview, review, settings, workflow  # noqa: E402,F401  (routes register on bp)
