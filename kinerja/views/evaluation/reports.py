"""The documents and the unit views: Dokumen Evaluasi Kinerja Pegawai (PDF), the distribution
curve of an OPD against the caps of its organisation predikat, and the XLSX recap.

Admins see the curve and the recap of the units they administer, the head of an OPD those
of their OPD (rules.reports_by_admin_scope); only the admin BKPSDM sets the organisation
predikat (rules.org_predikat_denial)."""
from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...forms.evaluation import OrgPredikatForm
from ...htmx import render, respond
from ...models import Unit
from ...pdf import pdf_response, render_pdf
from ...rules import evaluation as rules
from ...rules.org import is_within
from ...security import admin_scope_unit, unit_in_scope
from ...spreadsheets import XLSX_MIME, xlsx_bytes
from ...jobs import queue_export
from ...stores import exports
from ...stores.evaluation import access, organisation as store, page as pages, periods
from ..toolkit import deny, int_arg, me, today
from .common import bp, load_evaluation
from .rating import rating_panel_context


@bp.get("/evaluasi/<int:evaluation_id>/dokumen.pdf")
@login_required
def document(evaluation_id):
    evaluation, _ = load_evaluation(evaluation_id)
    if not evaluation.has_predikat:
        deny("Dokumen evaluasi tersedia setelah evaluasi ditetapkan.", 409)
    context = rating_panel_context(evaluation)
    data = render_pdf("evaluation/document_pdf.html", people=pages.people(evaluation),
                      objection=context["detail"].objection, place=_place(), **context)
    period = periods.period_of(evaluation)
    name = f"evaluasi-{evaluation.employee.nip}-{period.label.lower().replace(' ', '-')}.pdf"
    return pdf_response(data, name)


