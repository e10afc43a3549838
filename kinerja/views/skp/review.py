"""The Pejabat Penilai's side: the inbox of submitted plans and the in-page decision
(approve, or return with comments overall and per RHK), then on to the next plan."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from . import actor, bp, int_arg, load_allowed, load_readable
from ... import skp_store as store
from ...forms.skp import DecisionForm
from ...htmx import is_htmx, render
from ...models import Employee, PerformanceYear, Rhk, Skp
from ...rules import skp as rules

FILTERS = {"menunggu": "Menunggu keputusan", "semua": "Semua"}


def _inbox_condition():
    """The plans this account decides: those whose Pejabat Penilai it is, and for the admin
    BKPSDM those of the heads of OPD (the Kepala Daerah appraises them)."""
    condition = None
    if current_user.employee_id:
        condition = Skp.appraiser == current_user.employee_id
    if current_user.role == "admin":
        heads = Skp.appraiser.is_null()
        condition = heads if condition is None else (condition | heads)
    return condition


def _rows(condition, show: str):
    statuses = ["submitted"] if show == "menunggu" else ["submitted", "returned", "approved"]
    return list(Skp.select(Skp, Employee, PerformanceYear)
                .join(Employee, on=(Skp.employee == Employee.id))
                .switch(Skp).join(PerformanceYear)
                .where(condition & Skp.status.in_(statuses))
                .order_by(Skp.year.desc(), Employee.name, Skp.id))


def _pending_ids(condition) -> list[int]:
    return [i for (i,) in Skp.select(Skp.id).join(Employee, on=(Skp.employee == Employee.id))
            .where(condition & (Skp.status == "submitted"))
            .order_by(Skp.year.desc(), Employee.name, Skp.id).tuples()]


def _pending_count(condition) -> int:
    return Skp.select().where(condition & (Skp.status == "submitted")).count() if condition is not None else 0


def _panel_context(skp, form=None, rhk_comments=None, notice=None):
    if skp is None:
        return {"panel_skp": None, "notice": notice}
    content = store.PlanContent(skp)
    facts = store.plan_facts(skp)
    return {"panel_skp": skp, "content": content, "form": form or DecisionForm(formdata=None),
            "rhk_comments": rhk_comments or {}, "notice": notice,
            "can_decide": rules.can_decide(actor(), facts),
            "changes": store.revision_changes(skp, content)}


def _inbox_context(condition, show: str) -> dict:
    if condition is None:
        return {"has_team": False, "rows": [], "pending": 0, "show": show, "filters": FILTERS}
    rows = _rows(condition, show)
    has_team = bool(rows) or current_user.role == "admin" or (
        Employee.get_by_id(current_user.employee_id).subordinates().exists())
    return {"has_team": has_team, "rows": rows, "pending": _pending_count(condition), "show": show,
            "filters": FILTERS}


@bp.get("/persetujuan")
@login_required
def inbox():
    show = request.args.get("tampil", "menunggu")
    show = show if show in FILTERS else "menunggu"
    panel = None
    wanted = int_arg("tinjau")
    if wanted is not None:
        panel, _ = load_readable(wanted)
    return render("skp/inbox.html", "skp/_inbox_list.html", **_inbox_context(_inbox_condition(), show),
                  **_panel_context(panel))


@bp.get("/persetujuan/jumlah")
@login_required
def inbox_counter():
    if not is_htmx():
        return redirect(url_for("skp.inbox"))
    return render_template("skp/_inbox_counter.html", pending=_pending_count(_inbox_condition()))


@bp.get("/<int:skp_id>/tinjau")
@login_required
def review(skp_id):
    skp, facts = load_readable(skp_id)
    if not is_htmx():
        return redirect(url_for("skp.inbox", tinjau=skp.id))
    return render_template("skp/_review_panel.html", **_panel_context(skp))


@bp.post("/<int:skp_id>/keputusan")
@login_required
def decide(skp_id):
    skp, facts = load_allowed(skp_id, rules.decide_denial)
    decision = request.form.get("decision", "")
    if decision not in ("approve", "return"):
        abort(400)
    form = DecisionForm()
    rhk_ids = [r for (r,) in Rhk.select(Rhk.id).where(Rhk.skp == skp.id).tuples()]
    rhk_comments = {rid: (request.form.get(f"rhk_comment-{rid}") or "")[:2000] for rid in rhk_ids}
    valid = form.validate()
    if valid and decision == "return" and not (form.comment.data or "").strip() \
            and not any(text.strip() for text in rhk_comments.values()):
        form.comment.errors = list(form.comment.errors) + [
            "Tuliskan alasan pengembalian: catatan umum atau catatan pada RHK yang perlu diperbaiki."]
        valid = False
    if not valid:
        if not is_htmx():
            return render_template("skp/inbox.html", **_inbox_context(_inbox_condition(), "menunggu"),
                                   **_panel_context(skp, form, rhk_comments)), 422
        return render_template("skp/_review_panel.html",
                               **_panel_context(skp, form, rhk_comments)), 422
    condition = _inbox_condition()
    order = _pending_ids(condition)
    store.decide(skp, current_user, decision == "approve", form.comment.data or "", rhk_comments)
    verb = "disetujui" if decision == "approve" else "dikembalikan untuk diperbaiki"
    notice = f"SKP {skp.employee.full_name} ({skp.year_id}) {verb}."
    if not is_htmx():
        flash(notice, "success")
        return redirect(url_for("skp.inbox"))
    position = order.index(skp.id) if skp.id in order else 0
    remaining = [i for i in order[position + 1:] + order[:position] if i != skp.id]
    upcoming = store.get_plan(remaining[0]) if remaining else None
    decided = store.get_plan(skp.id)
    return render("skp/inbox.html", "skp/_decision_result.html",
                  trigger={"skpDecided": {"id": skp.id, "status": decided.status}},
                  decided=decided, **_panel_context(upcoming, notice=notice))
