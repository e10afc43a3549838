"""The coaching plan (rencana pembinaan): opened by the Pejabat Penilai, shared with the
employee (who comments and agrees) and the Atasan; admins see its status only. Each section
of the page is replaced in place when it changes; every step also works without htmx."""
from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user

from ...forms.follow_up import (AcknowledgeForm, ActionForm, ActionStatusForm, CloseForm, CommentForm,
                                GapForm, MeetingForm, OpenPlanForm, StepForm)
from ...htmx import is_htmx, respond
from ...pdf import pdf_response, render_pdf
from ...rules import DomainError
from ...rules import evaluation as eval_rules
from ...rules import follow_up as rules
from ...rules.evidence import DEFAULT_MAX_BYTES, check_file, clean_filename
from ...rules.training import kind_label as training_kind
from ...stores.evaluation.access import administers
from ...stores.evaluation.periods import period_of
from ...stores.follow_up import access, plans, settings
from ..toolkit import deny, private_file, refused, today
from ..evaluation.common import load_evaluation
from .common import bp, load_plan

OPENED_BY = "Rencana pembinaan dibuka oleh Pejabat Penilai pegawai ini."

FORMS = {"gap": GapForm, "action": ActionForm, "meeting": MeetingForm, "comment": CommentForm,
         "acknowledge": AcknowledgeForm, "close": CloseForm, "step": StepForm, "improvement": OpenPlanForm}


def _context(plan, roles, **forms):
    full = rules.sees_notes(roles, settings.admins_see_notes())
    context = {"plan": plan, "roles": roles, "rules": rules, "eval_rules": eval_rules, "full": full,
               "appraiser": rules.APPRAISER in roles and plan.status == "open",
               "owner": rules.OWNER in roles, "eligible": False, "day": today(),
               "training_kind": training_kind}
    context["detail"] = plans.detail(plan) if full else None
    if context["appraiser"]:
        context["eligible"] = plans.eligible_for_improvement(plan.employee)
    for name, form_class in FORMS.items():
        data = {"gap": plan.gap} if name == "gap" else None
        context[f"{name}_form"] = forms.get(name) or form_class(formdata=None, data=data)
    return context


@bp.get("/pembinaan/<int:plan_id>")
def plan(plan_id):
    found, roles = load_plan(plan_id)
    return render_template("follow_up/plan.html", **_context(found, roles))


@bp.get("/pembinaan/pegawai/<int:employee_id>")
def coaching_for(employee_id):
    """The employee's current plan; for their Pejabat Penilai without one, the offer to open
    it (the talent map links here)."""
    employee = plans.employee_with_org(employee_id)
    if employee is None:
        abort(404)
    current = plans.current_for(employee_id)
    if current is not None and access.plan_relation(current_user, current):
        if current.status == "open" or not _may_open(employee):
            return respond(None, redirect=url_for("follow_up.plan", plan_id=current.id))
    if _may_open(employee):
        evaluation = plans.latest_final_evaluation(employee_id)
        return render_template("follow_up/offer.html", employee=employee, evaluation=evaluation,
                               period=period_of(evaluation) if evaluation else None, previous=current,
                               form=OpenPlanForm(formdata=None), eval_rules=eval_rules)
    if administers(current_user, employee.unit_id) or current_user.employee_id == employee_id:
        return render_template("follow_up/offer.html", employee=employee, evaluation=None, period=None,
                               previous=None, form=None, eval_rules=eval_rules)
    abort(404)


def _may_open(employee) -> bool:
    if current_user.employee_id == employee.id:
        return False
    appraiser = employee.appraiser()
    if appraiser is None:
        return eval_rules.records_for_kepala_daerah(current_user)
    return current_user.employee_id == appraiser.id


@bp.post("/pembinaan/pegawai/<int:employee_id>/buka")
def open_for(employee_id):
    employee = plans.employee_with_org(employee_id)
    if employee is None:
        abort(404)
    if not _may_open(employee):
        if administers(current_user, employee.unit_id) or current_user.employee_id == employee_id:
            deny(OPENED_BY)
        abort(404)
    evaluation = plans.latest_final_evaluation(employee_id)
    return _open(employee_id, evaluation.id if evaluation else None)


@bp.post("/pembinaan/dari-evaluasi/<int:evaluation_id>")
def open_from_evaluation(evaluation_id):
    evaluation, _ = load_evaluation(evaluation_id, eval_rules.APPRAISER, OPENED_BY)
    return _open(evaluation.employee_id, evaluation.id)


def _open(employee_id, evaluation_id):
    if not OpenPlanForm().validate_on_submit():
        deny("Token keamanan formulir tidak sah. Muat ulang halaman.", 400)
    try:
        opened = plans.open_plan(current_user, employee_id, evaluation_id, today())
    except DomainError as error:
        deny(error.message, 409)
    return respond(None, redirect=url_for("follow_up.plan", plan_id=opened.id),
                   message="Rencana pembinaan dibuka.")


# --- Steps on a plan -------------------------------------------------------------------

SECTIONS = {"gap": "follow_up/_gap.html", "action": "follow_up/_actions.html",
            "meeting": "follow_up/_meetings.html", "comment": "follow_up/_comments.html",
            "acknowledge": "follow_up/_status.html", "close": "follow_up/_status.html",
            "improvement": "follow_up/_status.html", "step": "follow_up/_steps.html"}
