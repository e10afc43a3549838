"""The employee's plans through their life: my plans and a new plan, submission, revisions
after approval, and the admin's correction of one plan's Pejabat Penilai."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from . import bp, current_year, load_for
from .editor import page_context
from ...forms.skp import NewSkpForm, RevisionForm
from ...rules import DomainError
from ...security import unit_in_scope
from ...stores.skp import plans
from ...stores.skp import settings as skp_settings
from ...stores.skp import workflow as flow
from ..toolkit import deny, refused, today


def _new_form(employee):
    form = NewSkpForm()
    taken = plans.years_with_plan(employee.id)
    choices = [(y.year, str(y.year)) for y in skp_settings.open_years() if y.year not in taken]
    form.year.choices = choices
    if request.method == "GET" and choices:
        wanted = current_year()
        form.year.data = wanted.year if wanted and wanted.year in dict(choices) else choices[0][0]
    return form


def _mine(employee, form):
    return render_template("skp/mine.html", employee=employee, plans=plans.plans_of(employee.id),
                           form=form, year=current_year(), today=today())


@bp.get("/")
@login_required
def mine():
    employee = plans.employee_of(current_user)
    if employee is None:
        return render_template("skp/mine.html", employee=None, plans=[], form=None)
    return _mine(employee, _new_form(employee))


@bp.post("/baru")
@login_required
def create():
    employee = plans.employee_of(current_user)
    if employee is None:
        deny("Akun ini tidak terhubung dengan data pegawai, sehingga tidak memiliki SKP.")
    form = _new_form(employee)
    if form.validate():
        try:
            skp = flow.create_plan(employee, form.year.data, form.approach.data, current_user,
                                   copy_previous=form.copy_previous.data)
        except DomainError as exc:
            refused(exc, form, "copy_previous")
        else:
            flash(f"SKP {skp.year_id} dibuat sebagai draft.", "success")
            return redirect(url_for("skp.detail", skp_id=skp.id))
    return _mine(employee, form), 422


@bp.post("/<int:skp_id>/ajukan")
@login_required
def submit(skp_id):
    skp, facts = load_for(skp_id, "submit")
    problems = plans.PlanContent(skp).problems()
    if problems:
        return render_template("skp/detail.html", **page_context(skp, facts, submit_problems=problems)), 422
    fresh = flow.submit(skp.id, current_user)
    who = fresh.appraiser.full_name if fresh.appraiser_id else "Admin BKPSDM (atas nama Kepala Daerah)"
    flash(f"SKP diajukan kepada {who}.", "success")
    return redirect(url_for("skp.detail", skp_id=skp.id))


@bp.post("/<int:skp_id>/revisi")
@login_required
def revise(skp_id):
    skp, facts = load_for(skp_id, "revise")
    form = RevisionForm()
    if not form.validate():
        return render_template("skp/detail.html", **page_context(skp, facts, revision_form=form)), 422
    new = flow.open_revision(skp.id, current_user, form.change_note.data.strip())
    flash(f"Revisi {new.revision} dibuat sebagai draft. SKP yang disetujui tetap berlaku sampai "
          "revisi ini disetujui.", "success")
    return redirect(url_for("skp.detail", skp_id=new.id))


@bp.post("/<int:skp_id>/pejabat-penilai")
@login_required
def set_appraiser(skp_id):
    """The admin corrects the Pejabat Penilai of one plan where the org data is wrong."""
    skp, facts = load_for(skp_id, "set_appraiser")
    back = url_for("skp.detail", skp_id=skp.id, _anchor="identitas")
    nip = "".join(ch for ch in request.form.get("appraiser_nip", "") if ch.isdigit())
    appraiser = None
    if nip:
        appraiser, unit = plans.active_employee_by_nip(nip)
        if appraiser is None or appraiser.id == skp.employee_id or not unit_in_scope(current_user, unit):
            flash(f"Pegawai aktif dengan NIP {nip} tidak ditemukan di lingkup Anda.", "error")
            return redirect(back)
    flow.set_appraiser(skp.id, appraiser, current_user)
    flash("Pejabat Penilai SKP ini diganti.", "success")
    return redirect(back)
