"""The Pejabat Penilai's side: the inbox of submitted plans and the in-page decision
(approve, or return with comments overall and per RHK), then on to the next plan."""
from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from ...forms.skp import DecisionForm
from ...htmx import is_htmx, render, respond
from ...rules import DomainError
from ...rules import skp as rules
from ...rules.text import clean
from ...stores.skp import overview, plans
from ...stores.skp import workflow as flow
from ..toolkit import int_arg, refused
from . import actor, bp, load_for, load_readable

FILTERS = {"menunggu": "Menunggu keputusan", "semua": "Semua"}


def _inbox() -> overview.Inbox:
    return overview.Inbox(current_user.employee_id, rules.records_for_kepala_daerah(actor()))


def _panel_context(skp, form=None, rhk_comments=None, notice=None):
    if skp is None:
        return {"panel_skp": None, "notice": notice}
    content = plans.PlanContent(skp)
    facts = plans.plan_facts(skp)
    return {"panel_skp": skp, "content": content, "form": form or DecisionForm(formdata=None),
            "rhk_comments": rhk_comments or {}, "notice": notice,
            "can_decide": rules.allowed("approve", actor(), facts),
            "changes": plans.revision_changes(skp, content)}


def _inbox_context(inbox, show: str) -> dict:
    if not inbox.decides_anything:
        return {"has_team": False, "rows": [], "pending": 0, "show": show, "filters": FILTERS}
    rows = inbox.rows(show)
    return {"has_team": inbox.has_team(rows), "rows": rows, "pending": inbox.pending_count(),
            "show": show, "filters": FILTERS}


@bp.get("/persetujuan")
@login_required
def inbox():
    show = request.args.get("tampil", "menunggu")
    show = show if show in FILTERS else "menunggu"
    panel = None
    wanted = int_arg("tinjau")
    if wanted is not None:
        panel, _ = load_readable(wanted)
    return render("skp/inbox.html", "skp/_inbox_list.html", **_inbox_context(_inbox(), show),
                  **_panel_context(panel))


@bp.get("/persetujuan/jumlah")
@login_required
def inbox_counter():
    return respond(None, "skp/_inbox_counter.html", redirect=url_for("skp.inbox"),
                   context=lambda: {"pending": _inbox().pending_count()})


@bp.get("/<int:skp_id>/tinjau")
@login_required
def review(skp_id):
    skp, facts = load_readable(skp_id)
    return respond(None, "skp/_review_panel.html", redirect=url_for("skp.inbox", tinjau=skp.id),
                   context=lambda: _panel_context(skp))


@bp.post("/<int:skp_id>/keputusan")
@login_required
def decide(skp_id):
    skp, facts = load_for(skp_id, "approve")  # approving and returning are refused alike
    decision = request.form.get("decision", "")
    if decision not in ("approve", "return"):
        abort(400)
    form = DecisionForm()
    # Per-RHK notes are plain inputs beside the form: cleaned here as the form cleans its own.
    rhk_comments = {rid: clean(request.form.get(f"rhk_comment-{rid}") or "")[:2000]
                    for rid in plans.rhk_ids(skp)}
    if form.validate():
        inbox = _inbox()
        order = inbox.pending_ids()
        try:
            decided = flow.decide(skp.id, current_user, decision == "approve", form.comment.data or "",
                                  rhk_comments)
        except DomainError as exc:
            refused(exc, form)
        else:
            return _decided(skp, decided, order, decision)
    # The page shows the inbox around the panel; the fragment is the panel alone.
    if not is_htmx():
        return render_template("skp/inbox.html", **_inbox_context(_inbox(), "menunggu"),
                               **_panel_context(skp, form, rhk_comments)), 422
    return render_template("skp/_review_panel.html", **_panel_context(skp, form, rhk_comments)), 422


def _decided(skp, decided, order: list[int], decision: str):
    """The inbox, or in the page the next waiting plan after this one with its row updated."""
    verb = "disetujui" if decision == "approve" else "dikembalikan untuk diperbaiki"
    notice = f"SKP {skp.employee.full_name} ({skp.year_id}) {verb}."

    def context():
        position = order.index(skp.id) if skp.id in order else 0
        remaining = [i for i in order[position + 1:] + order[:position] if i != skp.id]
        upcoming = plans.get_plan(remaining[0]) if remaining else None
        return {"decided": decided, **_panel_context(upcoming, notice=notice)}

    return respond("skp/inbox.html", "skp/_decision_result.html", redirect=url_for("skp.inbox"),
                   message=notice, trigger={"skpDecided": {"id": skp.id, "status": decided.status}},
                   context=context)
