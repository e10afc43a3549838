"""Rosters (jadwal dinas): a unit's shifts and the roster import (dry run, then all or
nothing), for the admin OPD of the unit and BKPSDM."""
import datetime

from flask import Response, request, url_for
from flask_login import current_user

from ...forms.attendance import AttendanceConfirmForm, DeleteForm
from ...forms.roster import RosterUploadForm, ShiftForm
from ...htmx import respond
from ...rules import DomainError
from ...rules import roster as roster_rules
from ...spreadsheets import XLSX_MIME, xlsx_bytes
from ...stores.attendance import rosters, shifts
from ...stores.org.tree import unit_choices
from ..dry_run import DryRunImport
from ..toolkit import int_arg, refused, text_arg, today
from . import bp
from .access import admin_scope, load_shift


def _shift_form(scope, keep_id=None, **kwargs) -> ShiftForm:
    form = ShiftForm(**kwargs)
    form.unit.choices = [(int(v), label) for v, label in unit_choices(scope, keep_id)]
    return form


def _shifts_page(scope, form=None, editing=None, status=200):
    return respond("attendance/shifts.html", status=status, scope=scope, editing=editing,
                   form=form or _shift_form(scope, formdata=None), rows=shifts.shifts_in(scope),
                   delete_form=DeleteForm(formdata=None))


@bp.get("/shift")
def shift_page():
    scope = admin_scope()
    shift_id = int_arg("ubah")
    if shift_id is None:
        return _shifts_page(scope)
    shift = load_shift(shift_id, scope)
    form = _shift_form(scope, shift.unit_id, formdata=None, data={
        "unit": shift.unit_id, "code": shift.code, "name": shift.name,
        "starts": shift.starts.strftime("%H:%M"), "ends": shift.ends.strftime("%H:%M")})
    return _shifts_page(scope, form, editing=shift)


@bp.post("/shift")
def shift_add():
    scope = admin_scope()
    form = _shift_form(scope)
    if form.validate_on_submit():
        try:
            shifts.add_shift(current_user, scope, form.unit.data, form.code.data, form.name.data,
                             *form.times())
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, redirect=url_for("attendance.shift_page"),
                           message=f"Shift {form.code.data} dicatat.")
    return _shifts_page(scope, form, status=422)


@bp.post("/shift/<int:shift_id>")
def shift_update(shift_id):
    scope = admin_scope()
    shift = load_shift(shift_id, scope)
    form = _shift_form(scope, shift.unit_id)
    # The unit of a shift stays: its rosters were written against that unit's codes.
    form.unit.data = shift.unit_id
    if form.validate_on_submit():
        try:
            shifts.update_shift(current_user, scope, shift.id, form.code.data, form.name.data,
                                *form.times())
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, redirect=url_for("attendance.shift_page"),
                           message=f"Shift {form.code.data} diubah.")
    return _shifts_page(scope, form, editing=shift, status=422)


@bp.post("/shift/<int:shift_id>/hapus")
def shift_remove(shift_id):
    scope = admin_scope()
    shift = load_shift(shift_id, scope)
    if not DeleteForm().validate_on_submit():
        return respond(None, redirect=url_for("attendance.shift_page"), category="warning",
                       message="Formulir kedaluwarsa; coba lagi.")
    try:
        shifts.remove_shift(current_user, scope, shift.id)
    except DomainError as exc:
        refused(exc)
    return respond(None, redirect=url_for("attendance.shift_page"),
                   message=f"Shift {shift.code} dihapus.")


def _next_month() -> datetime.date:
    return (today().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _month():
    """The month of the template and of a confirmation: ?bulan=2026-12 (the confirmation's
    address carries the dry run's month), else next month."""
    return roster_rules.parse_month(text_arg("bulan")) or _next_month()


def _roster_page(form=None, plan=None, confirm=None, filename="", status=200, notice=None):
    scope = admin_scope()
    if form is None:
        form = RosterUploadForm(formdata=None)
    # After a file the dry run refused, the template offered is the month typed for it.
    typed = None if form.month.errors else roster_rules.parse_month(form.month.data)
    month = plan.month if plan is not None else typed or _month()
    if not form.month.data and not form.month.errors:
        form.month.data = month.strftime("%Y-%m")
    return respond("attendance/roster.html", "attendance/_roster_work.html", status=status,
                   form=form, plan=plan, confirm=confirm,
                   filename=filename, notice=notice, scope=scope, month=month,
                   month_name=roster_rules.month_text(month),
                   has_shifts=bool(shifts.shifts_in(scope)))


FLOW = DryRunImport(RosterUploadForm, AttendanceConfirmForm, rosters.uploads,
                    max_rows=rosters.MAX_ROWS)


@bp.get("/jadwal-dinas")
def roster_page():
    return _roster_page()


@bp.post("/jadwal-dinas/pratinjau")
def roster_preview():
    scope = admin_scope()
    # Read once the upload form (its month field among it) has validated.
    return FLOW.preview(_roster_page, lambda sheet: rosters.plan_roster(
        *sheet, scope, roster_rules.parse_month(request.form.get("month"))),
        ready=lambda plan: plan.entries and not plan.bad)


@bp.post("/jadwal-dinas/simpan")
def roster_confirm():
    scope = admin_scope()
    month = _month()
    back = url_for("attendance.roster_page")
    return FLOW.confirm(
        _roster_page,
        lambda sheet, filename: rosters.confirm_roster(current_user, *sheet, scope, month,
                                                       today(), filename),
        lambda plan, written: f"Jadwal dinas {plan.month_text} disimpan untuk {written} pegawai.",
        back=back, after=back)


@bp.get("/jadwal-dinas/templat.xlsx")
def roster_template():
    scope = admin_scope()
    month = _month()
    return Response(xlsx_bytes(rosters.template_sheets(scope, month)), mimetype=XLSX_MIME, headers={
        "Content-Disposition": f'attachment; filename="templat-jadwal-dinas-{month:%Y-%m}.xlsx"'})
