"""One evaluation: the employee fills it in and submits it; the Pejabat Penilai rates it,
approves or returns it; the employee accepts it or objects; the Atasan decides the objection."""
from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...formatting import tanggal
from ...forms import field_fragment
from ...forms.evaluation import DecisionForm, ObjectionForm, evaluation_form, rating_form
from ...htmx import is_htmx, render, respond
from ...models import Skp
from ...rules import evaluation as rules
from ...rules.skp import CORE_VALUE_NAMES, CORE_VALUES
from ...stores import peer_feedback as peers
from ...stores.evaluation import page as pages, periods, workflow
from ...stores.evaluation.queue import pending_for
from ...stores.turnaround import beside
from ..toolkit import deny, today
from .common import bp, employee_or_deny, load_evaluation

VALUES = list(CORE_VALUE_NAMES.items())  # (code, name) of the BerAKHLAK values


# --- The employee's own evaluation -----------------------------------------------------------

def _form_items(page):
    items = []
    for rhk in page.rhks:
        for ind in rhk.indicator_list:
            progress = page.progress[ind.id]
            items.append({"id": ind.id, "label": ind.text, "quantitative": progress.quantitative,
                          "prefilled": progress.realised})
    return items


def _initial(page, items):
    data = {"self_note": page.evaluation.self_note if page.evaluation else ""}
    for item in items:
        saved = page.items.get(item["id"])
        if item["quantitative"]:
            data[f"real_{item['id']}"] = saved.realisation if saved else item["prefilled"]
        else:
            data[f"real_{item['id']}"] = saved.realisation_text if saved else ""
        data[f"reason_{item['id']}"] = saved.adjustment_reason if saved else ""
    return data


@bp.route("/evaluasi/<int:year>/<slug>/<int:number>", methods=["GET", "POST"])
@login_required
def own(year, slug, number):
    employee = employee_or_deny()
    skp = Skp.approved_for(employee.id, year)
    if skp is None:
        deny("SKP tahun ini belum disetujui; evaluasi dapat diisi setelah SKP disetujui.")
    period = periods.find_period(year, slug, number, skp)
    if period is None:
        deny("Periode evaluasi tidak ditemukan.", 404)
    opens = periods.fill_opens(periods.find_period(year, slug, number))
    if today() < opens:
        deny(f"Evaluasi {period.label} baru dapat diisi mulai {tanggal(opens)}.")
    evaluation = pages.get_own(employee.id, year, period.kind, period.number)
    if evaluation is not None and not evaluation.editable:
        return redirect(url_for("evaluation.show", evaluation_id=evaluation.id))
    page = pages.load_page(employee, skp, period, evaluation)
    items = _form_items(page)
    context = {"detail": page, "items": items, "rules": rules}
    if request.method == "GET":
        form = evaluation_form(items, data=_initial(page, items))
        return render_template("evaluation/own.html", form=form, **context)

    form = evaluation_form(items)
    trigger = request.headers.get("HX-Trigger-Name")
    if is_htmx() and trigger and trigger in form:
        # Inline validation of one field as it is typed: the field alone, nothing saved.
        return field_fragment(form, trigger)
    if not form.validate_on_submit():
        return render_template("evaluation/own.html", form=form, **context), 422
    submit = request.form.get("action") == "submit"
    values = {}
    for item in items:
        real = form[f"real_{item['id']}"].data
        values[item["id"]] = (item["prefilled"], real if item["quantitative"] else None,
                              "" if item["quantitative"] else (real or ""),
                              form[f"reason_{item['id']}"].data or "")
    saved = workflow.save_own(current_user, employee, skp, period, values,
                              form.self_note.data or "", submit, today())
    if submit:
        return respond(None, redirect=url_for("evaluation.show", evaluation_id=saved.id),
                       message=f"Evaluasi {period.label} diajukan kepada Pejabat Penilai.")
    return respond(None, redirect=url_for("evaluation.own", year=year, slug=slug, number=number),
                   message="Draf evaluasi disimpan.")


# --- Looking at one evaluation ----------------------------------------------------------------

