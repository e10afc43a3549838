"""The employee's side: my plans, a new plan, the SKP page and its in-page editing
(RHK with indicators, approach, appendix), submission and revisions; the Pejabat Penilai's
expectations; the admin's choice of Pejabat Penilai for one plan."""
import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from . import (ADMIN_ROLES, actor, bp, current_year, deny, int_arg, load_allowed, load_editable,
               load_readable, rhk_or_404, today)
from ... import clock, skp_store as store
from ...forms.skp import (
    AppendixItemForm, ApproachForm, ExpectationForm, NewSkpForm, RevisionForm, RhkForm,
)
from ...htmx import is_htmx, render
from ...models import (
    APPENDIX_SECTIONS, RHK_KINDS, Employee, Indicator, PerformanceYear, Skp, SkpAppendixItem, Unit,
)
from ...rules import skp as rules
from ...security import unit_in_scope

CHANGED = {"skpChanged": True}


def _employee_or_none():
    return Employee.get_or_none(Employee.id == current_user.employee_id) if current_user.employee_id else None


def _new_form(employee):
    form = NewSkpForm()
    taken = {y for (y,) in Skp.select(Skp.year).where(Skp.employee == employee.id).distinct().tuples()}
    choices = [(y.year, str(y.year)) for y in store.open_years() if y.year not in taken]
    form.year.choices = choices
    if request.method == "GET" and choices:
        wanted = current_year()
        form.year.data = wanted.year if wanted and wanted.year in dict(choices) else choices[0][0]
    return form


@bp.get("/")
@login_required
def mine():
    employee = _employee_or_none()
    if employee is None:
        return render_template("skp/mine.html", employee=None, plans=[], form=None)
    return render_template("skp/mine.html", employee=employee, plans=store.plans_of(employee.id),
                           form=_new_form(employee), year=current_year(), today=today())


@bp.post("/baru")
@login_required
def create():
    employee = _employee_or_none()
    if employee is None:
        deny("Akun ini tidak terhubung dengan data pegawai, sehingga tidak memiliki SKP.")
    form = _new_form(employee)
    if form.validate():
        year = PerformanceYear.get_by_id(form.year.data)
        try:
            skp = store.create_plan(employee, year, form.approach.data, current_user,
                                    copy_previous=form.copy_previous.data)
        except store.PlanError as exc:
            form.copy_previous.errors = list(form.copy_previous.errors) + [str(exc)]
        else:
            flash(f"SKP {year.year} dibuat sebagai draft.", "success")
            return redirect(url_for("skp.detail", skp_id=skp.id))
    return render_template("skp/mine.html", employee=employee, plans=store.plans_of(employee.id),
                           form=form, year=current_year(), today=today()), 422


def approved_on(skp) -> datetime.date | None:
    """The day (in the regency) the plan was approved, for one that is or was in force."""
    if skp.status in ("approved", "superseded") and skp.decided_at:
        return clock.to_local(skp.decided_at).date()
    return None


def page_context(skp, facts, **extra) -> dict:
    content = store.PlanContent(skp)
    who = actor()
    can_edit = rules.can_edit(who, facts)
    revisions = store.revisions_of(skp)
    context = {
        "skp": skp, "facts": facts, "content": content, "can_edit": can_edit,
        "can_expect": rules.can_write_expectations(who, facts),
        "can_decide": rules.can_decide(who, facts),
        "can_revise": rules.can_open_revision(who, facts),
        "can_set_appraiser": (current_user.role in ADMIN_ROLES and facts.is_latest
                              and skp.status in rules.EXPECTATION_STATES),
        "problems": content.problems() if can_edit else [],
        "approach_form": ApproachForm(approach=skp.approach),
        "revisions": revisions, "history": store.history_of([r.id for r in revisions]),
        "changes": store.revision_changes(skp, content),
        "core_values": rules.CORE_VALUES, "sections": APPENDIX_SECTIONS,
        "appendix_forms": {s: AppendixItemForm(prefix=s) for s in APPENDIX_SECTIONS},
        "revision_form": RevisionForm(), "today": today(),
        "deadline": rules.deadline_label(skp.year.skp_deadline, today(), approved_on(skp)),
    }
    context["expectation_forms"] = {
        code: ExpectationForm(prefix=code, formdata=None, special_expectation=(
            content.expectations[code].special_expectation if code in content.expectations else ""))
        for code in rules.CORE_VALUE_CODES} if context["can_expect"] else {}
    mentioned = {int(k) for d in context["history"] for k in d.rhk_comment_dict() if str(k).isdigit()}
    context["rhk_texts"] = store.rhk_texts(mentioned)
    context.update(extra)
    return context


