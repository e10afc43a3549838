"""The employee's side of monitoring: My performance, progress entries with evidence, and
the evidence files."""
from flask import current_app, render_template, request, url_for
from flask_login import current_user, login_required

from ...forms import field_fragment
from ...forms.evaluation import FeedbackForm, ProgressForm
from ...htmx import is_htmx, respond
from ...models import ProgressEntry, Skp
from ...rules import DomainError
from ...rules import evaluation as rules
from ...rules.evidence import DEFAULT_MAX_BYTES, check_file, clean_filename
from ...stores.evaluation import access, feedback, periods, progress as store, queue
from ..toolkit import deny, int_arg, me, private_file, refused, today
from .common import bp, employee_or_deny

PER_PAGE = 30


@bp.get("/saya")
@login_required
def mine():
    """Kinerja Saya: the SKP, progress against each target, feedback, ratings over the periods."""
    employee = me()
    year = periods.chosen_year(request.args.get("tahun"), today())
    context = {"employee": employee, "year": year, "rules": rules,
               "unit_reports": rules.reports_by_admin_scope(current_user)}
    if employee is None:
        return render_template("evaluation/mine.html", **context)
    skp = Skp.approved_for(employee.id, year)
    context.update(skp=skp, latest=skp or Skp.latest_for(employee.id, year))
    if skp is not None:
        context["rhks"], context["progress"] = store.plan_progress(skp)
        evaluations = queue.evaluations_of([employee.id], year).get(employee.id, [])
        by_key = {(e.kind, e.number): e for e in evaluations}
        context["periods"] = [(p, by_key.get((p.kind, p.number)), periods.fill_opens(p) <= today())
                              for p in periods.year_periods(year, skp)]
    context["threads"] = feedback.feedback_received(employee.id)
    context["reply_form"] = FeedbackForm()
    return render_template("evaluation/mine.html", **context)


def _progress_form(skp, formdata=None):
    form = ProgressForm(formdata=formdata, indicator_choices=store.indicator_choices(skp),
                        period=(skp.period_start, skp.period_end), today=today())
    if formdata is None and not form.day.data:
        form.day.data = min(today(), skp.period_end)
    return form


def _timeline_context(employee, page_number):
    entries, paging = store.timeline_page(employee.id, page_number, PER_PAGE)
    return {"entries": entries, "paging": paging, "reply_form": FeedbackForm(),
            "viewer_is_owner": True}


def _upload(form):
    """(filename shown, extension, mime, bytes) of an acceptable evidence file, None when
    none was sent; a refused file is put beside its field."""
    file = request.files.get("evidence_file")
    if not file or not file.filename:
        return None
    data = file.read(DEFAULT_MAX_BYTES + 1)
    try:
        ext, mime = check_file(file.filename, data, current_app.config.get(
            "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))
    except DomainError as exc:
        form.evidence_file.errors = [exc.message]
        return None
    return clean_filename(file.filename), ext, mime, data


@bp.route("/progres", methods=["GET", "POST"])
@login_required
def progress():
    employee = employee_or_deny()
    year = periods.chosen_year(request.args.get("tahun"), today())
    skp = Skp.approved_for(employee.id, year)
    context = {"employee": employee, "year": year, "skp": skp}
    if skp is None:
        if request.method == "POST":
            deny(f"SKP {year} Anda belum disetujui; progres dicatat terhadap SKP yang disetujui.")
        context.update(_timeline_context(employee, int_arg("page", 1)))
        return render_template("evaluation/progress.html", form=None, **context)
    if request.method == "GET":
        context.update(_timeline_context(employee, int_arg("page", 1)))
        return respond("evaluation/progress.html", "evaluation/_timeline.html",
                       form=_progress_form(skp), **context)

    form = _progress_form(skp, request.form)
    trigger = request.headers.get("HX-Trigger-Name")
    if is_htmx() and trigger and trigger in form and trigger != "evidence_file":
        # Inline validation of one field as it is typed: the field alone, nothing saved.
        return field_fragment(form, trigger)
    valid = form.validate_on_submit()
    upload = _upload(form)
    if valid and not form.evidence_file.errors:
        try:
            store.add_progress(current_user, employee, skp, form.indicator.data, form.day.data,
                               form.start_time.data, form.end_time.data, form.description.data,
                               form.quantity.data,
                               link=form.evidence_link.data or "", upload=upload,
                               upload_dir=current_app.config["UPLOAD_DIR"])
        except DomainError as exc:  # the day lies in a period already submitted or decided
            refused(exc, form)
        else:
            return respond("evaluation/progress.html", "evaluation/_progress_form.html",
                           redirect=url_for("evaluation.progress"), message="Progres dicatat.",
                           trigger={"progress-changed": True},
                           context=lambda: {**context, "form": _progress_form(skp), "saved": True})
    context.update(_timeline_context(employee, 1))
    return respond("evaluation/progress.html", "evaluation/_progress_form.html", status=422,
                   form=form, **context)


@bp.get("/progres/daftar")
@login_required
def timeline():
    """The timeline alone, refreshed in place after an entry is added or removed."""
    employee = employee_or_deny()
    return render_template("evaluation/_timeline.html", employee=employee,
                           **_timeline_context(employee, int_arg("page", 1)))


@bp.post("/progres/<int:entry_id>/hapus")
@login_required
def delete_progress(entry_id):
    entry = ProgressEntry.get_or_none(ProgressEntry.id == entry_id)
    if entry is None or entry.employee_id != current_user.employee_id:
        deny("Progres tidak ditemukan.", 404)
    if store.entry_locked(entry):
        deny(store.LOCKED_ENTRY)
    store.delete_progress(current_user, entry.id, current_app.config["UPLOAD_DIR"])
    return respond(None, "evaluation/_deleted.html", redirect=url_for("evaluation.progress"),
                   message="Progres dihapus.", trigger={"progress-changed": True})


@bp.get("/bukti/<int:evidence_id>")
@login_required
def evidence(evidence_id):
    """An evidence file, only for the employee, their Pejabat Penilai and Atasan, and admins
    whose scope holds the employee; 404 for everyone else."""
    item = store.evidence_file(evidence_id)
    if item is None:
        deny("Berkas tidak ditemukan.", 404)
    entry = item.entry
    if not access.relation(current_user, entry.employee, entry.skp):
        deny("Berkas tidak ditemukan.", 404)
    path = store.evidence_path(current_app.config["UPLOAD_DIR"], item)
    if path is None:
        deny("Berkas bukti tidak ada lagi di server.", 404)
    return private_file(path, item.mime, item.filename, attachment=not store.serve_inline(item))
