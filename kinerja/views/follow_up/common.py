"""The blueprint of follow-up and its loaders, which fetch a proposal or a coaching plan with
how the user stands to it, or refuse (404 for whoever stands nowhere)."""
from flask import Blueprint

from ...rules import follow_up as rules
from ...stores.follow_up import access, plans, proposals
from ..toolkit import deny, readable, require_login

bp = Blueprint("follow_up", __name__, url_prefix="/tindak-lanjut")
require_login(bp)


def load_proposal(proposal_id: int, decide: bool = False):
    proposal = proposals.get(proposal_id)
    # A proposal that became a coaching plan lives on as the plan.
    proposal, roles = readable(None if proposal is None or proposal.plan_id else proposal,
                               access.proposal_relation)
    if decide and access.DECIDER not in roles:
        deny("Hanya Pejabat Penilai pegawai ini yang memutuskan usulan tindak lanjut.")
    return proposal, roles


def load_plan(plan_id: int):
    return readable(plans.get(plan_id), access.plan_relation)


@bp.app_template_global("follow_up_kind")
def follow_up_kind(kind) -> str:
    """The name of a kind of follow-up, for pages outside this blueprint (the Beranda)."""
    return rules.kind_label(kind)
