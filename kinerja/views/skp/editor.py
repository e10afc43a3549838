"""The SKP page and its in-page editing: the owner's approach, RHK with indicators and
appendix, and the Pejabat Penilai's expectations. Each change answers with the part of the
page that changed and announces it (skpChanged), so the status above follows."""
import datetime

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from . import actor, bp, load_for, load_readable, rhk_or_404
from ... import clock
from ...forms.skp import AppendixItemForm, ApproachForm, ExpectationForm, RevisionForm, RhkForm
from ...htmx import is_htmx, respond
from ...models import APPENDIX_SECTIONS, RHK_KINDS
from ...rules import skp as rules
from ...stores.skp import content as edits
from ...stores.skp import plans
from ..toolkit import int_arg, today

CHANGED = {"skpChanged": True}


def approved_on(skp) -> datetime.date | None:
    """The day (in the regency) the plan was approved, for one that is or was in force."""
    if skp.status in rules.APPROVED_STATES and skp.decided_at:
        return clock.to_local(skp.decided_at).date()
    return None


def status_context(skp, facts, content=None) -> dict:
    """What the status block at the top of the page shows (also its own fragment)."""
    who = actor()
    can_edit = rules.allowed("edit", who, facts)
    if can_edit and content is None:
        content = plans.PlanContent(skp)
    return {"skp": skp, "facts": facts, "can_edit": can_edit,
            "problems": content.problems() if can_edit else [],
            "can_revise": rules.allowed("revise", who, facts),
            "can_decide": rules.allowed("approve", who, facts),
            "revision_form": RevisionForm(), "today": today(),
            "deadline": rules.deadline_label(skp.year.skp_deadline, today(), approved_on(skp))}


def page_context(skp, facts, **extra) -> dict:
    content = plans.PlanContent(skp)
    who = actor()
    revisions = plans.revisions_of(skp)
    context = {
        **status_context(skp, facts, content), "content": content,
        "can_expect": rules.allowed("expect", who, facts),
        "can_set_appraiser": rules.allowed("set_appraiser", who, facts),
        "approach_form": ApproachForm(approach=skp.approach),
        "revisions": revisions, "history": plans.history_of([r.id for r in revisions]),
        "changes": plans.revision_changes(skp, content),
        "core_values": rules.CORE_VALUES, "sections": APPENDIX_SECTIONS,
        "appendix_forms": {s: AppendixItemForm(prefix=s) for s in APPENDIX_SECTIONS},
    }
    context["expectation_forms"] = {
        code: ExpectationForm(prefix=code, formdata=None, special_expectation=(
            content.expectations[code].special_expectation if code in content.expectations else ""))
        for code in rules.CORE_VALUE_CODES} if context["can_expect"] else {}
    mentioned = {int(k) for d in context["history"] for k in d.rhk_comment_dict() if str(k).isdigit()}
    context["rhk_texts"] = plans.rhk_texts(mentioned)
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
    return respond(None, "skp/_status.html", redirect=url_for("skp.detail", skp_id=skp.id),
                   context=lambda: status_context(skp, facts))


def _to(skp, anchor: str) -> str:
    return url_for("skp.detail", skp_id=skp.id, _anchor=anchor)


# --- Hasil Kerja: approach and RHK ----------------------------------------------------

@bp.post("/<int:skp_id>/pendekatan")
@login_required
def set_approach(skp_id):
    skp, facts = load_for(skp_id, "edit")
    form = ApproachForm()
    if not form.validate():
        return respond("skp/detail.html", "skp/_hasil_kerja.html", status=422, trigger=CHANGED,
                       context=lambda: page_context(skp, facts))
    skp = edits.set_approach(skp.id, form.approach.data, current_user)
    return respond("skp/detail.html", "skp/_hasil_kerja.html", redirect=_to(skp, "hasil-kerja"),
                   trigger=CHANGED, context=lambda: page_context(skp, facts))


def _rhk_form(skp, kind, rhk=None):
    data = None
    if rhk is not None and request.method == "GET":
        indicators = [{"aspect": i.aspect, "text": i.text, "target_min": rules.number_input(i.target_min),
                       "target_max": rules.number_input(i.target_max), "target_unit": i.target_unit,
                       "target_text": i.target_text} for i in plans.indicators_of(rhk)]
        data = {"text": rhk.text, "parent": rhk.org_goal_id if skp.appraiser_id is None else rhk.parent_id,
                "indicators": indicators or [{}]}
    return RhkForm(data=data, approach=skp.approach, kind=kind, is_head=skp.appraiser_id is None,
                   parent_choices=plans.parent_options(skp) if kind == "utama" else [])


