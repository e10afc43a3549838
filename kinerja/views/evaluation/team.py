"""The Pejabat Penilai's side of monitoring: the team page with each member's recent progress
and in-page feedback, and the queue of evaluations waiting for a rating."""
import datetime
import math

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from . import bp, deny, int_arg, me, today
from .rating import rating_panel_context
from ... import evaluations as store
from ...forms.evaluation import FeedbackForm, RhkFeedbackForm
from ...htmx import is_htmx, render
from ...models import Employee, Rhk, Skp
from ...rules import evaluation as rules

PER_PAGE = 20
RECENT_DAYS = 60


@bp.get("/tim")
@login_required
def team():
    supervisor = me()
    year = store.chosen_year(request.args.get("tahun"), today())
    context = {"year": year, "rules": rules, "reply_form": FeedbackForm(),
               "pending_count": store.pending_count(current_user),
               "objections": store.objections_for(current_user),
               "headed_opd": store.opd_headed_by(supervisor) if supervisor else None}
    members, page = [], {"number": 1, "pages": 1, "total": 0}
    if supervisor is not None:
        query = store.team_members(supervisor, year)
        total = query.count()
        pages = max(1, math.ceil(total / PER_PAGE))
        number = min(max(1, int_arg("page", 1)), pages)
        members = list(query.paginate(number, PER_PAGE))
        page = {"number": number, "pages": pages, "total": total}
    ids = [m.id for m in members]
    since = today() - datetime.timedelta(days=RECENT_DAYS)
    context.update(
        members=members, paging=page,
        recent=store.recent_entries(ids, per_employee=3, since=since),
        evaluations=store.evaluations_of(ids, year))
    return render_template("evaluation/team.html", **context)


@bp.route("/tim/<int:employee_id>/umpan-balik-rhk", methods=["GET", "POST"])
@login_required
def rhk_feedback(employee_id):
    """Feedback on one RHK of a team member, written in the team page (the form is loaded
    when its section is opened, so the team page does not build one per member)."""
    supervisor = me()
    employee = Employee.get_or_none(Employee.id == employee_id)
    if employee is None or supervisor is None:
        deny("Pegawai tidak ditemukan.", 404)
    year = store.chosen_year(request.values.get("tahun"), today())
    skp = Skp.approved_for(employee.id, year)
    roles = store.relation(current_user, employee, skp)
    if rules.APPRAISER not in roles:
        deny("Umpan balik atas RHK diberikan oleh Pejabat Penilai Kinerja pegawai ini.", 403 if roles else 404)
    rhks = list(Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.kind.desc(), Rhk.order)) if skp else []
    form = RhkFeedbackForm(prefix=f"m{employee.id}",
                           rhk_choices=[(r.id, f"{r.kind_label}: {r.text}") for r in rhks])
    context = {"member": employee, "year": year, "back": url_for("evaluation.team")}
    if request.method == "GET":
        form = RhkFeedbackForm(formdata=None, prefix=f"m{employee.id}",
                               rhk_choices=[(r.id, f"{r.kind_label}: {r.text}") for r in rhks])
        return render("evaluation/thread_page.html", "evaluation/_rhk_feedback.html", form=form,
                      **context)
    if not form.validate_on_submit():
        return render("evaluation/thread_page.html", "evaluation/_rhk_feedback.html", status=422,
                      form=form, **context)
    store.post_feedback(supervisor, employee, "rhk", form.rhk.data, form.body.data)
    if not is_htmx():
        flash("Umpan balik atas RHK terkirim.", "success")
        return redirect(url_for("evaluation.team"))
    sent = dict(form.rhk.choices).get(form.rhk.data, "")
    fresh = RhkFeedbackForm(formdata=None, prefix=f"m{employee.id}",
                            rhk_choices=[(r.id, f"{r.kind_label}: {r.text}") for r in rhks])
    return render("evaluation/thread_page.html", "evaluation/_rhk_feedback.html",
                  trigger={"feedback-added": True}, form=fresh, sent=sent, **context)


@bp.get("/tim/penilaian")
@login_required
def review():
    """The queue of evaluations waiting for this person's rating, rated one after another
    in the same page."""
    pending = store.pending_for(current_user)
    wanted = int_arg("id")
    selected = next((e for e in pending if e.id == wanted), pending[0] if pending else None)
    context = {"pending": pending, "selected": selected, "queue": True, "evaluation": None}
    if selected is not None:
        context.update(rating_panel_context(selected, queue=True))
    if is_htmx() and request.args.get("panel"):
        return render_template("evaluation/_review.html", **context)
    return render_template("evaluation/review.html", **context)


@bp.get("/tim/penilaian/antrean")
@login_required
def queue():
    """The list of pending evaluations alone, refreshed when one is decided."""
    pending = store.pending_for(current_user)
    return render_template("evaluation/_queue.html", pending=pending,
                           selected_id=int_arg("id"))
