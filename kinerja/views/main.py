from flask import Blueprint, abort, current_app, jsonify, send_from_directory
from flask_login import current_user, login_required

from ..htmx import is_htmx, render
from ..models import db
from ..rules import evaluation as eval_rules
from ..stores.evaluation import access, organisation, periods
from ..stores.home import mine, oversight, team
from ..stores.siasn import uploads
from ..stores.skp.settings import current_year
from ..stores.survey import dashboard as survey_dashboard
from ..stores.survey import review as survey_review
from ..stores.survey import stats as survey_stats
from .. import charts
from .toolkit import ADMINS, me, today

bp = Blueprint("main", __name__)


def _team_chart(counts: dict, total: int):
    return charts.share_chart([(label, counts.get(key, 0) * 100 / total if total else 0,
                                str(counts.get(key, 0)), f"predikat-{key}", None)
                               for key, label in eval_rules.PREDIKATS.items()])


def _curve_chart(curve: dict):
    """The OPD's predikat shares, with the cap of the organisation predikat drawn across
    the bar of a predikat that has one of its own."""
    markers = {}
    for cap in curve["caps"]:
        if cap.percent is not None and len(cap.predikats) == 1:
            markers[cap.predikats[0]] = cap.percent
    return charts.share_chart([(label, curve["shares"][key], f"{curve['counts'][key]}",
                                f"predikat-{key}", markers.get(key))
                               for key, label in eval_rules.PREDIKATS.items()])


def _completion_chart(rows):
    return charts.share_chart([(row.unit.name, row.approved_percent,
                                f"{row.approved_percent:.0f} %".replace(".", ","), "completion", None)
                               for row in rows])


def _opd_part(opd, year_row, day) -> dict:
    """What the head of an OPD sees of it."""
    year = year_row.year if year_row else day.year
    kind, number = periods.chosen_period(None, year, day)
    period = periods.period_or_annual(year, kind, number)
    rows = oversight.completion(opd, year, period)
    curve = organisation.curve(opd, year, period.kind, period.number, with_head=False)
    weight = survey_stats.current_weight()
    return {"unit": opd, "period": period, "rows": rows, "total": oversight.totals(rows, opd),
            "curve": curve, "curve_chart": _curve_chart(curve),
            "services": survey_dashboard.rows(opd, day, weight)}


def _admin_part(scope, year_row, day) -> dict:
    year = year_row.year if year_row else day.year
    kind, number = periods.chosen_period(None, year, day)
    period = periods.period_or_annual(year, kind, number)
    rows = oversight.completion(scope, year, period)
    total = oversight.totals(rows, scope)
    deadline = year_row.skp_deadline if year_row else None
    return {"scope": scope, "period": period, "rows": rows, "total": total,
            "chart": _completion_chart(rows), "deadline": deadline,
            "late": oversight.late_count(total, deadline, day),
            "problems": oversight.data_problems(scope),
            "flagged": survey_review.flagged_count(scope),
            "pending_imports": len(uploads.waiting(current_app.config["UPLOAD_DIR"], current_user.id)),
            "open_suggestions": survey_dashboard.open_suggestions(scope)}


def _admin_scope(user):
    """The unit an admin OPD oversees, None for the regency; False for an admin OPD whose
    unit is not set (nothing to show, not a refusal of the Beranda)."""
    if user.role == "admin":
        return None
    return user.scope_unit if user.scope_unit_id else False


@bp.get("/")
@login_required
def dashboard():
    """The Beranda: what is this person's to do now, each item linking to where it is done.
    Polled by htmx so the counts follow without a reload."""
    employee, day = me(), today()
    year_row = current_year(day)
    year = year_row.year if year_row else day.year
    context = {"employee": employee, "year_row": year_row, "day": day, "rules": eval_rules}
    if employee is not None:
        context["own"] = mine.own_work(employee, day)
        # The full page only: the polled fragment redraws the work, not who one is.
        if not is_htmx():
            context["appraiser"] = employee.appraiser()
            context["superior"] = employee.appraiser_superior()
    work = team.supervisor_work(current_user, employee, day, year)
    if work.size or work.skps.count or work.evaluations.count:
        context["team"] = work
        if work.period is not None and work.size:
            context["team_chart"] = _team_chart(work.predikat_counts, sum(work.predikat_counts.values()))
    context["objections"] = team.objections_to_decide(current_user, day)
    context["overview"] = bool(_overview_context(day, year_row, read=False))
    return render("main/dashboard.html", "main/_work.html", **context)


def _overview_context(day, year_row, read: bool = True) -> dict:
    """The head of an OPD's card and the admin's cards (empty for anyone else); with
    read=False only whether there is anything to show."""
    context = {}
    employee = me()
    opd = access.opd_headed_by(employee) if employee is not None else None
    if opd is not None:
        context["opd"] = _opd_part(opd, year_row, day) if read else True
    if current_user.role in ADMINS:
        scope = _admin_scope(current_user)
        if scope is not False:
            context["admin"] = _admin_part(scope, year_row, day) if read else True
    return context


@bp.get("/beranda/ikhtisar")
@login_required
def overview():
    """The overview cards, asked for by the Beranda once it has shown one's own work."""
    day = today()
    year_row = current_year(day)
    context = _overview_context(day, year_row)
    if not context:
        abort(404)
    return render("main/overview.html", "main/_overview.html", day=day, year_row=year_row,
                  rules=eval_rules, **context)


@bp.get("/favicon.ico")
def favicon():
    """Browsers and bookmark tools ask for it at the root whatever the page says."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=7 * 86400)


@bp.get("/healthz")
def healthz():
    try:
        db.execute_sql("SELECT 1").fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return jsonify(status="error"), 503
    return jsonify(status="ok")
