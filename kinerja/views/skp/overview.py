"""Overviews: the status of every employee's SKP per unit (rekap), and the cascade from the
OPD's goals down to each employee's RHK (Matriks Peran Hasil)."""
from flask import render_template, request
from flask_login import current_user, login_required
from peewee import fn

from . import ADMIN_ROLES, bp, current_year, int_arg, today
from ... import skp_store as store
from ...htmx import render
from ...models import Employee, PerformanceYear, Unit
from ...paging import Page, page_number
from ...rules import skp as rules
from ...security import scoped_employees, scoped_units

PAGE_SIZE = 100


def _team_base():
    """Employees this account overviews, and the units it may filter on; (None, []) for an
    employee without subordinates."""
    if current_user.role == "admin":
        return (Employee.with_org().where(Employee.active),
                list(Unit.select().where(Unit.active).order_by(Unit.name)))
    if current_user.role == "admin_opd":
        return (scoped_employees(current_user).where(Employee.active),
                list(scoped_units(current_user).where(Unit.active).order_by(Unit.name)))
    if not current_user.employee_id:
        return None, []
    me = Employee.get_by_id(current_user.employee_id)
    base = me.subordinates()
    units = list(Unit.select().where(Unit.id.in_(base.select(Employee.unit))).order_by(Unit.name))
    if not units:
        return None, []
    return base, units


@bp.get("/tim")
@login_required
def team():
    year = current_year(int_arg("tahun"))
    years = list(PerformanceYear.select().order_by(PerformanceYear.year.desc()))
    base, units = _team_base()
    context = {"year": year, "years": years, "units": units, "statuses": rules.TEAM_STATUSES,
               "has_team": base is not None, "today": today()}
    if base is None or year is None:
        return render_template("skp/team.html", **context)
    unit_id = int_arg("unit")
    unit = next((u for u in units if u.id == unit_id), None)
    status = request.args.get("status", "")
    status = status if status in rules.TEAM_STATUSES else ""
    q = request.args.get("q", "").strip()[:100]
    if unit is not None:
        base = base.where(Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(unit))))
    if q:
        base = base.where(Employee.nip.startswith(q) if q.isdigit() else Employee.name.contains(q))
    joined, plan = store.with_latest_plan(base, year.year)
    overview_status = fn.COALESCE(plan.status, "belum")
    counts = {}
    for unit_key, label, count in (joined.select(Unit.id, overview_status, fn.COUNT(Employee.id))
                                   .group_by(Unit.id, overview_status).order_by().tuples()):
        per_unit = counts.setdefault(unit_key, {})
        key = rules.team_status(None if label == "belum" else label)
        per_unit[key] = per_unit.get(key, 0) + count
    totals = {key: sum(c.get(key, 0) for c in counts.values()) for key in rules.TEAM_STATUSES}
    if status == "belum":
        joined = joined.where(plan.id.is_null())
    elif status:
        joined = joined.where(plan.status == status)
    listing = Page(joined.order_by(Unit.name, Employee.name, Employee.id),
                   page_number(request.args.get("page")), PAGE_SIZE)
    context.update(listing=listing, counts=counts, totals=totals, unit=unit, status_filter=status, q=q,
                   deadline=rules.deadline_label(year.skp_deadline, today()),
                   days_left=rules.days_remaining(year.skp_deadline, today()),
                   url_args={k: v for k, v in {"tahun": year.year, "unit": unit.id if unit else None,
                                               "status": status, "q": q}.items() if v})
    return render("skp/team.html", "skp/_team_results.html", **context)


def _cascade_units():
    """Units whose cascade this account may see: an admin's scope, or for a supervisor their
    own unit and what lies below it."""
    if current_user.role in ADMIN_ROLES:
        return list(scoped_units(current_user).where(Unit.active).order_by(Unit.path))
    if not current_user.employee_id:
        return []
    me = Employee.get_by_id(current_user.employee_id)
    if me.unit_id is None or not me.subordinates().exists():
        return []
    own = Unit.get_by_id(me.unit_id)
    return list(Unit.select().where(Unit.within(own) & Unit.active).order_by(Unit.path))


@bp.get("/kaskade")
@login_required
def cascade():
    units = _cascade_units()
    year = current_year(int_arg("tahun"))
    years = list(PerformanceYear.select().order_by(PerformanceYear.year.desc()))
    context = {"units": units, "year": year, "years": years, "tree": None, "unit": None}
    if units and year is not None:
        unit_id = int_arg("unit")
        unit = next((u for u in units if u.id == unit_id), units[0])
        context.update(unit=unit, tree=store.cascade(unit, year.year))
    return render("skp/cascade.html", "skp/_cascade.html", **context)
