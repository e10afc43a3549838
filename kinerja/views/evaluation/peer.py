"""Umpan balik 360°: an employee answers, per BerAKHLAK value, about their Pejabat Penilai and
the colleagues who share that Pejabat Penilai, for one evaluation period."""
from flask import render_template, request, url_for
from flask_login import login_required

from ...forms.evaluation import peer_form
from ...htmx import respond
from ...models import Employee
from ...rules import evaluation as rules
from ...rules import peer_feedback as peer_rules
from ...rules.skp import CORE_VALUE_NAMES, CORE_VALUES
from ...stores import peer_feedback as peers
from ...stores.evaluation import periods
from ..toolkit import deny, today
from .common import bp, employee_or_deny


def _period(year: int):
    """The period named by ?periode= (periodik-N | tahunan), else the one today falls in;
    None when the name is not one of the year's periods."""
    year_periods = periods.year_periods(year)
    raw = (request.values.get("periode") or "").strip()
    if not raw:
        running = [p for p in year_periods if p.kind == rules.PERIODIC and p.starts <= today() <= p.ends]
        return running[0] if running else year_periods[-1]
    return next((p for p in year_periods if p.param == raw), None)


def _rater_and_period():
    rater = employee_or_deny()
    year = periods.chosen_year(request.values.get("tahun"), today())
    period = _period(year)
    if period is None:
        deny("Periode evaluasi tidak ditemukan.", 404)
    return rater, year, period


@bp.get("/umpan-balik-360")
@login_required
def peer_index():
    rater, year, period = _rater_and_period()
    shown = [p for p in periods.year_periods(year) if p.starts <= today()] or [period]
    return render_template("evaluation/peer_index.html", year=year, period=period, periods=shown,
                           colleagues=peers.colleagues(rater), done=peers.answered(rater, period),
                           closes_on=peer_rules.answers_close_on(period.ends),
                           min_raters=peers.min_raters(year), standings=peer_rules.STANDINGS)


@bp.route("/umpan-balik-360/<int:employee_id>", methods=["GET", "POST"])
@login_required
def peer_give(employee_id):
    rater, year, period = _rater_and_period()
    ratee = Employee.get_or_none((Employee.id == employee_id) & Employee.active)
    if ratee is None:
        deny("Pegawai tidak ditemukan.", 404)
    standing = peers.standing(rater, ratee)
    if standing is None:
        deny("Umpan balik 360° hanya dapat diberikan kepada atasan langsung Anda dan rekan kerja "
             "setingkat (yang memiliki Pejabat Penilai yang sama dengan Anda).")
    closed = peers.closed_reason(ratee, period, today())
    values = list(CORE_VALUE_NAMES.items())
    back = url_for("evaluation.peer_index", tahun=year, periode=period.param)
    context = {"ratee": ratee, "standing": peer_rules.STANDINGS[standing], "period": period, "year": year,
               "closed": closed, "closes_on": peer_rules.answers_close_on(period.ends),
               "core_values": CORE_VALUES, "back": back, "periode": period.param}
    if request.method == "GET":
        data = {}
        for code, (level, comment) in peers.own_answers(rater, ratee, period).items():
            data[f"level_{code}"], data[f"comment_{code}"] = level, comment
        return render_template("evaluation/peer_form.html", form=peer_form(values, data=data), **context)
    if closed:
        deny(closed, 409)
    form = peer_form(values)
    if not form.validate_on_submit():
        return render_template("evaluation/peer_form.html", form=form, **context), 422
    count = peers.save(rater, ratee, period, {code: (form[f"level_{code}"].data,
                                                     form[f"comment_{code}"].data or "")
                                              for code, _ in values}, today())
    return respond(None, redirect=back,
                   message=f"Umpan balik 360° untuk {ratee.full_name} ({period.label}) disimpan: "
                           f"{count} nilai dijawab. Nama Anda tidak ditampilkan kepada siapa pun.")
