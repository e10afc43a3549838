"""Admin pages: performance years with their settings, and each OPD's organisation goals
(Sasaran Strategis / IKU of the Perjanjian Kinerja) that the head of the OPD cascades from."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from . import actor, bp, current_year
from ...forms import field_fragment
from ...forms.skp import OrgGoalForm, YearForm
from ...htmx import is_htmx, render, respond
from ...rules import DomainError
from ...rules import skp as rules
from ...security import admin_scope_unit, require_unit_scope, role_required
from ...stores.skp import settings as skp_settings
from ..toolkit import int_arg, refused, today

# The blueprint also serves employees: these pages declare who may open them, once each.
years_admin = role_required(*rules.YEAR_ADMINS)
goals_admin = role_required(*rules.GOAL_ADMINS)


def _validating():
    return request.headers.get("HX-Trigger-Name") if is_htmx() else None


def _settings(form) -> dict:
    return {name: getattr(form, name).data for name in skp_settings.YEAR_FIELDS}


@bp.route("/tahun", methods=["GET", "POST"])
@years_admin
def years():
    if request.method == "GET":
        rows = skp_settings.all_years()
        proposed = (rows[0].year + 1) if rows else today().year
        form = YearForm(formdata=None, year=proposed, skp_deadline=rules.default_deadline(proposed))
        return render_template("skp/years.html", rows=rows, form=form)
    form = YearForm()
    if _validating():
        return field_fragment(form, _validating())
    if form.validate():
        try:
            year = skp_settings.open_year(_settings(form), current_user)
        except DomainError as exc:
            refused(exc, form)
        else:
            flash(f"Tahun kinerja {year.year} dibuka.", "success")
            return redirect(url_for("skp.years"))
    return render_template("skp/years.html", rows=skp_settings.all_years(), form=form), 422


@bp.route("/tahun/<int:year>", methods=["GET", "POST"])
@years_admin
def year_edit(year):
    row = skp_settings.get_year(year)
    if row is None:
        abort(404)
    form = YearForm(obj=row) if request.method == "GET" else YearForm()
    if request.method == "POST":
        form.year.data = row.year  # the year itself is the key and never changes
        if _validating():
            return field_fragment(form, _validating())
        if form.validate():
            skp_settings.change_year(row.year, _settings(form), current_user)
            flash(f"Pengaturan tahun {row.year} disimpan.", "success")
            return redirect(url_for("skp.years"))
    return render_template("skp/year_form.html", row=row, form=form), (422 if form.errors else 200)


# --- Organisation goals ----------------------------------------------------------------

def _goals_context(opd, year, form=None) -> dict:
    goals, used = skp_settings.goals_of(opd, year)
    return {"opd": opd, "year": year, "goals": goals, "used": used,
            "form": form or OrgGoalForm(formdata=None)}


def _goal_text(form) -> dict:
    return {"goal": form.goal.data, "indicator": form.indicator.data, "target": form.target.data}


def load_goal(goal_id):
    """The goal and its OPD for an admin whose scope holds it; 404 for anyone else (an
    outsider should not learn which ids exist)."""
    if not rules.manages_goals(actor()):
        abort(404)
    goal, opd = skp_settings.get_goal(goal_id)
    if goal is None:
        abort(404)
    require_unit_scope(current_user, opd)
    return goal, opd


@bp.route("/sasaran", methods=["GET", "POST"])
@goals_admin
def goals():
    opds = skp_settings.opds(admin_scope_unit(current_user))
    year = current_year(int_arg("tahun", source=request.values))
    unit_id = int_arg("unit", source=request.values)
    opd = next((u for u in opds if u.id == unit_id), opds[0] if opds else None)
    context = {"opds": opds, "years": skp_settings.all_years()}
    if request.method == "POST":
        if opd is None or year is None or opd.id != unit_id:
            abort(404)
        form = OrgGoalForm()
        if _validating():
            return field_fragment(form, _validating())
        if not form.validate():
            return render("skp/goals.html", "skp/_goals.html", status=422, **context,
                          **_goals_context(opd, year, form))
        skp_settings.add_goal(opd, year.year, _goal_text(form), current_user)
        return respond("skp/goals.html", "skp/_goals.html", message="Sasaran organisasi ditambahkan.",
                       redirect=url_for("skp.goals", unit=opd.id, tahun=year.year),
                       context=lambda: {**context, **_goals_context(opd, year)})
    return render("skp/goals.html", "skp/_goals.html", **context, **_goals_context(opd, year))


@bp.route("/sasaran/<int:goal_id>/ubah", methods=["GET", "POST"])
@login_required
def goal_edit(goal_id):
    goal, opd = load_goal(goal_id)
    form = OrgGoalForm(obj=goal) if request.method == "GET" else OrgGoalForm()
    if request.method == "POST":
        if _validating():
            return field_fragment(form, _validating())
        if form.validate():
            skp_settings.change_goal(goal.id, _goal_text(form), current_user)
            flash("Sasaran organisasi disimpan.", "success")
            return redirect(url_for("skp.goals", unit=goal.unit_id, tahun=goal.year_id))
    return render_template("skp/goal_form.html", goal=goal, form=form), (422 if form.errors else 200)


@bp.post("/sasaran/<int:goal_id>/hapus")
@login_required
def goal_delete(goal_id):
    goal, opd = load_goal(goal_id)
    year = skp_settings.get_year(goal.year_id)
    back = url_for("skp.goals", unit=opd.id, tahun=year.year)
    try:
        skp_settings.delete_goal(goal.id, current_user)
    except DomainError as exc:
        message = exc.message
        return respond(None, "skp/_goals.html", redirect=back, message=message, category="error",
                       status=409, context=lambda: {**_goals_context(opd, year), "error": message})
    return respond(None, "skp/_goals.html", redirect=back, message="Sasaran organisasi dihapus.",
                   context=lambda: _goals_context(opd, year))
