"""Import of units, positions and employees from a SIASN export: upload → dry run → confirm."""
import datetime
import os

from flask import Blueprint, Response, abort, current_app, flash, redirect, url_for
from flask_login import current_user

from ..forms.imports import ConfirmForm, ResumeForm, UploadForm
from ..htmx import htmx_redirect, is_htmx, respond
from ..jobs import queue_export
from ..models import Unit, User
from ..rules.siasn import import_owner
from ..security import admin_scope_unit
from ..spreadsheets import XLSX_MIME, SpreadsheetError, csv_bytes, read_rows, xlsx_bytes
from ..stores import exports
from ..stores.siasn import history, uploads
from ..stores.siasn.columns import COLUMNS, template_sheet
from ..stores.siasn.plan import Scope
from ..stores.siasn.planner import plan_import
from ..stores.siasn.writer import confirm_import, load_snapshot
from .toolkit import require_roles

bp = Blueprint("imports", __name__, url_prefix="/impor")
require_roles(bp, "admin", "admin_opd")


@bp.before_request
def _admin_scope():
    """An admin OPD without a unit gets 403 (from admin_scope_unit) on every page here."""
    admin_scope_unit(current_user)


def _scope() -> tuple[Scope | None, int | None]:
    return _scope_of(admin_scope_unit(current_user))


def _scope_of(unit: Unit | None) -> tuple[Scope | None, int | None]:
    return (Scope(unit.path, unit.name), unit.id) if unit is not None else (None, None)


def _owner(actor) -> int | None:
    """Whose imports the actor may look back on (None: everyone's)."""
    return import_owner(actor.role, actor.id)


def _upload_dir():
    return current_app.config["UPLOAD_DIR"]


def _page(form=None, plan=None, confirm=None, filename=None, status=200, notice=None):
    def context():
        # The recent imports are the full page's alone: a fragment does not read them.
        recent = [] if is_htmx() else history.recent_imports(_owner(current_user))
        pending = [] if is_htmx() else [
            (token, name, datetime.datetime.fromtimestamp(when, datetime.UTC).replace(tzinfo=None))
            for token, name, when in uploads.waiting(_upload_dir(), current_user.id)]
        return {"recent": recent, "pending": pending, "resume_form": ResumeForm(formdata=None),
                "scope_unit": admin_scope_unit(current_user)}
    return respond("imports/index.html", "imports/_work.html", status=status, context=context,
                   form=form or UploadForm(), plan=plan, confirm=confirm, filename=filename,
                   notice=notice, columns=COLUMNS)


@bp.get("/")
def index():
    return _page()


@bp.post("/pratinjau")
def preview():
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form=form, status=422)
    filename = os.path.basename(form.file.data.filename or "berkas")[:120]
    scope, _ = _scope()
    try:
        headers, rows = read_rows(filename, form.content)
        plan = plan_import(headers, rows, load_snapshot(), scope)
    except SpreadsheetError as exc:
        form.file.errors.append(str(exc))
        return _page(form=form, status=422)
    token = uploads.keep(_upload_dir(), current_user.id, filename, form.content)
    confirm = ConfirmForm(formdata=None, data={"token": token, "digest": plan.digest})
    return _page(plan=plan, confirm=confirm, filename=filename)


def _gone():
    return respond(None, redirect=url_for("imports.index"), category="warning",
                   message="Berkas pratinjau tidak ditemukan lagi (sudah disimpan atau "
                           "kedaluwarsa). Unggah ulang berkasnya.")


def _unreadable(path):
    uploads.discard(path)
    return respond(None, redirect=url_for("imports.index"), category="warning",
                   message="Berkas pratinjau tidak dapat dibaca lagi. Unggah ulang berkasnya.")


def _kept_rows(token: str):
    """((path, filename, headers, rows), None) of this user's kept upload, or (None, the
    answer saying it is gone or can no longer be read)."""
    stored = uploads.kept(_upload_dir(), current_user.id, token) if token else None
    if stored is None:
        return None, _gone()
    path, filename = stored
    try:
        headers, rows = read_rows(filename, path.read_bytes())
    except SpreadsheetError:
        return None, _unreadable(path)
    return (path, filename, headers, rows), None


@bp.post("/lanjutkan")
def resume():
    """The dry run of an upload kept from an earlier visit, ready to confirm again."""
    form = ResumeForm()
    token = form.token.data if form.validate_on_submit() else ""
    kept, refusal = _kept_rows(token)
    if kept is None:
        return refusal
    _, filename, headers, rows = kept
    scope, _ = _scope()
    plan = plan_import(headers, rows, load_snapshot(), scope)
    confirm = ConfirmForm(formdata=None, data={"token": token, "digest": plan.digest})
    return _page(plan=plan, confirm=confirm, filename=filename)


