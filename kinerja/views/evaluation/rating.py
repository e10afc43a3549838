"""One evaluation: the employee fills it in and submits it; the Pejabat Penilai rates it,
approves or returns it; the employee accepts it or objects; the Atasan decides the objection."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from peewee import IntegrityError

from . import bp, deny, evaluation_as, evaluation_or_404, me, today
from ... import evaluations as store
from ... import peer_feedback as peers
from ...forms import field_fragment
from ...forms.evaluation import DecisionForm, ObjectionForm, evaluation_form, rating_form
from ...formatting import tanggal
from ...htmx import is_htmx, render
from ...models import BehaviourExpectation, Skp
from ...rules import evaluation as rules
from ...rules.skp import CORE_VALUES


def period_of(evaluation) -> rules.Period:
    found = store.find_period(evaluation.year, store.SLUG_OF_KIND.get(evaluation.kind, ""),
                              evaluation.number)
    label = found.label if found else str(evaluation.year)
    return rules.Period(evaluation.kind, evaluation.year, evaluation.number, evaluation.starts,
                        evaluation.ends, label)


def value_pairs():
    return [(code, name) for code, name, _ in CORE_VALUES]


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
    employee = me()
    if employee is None:
        deny("Akun ini tidak terhubung dengan data pegawai.")
    skp = Skp.approved_for(employee.id, year)
    if skp is None:
        deny("SKP tahun ini belum disetujui; evaluasi dapat diisi setelah SKP disetujui.")
    period = store.find_period(year, slug, number, skp)
    if period is None:
        deny("Periode evaluasi tidak ditemukan.", 404)
    cadence, _ = store.year_settings(year)
    unclipped = store.find_period(year, slug, number)
    opens = rules.fill_opens(unclipped, cadence)
    if today() < opens:
        deny(f"Evaluasi {period.label} baru dapat diisi mulai {tanggal(opens)}.")
    evaluation = store.get_own(employee.id, year, period.kind, period.number)
    if evaluation is not None and evaluation.status not in ("draft", "returned"):
        return redirect(url_for("evaluation.show", evaluation_id=evaluation.id))
    page = store.load_page(employee, skp, period, evaluation)
    items = _form_items(page)
    context = {"detail": page, "items": items, "rules": rules}
    if request.method == "GET":
        form = evaluation_form(items, data=_initial(page, items))
        return render_template("evaluation/own.html", form=form, **context)

    form = evaluation_form(items)
    trigger = request.headers.get("HX-Trigger-Name")
    if is_htmx() and trigger and trigger in form:
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
    try:
        saved = store.save_own(current_user, employee, skp, period, values,
                               form.self_note.data or "", submit, today())
    except rules.Denied as exc:
        deny(str(exc), 409)
    except IntegrityError:  # the same form sent twice at once: the first one won
        deny("Evaluasi ini baru saja disimpan dari jendela lain; muat ulang halaman.", 409)
    if submit:
        flash(f"Evaluasi {period.label} diajukan kepada Pejabat Penilai.", "success")
        return redirect(url_for("evaluation.show", evaluation_id=saved.id))
    flash("Draf evaluasi disimpan.", "success")
    return redirect(url_for("evaluation.own", year=year, slug=slug, number=number))


# --- Looking at one evaluation ----------------------------------------------------------------

def rating_panel_context(evaluation, queue=False, form=None, done=None, error=None):
    skp = Skp.get_by_id(evaluation.skp_id)
    page = store.load_page(evaluation.employee, skp, period_of(evaluation), evaluation)
    expectations = {e.value: e.special_expectation for e in
                    BehaviourExpectation.select().where(BehaviourExpectation.skp == skp.id)}
    head_rating = rules.head_result_rating(page.org.predikat) if page.heads_opd and page.org else None
    if form is None:
        data = {"result_rating": evaluation.result_rating or head_rating,
                "behaviour_rating": evaluation.behaviour_rating,
                "comment": evaluation.return_comment}
        data.update({f"rhk_{r.id}": page.rhk_feedback.get(r.id, "") for r in page.rhks})
        data.update({f"value_{code}": page.value_feedback.get(code, "") for code, _ in value_pairs()})
        form = rating_form([r.id for r in page.rhks], value_pairs(), data=data, from_request=False)
    peer = peers.summary_for(evaluation, today())
    return {"evaluation": evaluation, "detail": page, "form": form, "expectations": expectations,
            "peer": peer, "core_values": CORE_VALUES,
            "head_rating": head_rating, "queue": queue, "done": done, "error": error, "rules": rules,
            "predikat": rules.predikat(form.result_rating.data, form.behaviour_rating.data)}


@bp.get("/evaluasi/<int:evaluation_id>")
@login_required
def show(evaluation_id):
    evaluation, roles = evaluation_or_404(evaluation_id)
    context = rating_panel_context(evaluation)
    ctx = store.rules_context(evaluation, today())
    context.update(roles=roles, actions=rules.allowed_actions(evaluation.status, roles, ctx),
                   objection_form=ObjectionForm(formdata=None),
                   decision_form=DecisionForm(formdata=None, data={
                       "result_rating": evaluation.result_rating,
                       "behaviour_rating": evaluation.behaviour_rating}),
                   deadline=(rules.objection_deadline(ctx.approved_on, ctx.objection_days)
                             if ctx.approved_on else None))
    return render_template("evaluation/show.html", **context)


@bp.post("/evaluasi/<int:evaluation_id>/pratinjau")
@login_required
def preview(evaluation_id):
    """The predikat the two chosen ratings give, shown before anything is confirmed."""
    evaluation, roles = evaluation_or_404(evaluation_id)
    if not roles & {rules.APPRAISER, rules.SUPERIOR}:
        deny("Hanya Pejabat Penilai atau Atasan yang menilai.")
    result = request.form.get("result_rating")
    behaviour = request.form.get("behaviour_rating")
    return render_template("evaluation/_predikat.html", predikat=rules.predikat(result, behaviour),
                           rules=rules)


@bp.post("/evaluasi/<int:evaluation_id>/nilai")
@login_required
def rate(evaluation_id):
    evaluation, roles = evaluation_as(
        evaluation_id, rules.APPRAISER, "Hanya Pejabat Penilai Kinerja "
        "yang dapat menilai evaluasi ini.")
    action = request.form.get("action")
    if action not in ("rate", "approve", "return"):
        action = "rate"
    queue = request.form.get("queue") == "1"
    skp = Skp.get_by_id(evaluation.skp_id)
    rhk_ids = [r.id for r in store.load_rhks([skp.id])]
    form = rating_form(rhk_ids, value_pairs())
    problem = None if form.validate_on_submit() else "Periksa kembali isian yang ditandai."
    result, behaviour = form.result_rating.data or None, form.behaviour_rating.data or None
    ctx = store.rules_context(evaluation, today(), result_rating=result, behaviour_rating=behaviour,
                              comment=form.comment.data or "")
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
                      "evaluation/_review.html", status=422, pending=store.pending_for(current_user),
                      selected=evaluation, roles=roles, actions=[], **context)
    try:
        saved = store.rate(current_user, evaluation, roles, action, result, behaviour,
                           {rid: form[f"rhk_{rid}"].data for rid in rhk_ids},
                           {code: form[f"value_{code}"].data for code, _ in value_pairs()},
                           form.comment.data or "", today())
    except rules.Denied as exc:
        deny(str(exc), 409)
    messages = {"rate": "Penilaian disimpan (belum ditetapkan).",
                "approve": f"Evaluasi {evaluation.employee.full_name} ditetapkan dengan predikat "
                           f"{rules.predikat_label(saved.predikat)}.",
                "return": f"Evaluasi {evaluation.employee.full_name} dikembalikan."}
    if not is_htmx():
        flash(messages[action], "success")
        if queue:
            return redirect(url_for("evaluation.review"))
        return redirect(url_for("evaluation.show", evaluation_id=evaluation.id))
    trigger = {"evaluations-changed": True}
    if queue and action != "rate":
        pending = store.pending_for(current_user)
        nxt = pending[0] if pending else None
        context = rating_panel_context(nxt, queue=True, done=messages[action]) if nxt else \
            {"done": messages[action], "queue": True}
        return render("evaluation/review.html", "evaluation/_review.html", trigger=trigger,
                      pending=pending, selected=nxt, **context)
    fresh = store.get_evaluation(evaluation.id)
    context = rating_panel_context(fresh, queue=queue, done=messages[action])
    return render("evaluation/show.html", "evaluation/_review.html", trigger=trigger,
                  selected=fresh, roles=roles, actions=[], **context)


# --- Accepting, objecting, deciding --------------------------------------------------------

def _back_to_evaluation(evaluation_id, message):
    """After an action sent without htmx: the evaluation page, with what was done."""
    flash(message, "success")
    return redirect(url_for("evaluation.show", evaluation_id=evaluation_id))


def _objection_done(evaluation_id, roles, done):
    """After accepting or objecting: the objection panel in place, or the page without htmx."""
    if not is_htmx():
        return _back_to_evaluation(evaluation_id, done)
    return _objection_panel(store.get_evaluation(evaluation_id), roles, done=done)


def _objection_panel(evaluation, roles, form=None, status=200, done=None):
    ctx = store.rules_context(evaluation, today())
    context = rating_panel_context(evaluation)
    context.update(roles=roles, actions=rules.allowed_actions(evaluation.status, roles, ctx),
                   objection_form=form or ObjectionForm(formdata=None), done=done,
                   deadline=(rules.objection_deadline(ctx.approved_on, ctx.objection_days)
                             if ctx.approved_on else None))
    return render("evaluation/show.html", "evaluation/_objection.html", status=status,
                  trigger={"evaluations-changed": True} if done else None, **context)


@bp.post("/evaluasi/<int:evaluation_id>/terima")
@login_required
def acknowledge(evaluation_id):
    evaluation, roles = evaluation_as(
        evaluation_id, rules.OWNER, "Hanya pegawai yang dinilai "
        "yang dapat menerima hasil evaluasinya.")
    try:
        store.acknowledge(current_user, evaluation, today())
    except rules.Denied as exc:
        deny(str(exc), 409)
    return _objection_done(evaluation_id, roles, "Hasil evaluasi diterima.")


@bp.post("/evaluasi/<int:evaluation_id>/keberatan")
@login_required
def file_objection(evaluation_id):
    evaluation, roles = evaluation_or_404(evaluation_id)
    reason = rules.denial("object", evaluation.status, roles, store.rules_context(evaluation, today()))
    if reason:
        deny(reason, 409 if rules.OWNER in roles else 403)
    form = ObjectionForm()
    if not form.validate_on_submit():
        return _objection_panel(evaluation, roles, form=form, status=422)
    try:
        store.file_objection(current_user, evaluation, form.reasons.data, today())
    except rules.Denied as exc:
        deny(str(exc), 409)
    except IntegrityError:  # sent twice at once: the first objection stands
        deny("Keberatan atas evaluasi ini sudah diajukan.", 409)
    return _objection_done(evaluation_id, roles, "Keberatan diajukan kepada Atasan Pejabat Penilai.")


@bp.post("/evaluasi/<int:evaluation_id>/putuskan")
@login_required
def decide(evaluation_id):
    evaluation, roles = evaluation_as(
        evaluation_id, rules.SUPERIOR, "Hanya Atasan Pejabat Penilai Kinerja "
        "yang memutuskan keberatan.")
    if evaluation.status != "objected":
        deny(rules.denial("decide", evaluation.status, roles) or "Keberatan sudah diputuskan.", 409)
    form = DecisionForm()
    context = rating_panel_context(evaluation)
    if not form.validate_on_submit():
        context.update(roles=roles, actions=["decide"], decision_form=form,
                       predikat=rules.predikat(form.result_rating.data, form.behaviour_rating.data))
        return render("evaluation/show.html", "evaluation/_decision.html", status=422, **context)
    try:
        store.decide_objection(current_user, evaluation, roles, form.result_rating.data,
                               form.behaviour_rating.data, form.decision.data, today())
    except rules.Denied as exc:
        deny(str(exc), 409)
    if not is_htmx():
        return _back_to_evaluation(evaluation_id, "Keberatan diputuskan.")
    fresh = store.get_evaluation(evaluation_id)
    context = rating_panel_context(fresh)
    ctx = store.rules_context(fresh, today())
    context.update(roles=roles, actions=[], decision_form=form, objection_form=ObjectionForm(formdata=None),
                   done="Keberatan diputuskan; keputusan ini final.",
                   deadline=(rules.objection_deadline(ctx.approved_on, ctx.objection_days)
                             if ctx.approved_on else None))
    return render("evaluation/show.html", "evaluation/_decision_done.html",
                  trigger={"evaluations-changed": True}, **context)
