"""The attendance import (dry run, then all or nothing) and the machine-id map."""
from flask import Response, url_for
from flask_login import current_user

from ...forms.attendance import (AttendanceConfirmForm, AttendanceUploadForm, DeleteForm,
                                 MachineUserForm)
from ...htmx import respond
from ...rules import DomainError
from ...spreadsheets import XLSX_MIME, xlsx_bytes
from ...stores.attendance import imports, machines
from ..dry_run import DryRunImport
from ..toolkit import refused, today
from . import bp
from .access import admin_scope


def _import_page(form=None, plan=None, confirm=None, filename="", status=200, notice=None):
    scope = admin_scope()
    return respond("attendance/import.html", "attendance/_import_work.html", status=status,
                   form=form or AttendanceUploadForm(formdata=None), plan=plan, confirm=confirm,
                   filename=filename, notice=notice, scope=scope,
                   recent=imports.recent_imports(scope))


FLOW = DryRunImport(AttendanceUploadForm, AttendanceConfirmForm, imports.uploads,
                    max_rows=imports.MAX_ROWS)


@bp.get("/impor")
def import_page():
    return _import_page()


@bp.post("/impor/pratinjau")
def import_preview():
    scope = admin_scope()
    return FLOW.preview(_import_page, lambda sheet: imports.plan_import(*sheet, scope, today()),
                        ready=lambda plan: plan.days and not plan.bad)


@bp.post("/impor/simpan")
def import_confirm():
    scope = admin_scope()
    back = url_for("attendance.import_page")
    return FLOW.confirm(
        _import_page,
        lambda sheet, filename: imports.confirm_import(current_user, *sheet, scope, today(), filename),
        lambda plan, written: f"Impor selesai: presensi {written} hari-pegawai ({plan.people} pegawai) disimpan.",
        back=back, after=back)


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
