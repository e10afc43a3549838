"""Import of units, positions and employees from a SIASN export: upload → dry run → confirm."""
import json
import os
import re
import secrets
import time
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, url_for
from flask_login import current_user, login_required
from peewee import JOIN

from ..forms.imports import TOKEN_PATTERN, ConfirmForm, UploadForm
from ..htmx import htmx_redirect, is_htmx, render
from ..importers.siasn import COLUMNS, Scope, plan_import, template_sheet
from ..importers.siasn_writer import confirm_import, load_snapshot
from ..models import AuditLog, Employee, User
from ..security import admin_scope_unit, role_required
from ..spreadsheets import XLSX_MIME, SpreadsheetError, csv_bytes, read_rows, xlsx_bytes

bp = Blueprint("imports", __name__, url_prefix="/impor")

# An uploaded file waits this long for its confirmation.
KEEP_SECONDS = 24 * 3600
RECENT = 10


@bp.before_request
@login_required
@role_required("admin", "admin_opd")
def _admins_only():
    """Admins only; an admin OPD without a unit gets 403 from admin_scope_unit."""
    admin_scope_unit(current_user)


def _scope() -> tuple[Scope | None, int | None]:
    unit = admin_scope_unit(current_user)
    return (Scope(unit.path, unit.name), unit.id) if unit is not None else (None, None)


# --- the uploaded file, kept between the dry run and the confirmation -----------------------

def _upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _forget_old_uploads(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for item in folder.iterdir():
        try:
            if item.stat().st_mtime < limit:
                item.unlink()
        except OSError:
            pass  # another request removed it first


def _store(filename: str, content: bytes) -> str:
    """Keep the file under a random name that carries the uploader's id; returns the token."""
    folder = _upload_dir()
    _forget_old_uploads(folder)
    token = secrets.token_urlsafe(24)
    stem = folder / f"{current_user.id}-{token}"
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    stem.with_suffix(extension).write_bytes(content)
    stem.with_suffix(".json").write_text(json.dumps({"filename": filename}), encoding="utf-8")
    return token


def _stored(token: str) -> tuple[Path, str] | None:
    """(path, original name) of this user's upload, or None."""
    if not re.match(TOKEN_PATTERN, token or ""):
        return None
    stem = _upload_dir() / f"{current_user.id}-{token}"
    try:
        filename = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))["filename"]
    except (OSError, ValueError, KeyError):
        return None
    for extension in (".xlsx", ".csv"):
        if stem.with_suffix(extension).exists():
            return stem.with_suffix(extension), filename
    return None


def _discard(path: Path) -> None:
    for item in (path, path.with_suffix(".json")):
        try:
            os.unlink(item)
        except OSError:
            pass


# --- pages ----------------------------------------------------------------------------------

def _recent_imports():
    query = (AuditLog.select(AuditLog, User).join(User, JOIN.LEFT_OUTER, on=(AuditLog.actor == User.id))
             .where((AuditLog.action == "import") & (AuditLog.entity == "import")))
    if current_user.role != "admin":
        query = query.where(AuditLog.actor == current_user.id)
    return list(query.order_by(AuditLog.id.desc()).limit(RECENT))


def _page(form=None, plan=None, confirm=None, filename=None, status=200, notice=None):
    return render("imports/index.html", "imports/_work.html", status=status,
                  form=form or UploadForm(), plan=plan, confirm=confirm, filename=filename,
                  notice=notice, columns=COLUMNS, recent=_recent_imports() if not is_htmx() else [],
                  scope_unit=admin_scope_unit(current_user))


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
    token = _store(filename, form.content)
    confirm = ConfirmForm(formdata=None, data={"token": token, "digest": plan.digest})
    return _page(plan=plan, confirm=confirm, filename=filename)


@bp.post("/simpan")
def confirm():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    stored = _stored(form.token.data)
    if stored is None:
        flash("Berkas pratinjau tidak ditemukan lagi (sudah disimpan atau kedaluwarsa). "
              "Unggah ulang berkasnya.", "warning")
        return redirect(url_for("imports.index"))
    path, filename = stored
    scope, scope_unit_id = _scope()
    try:
        headers, rows = read_rows(filename, path.read_bytes())
        plan, import_id, refused = confirm_import(
            headers, rows, scope=scope, actor=current_user, filename=filename,
            digest=form.digest.data, skip_bad=form.skip_bad.data, scope_unit_id=scope_unit_id)
    except SpreadsheetError:
        _discard(path)
        flash("Berkas pratinjau tidak dapat dibaca lagi. Unggah ulang berkasnya.", "warning")
        return redirect(url_for("imports.index"))
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
    _discard(path)
    flash(f"Impor selesai: {plan.counts['employees']['created']} pegawai baru, "
          f"{plan.counts['employees']['updated']} diperbarui.", "success")
    target = url_for("imports.result", import_id=import_id)
    return htmx_redirect(target) if is_htmx() else redirect(target, code=303)


@bp.get("/hasil/<int:import_id>")
def result(import_id: int):
    record = (AuditLog.select().where((AuditLog.id == import_id) & (AuditLog.action == "import")
                                      & (AuditLog.entity == "import")).first())
    if record is None or (current_user.role != "admin" and record.actor_id != current_user.id):
        abort(404)
    data = record.after_dict()
    new_nips = data.get("new_nips", [])
    newcomers = list(Employee.with_org().where(Employee.nip.in_(new_nips)).order_by(Employee.name)) \
        if new_nips else []
    employee_list = ("org.employees" in current_app.view_functions
                     and url_for("org.employees"))
    return render("imports/result.html", record=record, data=data, counts=data.get("counts", {}),
                  newcomers=newcomers, employee_list=employee_list)


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