MESSAGES = {"gap": "Kesenjangan kinerja disimpan.", "action": "Tindakan ditambahkan.",
            "meeting": "Pertemuan dicatat.", "comment": "Tanggapan dikirim.",
            "acknowledge": "Rencana pembinaan disetujui.", "close": "Rencana pembinaan ditutup.",
            "improvement": "Masa perbaikan kinerja dimulai.", "step": "Langkah berikutnya dicatat."}
STEPS = {"kesenjangan": "gap", "tindakan": "action", "pertemuan": "meeting", "tanggapan": "comment",
         "setujui": "acknowledge", "tutup": "close", "masa-perbaikan": "improvement", "langkah": "step"}


def _upload(form):
    file = request.files.get("document")
    if not file or not file.filename:
        return None
    limit = current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)
    if request.content_length and request.content_length > limit + 1024 * 1024:
        form.document.errors = ["Berkas terlalu besar; paling besar 5 MB."]
        return None
    data = file.read(limit + 1)
    try:
        ext, mime = check_file(file.filename, data, limit)
    except DomainError as exc:
        form.document.errors = [exc.message]
        return None
    return clean_filename(file.filename), ext, mime, data


def _apply(name, plan_id, form):
    actor, data = current_user, form.data
    if name == "gap":
        plans.update_gap(actor, plan_id, data["gap"])
    elif name == "action":
        plans.add_action(actor, plan_id, data["description"], data["owner"], data["due"], today())
    elif name == "meeting":
        plans.add_meeting(actor, plan_id, data["day"], data["note"])
    elif name == "comment":
        plans.add_comment(actor, plan_id, data["body"])
    elif name == "acknowledge":
        plans.acknowledge(actor, plan_id)
    elif name == "close":
        plans.close(actor, plan_id, data["outcome"], data["note"] or "")
    elif name == "improvement":
        plans.start_improvement(actor, plan_id, today())
    elif name == "step":
        upload = _upload(form)
        if form.document.errors:
            return False
        plans.add_step(actor, plan_id, data["kind"], data["step_date"], data["sk_number"] or "",
                       data["note"] or "", upload, current_app.config["UPLOAD_DIR"])
    return True


@bp.post("/pembinaan/<int:plan_id>/<any(kesenjangan, tindakan, pertemuan, tanggapan, setujui, tutup, "
         "\"masa-perbaikan\", langkah):step>")
def plan_step(plan_id, step):
    found, roles = load_plan(plan_id)
    name = STEPS[step]
    action = {"comment": "comment", "acknowledge": "acknowledge"}.get(name, "edit")
    reason = rules.plan_denial(action, roles, found.status, acknowledged=found.acknowledged_at is not None)
    if reason and name != "step":
        deny(reason)
    if name == "step" and rules.APPRAISER not in roles:
        deny("Hanya Pejabat Penilai yang mencatat langkah berikutnya.")
    form = FORMS[name]()
    if form.validate_on_submit():
        try:
            if _apply(name, plan_id, form):
                fresh, roles = load_plan(plan_id)
                return respond(None, SECTIONS[name], redirect=url_for("follow_up.plan", plan_id=plan_id),
                               message=MESSAGES[name], **_context(fresh, roles))
        except DomainError as error:
            refused(error, form)
    context = _context(found, roles, **{name: form})
    if is_htmx():
        return render_template(SECTIONS[name], **context), 422
    return render_template("follow_up/plan.html", **context), 422


@bp.post("/pembinaan/<int:plan_id>/tindakan/<int:action_id>/status")
def action_status(plan_id, action_id):
    found, roles = load_plan(plan_id)
    if not rules.sees_notes(roles):
        deny(rules.plan_denial("action_status", roles, found.status) or "Tidak diizinkan.")
    form = ActionStatusForm()
    if not form.validate_on_submit():
        deny("Status tindakan tidak sah.", 422)
    try:
        plans.set_action_status(current_user, plan_id, action_id, form.status.data)
    except DomainError as error:
        deny(error.message, 403 if "Hanya" in error.message else 409)
    fresh, roles = load_plan(plan_id)
    return respond(None, "follow_up/_actions.html", redirect=url_for("follow_up.plan", plan_id=plan_id),
                   message="Status tindakan disimpan.", **_context(fresh, roles))


@bp.get("/pembinaan/<int:plan_id>/langkah/<int:step_id>/dokumen")
def step_document(plan_id, step_id):
    found, roles = load_plan(plan_id)
    if not rules.sees_notes(roles, settings.admins_see_notes()):
        abort(404)
    stored = plans.step_document(found.id, step_id, current_app.config["UPLOAD_DIR"])
    if stored is None:
        abort(404)
    step, path = stored
    return private_file(path, step.mime or "application/octet-stream", step.filename, attachment=True)


@bp.get("/pembinaan/<int:plan_id>/pdf")
def plan_pdf(plan_id):
    found, roles = load_plan(plan_id)
    if not rules.sees_notes(roles, settings.admins_see_notes()):
        deny("Dokumen rencana pembinaan memuat catatan antara pegawai dan Pejabat Penilai; admin "
             "melihat statusnya saja.")
    context = _context(found, roles)
    data = render_pdf("follow_up/plan_pdf.html", **context)
    return pdf_response(data, f"rencana-pembinaan-{found.employee.nip}.pdf")
