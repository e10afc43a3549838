"""The employee's side of monitoring: My performance, progress entries with evidence, the
evidence files, feedback threads and the notifications counter."""
import math

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from . import bp, deny, int_arg, me, today
from ... import evaluations as store
from ... import notifications as notices
from ...forms import field_fragment
from ...forms.evaluation import FeedbackForm, ProgressForm
from ...htmx import is_htmx, render
from ...models import Evidence, ProgressEntry, Rhk, Skp
from ...rules import evaluation as rules
from ...rules.evidence import DEFAULT_MAX_BYTES, EvidenceError, check_file, clean_filename
from ...web import safe_next

PER_PAGE = 30


@bp.get("/saya")
@login_required
def mine():
    """Kinerja Saya: the SKP, progress against each target, feedback, ratings over the periods."""
    employee = me()
    year = store.chosen_year(request.args.get("tahun"), today())
    context = {"employee": employee, "year": year, "rules": rules}
    if employee is None:
        return render_template("evaluation/mine.html", **context)
    skp = Skp.approved_for(employee.id, year)
    latest = skp or Skp.latest_for(employee.id, year)
    context.update(skp=skp, latest=latest)
    if skp is not None:
        context["rhks"], context["progress"] = store.plan_progress(skp)
        evaluations = store.evaluations_of([employee.id], year).get(employee.id, [])
        by_key = {(e.kind, e.number): e for e in evaluations}
        cadence, _ = store.year_settings(year)
        context["periods"] = [(p, by_key.get((p.kind, p.number)), rules.fill_opens(p, cadence) <= today())
                              for p in store.year_periods(year, skp)]
    context["threads"] = store.feedback_received(employee.id)
    context["reply_form"] = FeedbackForm()
    return render_template("evaluation/mine.html", **context)


def _current_plan(employee, year):
    skp = Skp.approved_for(employee.id, year) if employee else None
    return skp


def _progress_form(skp, formdata=None):
    form = ProgressForm(formdata=formdata, indicator_choices=store.indicator_choices(skp),
                        period=(skp.period_start, skp.period_end), today=today())
    if formdata is None and not form.day.data:
        form.day.data = min(today(), skp.period_end)
    return form


def _timeline_context(employee, page_number):
    total = ProgressEntry.select().where(ProgressEntry.employee == employee.id).count()
    pages = max(1, math.ceil(total / PER_PAGE))
    number = min(max(1, page_number), pages)
    entries = store.timeline(employee.id, PER_PAGE, (number - 1) * PER_PAGE)
    return {"entries": entries, "paging": {"number": number, "pages": pages, "total": total},
            "reply_form": FeedbackForm(), "viewer_is_owner": True}