@bp.post("/simpan")
def confirm():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    kept, refusal = _kept_rows(form.token.data)
    if kept is None:
        return refusal
    path, filename, headers, rows = kept
    if len(rows) > current_app.config["IMPORT_JOB_ROWS"]:
        return _confirm_in_job(form, filename, len(rows))
    scope, scope_unit_id = _scope()
    plan, import_id, refused = confirm_import(
        headers, rows, scope=scope, actor=current_user, filename=filename,
        digest=form.digest.data, skip_bad=form.skip_bad.data, scope_unit_id=scope_unit_id)
    if refused == "changed":
        again = ConfirmForm(formdata=None, data={"token": form.token.data, "digest": plan.digest})
        return _page(plan=plan, confirm=again, filename=filename, status=409,
                     notice="Data di Kinerja berubah sejak pratinjau dibuat; hasilnya di bawah ini "
                            "sudah diperbarui. Periksa lagi lalu konfirmasi.")
    if refused == "bad":
        form.skip_bad.errors.append(
            f"Ada {len(plan.bad)} baris bermasalah. Perbaiki berkasnya lalu unggah ulang, atau "
            "centang pilihan ini untuk menyimpan baris yang benar saja.")
        return _page(plan=plan, confirm=form, filename=filename, status=422)
    uploads.discard(path)
    flash(_done_note(plan), "success")
    return _see_other(url_for("imports.result", import_id=import_id))


def _see_other(target: str):
    # 303, not respond's 302: the browser must GET the next page after this POST of a file.
    return htmx_redirect(target) if is_htmx() else redirect(target, code=303)


def _done_note(plan) -> str:
    return (f"Impor selesai: {plan.counts['employees']['created']} pegawai baru, "
            f"{plan.counts['employees']['updated']} diperbarui.")


def _confirm_in_job(form, filename: str, rows: int):
    """A large file is saved by the worker: its page shows the progress, then the result."""
    job = exports.start(current_user, "siasn_import", {
        "owner": current_user.id, "token": form.token.data, "digest": form.digest.data, "skip_bad": bool(form.skip_bad.data)},
        f"Impor SIASN {filename} ({rows} baris)")
    queue_export(job.id)
    return _see_other(url_for("exports.show", job_id=job.id))


# The worker has no request to build addresses from: these are this blueprint's own.
_INDEX, _RESULT = "/impor/", "/impor/hasil/{}"


@exports.builder("siasn_import")
def _confirm_job(params: dict, progress):
    """The worker's side of `confirm` for a large file: the same checks and one transaction.
    A refusal keeps the upload, so that "Lanjutkan" on the import page shows its dry run again."""
    actor = User.get_or_none(User.id == params["owner"])
    if actor is None or not actor.active or actor.role not in ("admin", "admin_opd"):
        raise exports.Refused("Akun yang meminta impor ini tidak lagi berhak mengimpor.", _INDEX)
    unit = None
    if actor.role == "admin_opd":
        unit = Unit.get_or_none(Unit.id == actor.scope_unit_id)
        if unit is None:
            raise exports.Refused("Akun admin OPD ini tidak lagi memegang unit.", _INDEX)
    stored = uploads.kept(current_app.config["UPLOAD_DIR"], actor.id, params["token"])
    if stored is None:
        raise exports.Refused("Berkas pratinjau tidak ditemukan lagi (sudah disimpan atau "
                              "kedaluwarsa). Unggah ulang berkasnya.", _INDEX)
    path, filename = stored
    try:
        headers, rows = read_rows(filename, path.read_bytes())
    except SpreadsheetError:
        uploads.discard(path)
        raise exports.Refused("Berkas pratinjau tidak dapat dibaca lagi. Unggah ulang berkasnya.", _INDEX)
    progress(1, 3)
    scope, scope_unit_id = _scope_of(unit)
    plan, import_id, refused = confirm_import(
        headers, rows, scope=scope, actor=actor, filename=filename, digest=params["digest"],
        skip_bad=params["skip_bad"], scope_unit_id=scope_unit_id)
    if refused == "changed":
        raise exports.Refused(
            "Data di Kinerja berubah sejak pratinjau dibuat. Buka lagi pratinjaunya di Impor SIASN "
            "(Menunggu konfirmasi → Lanjutkan), periksa, lalu konfirmasi.", _INDEX)
    if refused == "bad":
        raise exports.Refused(
            f"Ada {len(plan.bad)} baris bermasalah, dan pilihan untuk menyimpan baris yang benar saja "
            "tidak dicentang. Perbaiki berkasnya lalu unggah ulang, atau buka lagi pratinjaunya "
            "(Menunggu konfirmasi → Lanjutkan) dan centang pilihan itu.", _INDEX)
    uploads.discard(path)
    return exports.Outcome(_RESULT.format(import_id), _done_note(plan))


@bp.get("/hasil/<int:import_id>")
def result(import_id: int):
    record = history.import_record(import_id, _owner(current_user))
    if record is None:
        abort(404)
    data = record.after_dict()
    return respond("imports/result.html", record=record, data=data, counts=data.get("counts", {}),
                   newcomers=history.newcomers(record), employee_list=url_for("org.employees"))


@bp.get("/templat.<fmt>")
def template(fmt: str):
    headers, rows = template_sheet()
    if fmt == "xlsx":
        body, mimetype = xlsx_bytes({"Pegawai": (headers, rows)}), XLSX_MIME
    elif fmt == "csv":
        body, mimetype = csv_bytes(headers, rows), "text/csv; charset=utf-8"
    else:
        abort(404)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="templat-impor-siasn.{fmt}"'})
