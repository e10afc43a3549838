"""Admin pages: performance years with their settings, and each OPD's organisation goals
(Sasaran Strategis / IKU of the Perjanjian Kinerja) that the head of the OPD cascades from."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from peewee import fn

from . import ADMIN_ROLES, bp, current_year, int_arg, today
from ...forms import field_fragment
from ...forms.skp import OrgGoalForm, YearForm
from ...htmx import is_htmx, render
from ...models import AuditLog, OrgGoal, PerformanceYear, Rhk, Unit, db, snapshot
from ...rules import skp as rules
from ...security import require_unit_scope, role_required, scoped_units

YEAR_FIELDS = ["year", "skp_deadline", "evaluation_cadence", "objection_days", "peer_min_raters", "is_open"]
GOAL_FIELDS = ["unit", "year", "goal", "indicator", "target", "order"]


def _validating():
    return request.headers.get("HX-Trigger-Name") if is_htmx() else None


@bp.route("/tahun", methods=["GET", "POST"])
@login_required
@role_required("admin")
def years():
    rows = list(PerformanceYear.select().order_by(PerformanceYear.year.desc()))
    if request.method == "GET":
        proposed = (rows[0].year + 1) if rows else today().year
        form = YearForm(formdata=None, year=proposed, skp_deadline=rules.default_deadline(proposed))
        return render_template("skp/years.html", rows=rows, form=form)
    form = YearForm()
    if _validating():
        return field_fragment(form, _validating())
    if form.validate():
        if PerformanceYear.get_or_none(PerformanceYear.year == form.year.data):
            form.year.errors = list(form.year.errors) + [f"Tahun {form.year.data} sudah dibuka."]
        else:
            with db.atomic():
                year = PerformanceYear.create(
                    year=form.year.data, skp_deadline=form.skp_deadline.data,
                    evaluation_cadence=form.evaluation_cadence.data,
                    objection_days=form.objection_days.data, peer_min_raters=form.peer_min_raters.data,
                    is_open=form.is_open.data)
                AuditLog.record(current_user, "create", "performance_year", year.year,
                                f"Tahun kinerja {year.year} dibuka", after=snapshot(year, YEAR_FIELDS))
            flash(f"Tahun kinerja {year.year} dibuka.", "success")
            return redirect(url_for("skp.years"))
    return render_template("skp/years.html", rows=rows, form=form), 422


@bp.route("/tahun/<int:year>", methods=["GET", "POST"])
@login_required
@role_required("admin")
def year_edit(year):
    row = PerformanceYear.get_or_none(PerformanceYear.year == year)
    if row is None:
        abort(404)
    form = YearForm(obj=row) if request.method == "GET" else YearForm()
    if request.method == "POST":
        form.year.data = row.year  # the year itself is the key and never changes
        if _validating():
            return field_fragment(form, _validating())
        if form.validate():
            with db.atomic():
                before = snapshot(row, YEAR_FIELDS)
                row.skp_deadline = form.skp_deadline.data
                row.evaluation_cadence = form.evaluation_cadence.data
                row.objection_days = form.objection_days.data
                row.peer_min_raters = form.peer_min_raters.data
                row.is_open = form.is_open.data
                row.save()
                AuditLog.record(current_user, "update", "performance_year", row.year,
                                f"Pengaturan tahun kinerja {row.year} diubah", before=before,
                                after=snapshot(row, YEAR_FIELDS))
            flash(f"Pengaturan tahun {row.year} disimpan.", "success")
            return redirect(url_for("skp.years"))
    return render_template("skp/year_form.html", row=row, form=form), (422 if form.errors else 200)


# --- Organisation goals ----------------------------------------------------------------

def _goal_opds():
    if current_user.role not in ADMIN_ROLES:
        abort(403)
    return list(scoped_units(current_user).where(Unit.parent.is_null() & Unit.active).order_by(Unit.name))


def _goals_context(opd, year, form=None):
    goals = list(OrgGoal.select().where((OrgGoal.unit == opd.id) & (OrgGoal.year == year.year))
                 .order_by(OrgGoal.order, OrgGoal.id)) if opd and year else []
    used = set()
    if goals:
        used = {g for (g,) in Rhk.select(Rhk.org_goal).where(Rhk.org_goal.in_([g.id for g in goals]))
                .distinct().tuples()}
    return {"opd": opd, "year": year, "goals": goals, "used": used,
            "form": form or OrgGoalForm(formdata=None)}


@bp.route("/sasaran", methods=["GET", "POST"])
@login_required
def goals():
    opds = _goal_opds()
    year = current_year(int_arg("tahun", source=request.values))
    unit_id = int_arg("unit", source=request.values)
    opd = next((u for u in opds if u.id == unit_id), opds[0] if opds else None)
    years = list(PerformanceYear.select().order_by(PerformanceYear.year.desc()))
    context = {"opds": opds, "years": years}
    if request.method == "POST":
        if opd is None or year is None or opd.id != unit_id:
            abort(404)
        form = OrgGoalForm()
        if _validating():
            return field_fragment(form, _validating())
        if form.validate():
            with db.atomic():
                last = (OrgGoal.select(fn.MAX(OrgGoal.order))
                        .where((OrgGoal.unit == opd.id) & (OrgGoal.year == year.year)).scalar())
                goal = OrgGoal.create(unit=opd.id, year=year.year, goal=form.goal.data.strip(),
                                      indicator=form.indicator.data.strip(),
                                      target=(form.target.data or "").strip(), order=(last or 0) + 1)
                AuditLog.record(current_user, "create", "org_goal", goal.id,
                                f"Sasaran {opd.name} {year.year}: {goal.goal}"[:255],
                                after=snapshot(goal, GOAL_FIELDS), unit=opd.id)
            if not is_htmx():
                flash("Sasaran organisasi ditambahkan.", "success")
                return redirect(url_for("skp.goals", unit=opd.id, tahun=year.year))
            return render("skp/goals.html", "skp/_goals.html", **context, **_goals_context(opd, year))
        return render("skp/goals.html", "skp/_goals.html", status=422, **context,
                      **_goals_context(opd, year, form))
    return render("skp/goals.html", "skp/_goals.html", **context, **_goals_context(opd, year))


def _goal_or_404(goal_id):
    goal = OrgGoal.get_or_none(OrgGoal.id == goal_id)
    if goal is None or current_user.role not in ADMIN_ROLES:
        abort(404)
    require_unit_scope(current_user, Unit.get_by_id(goal.unit_id))
    return goal


@bp.route("/sasaran/<int:goal_id>/ubah", methods=["GET", "POST"])
@login_required
def goal_edit(goal_id):
    goal = _goal_or_404(goal_id)
    form = OrgGoalForm(obj=goal) if request.method == "GET" else OrgGoalForm()
    if request.method == "POST":
        if _validating():
            return field_fragment(form, _validating())
        if form.validate():
            with db.atomic():
                before = snapshot(goal, GOAL_FIELDS)
                goal.goal, goal.indicator = form.goal.data.strip(), form.indicator.data.strip()
                goal.target = (form.target.data or "").strip()
                goal.save()
                AuditLog.record(current_user, "update", "org_goal", goal.id,
                                f"Sasaran diubah: {goal.goal}"[:255], before=before,
                                after=snapshot(goal, GOAL_FIELDS), unit=goal.unit_id)
            flash("Sasaran organisasi disimpan.", "success")
            return redirect(url_for("skp.goals", unit=goal.unit_id, tahun=goal.year_id))
    return render_template("skp/goal_form.html", goal=goal, form=form), (422 if form.errors else 200)


@bp.post("/sasaran/<int:goal_id>/hapus")
@login_required
def goal_delete(goal_id):
    goal = _goal_or_404(goal_id)
    opd, year = Unit.get_by_id(goal.unit_id), PerformanceYear.get_by_id(goal.year_id)
    if Rhk.select().where(Rhk.org_goal == goal.id).exists():
        message = "Sasaran ini sudah diintervensi oleh RHK kepala OPD; ubah RHK tersebut terlebih dahulu."
        if not is_htmx():
            flash(message, "error")
            return redirect(url_for("skp.goals", unit=opd.id, tahun=year.year))
        context = _goals_context(opd, year)
        context["error"] = message
        return render_template("skp/_goals.html", **context), 409
    with db.atomic():
        before = snapshot(goal, GOAL_FIELDS)
        goal.delete_instance()
        AuditLog.record(current_user, "delete", "org_goal", goal_id, f"Sasaran dihapus: {goal.goal}"[:255],
                        before=before, unit=opd.id)
    if not is_htmx():
        flash("Sasaran organisasi dihapus.", "success")
        return redirect(url_for("skp.goals", unit=opd.id, tahun=year.year))
    return render_template("skp/_goals.html", **_goals_context(opd, year))