def _kind_arg():
    kind = request.values.get("jenis", "")
    if kind not in RHK_KINDS:
        abort(404)
    return kind


def _form_response(skp, form, kind, rhk=None, status=200):
    return respond("skp/rhk_form_page.html", "skp/_rhk_form.html", status=status,
                   skp=skp, form=form, kind=kind, rhk=rhk)


def _list_context(skp, facts, kind, new_form=None) -> dict:
    """The RHK group of one kind; a new RHK's form lives at its foot while being filled in."""
    return {"skp": skp, "content": plans.PlanContent(skp), "kind": kind, "new_form": new_form,
            "can_edit": rules.allowed("edit", actor(), facts)}


def _row_context(skp, rhk_id, can_edit) -> dict:
    return {"skp": skp, **plans.PlanContent(skp).placed(rhk_id), "can_edit": can_edit}


@bp.get("/<int:skp_id>/rhk/baru")
@login_required
def rhk_new(skp_id):
    skp, facts = load_for(skp_id, "edit")
    kind = _kind_arg()
    return _form_response(skp, _rhk_form(skp, kind), kind)


@bp.get("/<int:skp_id>/rhk/daftar")
@login_required
def rhk_list(skp_id):
    skp, facts = load_readable(skp_id)
    kind = _kind_arg()
    return respond("skp/detail.html", "skp/_rhk_list.html", redirect=_to(skp, f"rhk-list-{kind}"),
                   trigger=CHANGED, context=lambda: _list_context(skp, facts, kind))


def _save(skp, facts, kind, rhk=None):
    form = _rhk_form(skp, kind, rhk)

    def again(status=200):
        # A new RHK's form sits at the foot of its list in the page, or on a page of its own
        # without JavaScript: two different templates, not a page and its fragment.
        if rhk is None and is_htmx():
            return respond(None, "skp/_rhk_list.html", status=status, trigger=CHANGED,
                           **_list_context(skp, facts, kind, new_form=form))
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
    saved = edits.save_rhk(skp.id, rhk.id if rhk else None, kind, form.text.data, form.parent.data,
                           form.cleaned, current_user)
    if rhk is None:
        partial, context = "skp/_rhk_list.html", (lambda: _list_context(skp, facts, kind))
    else:
        partial, context = "skp/_rhk.html", (lambda: _row_context(skp, saved.id, can_edit=True))
    return respond("skp/detail.html", partial, redirect=_to(skp, f"rhk-{saved.id}"),
                   message="RHK disimpan.", trigger=CHANGED, context=context)


@bp.post("/<int:skp_id>/rhk")
@login_required
def rhk_create(skp_id):
    skp, facts = load_for(skp_id, "edit")
    return _save(skp, facts, _kind_arg())


@bp.route("/<int:skp_id>/rhk/<int:rhk_id>", methods=["GET", "POST"])
@login_required
def rhk_item(skp_id, rhk_id):
    if request.method == "POST":
        skp, facts = load_for(skp_id, "edit")
        rhk = rhk_or_404(skp, rhk_id)
        return _save(skp, facts, rhk.kind, rhk)
    skp, facts = load_readable(skp_id)
    rhk = rhk_or_404(skp, rhk_id)
    return respond(None, "skp/_rhk.html", redirect=_to(skp, f"rhk-{rhk.id}"),
                   context=lambda: _row_context(skp, rhk.id, rules.allowed("edit", actor(), facts)))


@bp.get("/<int:skp_id>/rhk/<int:rhk_id>/ubah")
@login_required
def rhk_edit(skp_id, rhk_id):
    skp, facts = load_for(skp_id, "edit")
    rhk = rhk_or_404(skp, rhk_id)
    return _form_response(skp, _rhk_form(skp, rhk.kind, rhk), rhk.kind, rhk)


