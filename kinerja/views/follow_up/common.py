"""The blueprint of follow-up and its loaders, which fetch a proposal or a coaching plan with
how the user stands to it, or refuse (404 for whoever stands nowhere)."""
from flask import Blueprint, abort
from flask_login import current_user

from ...rules import follow_up as rules
from ...stores.follow_up import access, plans, proposals
from ..toolkit import deny, require_login

bp = Blueprint("follow_up", __name__, url_prefix="/tindak-lanjut")
require_login(bp)


def load_proposal(proposal_id: int, decide: bool = False):
    proposal = proposals.get(proposal_id)
    if proposal is None or proposal.plan_id:
        abort(404)
    roles = access.proposal_relation(current_user, proposal)
    if not roles:
        abort(404)
    if decide and access.DECIDER not in roles:
        deny("Hanya Pejabat Penilai pegawai ini yang memutuskan usulan tindak lanjut.")
    return proposal, roles


def load_plan(plan_id: int):
    plan = plans.get(plan_id)
    if plan is None:
        abort(404)
    roles = access.plan_relation(current_user, plan)
    if not roles:
        abort(404)
    return plan, roles


@bp.app_template_global("follow_up_kind")
def follow_up_kind(kind) -> str:
    """The name of a kind of follow-up, for pages outside this blueprint (the Beranda)."""
    return rules.kind_label(kind)
