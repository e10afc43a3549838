"""The Pejabat Penilai's side of monitoring: the team page with each member's recent progress
and in-page feedback, and the queue of evaluations waiting for a rating."""
import datetime

from flask import render_template, request, url_for
from flask_login import current_user, login_required

from ...forms.evaluation import FeedbackForm, RhkFeedbackForm
from ...htmx import render, respond
from ...models import Employee, Skp
from ...rules import evaluation as rules
from ...stores.evaluation import access, feedback, periods, queue as store
from ..toolkit import deny, int_arg, me, today
from .common import bp
from .rating import rating_panel_context

PER_PAGE = 20
RECENT_DAYS = 60


@bp.get("/tim")
@login_required
def team():
    supervisor = me()
    year = periods.chosen_year(request.args.get("tahun"), today())
    members, paging = store.team_page(supervisor, year, int_arg("page", 1), PER_PAGE)
    ids = [m.id for m in members]
    since = today() - datetime.timedelta(days=RECENT_DAYS)
    return render_template(
        "evaluation/team.html", year=year, rules=rules, reply_form=FeedbackForm(),
        pending_count=store.pending_count(current_user),
        objections=store.objections_for(current_user),
        headed_opd=access.opd_headed_by(supervisor) if supervisor else None,
        members=members, paging=paging,
        recent=store.recent_entries(ids, per_employee=3, since=since),
        evaluations=store.evaluations_of(ids, year))


@bp.route("/tim/<int:employee_id>/umpan-balik-rhk", methods=["GET", "POST"])
@login_required
def rhk_feedback(employee_id):
    """Feedback on one RHK of a team member, written in the team page (the form is loaded
    when its section is opened, so the team page does not build one per member)."""
    supervisor = me()
    employee = Employee.get_or_none(Employee.id == employee_id)
    if employee is None or supervisor is None:
        deny("Pegawai tidak ditemukan.", 404)
    year = periods.chosen_year(request.values.get("tahun"), today())
    skp = Skp.approved_for(employee.id, year)
    roles = access.relation(current_user, employee, skp)
    if rules.APPRAISER not in roles:
        deny("Umpan balik atas RHK diberikan oleh Pejabat Penilai Kinerja pegawai ini.", 403 if roles else 404)
    choices = [(r.id, f"{r.kind_label}: {r.text}") for r in feedback.plan_rhks(skp)]
    context = {"member": employee, "year": year, "back": url_for("evaluation.team")}

    def blank_form():
        return RhkFeedbackForm(formdata=None, prefix=f"m{employee.id}", rhk_choices=choices)

    if request.method == "GET":
        return render("evaluation/thread_page.html", "evaluation/_rhk_feedback.html",
                      form=blank_form(), **context)
    form = RhkFeedbackForm(prefix=f"m{employee.id}", rhk_choices=choices)
    if not form.validate_on_submit():
        return render("evaluation/thread_page.html", "evaluation/_rhk_feedback.html", status=422,
                      form=form, **context)
    feedback.post_feedback(supervisor, employee, "rhk", form.rhk.data, form.body.data, roles)
    return respond("evaluation/thread_page.html", "evaluation/_rhk_feedback.html",
                   redirect=url_for("evaluation.team"), message="Umpan balik atas RHK terkirim.",
                   trigger={"feedback-added": True},
                   context=lambda: {**context, "form": blank_form(),
                                    "sent": dict(form.rhk.choices).get(form.rhk.data, "")})


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
    # ?panel=1 asks for the rating panel alone (a queue entry clicked); else the whole page.
    return render("evaluation/review.html",
                  "evaluation/_review.html" if request.args.get("panel") else None, **context)


@bp.get("/tim/penilaian/antrean")
@login_required
def queue():
    """The list of pending evaluations alone, refreshed when one is decided."""
    return render_template("evaluation/_queue.html", pending=store.pending_for(current_user),
                           selected_id=int_arg("id"))