@bp.post("/<int:skp_id>/rhk/<int:rhk_id>/hapus")
@login_required
def rhk_delete(skp_id, rhk_id):
    skp, facts = load_for(skp_id, "edit")
    rhk = rhk_or_404(skp, rhk_id)
    edits.delete_rhk(skp.id, rhk.id, current_user)
    return respond("skp/detail.html", "skp/_rhk_list.html", redirect=_to(skp, f"rhk-list-{rhk.kind}"),
                   message="RHK dihapus.", trigger=CHANGED,
                   context=lambda: _list_context(skp, facts, rhk.kind))


@bp.post("/<int:skp_id>/rhk/<int:rhk_id>/geser")
@login_required
def rhk_move(skp_id, rhk_id):
    skp, facts = load_for(skp_id, "edit")
    rhk = rhk_or_404(skp, rhk_id)
    step = {"naik": -1, "turun": 1}.get(request.form.get("arah", ""))
    if step is None:
        abort(400)
    edits.move_rhk(skp.id, rhk.id, step, current_user)
    return respond("skp/detail.html", "skp/_rhk_list.html", redirect=_to(skp, f"rhk-{rhk.id}"),
                   trigger=CHANGED, context=lambda: _list_context(skp, facts, rhk.kind))


# --- Lampiran ------------------------------------------------------------------------

def _appendix_context(skp, section, form) -> dict:
    return {"skp": skp, "section": section, "items": plans.appendix_items(skp, section), "form": form,
            "sections": APPENDIX_SECTIONS, "can_edit": True}


@bp.post("/<int:skp_id>/lampiran/<section>")
@login_required
def appendix_add(skp_id, section):
    skp, facts = load_for(skp_id, "edit")
    if section not in APPENDIX_SECTIONS:
        abort(404)
    form = AppendixItemForm(prefix=section)
    if not form.validate():
        # The page shows the form among all of its sections, the fragment only its own.
        if not is_htmx():
            return render_template("skp/detail.html", **page_context(
                skp, facts, appendix_forms={s: (form if s == section else AppendixItemForm(prefix=s))
                                            for s in APPENDIX_SECTIONS})), 422
        return respond(None, "skp/_appendix.html", status=422, trigger=CHANGED,
                       **_appendix_context(skp, section, form))
    edits.add_appendix_item(skp.id, section, form.text.data, current_user)
    return respond("skp/detail.html", "skp/_appendix.html", redirect=_to(skp, f"lampiran-{section}"),
                   trigger=CHANGED, context=lambda: _appendix_context(
                       skp, section, AppendixItemForm(prefix=section, formdata=None)))


@bp.post("/<int:skp_id>/lampiran/<section>/<int:item_id>/hapus")
@login_required
def appendix_delete(skp_id, section, item_id):
    skp, facts = load_for(skp_id, "edit")
    item = plans.appendix_item_of(skp, section, item_id)
    if item is None:
        abort(404)
    edits.delete_appendix_item(skp.id, item.id, current_user)
    return respond("skp/detail.html", "skp/_appendix.html", redirect=_to(skp, f"lampiran-{section}"),
                   trigger=CHANGED, context=lambda: _appendix_context(
                       skp, section, AppendixItemForm(prefix=section, formdata=None)))


# --- Perilaku Kerja: the Pejabat Penilai's expectations ---------------------------------

def _behaviour_context(skp, value, row, form, saved) -> dict:
    code, name, guides = next(v for v in rules.CORE_VALUES if v[0] == value)
    return {"skp": skp, "code": code, "name": name, "guides": guides, "expectation": row,
            "form": form, "saved": saved}


@bp.post("/<int:skp_id>/perilaku/<value>")
@login_required
def expectation(skp_id, value):
    if value not in rules.CORE_VALUE_NAMES:
        abort(404)
    skp, facts = load_for(skp_id, "expect")
    form = ExpectationForm(prefix=value)
    if form.validate():
        row = edits.set_expectation(skp.id, value, form.special_expectation.data or "", current_user)
        return respond(None, "skp/_behaviour_row.html", redirect=_to(skp, f"perilaku-{value}"),
                       message="Ekspektasi khusus pimpinan disimpan.",
                       context=lambda: _behaviour_context(skp, value, row, form, saved=True))
    # The page shows the form's errors in its row among all the values; the fragment is the row.
    if not is_htmx():
        context = page_context(skp, facts)
        context["expectation_forms"][value] = form
        return render_template("skp/detail.html", **context), 422
    return render_template("skp/_behaviour_row.html", **_behaviour_context(skp, value, None, form, False)), 422
