"""Figures: one's own year, the Pejabat Penilai's team, one person, a unit per month."""
from flask import redirect, url_for
from flask_login import current_user

from ...charts import share_chart
from ...htmx import render
from ...models import Unit
from ...rules.calendar import MONTH_NAMES as MONTHS
from ...stores.attendance import reports, rosters
from ...stores.evaluation import access as evaluation_access
from ..toolkit import ADMINS, int_arg, me, today
from . import bp
from .access import chosen_unit, load_person, report_scope, year_arg

PER_PAGE = 50


@bp.context_processor
def _months():
    return {"month_names": MONTHS}


@bp.get("/")
def index():
    """The employee's own attendance, month by month."""
    employee = me()
    if employee is None:
        return redirect(url_for("attendance.units" if current_user.role in ADMINS
                                else "main.index"))
    year = year_arg()
    return render("attendance/index.html", employee=employee, year=year, own=True,
                  data=reports.person_year(employee.id, year, today()),
                  roster=rosters.person_month(employee.id, year, int_arg("bulan"), today()),
                  heads_opd=evaluation_access.opd_headed_by(employee) is not None,
                  has_team=employee.subordinates().exists())


@bp.get("/tim")
def team():
    employee = me()
    year = year_arg()
    rows = reports.team(employee, year, today()) if employee is not None else []
    return render("attendance/team.html", year=year, rows=rows)


@bp.get("/pegawai/<int:employee_id>")
def person(employee_id):
    employee = load_person(employee_id)
    year = year_arg()
    return render("attendance/index.html", employee=employee, year=year, own=False,
                  data=reports.person_year(employee.id, year, today()),
                  roster=rosters.person_month(employee.id, year, int_arg("bulan"), today()))


def _chart(months):
    rows = []
    for number, figures in months.items():
        if not figures.working_days:
            continue
        percent = figures.percent or 0
        rows.append((MONTHS[number - 1], percent, f"{str(percent).replace('.', ',')} %",
                     "predikat-baik" if percent >= 95 else
                     "predikat-butuh_perbaikan" if percent >= 85 else "predikat-kurang", None))
    return share_chart(rows)


@bp.get("/unit")
def units():
    """A unit and its sub-units: the months in a chart and a page of people."""
    scope, is_admin = report_scope()
    year = year_arg()
    month = int_arg("bulan")
    month = month if month in range(1, 13) else None
    unit = chosen_unit(scope)
    choices = reports.opds_in(scope) if unit is None else reports.units_under(
        Unit.get_by_id(unit.opd_id))
    if unit is None:
        return render("attendance/units.html", year=year, unit=None, choices=choices,
                      report=None, chart=None, month=month, is_admin=is_admin,
                      regency=scope is None)
    report = reports.unit_report(unit, year, month, int_arg("page", 1), PER_PAGE, today())
    return render("attendance/units.html", year=year, unit=unit, choices=choices, report=report,
                  chart=_chart(report.months), month=month, is_admin=is_admin,
                  regency=scope is None)