@bp.get("/<int:skp_id>")
@login_required
def detail(skp_id):
    skp, facts = load_readable(skp_id)
    return render_template("skp/detail.html", **page_context(skp, facts))


@bp.get("/<int:skp_id>/status")
@login_required
def status(skp_id):
    skp, facts = load_readable(skp_id)
    if not is_htmx():
        return redirect(url_for("skp.detail", skp_id=skp.id))
    content = store.PlanContent(skp)
    can_edit = rules.can_edit(actor(), facts)
    return render_template("skp/_status.html", skp=skp, facts=facts, can_edit=can_edit,
                           problems=content.problems() if can_edit else [],
                           can_revise=rules.can_open_revision(actor(), facts),
                           can_decide=rules.can_decide(actor(), facts),
                           revision_form=RevisionForm(), today=today(),
                           deadline=rules.deadline_label(skp.year.skp_deadline, today(), approved_on(skp)))


# --- Hasil Kerja: approach and RHK ----------------------------------------------------

def _hasil_kerja(skp, facts, status=200):
    return render("skp/detail.html", "skp/_hasil_kerja.html", status=status, trigger=CHANGED,
                  **page_context(skp, facts))


@bp.post("/<int:skp_id>/pendekatan")
@login_required
def set_approach(skp_id):
    skp, facts = load_editable(skp_id)
    form = ApproachForm()
    if not form.validate():
        return _hasil_kerja(skp, facts, 422)
    if form.approach.data != skp.approach:
        store.set_approach(skp, form.approach.data, current_user)
    if not is_htmx():
        return redirect(url_for("skp.detail", skp_id=skp.id, _anchor="hasil-kerja"))
    return _hasil_kerja(skp, facts)


def _rhk_form(skp, kind, rhk=None):
    data = None
    if rhk is not None and request.method == "GET":
        indicators = [{"aspect": i.aspect, "text": i.text, "target_min": rules.number_input(i.target_min),
                       "target_max": rules.number_input(i.target_max), "target_unit": i.target_unit,
                       "target_text": i.target_text}
                      for i in Indicator.select().where(Indicator.rhk == rhk.id)
                      .order_by(Indicator.order, Indicator.id)]
        data = {"text": rhk.text, "parent": rhk.org_goal_id if skp.appraiser_id is None else rhk.parent_id,
                "indicators": indicators or [{}]}
    return RhkForm(data=data, approach=skp.approach, kind=kind, is_head=skp.appraiser_id is None,
                   parent_choices=store.parent_options(skp) if kind == "utama" else [])


def _kind_arg():
    kind = request.values.get("jenis", "")
    if kind not in RHK_KINDS:
        abort(404)
    return kind


def _form_response(skp, form, kind, rhk=None, status=200):
    return render("skp/rhk_form_page.html", "skp/_rhk_form.html", status=status,
                  skp=skp, form=form, kind=kind, rhk=rhk)


def _list_response(skp, facts, kind, new_form=None, status=200):
    """The RHK group of one kind; a new RHK's form lives at its foot while being filled in."""
    return render("skp/detail.html", "skp/_rhk_list.html", status=status, trigger=CHANGED,
                  skp=skp, content=store.PlanContent(skp), kind=kind, new_form=new_form,
                  can_edit=rules.can_edit(actor(), facts))


@bp.get("/<int:skp_id>/rhk/baru")
@login_required
def rhk_new(skp_id):
    skp, facts = load_editable(skp_id)
    kind = _kind_arg()
    return _form_response(skp, _rhk_form(skp, kind), kind)


@bp.get("/<int:skp_id>/rhk/daftar")
@login_required
def rhk_list(skp_id):
    skp, facts = load_readable(skp_id)
    kind = _kind_arg()
    if not is_htmx():
        return redirect(url_for("skp.detail", skp_id=skp.id, _anchor=f"rhk-list-{kind}"))
    return _list_response(skp, facts, kind)


def _save(skp, facts, kind, rhk=None):
    form = _rhk_form(skp, kind, rhk)

    def again(status=200):
        if rhk is None and is_htmx():
            return _list_response(skp, facts, kind, new_form=form, status=status)
        return _form_response(skp, form, kind, rhk, status)

    op = request.form.get("op", "save")
    if op == "add_indicator":
        if len(form.indicators.entries) < form.indicators.max_entries:
            form.indicators.append_entry()
        return again()
    if op.startswith("remove_indicator-"):
        index = int_arg("op", None, {"op": op.rsplit("-", 1)[1]})
        if index is not None and 0 <= index < len(form.indicators.entries) and len(form.indicators.entries) > 1:
            form.indicators.entries.pop(index)
        return again()
    if not form.validate():
        return again(422)
    saved = store.save_rhk(skp, rhk, kind, form.text.data, form.parent.data, form.cleaned, current_user)
    if not is_htmx():
        flash("RHK disimpan.", "success")
        return redirect(url_for("skp.detail", skp_id=skp.id, _anchor=f"rhk-{saved.id}"))
    if rhk is None:
        return _list_response(skp, facts, kind)
    content = store.PlanContent(skp)
    fresh = next(r for r in content.rhks if r.id == saved.id)
    group = content.by_kind(kind)
    return render("skp/detail.html", "skp/_rhk.html", trigger=CHANGED, skp=skp, rhk=fresh,
                  number=group.index(fresh) + 1, first=group[0].id == fresh.id,
                  last=group[-1].id == fresh.id, can_edit=True)