def rating_panel_context(evaluation, queue=False, form=None, done=None, error=None):
    skp = Skp.get_by_id(evaluation.skp_id)
    page = pages.load_page(evaluation.employee, skp, periods.period_of(evaluation), evaluation)
    head_rating = rules.head_result_rating(page.org.predikat) if page.heads_opd and page.org else None
    if form is None:
        data = {"result_rating": evaluation.result_rating or head_rating,
                "behaviour_rating": evaluation.behaviour_rating,
                "comment": evaluation.return_comment}
        data.update({f"rhk_{r.id}": page.rhk_feedback.get(r.id, "") for r in page.rhks})
        data.update({f"value_{code}": page.value_feedback.get(code, "") for code, _ in VALUES})
        form = rating_form([r.id for r in page.rhks], VALUES, data=data, from_request=False)
    peer = peers.summary_for(evaluation, today())
    return {"evaluation": evaluation, "detail": page, "form": form,
            "expectations": pages.expectations(skp.id),
            "peer": peer, "core_values": CORE_VALUES,
            "field": beside.field_facts(evaluation.employee, evaluation.starts, evaluation.ends),
            "head_rating": head_rating, "queue": queue, "done": done, "error": error, "rules": rules,
            "predikat": rules.predikat(form.result_rating.data, form.behaviour_rating.data)}


def _steps_context(evaluation, roles) -> dict:
    """The steps open to the user on the evaluation page, and the objection deadline."""
    ctx = workflow.rules_context(evaluation, today())
    return {"roles": roles, "actions": rules.allowed_actions(evaluation.status, roles, ctx),
            "objection_form": ObjectionForm(formdata=None),
            "deadline": (rules.objection_deadline(ctx.approved_on, ctx.objection_days)
                         if ctx.approved_on else None)}


@bp.get("/evaluasi/<int:evaluation_id>")
@login_required
def show(evaluation_id):
    evaluation, roles = load_evaluation(evaluation_id)
    context = rating_panel_context(evaluation)
    context.update(_steps_context(evaluation, roles),
                   decision_form=DecisionForm(formdata=None, data={
                       "result_rating": evaluation.result_rating,
                       "behaviour_rating": evaluation.behaviour_rating}))
    return render_template("evaluation/show.html", **context)


@bp.post("/evaluasi/<int:evaluation_id>/pratinjau")
@login_required
def preview(evaluation_id):
    """The predikat the two chosen ratings give, shown before anything is confirmed."""
    evaluation, roles = load_evaluation(evaluation_id)
    if not roles & {rules.APPRAISER, rules.SUPERIOR}:
        deny("Hanya Pejabat Penilai atau Atasan yang menilai.")
    result = request.form.get("result_rating")
    behaviour = request.form.get("behaviour_rating")
    return render_template("evaluation/_predikat.html", predikat=rules.predikat(result, behaviour),
                           rules=rules)


@bp.post("/evaluasi/<int:evaluation_id>/nilai")
@login_required
def rate(evaluation_id):
    evaluation, roles = load_evaluation(
        evaluation_id, rules.APPRAISER, "Hanya Pejabat Penilai Kinerja "
        "yang dapat menilai evaluasi ini.")
    action = request.form.get("action")
    if action not in ("rate", "approve", "return"):
        action = "rate"
    queue = request.form.get("queue") == "1"
    rhk_ids = pages.rhk_ids(evaluation.skp_id)
    form = rating_form(rhk_ids, VALUES)
    problem = None if form.validate_on_submit() else "Periksa kembali isian yang ditandai."
    result, behaviour = form.result_rating.data or None, form.behaviour_rating.data or None
    ctx = workflow.rules_context(evaluation, today(), result_rating=result,
                                 behaviour_rating=behaviour, comment=form.comment.data or "")
    denial = rules.denial(action, evaluation.status, roles, ctx)
    if problem is None and denial:
        if evaluation.status != "submitted":
            deny(denial, 409)
        problem = denial
        if action == "approve":
            for field in (form.result_rating, form.behaviour_rating):
                if not field.data:
                    field.errors = list(field.errors) + ["Pilih salah satu."]
        if action == "return":
            form.comment.errors = list(form.comment.errors) + [denial]
    if problem:
        context = rating_panel_context(evaluation, queue=queue, form=form, error=problem)
        return render("evaluation/review.html" if queue else "evaluation/show.html",
                      "evaluation/_review.html", status=422, pending=pending_for(current_user),
                      selected=evaluation, roles=roles, actions=[], **context)
    saved = workflow.rate(current_user, evaluation.id, action, result, behaviour,
                          {rid: form[f"rhk_{rid}"].data for rid in rhk_ids},
                          {code: form[f"value_{code}"].data for code, _ in VALUES},
                          form.comment.data or "", today())
    messages = {"rate": "Penilaian disimpan (belum ditetapkan).",
                "approve": f"Evaluasi {evaluation.employee.full_name} ditetapkan dengan predikat "
                           f"{rules.predikat_label(saved.predikat)}.",
                "return": f"Evaluasi {evaluation.employee.full_name} dikembalikan."}
    answer = {"redirect": url_for("evaluation.review") if queue
              else url_for("evaluation.show", evaluation_id=evaluation.id),
              "message": messages[action], "trigger": {"evaluations-changed": True}}
    if queue and action != "rate":
        def next_in_queue():
            pending = pending_for(current_user)
            nxt = pending[0] if pending else None
            context = rating_panel_context(nxt, queue=True, done=messages[action]) if nxt else \
                {"done": messages[action], "queue": True}
            return {"pending": pending, "selected": nxt, **context}
        return respond("evaluation/review.html", "evaluation/_review.html", context=next_in_queue,
                       **answer)

    def same_evaluation():
        fresh = pages.get_evaluation(evaluation.id)
        return {"selected": fresh, "roles": roles, "actions": [],
                **rating_panel_context(fresh, queue=queue, done=messages[action])}
    return respond("evaluation/show.html", "evaluation/_review.html", context=same_evaluation,
                   **answer)