@bp.route("/progres", methods=["GET", "POST"])
@login_required
def progress():
    employee = me()
    if employee is None:
        deny("Akun ini tidak terhubung dengan data pegawai.")
    year = store.chosen_year(request.args.get("tahun"), today())
    skp = _current_plan(employee, year)
    context = {"employee": employee, "year": year, "skp": skp}
    if skp is None:
        if request.method == "POST":
            deny(f"SKP {year} Anda belum disetujui; progres dicatat terhadap SKP yang disetujui.")
        context.update(_timeline_context(employee, int_arg("page", 1)))
        return render_template("evaluation/progress.html", form=None, **context)
    if request.method == "GET":
        form = _progress_form(skp)
        context.update(_timeline_context(employee, int_arg("page", 1)))
        return render("evaluation/progress.html", "evaluation/_timeline.html", form=form, **context)

    form = _progress_form(skp, request.form)
    trigger = request.headers.get("HX-Trigger-Name")
    if is_htmx() and trigger and trigger in form and trigger != "evidence_file":
        return field_fragment(form, trigger)
    upload = None
    valid = form.validate_on_submit()
    file = request.files.get("evidence_file")
    if file and file.filename:
        data = file.read(DEFAULT_MAX_BYTES + 1)
        try:
            ext, mime = check_file(file.filename, data, current_app.config.get(
                "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))
            upload = (clean_filename(file.filename), ext, mime, data)
        except EvidenceError as exc:
            form.evidence_file.errors = [str(exc)]
            valid = False
    if valid and form.day.data and _period_closed(employee.id, form.day.data):
        form.day.errors = list(form.day.errors) + [
            "Evaluasi periode tanggal ini sudah diajukan atau ditetapkan; progres tidak dapat "
            "ditambahkan lagi."]
        valid = False
    if not valid:
        context.update(_timeline_context(employee, 1))
        return render("evaluation/progress.html", "evaluation/_progress_form.html", status=422,
                      form=form, **context)
    store.add_progress(employee, skp, form.indicator.data, form.day.data, form.start_time.data,
                       form.end_time.data, form.description.data, form.quantity.data,
                       link=form.evidence_link.data or "", upload=upload,
                       upload_dir=current_app.config["UPLOAD_DIR"])
    if not is_htmx():
        flash("Progres dicatat.", "success")
        return redirect(url_for("evaluation.progress"))
    return render("evaluation/progress.html", "evaluation/_progress_form.html",
                  trigger={"progress-changed": True}, form=_progress_form(skp),
                  saved=True, **context)


def _period_closed(employee_id, day) -> bool:
    probe = ProgressEntry(employee=employee_id, day=day)
    return store.entry_locked(probe)


@bp.get("/progres/daftar")
@login_required
def timeline():
    """The timeline alone, refreshed in place after an entry is added or removed."""
    employee = me()
    if employee is None:
        deny("Akun ini tidak terhubung dengan data pegawai.")
    return render_template("evaluation/_timeline.html", employee=employee,
                           **_timeline_context(employee, int_arg("page", 1)))


@bp.post("/progres/<int:entry_id>/hapus")
@login_required
def delete_progress(entry_id):
    entry = ProgressEntry.get_or_none(ProgressEntry.id == entry_id)
    if entry is None or entry.employee_id != current_user.employee_id:
        deny("Progres tidak ditemukan.", 404)
    if store.entry_locked(entry):
        deny("Progres ini sudah masuk evaluasi yang diajukan atau ditetapkan; tidak dapat dihapus.")
    store.delete_progress(entry, current_app.config["UPLOAD_DIR"])
    if is_htmx():
        return render("evaluation/progress.html", "evaluation/_deleted.html",
                      trigger={"progress-changed": True})
    flash("Progres dihapus.", "success")
    return redirect(url_for("evaluation.progress"))


@bp.get("/bukti/<int:evidence_id>")
@login_required
def evidence(evidence_id):
    """An evidence file, only for the employee, their Pejabat Penilai and Atasan, and admins
    whose scope holds the employee; 404 for everyone else."""
    item = (Evidence.select(Evidence, ProgressEntry).join(ProgressEntry)
            .where((Evidence.id == evidence_id) & (Evidence.kind == "file")).first())
    if item is None:
        deny("Berkas tidak ditemukan.", 404)
    entry = item.entry
    if not store.relation(current_user, entry.employee, entry.skp):
        deny("Berkas tidak ditemukan.", 404)
    path = store.evidence_path(current_app.config["UPLOAD_DIR"], item)
    if path is None:
        deny("Berkas bukti tidak ada lagi di server.", 404)
    response = send_file(path, mimetype=item.mime, as_attachment=not store.serve_inline(item),
                         download_name=item.filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- Feedback threads -----------------------------------------------------------------

def _thread_target(target: str, target_id: int):
    """(employee, skp, entry or rhk) the thread is about; 404 when unknown."""
    if target == "entry":
        entry = ProgressEntry.get_or_none(ProgressEntry.id == target_id)
        if entry is None:
            deny("Progres tidak ditemukan.", 404)
        return entry.employee, entry.skp, entry
    if target == "rhk":
        rhk = Rhk.select(Rhk, Skp).join(Skp).where(Rhk.id == target_id).first()
        if rhk is None:
            deny("RHK tidak ditemukan.", 404)
        return rhk.skp.employee, rhk.skp, rhk
    deny("Halaman tidak ditemukan.", 404)


def may_post(roles, notes) -> bool:
    """The Pejabat Penilai opens a thread; the employee replies in one already opened."""
    return rules.APPRAISER in roles or (rules.OWNER in roles and bool(notes))


@bp.get("/umpan-balik/<target>/<int:target_id>")
@login_required
def thread_page(target, target_id):
    """One thread on its own page: where a notification about it leads."""
    employee, skp, subject = _thread_target(target, target_id)
    roles = store.relation(current_user, employee, skp)
    if not roles:
        deny("Halaman tidak ditemukan.", 404)
    notes = store.thread(target, target_id)
    back = url_for("evaluation.team") if rules.APPRAISER in roles else url_for("evaluation.mine")
    return render_template("evaluation/thread_page.html", target=target, target_id=target_id,
                           notes=notes, form=FeedbackForm(formdata=None), employee=employee,
                           subject=subject, can_post=me() is not None and may_post(roles, notes),
                           back=back)


@bp.post("/umpan-balik/<target>/<int:target_id>")
@login_required
def feedback(target, target_id):
    employee, skp, _ = _thread_target(target, target_id)
    roles = store.relation(current_user, employee, skp)
    if not roles:
        deny("Halaman tidak ditemukan.", 404)
    notes = store.thread(target, target_id)
    author = me()
    if author is None or not may_post(roles, notes):
        deny("Umpan balik diberikan oleh Pejabat Penilai Kinerja; pegawai dapat membalasnya.")
    form = FeedbackForm()
    back = safe_next(request.form.get("next"), url_for("evaluation.mine"))
    if not form.validate_on_submit():
        return render("evaluation/thread_page.html", "evaluation/_thread.html", status=422,
                      target=target, target_id=target_id, notes=notes, form=form, can_post=True,
                      back=back)
    store.post_feedback(author, employee, target, target_id, form.body.data)
    if not is_htmx():
        flash("Umpan balik terkirim.", "success")
        return redirect(back)
    return render("evaluation/thread_page.html", "evaluation/_thread.html",
                  trigger={"feedback-added": True}, target=target, target_id=target_id,
                  notes=store.thread(target, target_id), form=FeedbackForm(formdata=None),
                  can_post=True, back=back)


# --- Notifications ---------------------------------------------------------------------

@bp.get("/notifikasi/jumlah")
@login_required
def notification_count():
    """The tiny fragment the navigation polls."""
    count = notices.unread_count(current_user.employee_id) if current_user.employee_id else 0
    return render_template("evaluation/_notif_count.html", count=count)


@bp.get("/notifikasi")
@login_required
def notifications():
    employee = me()
    items = notices.latest(employee.id) if employee else []
    unread = [n.id for n in items if n.read_at is None]
    if employee is not None and unread:
        notices.mark_read(employee.id)
    return render("evaluation/notifications.html", None, items=items, unread=set(unread),
                  trigger={"notifications-changed": True})
