"""Overviews: the status of every employee's SKP per unit (rekap), and the cascade from the
OPD's goals down to each employee's RHK (Matriks Peran Hasil)."""
from flask import abort, render_template, request
from flask_login import current_user, login_required

from . import actor, bp, current_year
from ...htmx import render
from ...paging import page_number
from ...rules import skp as rules
from ...security import admin_scope_unit
from ...stores.skp import cascade as cascades
from ...stores.skp import overview
from ...stores.skp import settings as skp_settings
from ..toolkit import int_arg, text_arg, today

PAGE_SIZE = 100


def _team_base():
    """Employees this account overviews, and the units it may filter on; (None, []) for an
    employee without subordinates."""
    if rules.is_admin(actor()):
        return overview.admin_team(admin_scope_unit(current_user))
    return overview.supervisor_team(current_user.employee_id)


@bp.get("/tim")
@login_required
def team():
    year = current_year(int_arg("tahun"))
    years = skp_settings.all_years()
    base, units = _team_base()
    context = {"year": year, "years": years, "units": units, "statuses": rules.TEAM_STATUSES,
               "has_team": base is not None, "today": today(),
               "can_open_years": rules.opens_years(actor()), "can_bundle": rules.is_admin(actor())}
    if base is None or year is None:
        return render_template("skp/team.html", **context)
    unit_id = int_arg("unit")
    unit = next((u for u in units if u.id == unit_id), None)
    status = request.args.get("status", "")
    status = status if status in rules.TEAM_STATUSES else ""
    q = text_arg("q")
    counts, totals, listing = overview.team_overview(base, year.year, unit=unit, status=status, q=q,
                                                     page=page_number(request.args.get("page")),
                                                     per_page=PAGE_SIZE)
    context.update(listing=listing, counts=counts, totals=totals, unit=unit, status_filter=status, q=q,
                   deadline=rules.deadline_label(year.skp_deadline, today()),
                   days_left=rules.days_remaining(year.skp_deadline, today()),
                   url_args={k: v for k, v in {"tahun": year.year, "unit": unit.id if unit else None,
                                               "status": status, "q": q}.items() if v})
    return render("skp/team.html", "skp/_team_results.html", **context)


def _cascade_units():
    """Units whose cascade this account may see: an admin's scope, or for a supervisor their
    own unit and what lies below it."""
    if rules.is_admin(actor()):
        return cascades.units_for_admin(admin_scope_unit(current_user))
    return cascades.units_for_supervisor(current_user.employee_id)


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
    years = skp_settings.all_years()
    context = {"units": units, "year": year, "years": years, "unit": None, "focus": focus}
    if not units or year is None:
        if focus is not None:
            abort(404)
        return render_template("skp/cascade.html", **context)
    unit_id = int_arg("unit")
    unit = next((u for u in units if u.id == unit_id), units[0])
    view = cascades.Cascade(unit, year.year)
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
        context.update(plans=plans, plans_total=total, list_page=page,
                       first_index=(page - 1) * cascades.PAGE)
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
