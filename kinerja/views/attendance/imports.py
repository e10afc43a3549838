"""The attendance import (dry run, then all or nothing) and the machine-id map."""
import os

from flask import Response, current_app, flash, redirect, url_for
from flask_login import current_user

from ...forms.attendance import (AttendanceConfirmForm, AttendanceUploadForm, DeleteForm,
                                 MachineUserForm)
from ...htmx import htmx_redirect, is_htmx, respond
from ...rules import DomainError
from ...spreadsheets import XLSX_MIME, SpreadsheetError, read_rows, xlsx_bytes
from ...stores.attendance import imports, machines
from ..toolkit import refused, today
from . import bp
from .access import admin_scope


def _import_page(form=None, plan=None, confirm=None, filename="", status=200, notice=None):
    scope = admin_scope()
    return respond("attendance/import.html", "attendance/_import_work.html", status=status,
                   form=form or AttendanceUploadForm(formdata=None), plan=plan, confirm=confirm,
                   filename=filename, notice=notice, scope=scope,
                   recent=imports.recent_imports(scope))


def _read(filename, content, form):
    try:
        return read_rows(filename, content, max_rows=imports.MAX_ROWS)
    except SpreadsheetError as exc:
        form.file.errors.append(str(exc))
        return None


@bp.get("/impor")
def import_page():
    return _import_page()


@bp.post("/impor/pratinjau")
def import_preview():
    """The dry run: every row checked, nothing written; the file is kept for the confirmation."""
    scope = admin_scope()
    form = AttendanceUploadForm()
    if not form.validate_on_submit():
        return _import_page(form=form, status=422)
    filename = os.path.basename(form.file.data.filename or "berkas")[:120]
    sheet = _read(filename, form.content, form)
    if sheet is None:
        return _import_page(form=form, status=422)
    try:
        plan = imports.plan_import(*sheet, scope, today())
    except DomainError as exc:
        refused(exc, form)
        return _import_page(form=form, status=422)
    confirm = None
    if plan.days and not plan.bad:
        token = imports.uploads.keep(current_app.config["UPLOAD_DIR"], current_user.id, filename,
                             form.content)
        confirm = AttendanceConfirmForm(formdata=None, data={"token": token})
    return _import_page(plan=plan, confirm=confirm, filename=filename)


@bp.post("/impor/simpan")
def import_confirm():
    scope = admin_scope()
    form = AttendanceConfirmForm()
    stored = imports.uploads.kept(current_app.config["UPLOAD_DIR"], current_user.id,
                          form.token.data if form.validate_on_submit() else "")
    if stored is None:
        return respond(None, redirect=url_for("attendance.import_page"), category="warning",
                       message="Berkas pratinjau tidak ditemukan lagi (sudah disimpan atau "
                               "kedaluwarsa). Unggah ulang berkasnya.")
    path, filename = stored
    upload_form = AttendanceUploadForm(formdata=None)
    sheet = _read(path.name, path.read_bytes(), upload_form)
    if sheet is None:
        imports.uploads.discard(path)
        return _import_page(form=upload_form, status=422)
    try:
        plan, written = imports.confirm_import(current_user, *sheet, scope, today(), filename)
    except DomainError as exc:
        imports.uploads.discard(path)
        refused(exc, upload_form)
        return _import_page(form=upload_form, status=422)
    if not written:
        return _import_page(plan=plan, status=409,
                            notice="Data berubah sejak pratinjau: ada baris yang kini bermasalah. "
                                   "Tidak ada yang disimpan; perbaiki berkasnya lalu unggah ulang.")
    imports.uploads.discard(path)
    flash(f"Impor selesai: presensi {written} hari-pegawai ({plan.people} pegawai) disimpan.",
          "success")
    target = url_for("attendance.import_page")
    return htmx_redirect(target) if is_htmx() else redirect(target, code=303)


@bp.get("/impor/templat.xlsx")
def import_template():
    admin_scope()
    return Response(xlsx_bytes(imports.template_sheets()), mimetype=XLSX_MIME, headers={
        "Content-Disposition": 'attachment; filename="templat-impor-presensi.xlsx"'})


def _machines_page(form=None, status=200):
    scope = admin_scope()
    return respond("attendance/machines.html", status=status, scope=scope,
                   form=form or MachineUserForm(formdata=None), rows=machines.machine_users(scope),
                   delete_form=DeleteForm(formdata=None))


@bp.get("/id-mesin")
def machine_page():
    return _machines_page()


@bp.post("/id-mesin")
def machine_add():
    scope = admin_scope()
    form = MachineUserForm()
    if form.validate_on_submit():
        try:
            machines.add_machine_user(current_user, form.machine_id.data, form.nip.data, scope)
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, redirect=url_for("attendance.machine_page"),
                           message=f"ID mesin {form.machine_id.data} dicatat.")
    return _machines_page(form, status=422)


@bp.post("/id-mesin/<int:row_id>/hapus")
def machine_remove(row_id):
    scope = admin_scope()
    if DeleteForm().validate_on_submit():
        try:
            machines.remove_machine_user(current_user, row_id, scope)
        except DomainError as exc:
            refused(exc)
    return respond(None, redirect=url_for("attendance.machine_page"), message="ID mesin dihapus.")
