"""How a user stands to a proposal or a coaching plan. The Pejabat Penilai decides the
proposals addressed to them (the admin BKPSDM those of the Kepala Daerah, who is not a user);
the head of an OPD and the admins see their scope's proposals without acting on them."""
from ...models import FollowUp, Unit
from ...rules import evaluation as eval_rules
from ...rules import follow_up as rules
from ...rules.org import is_within
from ..evaluation.access import administers, opd_headed_by

DECIDER, VIEWER = "decider", "viewer"


def decides(user, proposal) -> bool:
    """Whether the user decides this proposal (no query)."""
    if proposal.plan_id is not None:
        return False
    if proposal.appraiser_id is None:
        return eval_rules.records_for_kepala_daerah(user)
    return user.employee_id is not None and user.employee_id == proposal.appraiser_id


def proposal_relation(user, proposal, headed=None) -> set[str]:
    roles = {DECIDER} if decides(user, proposal) else set()
    me = user.employee_id
    if administers(user, proposal.unit_id):
        roles.add(VIEWER)
    elif me is not None and proposal.unit_id:
        opd = headed if headed is not None else opd_headed_by(user.employee)
        unit = Unit.get_or_none(Unit.id == proposal.unit_id) if opd else None
        if opd and unit and is_within(unit.path, opd.path):
            roles.add(VIEWER)
    return roles


def visible_condition(user):
    """The proposals the user sees (as decider or viewer), or None when they see none."""
    me = user.employee_id
    parts = []
    if me is not None:
        parts.append(FollowUp.appraiser == me)
    if user.role == eval_rules.REGENCY_ADMIN:
        return FollowUp.id.is_null(False)
    scope = None
    if eval_rules.admin_scoped(user) and user.scope_unit_id:
        scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
    elif me is not None:
        scope = opd_headed_by(user.employee)
    if scope is not None:
        inside = Unit.select(Unit.id).where(
            (Unit.id == scope.id) | Unit.path.startswith(scope.path))
        parts.append(FollowUp.unit.in_(inside))
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        condition = condition | part
    return condition


def decider_condition(user):
    if eval_rules.records_for_kepala_daerah(user):
        return FollowUp.appraiser.is_null() | (FollowUp.appraiser == (user.employee_id or 0))
    if user.employee_id is None:
        return None
    return FollowUp.appraiser == user.employee_id


def plan_relation(user, plan) -> set[str]:
    """owner, appraiser (the Pejabat Penilai; the admin BKPSDM for the Kepala Daerah),
    superior, admin (status only)."""
    roles = set()
    me = user.employee_id
    if me is not None and me == plan.employee_id:
        return {rules.OWNER}
    if plan.appraiser_id is not None:
        if me is not None and me == plan.appraiser_id:
            roles.add(rules.APPRAISER)
    elif eval_rules.records_for_kepala_daerah(user):
        roles.add(rules.APPRAISER)
    if me is not None and plan.superior_id == me:
        roles.add(rules.SUPERIOR)
    if administers(user, plan.unit_id):
        roles.add(rules.ADMIN)
    return roles

