"""Overviews: the status of every employee's SKP per unit (rekap), and the cascade from the
OPD's goals down to each employee's RHK (Matriks Peran Hasil)."""
from flask import abort, render_template, request
from flask_login import current_user, login_required
from peewee import fn

from . import ADMIN_ROLES, bp, current_year, int_arg, today
from ... import skp_store as store
from ...htmx import render
from ...models import Employee, PerformanceYear, Unit
from ...paging import Page, page_number
from ...rules import skp as rules
from ...security import scoped_employees, scoped_units
from ...skp_cascade import PAGE as PAGE_ROWS, Cascade

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
    # The counts above already hold the number of rows: no second pass over the joins.
    listing = Page(joined.order_by(Unit.name, Employee.name, Employee.id),
                   page_number(request.args.get("page")), PAGE_SIZE,
                   total=totals[status] if status else sum(totals.values()))
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


CASCADE_SECTIONS = ("lepas", "tanpa-rhk")
# Past this a page number can only be typed by hand; stop before the OFFSET grows absurd.
MAX_PAGE = 100000


def _cascade_focus():
    """What the request focuses on: ("rhk", id), ("sasaran", id), ("lepas"|"tanpa-rhk", None),
    or None for the whole cascade. A focus that cannot exist answers 404."""
    for kind in ("rhk", "sasaran"):
        if kind in request.args:
            key = int_arg(kind)
            if key is None or key <= 0:
                abort(404)
            return kind, key
    section = request.args.get("bagian")
    if section is None:
        return None
    if section not in CASCADE_SECTIONS:
        abort(404)
    return section, None


@bp.get("/kaskade")
@login_required
def cascade():
    """The goals of the OPD with the RHK intervening in them and what lies below, a level at a
    time. With ?rhk=, ?sasaran= or ?bagian= the view focuses on one list: a whole page
    without JavaScript, or (for htmx) just the list, expanded in place."""
    units = _cascade_units()
    year = current_year(int_arg("tahun"))
    focus = _cascade_focus()
    years = list(PerformanceYear.select().order_by(PerformanceYear.year.desc()))
    context = {"units": units, "year": year, "years": years, "unit": None, "focus": focus}
    if not units or year is None:
        if focus is not None:
            abort(404)
        return render_template("skp/cascade.html", **context)
    unit_id = int_arg("unit")
    unit = next((u for u in units if u.id == unit_id), units[0])
    view = Cascade(unit, year.year)
    context.update(unit=unit, opd=view.opd, url_args={"unit": unit.id, "tahun": year.year})
    if focus is None:
        figures, branches, loose = view.overview()
        context.update(goals=view.goals, branches=branches, loose=loose, figures=figures,
                       unattended=[g for g in view.goals if g.id not in branches])
        return render("skp/cascade.html", "skp/_cascade.html", **context)
    page = min(page_number(request.args.get("page")), MAX_PAGE)
    partial, context = _cascade_list(view, *focus, page, context)
    return render("skp/cascade.html", partial, **context)


def _cascade_list(view, kind: str, key, page: int, context: dict):
    """The partial and context of one focused list; 404 for a node outside this cascade."""
    context.update(list_page=page, focus_args={"bagian": kind} if key is None else {kind: key},
                   goal=None, path=[], node=None)
    if kind == "tanpa-rhk":
        plans, page, total = view.plans_without_rhk(page)
        context.update(plans=plans, plans_total=total, list_page=page, first_index=(page - 1) * PAGE_ROWS)
        return "skp/_cascade_plans.html", context
    if kind == "rhk":
        found = view.path_to(key)
        if found is None:
            abort(404)
        goal, path = found
        context.update(goal=goal, path=path[:-1], node=path[-1], branch=view.rhk_branch(key, page))
    elif kind == "sasaran":
        goal = view.goal(key)
        if goal is None:
            abort(404)
        context.update(goal=goal, branch=view.goal_branch(key, page))
    else:
        context.update(branch=view.loose_branch(page))
    context["list_page"] = context["branch"].page
    return "skp/_cascade_branch.html", context