@bp.post("/<int:skp_id>/rhk")
@login_required
def rhk_create(skp_id):
    skp, facts = load_editable(skp_id)
    return _save(skp, facts, _kind_arg())


@bp.route("/<int:skp_id>/rhk/<int:rhk_id>", methods=["GET", "POST"])
@login_required
def rhk_item(skp_id, rhk_id):
    if request.method == "POST":
        skp, facts = load_editable(skp_id)
        rhk = rhk_or_404(skp, rhk_id)
        return _save(skp, facts, rhk.kind, rhk)
    skp, facts = load_readable(skp_id)
    rhk = rhk_or_404(skp, rhk_id)
    if not is_htmx():
        return redirect(url_for("skp.detail", skp_id=skp.id, _anchor=f"rhk-{rhk.id}"))
    content = store.PlanContent(skp)
    fresh = next(r for r in content.rhks if r.id == rhk.id)
    group = content.by_kind(rhk.kind)
    return render_template("skp/_rhk.html", skp=skp, rhk=fresh, number=group.index(fresh) + 1,
                           first=group[0].id == fresh.id, last=group[-1].id == fresh.id,
                           can_edit=rules.can_edit(actor(), facts))


@bp.get("/<int:skp_id>/rhk/<int:rhk_id>/ubah")
@login_required
def rhk_edit(skp_id, rhk_id):
    skp, facts = load_editable(skp_id)
    rhk = rhk_or_404(skp, rhk_id)
    return _form_response(skp, _rhk_form(skp, rhk.kind, rhk), rhk.kind, rhk)


@bp.post("/<int:skp_id>/rhk/<int:rhk_id>/hapus")
@login_required
def rhk_delete(skp_id, rhk_id):
    skp, facts = load_editable(skp_id)
    rhk = rhk_or_404(skp, rhk_id)
    store.delete_rhk(skp, rhk, current_user)
    if not is_htmx():
        flash("RHK dihapus.", "success")
        return redirect(url_for("skp.detail", skp_id=skp.id, _anchor=f"rhk-list-{rhk.kind}"))
    return _list_response(skp, facts, rhk.kind)


@bp.post("/<int:skp_id>/rhk/<int:rhk_id>/geser")
@login_required
def rhk_move(skp_id, rhk_id):
    skp, facts = load_editable(skp_id)
    rhk = rhk_or_404(skp, rhk_id)
    step = {"naik": -1, "turun": 1}.get(request.form.get("arah", ""))
    if step is None:
        abort(400)
    store.move_rhk(skp, rhk, step, current_user)
    if not is_htmx():
        return redirect(url_for("skp.detail", skp_id=skp.id, _anchor=f"rhk-{rhk.id}"))
    return _list_response(skp, facts, rhk.kind)


# --- Lampiran ------------------------------------------------------------------------

def _appendix_response(skp, section, form, status=200):
    items = list(SkpAppendixItem.select().where((SkpAppendixItem.skp == skp.id)
                                                & (SkpAppendixItem.section == section))
                 .order_by(SkpAppendixItem.order, SkpAppendixItem.id))
    return render("skp/detail.html", "skp/_appendix.html", status=status, trigger=CHANGED, skp=skp,
                  section=section, items=items, form=form, sections=APPENDIX_SECTIONS, can_edit=True)


@bp.post("/<int:skp_id>/lampiran/<section>")
@login_required
def appendix_add(skp_id, section):
    skp, facts = load_editable(skp_id)
    if section not in APPENDIX_SECTIONS:
        abort(404)
    form = AppendixItemForm(prefix=section)
    if not form.validate():
        if not is_htmx():
            return render_template("skp/detail.html", **page_context(
                skp, facts, appendix_forms={s: (form if s == section else AppendixItemForm(prefix=s))
                                            for s in APPENDIX_SECTIONS})), 422
        return _appendix_response(skp, section, form, 422)
    store.add_appendix_item(skp, section, form.text.data, current_user)
    if not is_htmx():
        return redirect(url_for("skp.detail", skp_id=skp.id, _anchor=f"lampiran-{section}"))
    return _appendix_response(skp, section, AppendixItemForm(prefix=section, formdata=None))


