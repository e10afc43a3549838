"""Izin, sakit, cuti, dinas luar and tugas belajar with their document."""
from flask import current_app, request, send_file, url_for
from flask_login import current_user

from ...forms.attendance import DeleteForm, LeaveForm
from ...htmx import respond
from ...models import LEAVE_KINDS
from ...rules import DomainError
from ...rules.evidence import DEFAULT_MAX_BYTES, check_file
from ...stores.attendance import leave as store
from ..toolkit import deny, refused, today
from . import bp
from .access import admin_scope, year_arg


def _page(form=None, status=200):
    scope = admin_scope()
    year = year_arg()
    return respond("attendance/leave.html", status=status, scope=scope, year=year,
                   form=form or LeaveForm(formdata=None), rows=store.leaves(scope, year),
                   kinds=LEAVE_KINDS, delete_form=DeleteForm(formdata=None))


def _upload(form):
    """(name, extension, mime, bytes) of an acceptable document, checked by content; at most
    the limit plus one byte is read. None (with the reason beside the field) otherwise."""
    file = request.files.get("document")
    if not file or not file.filename:
        return None
    limit = current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)
    data = file.read(limit + 1)
    try:
        ext, mime = check_file(file.filename, data, limit)
    except DomainError as exc:
        form.document.errors = [exc.message]
        return None
    return file.filename, ext, mime, data


@bp.get("/izin")
def leave_page():
    return _page()


@bp.post("/izin")
def leave_add():
    scope = admin_scope()
    form = LeaveForm()
    if form.validate_on_submit():
        upload = _upload(form)
        if upload is not None:
            try:
                store.add_leave(current_user, scope, form.values(), upload,
                                current_app.config["UPLOAD_DIR"], today())
            except DomainError as exc:
                refused(exc, form)
            else:
                return respond(None, redirect=url_for("attendance.leave_page",
                                                      tahun=form.starts.data.year),
                               message="Keterangan dicatat; hari kerja di dalamnya tidak lagi "
                                       "dihitung tanpa keterangan.")
    return _page(form, status=422)


@bp.post("/izin/<int:leave_id>/hapus")
def leave_remove(leave_id):
    scope = admin_scope()
    if DeleteForm().validate_on_submit():
        try:
            store.delete_leave(current_user, scope, leave_id, current_app.config["UPLOAD_DIR"],
                               today())
        except DomainError as exc:
            refused(exc)
    return respond(None, redirect=url_for("attendance.leave_page"), message="Keterangan dihapus.")


@bp.get("/izin/<int:leave_id>/dokumen")
def leave_document(leave_id):
    scope = admin_scope()
    leave = store.leave_in_scope(leave_id, scope)
    path = store.document_path(current_app.config["UPLOAD_DIR"], leave) if leave else None
    if path is None:
        deny("Dokumen tidak ditemukan.", 404)
    return send_file(path, mimetype=leave.document_mime, as_attachment=True,
                     download_name=leave.document_filename or "dokumen")
