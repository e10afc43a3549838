"""The working calendar: BKPSDM's holidays per year, the admin OPD's unit schedules."""
from flask import url_for
from flask_login import current_user

from ...forms.attendance import DeleteForm, HolidayForm, ScheduleForm
from ...htmx import respond
from ...models import HOLIDAY_KINDS, SCHEDULE_KINDS, Unit
from ...rules import DomainError
from ...rules import calendar as cal_rules
from ...stores import calendar as store
from ...stores.org.tree import unit_choices
from ..toolkit import refused, today
from . import bp
from .access import admin_scope, bkpsdm_only, year_arg


def _context(year, holiday_form=None, schedule_form=None, scope=None):
    scope = admin_scope() if scope is None and current_user.role != "admin" else scope
    units = list(Unit.select().where(Unit.within(scope)) if scope is not None else Unit.select())
    calendars = store.calendars_for_units([u.id for u in units], year)
    own = {s.unit_id: s for s in store.WorkSchedule.select().where(
        store.WorkSchedule.unit.in_([u.id for u in units]))} if units else {}
    rows = sorted(((u, calendars[u.id], own.get(u.id)) for u in units), key=lambda r: r[0].path)
    if schedule_form is None:
        schedule_form = ScheduleForm(formdata=None)
    schedule_form.unit.choices = unit_choices(scope)
    schedule_form.unit.choices = [(int(v), label) for v, label in schedule_form.unit.choices]
    return dict(year=year, holidays=store.holidays(year), rows=rows, rules=cal_rules,
                holiday_form=holiday_form or HolidayForm(formdata=None), schedule_form=schedule_form,
                delete_form=DeleteForm(formdata=None), holiday_kinds=HOLIDAY_KINDS,
                schedule_kinds=SCHEDULE_KINDS, is_bkpsdm=current_user.role == "admin")


@bp.get("/kalender")
def calendar_page():
    admin_scope()
    year = year_arg()
    return respond("attendance/calendar.html", **_context(year))


@bp.post("/kalender/libur")
def holiday_add():
    bkpsdm_only()
    form = HolidayForm()
    year = form.day.data.year if form.day.data else today().year
    if form.validate_on_submit():
        try:
            store.add_holiday(current_user, form.day.data, form.name.data, form.kind.data)
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, redirect=url_for("attendance.calendar_page", tahun=year),
                           message="Hari libur dicatat.")
    return respond("attendance/calendar.html", status=422, **_context(year, holiday_form=form))


@bp.post("/kalender/libur/<int:holiday_id>/hapus")
def holiday_remove(holiday_id):
    bkpsdm_only()
    form = DeleteForm()
    if not form.validate_on_submit():
        return respond(None, redirect=url_for("attendance.calendar_page"), category="warning",
                       message="Formulir kedaluwarsa; coba lagi.")
    holiday = store.Holiday.get_or_none(store.Holiday.id == holiday_id)
    year = holiday.year if holiday else today().year
    try:
        store.remove_holiday(current_user, holiday_id)
    except DomainError as exc:
        refused(exc)
    return respond(None, redirect=url_for("attendance.calendar_page", tahun=year),
                   message="Hari libur dihapus.")


@bp.post("/kalender/jadwal")
def schedule_save():
    scope = admin_scope()
    year = year_arg()
    form = ScheduleForm()
    form.unit.choices = [(int(v), label) for v, label in unit_choices(scope)]
    if form.validate_on_submit():
        hours = form.hours() or {d: h for d, h in _preset(form.kind.data).items()}
        try:
            store.set_schedule(current_user, form.unit.data, form.kind.data, hours, year)
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, redirect=url_for("attendance.calendar_page", tahun=year),
                           message="Jadwal kerja disimpan.")
    return respond("attendance/calendar.html", status=422,
                   **_context(year, schedule_form=form, scope=scope))


def _preset(kind: str) -> dict:
    return {"5hari": cal_rules.DEFAULT_HOURS, "6hari": cal_rules.SIX_DAY_HOURS,
            "shift": cal_rules.SHIFT_HOURS}.get(kind, {})