@bp.post("/<int:skp_id>/lampiran/<section>/<int:item_id>/hapus")
@login_required
def appendix_delete(skp_id, section, item_id):
    skp, facts = load_editable(skp_id)
    item = SkpAppendixItem.get_or_none((SkpAppendixItem.id == item_id) & (SkpAppendixItem.skp == skp.id)
                                       & (SkpAppendixItem.section == section))
    if item is None:
        abort(404)
    store.delete_appendix_item(skp, item, current_user)
    if not is_htmx():
        return redirect(url_for("skp.detail", skp_id=skp.id, _anchor=f"lampiran-{section}"))
    return _appendix_response(skp, section, AppendixItemForm(prefix=section, formdata=None))


# --- Perilaku Kerja: the Pejabat Penilai's expectations ---------------------------------

@bp.post("/<int:skp_id>/perilaku/<value>")
@login_required
def expectation(skp_id, value):
    skp, facts = load_readable(skp_id)
    if value not in rules.CORE_VALUE_NAMES:
        abort(404)
    reason = rules.expectation_denial(actor(), facts)
    if reason:
        deny(reason)
    form = ExpectationForm(prefix=value)
    status = 200
    if form.validate():
        row = store.set_expectation(skp, value, form.special_expectation.data or "", current_user)
        if not is_htmx():
            flash("Ekspektasi khusus pimpinan disimpan.", "success")
            return redirect(url_for("skp.detail", skp_id=skp.id, _anchor=f"perilaku-{value}"))
        saved = True
    else:
        row, saved, status = None, False, 422
    if not is_htmx():
        context = page_context(skp, facts)
        context["expectation_forms"][value] = form
        return render_template("skp/detail.html", **context), status
    code, name, guides = next(v for v in rules.CORE_VALUES if v[0] == value)
    return render_template("skp/_behaviour_row.html", skp=skp, code=code, name=name, guides=guides,
                           expectation=row, form=form, saved=saved), status


# --- Submission and revisions ----------------------------------------------------------

@bp.post("/<int:skp_id>/ajukan")
@login_required
def submit(skp_id):
    skp, facts = load_allowed(skp_id, rules.submit_denial)
    problems = store.PlanContent(skp).problems()
    if problems:
        return render_template("skp/detail.html", **page_context(skp, facts, submit_problems=problems)), 422
    store.submit(skp, current_user)
    fresh = store.get_plan(skp.id)
    who = fresh.appraiser.full_name if fresh.appraiser_id else "Admin BKPSDM (atas nama Kepala Daerah)"
    flash(f"SKP diajukan kepada {who}.", "success")
    return redirect(url_for("skp.detail", skp_id=skp.id))


@bp.post("/<int:skp_id>/revisi")
@login_required
def revise(skp_id):
    skp, facts = load_allowed(skp_id, rules.revision_denial)
    form = RevisionForm()
    if not form.validate():
        return render_template("skp/detail.html", **page_context(skp, facts, revision_form=form)), 422
    new = store.open_revision(skp, current_user, form.change_note.data.strip())
    flash(f"Revisi {new.revision} dibuat sebagai draft. SKP yang disetujui tetap berlaku sampai "
          "revisi ini disetujui.", "success")
    return redirect(url_for("skp.detail", skp_id=new.id))


@bp.post("/<int:skp_id>/pejabat-penilai")
@login_required
def set_appraiser(skp_id):
    """The admin corrects the Pejabat Penilai of one plan where the org data is wrong."""
    skp, facts = load_readable(skp_id)
    if current_user.role not in ADMIN_ROLES:
        deny("Hanya admin yang dapat mengganti Pejabat Penilai sebuah SKP.")
    if not facts.is_latest or skp.status not in rules.EXPECTATION_STATES:
        deny("Pejabat Penilai hanya dapat diganti sebelum SKP disetujui.")
    nip = "".join(ch for ch in request.form.get("appraiser_nip", "") if ch.isdigit())
    appraiser = None
    if nip:
        appraiser = Employee.get_or_none((Employee.nip == nip) & Employee.active)
        unit = Unit.get_or_none(Unit.id == appraiser.unit_id) if appraiser and appraiser.unit_id else None
        if appraiser is None or appraiser.id == skp.employee_id or not unit_in_scope(current_user, unit):
            flash(f"Pegawai aktif dengan NIP {nip} tidak ditemukan di lingkup Anda.", "error")
            return redirect(url_for("skp.detail", skp_id=skp.id, _anchor="identitas"))
    store.set_appraiser(skp, appraiser, current_user)
    flash("Pejabat Penilai SKP ini diganti.", "success")
    return redirect(url_for("skp.detail", skp_id=skp.id, _anchor="identitas"))
