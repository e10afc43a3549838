"""Paper questionnaires: typed sheet after sheet with the keyboard, or imported from a
spreadsheet in two steps (a dry run listing every bad row, then a confirmation)."""
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ... import clock
from ...forms.survey import ImportConfirmForm, ImportForm, PaperResponseForm
from ...htmx import render
from ...jobs import queue_export
from ...models import Unit, User
from ...stores import exports
from ...stores.org import tree as org_tree
from ...rules import DomainError, ikm
from ...rules.survey_entry import COLUMNS
from ...spreadsheets import XLSX_MIME
from ...stores.survey import paper as store, units as unit_store
from ..toolkit import int_arg, refused, today
from .common import bp, load_service_unit

# The order of the fields on the sheet: the cursor goes to the first one with an error.
PAPER_ORDER = ("answered_on", "service", *ikm.ELEMENT_CODES, "age", "sex", "education",
               "occupation", "suggestion")


def _paper_form(su, data=None, formdata=True):
    kwargs = {} if formdata else {"formdata": None}
    form = PaperResponseForm(data=data, **kwargs)
    form.service.choices = [(0, "— tidak diisi —")] + [
        (s.id, s.name) for s in unit_store.services_of(su) if s.active]
    form.sex.choices = [("", "—")] + list(ikm.SEXES.items())
    form.education.choices = [("", "—")] + list(ikm.EDUCATIONS.items())
    form.occupation.choices = [("", "—")] + list(ikm.OCCUPATIONS.items())
    return form


def _paper_page(su, form, entered, saved=None, status=200):
    # Else the cursor goes to U1 for the next sheet.
    focus = next((name for name in PAPER_ORDER if form[name].errors), "u1")
    return render("survey_admin/paper.html", "survey_admin/_paper_form.html", status=status,
                  su=su, form=form, saved=saved, entered=entered, focus=focus,
                  total=store.paper_count(current_user, su), elements=ikm.ELEMENTS)


def _sheets_entered() -> int:
    """The counter of this session's sheets, posted back by the form (anything odd is 0)."""
    count = int_arg("count", 0, request.form)
    return count if 0 <= count <= 1_000_000 else 0


@bp.route("/unit/<int:su_id>/kertas", methods=["GET", "POST"])
def paper(su_id):
    su = load_service_unit(su_id)
    if request.method == "GET":
        form = _paper_form(su, data={"answered_on": today()}, formdata=False)
        return _paper_page(su, form, entered=0)
    form = _paper_form(su)
    entered = _sheets_entered()
    if not form.validate():
        return _paper_page(su, form, entered, status=422)
    values = {**form.answers(), "service": form.service.data or None, "age": form.age.data,
              "sex": form.sex.data or None, "education": form.education.data or None,
              "occupation": form.occupation.data or None,
              "suggestion": form.suggestion.data or None}
    try:
        saved = store.save_paper(current_user, su, form.answered_on.data, values)
    except DomainError as exc:
        refused(exc, form)
        return _paper_page(su, form, entered, status=422)
    # A fresh sheet keeps the date and service: staff type a pile from the same day.
    fresh = _paper_form(su, formdata=False, data={
        "answered_on": form.answered_on.data, "service": form.service.data,
        "count": str(entered + 1)})
    return _paper_page(su, fresh, entered + 1, saved=saved)


# --- Import ---------------------------------------------------------------------------------

def _import_page(su, form, run=None, status=200, **extra):
    return render_template("survey_admin/import.html", su=su, form=form, run=run,
                           columns=COLUMNS, **extra), status


@bp.get("/unit/<int:su_id>/impor")
def import_form(su_id):
    return _import_page(load_service_unit(su_id), ImportForm())


@bp.post("/unit/<int:su_id>/impor")
def import_check(su_id):
    su = load_service_unit(su_id)
    form = ImportForm()
    if not form.validate():
        return _import_page(su, form, status=422)
    upload = form.file.data
    data = upload.read()
    run = store.check(su, upload.filename, data, today())
    if run.ok:
        run.token = store.stash(current_app.config["UPLOAD_DIR"], su, current_user,
                                upload.filename, data)
    return _import_page(su, form, run, status=200 if run.ok else 422,
                        confirm=ImportConfirmForm(token=run.token, rows=len(run.good)))


@bp.post("/unit/<int:su_id>/impor/simpan")
def import_confirm(su_id):
    su = load_service_unit(su_id)
    form = ImportConfirmForm()
    valid = form.validate()
    if valid and (form.rows.data or 0) > current_app.config["IMPORT_JOB_ROWS"]:
        job = exports.start(current_user, "paper_import",
                            {"owner": current_user.id, "su": su.id, "token": form.token.data},
                            f"Impor kuesioner kertas {su.name} ({form.rows.data} baris)")
        queue_export(job.id)
        return redirect(url_for("exports.show", job_id=job.id), code=303)
    run = store.confirm(current_user, su, current_app.config["UPLOAD_DIR"], form.token.data,
                        today()) if valid else None
    if run is None:
        flash(GONE, "warning")
        return redirect(url_for(".import_form", su_id=su.id))
    if not run.ok:
        return _import_page(su, ImportForm(), run, status=422)
    flash(_saved(run), "success")
    return redirect(url_for(".unit", su_id=su.id))


GONE = "Berkas impor tidak ditemukan atau sudah disimpan. Unggah ulang berkasnya."


def _saved(run) -> str:
    return f"{len(run.good)} kuesioner kertas dari {run.filename} disimpan."


@exports.builder("paper_import")
def _confirm_job(params: dict, progress):
    """The worker's side of `import_confirm` for a large file: checked again and written in
    one transaction, or nothing written and the reason shown on the job's page."""
    # The worker has no request to build addresses from: these are this blueprint's own.
    form_path, unit_path = f"/skm/unit/{params['su']}/impor", f"/skm/unit/{params['su']}"
    actor = User.get_or_none(User.id == params["owner"])
    su = unit_store.get_service_unit(params["su"])
    if su is None or actor is None or not actor.active or not _may_import(actor, su):
        raise exports.Refused("Akun yang meminta impor ini tidak lagi berhak mengimpor ke unit ini.", form_path)
    try:
        run = store.confirm(actor, su, current_app.config["UPLOAD_DIR"], params["token"], clock.today())
    except DomainError as exc:
        raise exports.Refused(str(exc), form_path) from None
    if run is None:
        raise exports.Refused(GONE, form_path)
    if run.duplicate is not None:
        raise exports.Refused("Berkas yang sama persis sudah diimpor; tidak diimpor dua kali.", form_path)
    if not run.ok:
        problems = len(run.problems) + len(run.bad)
        raise exports.Refused(f"Pemeriksaan ulang menemukan {problems} masalah (misalnya periode atau "
                              "layanan berubah sejak uji coba). Unggah ulang berkasnya untuk melihat "
                              "rinciannya.", form_path)
    return exports.Outcome(unit_path, _saved(run))


def _may_import(actor, su) -> bool:
    if actor.role == "admin":
        return True
    if actor.role != "admin_opd" or not actor.scope_unit_id:
        return False
    return org_tree.in_scope(Unit.get_or_none(Unit.id == actor.scope_unit_id), su.unit)


@bp.get("/unit/<int:su_id>/impor/templat.xlsx")
def import_template(su_id):
    su = load_service_unit(su_id)
    return Response(store.template_xlsx(su), mimetype=XLSX_MIME, headers={
        "Content-Disposition": f'attachment; filename="templat-kuesioner-{su.code}.xlsx"'})