# --- Accepting, objecting, deciding --------------------------------------------------------

def _objection_context(evaluation, roles, form=None, done=None) -> dict:
    context = rating_panel_context(evaluation)
    context.update(_steps_context(evaluation, roles), done=done)
    if form is not None:
        context["objection_form"] = form
    return context


def _objection_done(evaluation_id, roles, done):
    """After accepting or objecting: the objection panel in place, or the page without htmx."""
    return respond("evaluation/show.html", "evaluation/_objection.html",
                   redirect=url_for("evaluation.show", evaluation_id=evaluation_id), message=done,
                   trigger={"evaluations-changed": True},
                   context=lambda: _objection_context(pages.get_evaluation(evaluation_id), roles,
                                                      done=done))


@bp.post("/evaluasi/<int:evaluation_id>/terima")
@login_required
def acknowledge(evaluation_id):
    evaluation, roles = load_evaluation(
        evaluation_id, rules.OWNER, "Hanya pegawai yang dinilai "
        "yang dapat menerima hasil evaluasinya.")
    workflow.acknowledge(current_user, evaluation.id, today())
    return _objection_done(evaluation_id, roles, "Hasil evaluasi diterima.")


@bp.post("/evaluasi/<int:evaluation_id>/keberatan")
@login_required
def file_objection(evaluation_id):
    evaluation, roles = load_evaluation(evaluation_id)
    reason = rules.denial("object", evaluation.status, roles,
                          workflow.rules_context(evaluation, today()))
    if reason:
        deny(reason, 409 if rules.OWNER in roles else 403)
    form = ObjectionForm()
    if not form.validate_on_submit():
        return render("evaluation/show.html", "evaluation/_objection.html", status=422,
                      **_objection_context(evaluation, roles, form=form))
    workflow.file_objection(current_user, evaluation.id, form.reasons.data, today())
    return _objection_done(evaluation_id, roles, "Keberatan diajukan kepada Atasan Pejabat Penilai.")


@bp.post("/evaluasi/<int:evaluation_id>/putuskan")
@login_required
def decide(evaluation_id):
    evaluation, roles = load_evaluation(
        evaluation_id, rules.SUPERIOR, "Hanya Atasan Pejabat Penilai Kinerja "
        "yang memutuskan keberatan.")
    if evaluation.status != "objected":
        deny(rules.denial("decide", evaluation.status, roles) or "Keberatan sudah diputuskan.", 409)
    form = DecisionForm()
    if not form.validate_on_submit():
        context = rating_panel_context(evaluation)
        context.update(roles=roles, actions=["decide"], decision_form=form,
                       predikat=rules.predikat(form.result_rating.data, form.behaviour_rating.data))
        return render("evaluation/show.html", "evaluation/_decision.html", status=422, **context)
    workflow.decide_objection(current_user, evaluation.id, form.result_rating.data,
                              form.behaviour_rating.data, form.decision.data, today())

    def decided():
        fresh = pages.get_evaluation(evaluation_id)
        return {**rating_panel_context(fresh), **_steps_context(fresh, roles), "actions": [],
                "decision_form": form, "done": "Keberatan diputuskan; keputusan ini final."}
    return respond("evaluation/show.html", "evaluation/_decision_done.html",
                   redirect=url_for("evaluation.show", evaluation_id=evaluation_id),
                   message="Keberatan diputuskan.", trigger={"evaluations-changed": True},
                   context=decided)