def _place() -> str:
    name = current_app.config["REGENCY_NAME"]
    for prefix in ("Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


# --- Who may see which OPD's curve and recap ----------------------------------------------------

def _by_admin_scope() -> bool:
    return rules.reports_by_admin_scope(current_user)


def _headed_opd(refusal: str) -> Unit:
    """The OPD the signed-in employee heads; 403 with `refusal` for anyone else."""
    headed = access.opd_headed_by(me())
    if headed is None:
        deny(refusal)
    return headed


def load_unit(unit_id) -> Unit:
    """A unit whose curve or recap the user may see; 404 for any other."""
    unit = Unit.get_or_none(Unit.id == unit_id) if unit_id else None
    if unit is None:
        abort(404)
    if _by_admin_scope():
        seen = unit_in_scope(current_user, unit)
    else:
        headed = access.opd_headed_by(me())
        seen = headed is not None and is_within(unit.path, headed.path)
    if not seen:
        abort(404)
    return unit


def _curve_context(opd, year, kind, number, form=None, done=None) -> dict:
    curve = store.curve(opd, year, kind, number)
    org = curve["org"]
    return {
        **curve, "opd": opd, "year": year, "kind": kind, "number": number, "rules": rules,
        "done": done,
        "form": form or OrgPredikatForm(formdata=None, data={
            "predikat": org.predikat if org else "", "note": org.note if org else ""}),
        "can_set": rules.org_predikat_denial(current_user) is None,
        "all_opds": _by_admin_scope(),
        "period": rules.period_param(kind, number), "period_choices": periods.period_choices(year),
    }


@bp.get("/kurva")
@login_required
def curve():
    """The distribution of employee predikat of an OPD against the caps; without ?unit= the
    list of OPDs the user may see."""
    year = periods.chosen_year(request.args.get("tahun"), today())
    kind, number = periods.chosen_period(request.args.get("periode"), year, today())
    unit_id = int_arg("unit")
    if unit_id is not None:
        opd = load_unit(unit_id)
        if opd.parent_id is not None:
            abort(404)
        return render("evaluation/curve.html", "evaluation/_curve.html",
                      **_curve_context(opd, year, kind, number))
    if not _by_admin_scope():
        headed = _headed_opd("Kurva distribusi dilihat oleh pimpinan OPD dan admin.")
        return redirect(url_for("evaluation.curve", unit=headed.id, tahun=year,
                                periode=rules.period_param(kind, number)))
    scope = admin_scope_unit(current_user)
    if scope is not None:
        scope = scope.opd()
        if not unit_in_scope(current_user, scope):
            # An admin of a sub-unit has no OPD curve to see, only their units' recap.
            return redirect(url_for("evaluation.recap_index"))
    return render_template("evaluation/curve_index.html", year=year, rules=rules,
                           rows=store.opd_overview(year, kind, number, scope),
                           period=rules.period_param(kind, number),
                           period_choices=periods.period_choices(year))


@bp.post("/kurva/<int:unit_id>/predikat")
@login_required
def org_predikat(unit_id):
    """The organisation predikat of an OPD, set by the admin BKPSDM for the regency."""
    refusal = rules.org_predikat_denial(current_user)
    if refusal:
        deny(refusal)
    opd = Unit.get_or_none((Unit.id == unit_id) & Unit.parent.is_null())
    if opd is None:
        abort(404)
    year = periods.chosen_year(request.form.get("tahun"), today())
    kind, number = periods.chosen_period(request.form.get("periode"), year, today())
    form = OrgPredikatForm()
    if not form.validate_on_submit():
        return render("evaluation/curve.html", "evaluation/_curve.html", status=422,
                      **_curve_context(opd, year, kind, number, form=form))
    store.set_org_predikat(current_user, opd, year, form.predikat.data, form.note.data or "")
    message = f"Predikat organisasi {opd.name} {year}: {rules.ORG_PREDIKATS[form.predikat.data]}."
    return respond("evaluation/curve.html", "evaluation/_curve.html",
                   redirect=url_for("evaluation.curve", unit=opd.id, tahun=year,
                                    periode=rules.period_param(kind, number)),
                   message=message, trigger={"curve-changed": True},
                   context=lambda: _curve_context(opd, year, kind, number, done=message))


@bp.get("/rekap")
@login_required
def recap_index():
    """Where the recap of a unit is chosen (units the user may see)."""
    year = periods.chosen_year(request.args.get("tahun"), today())
    if _by_admin_scope():
        scope = admin_scope_unit(current_user)
    else:
        scope = _headed_opd("Rekap evaluasi unit dilihat oleh pimpinan OPD dan admin.")
    return render_template("evaluation/recap_index.html", units=store.report_units(scope),
                           year=year, period_choices=periods.period_choices(year),
                           regency=_by_admin_scope() and scope is None,
                           selected=rules.period_param(rules.ANNUAL, 1))


@bp.get("/rekap.xlsx")
@login_required
def recap():
    """The evaluations of a unit (and its sub-units) for a period, one row per employee."""
    unit = load_unit(int_arg("unit"))
    year = periods.chosen_year(request.args.get("tahun"), today())
    period = periods.period_or_annual(year, *periods.chosen_period(request.args.get("periode"),
                                                                    year, today()))
    data = xlsx_bytes({f"Evaluasi {period.label}": (store.RECAP_HEADERS,
                                                     store.recap_sheet(unit, period))})
    filename = f"rekap-evaluasi-{unit.code.lower()}-{period.label.lower().replace(' ', '-')}.xlsx"
    return Response(data, mimetype=XLSX_MIME, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.post("/rekap/kabupaten")
@login_required
def regency_recap():
    """The recap of every OPD: made by the worker, followed on its progress page."""
    if not _by_admin_scope() or admin_scope_unit(current_user) is not None:
        deny("Rekap seluruh kabupaten dibuat oleh admin BKPSDM.")
    year = periods.chosen_year(request.form.get("tahun"), today())
    period = periods.period_or_annual(year, *periods.chosen_period(request.form.get("periode"),
                                                                    year, today()))
    job = exports.start(current_user, "regency_recap",
                        {"year": year, "kind": period.kind, "number": period.number,
                         "owner": current_user.id},
                        f"Rekap evaluasi seluruh kabupaten, {period.label}")
    queue_export(job.id)
    return respond(None, redirect=url_for("exports.show", job_id=job.id))
