"""The proposals: the Pejabat Penilai's list with accept / change / dismiss in place, the
scope's list read-only for the head of an OPD and the admins, and one proposal's page."""
from flask import render_template, request, url_for
from flask_login import current_user

from ...forms.follow_up import AcceptForm, ChangeForm, DismissForm
from ...htmx import is_htmx, respond
from ...paging import page_number
from ...rules import DomainError
from ...rules import evaluation as eval_rules
from ...rules import follow_up as rules
from ...stores.follow_up import access, proposals
from ..toolkit import refused, today
from .common import bp, load_proposal

FORMS = {"accepted": AcceptForm, "changed": ChangeForm, "dismissed": DismissForm}


def _mark(rows):
    for row in rows:
        row.decidable = access.decides(current_user, row)
    return rows


def _row_context(proposal, forms=None, opened=None):
    forms = forms or {}
    return {"p": proposal, "rules": rules, "eval_rules": eval_rules, "opened": opened,
            "accept_form": forms.get("accepted") or AcceptForm(formdata=None),
            "change_form": forms.get("changed") or ChangeForm(formdata=None),
            "dismiss_form": forms.get("dismissed") or DismissForm(formdata=None)}


@bp.get("")
def index():
    result = proposals.page(current_user, page_number(request.args.get("page")))
    if result is not None:
        _mark(result.items)
    return render_template("follow_up/index.html", page=result, rules=rules, eval_rules=eval_rules,
                           row=_row_context, configures=rules.settings_denial(current_user) is None)


@bp.get("/usulan/<int:proposal_id>")
def proposal(proposal_id):
    found, _ = load_proposal(proposal_id)
    siblings = proposals.of_evaluation(found.evaluation_id) if found.evaluation_id else [found]
    return render_template("follow_up/proposal.html", focus=found, rows=_mark(siblings), rules=rules,
                           eval_rules=eval_rules, row=_row_context)


def _decision_target(proposal, plan):
    """Where a decision leads: the coaching plan it opened, the reward proposal form (the
    ledger of the decisions area), else back to the list."""
    if plan is not None:
        return url_for("follow_up.plan", plan_id=plan.id)
    if proposal.status == "accepted" and proposal.kind == "reward":
        return url_for("decisions.new", pegawai=proposal.employee_id, evaluasi=proposal.evaluation_id,
                       kategori="penghargaan")
    return None


@bp.post("/usulan/<int:proposal_id>/<any(terima, ubah, tolak):step>")
def decide(proposal_id, step):
    found, _ = load_proposal(proposal_id, decide=True)
    decision = {"terima": "accepted", "ubah": "changed", "tolak": "dismissed"}[step]
    form = FORMS[decision]()
    if form.validate_on_submit():
        try:
            saved, plan = proposals.decide(
                current_user, proposal_id, decision, today(),
                reason=form.data.get("reason") or "", changed_to=form.data.get("changed_to") or None,
                note=form.data.get("note") or "")
        except DomainError as error:
            refused(error, form)
        else:
            target = _decision_target(saved, plan)
            message = {"accepted": "Usulan diterima.", "changed": "Usulan diubah.",
                       "dismissed": "Usulan tidak dilanjutkan."}[decision]
            if target is not None:
                return respond(None, redirect=target, message=message)
            fresh = _mark([proposals.get(proposal_id)])[0]
            return respond(None, "follow_up/_proposal.html", redirect=url_for("follow_up.index"),
                           message=message, trigger="follow-up-changed", **_row_context(fresh))
    found.decidable = True
    context = _row_context(found, {decision: form}, opened=decision)
    if is_htmx():
        return render_template("follow_up/_proposal.html", **context), 422
    siblings = proposals.of_evaluation(found.evaluation_id) if found.evaluation_id else [found]
    rows = [found if r.id == found.id else r for r in _mark(siblings)]
    return render_template("follow_up/proposal.html", focus=found, rows=rows, rules=rules,
                           eval_rules=eval_rules, row=_row_context, forms_of={found.id: context}), 422

