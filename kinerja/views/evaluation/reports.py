"""The documents and the unit views: Dokumen Evaluasi Kinerja Pegawai (PDF), the distribution
curve of an OPD against the caps of its organisation predikat, and the XLSX recap."""
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from . import bp, deny, evaluation_or_404, int_arg, me, period_arg, period_param, today
from .rating import period_of, rating_panel_context
from ... import evaluations as store
from ...forms.evaluation import OrgPredikatForm
from ...htmx import is_htmx, render
from ...models import Employee, Setting, Unit
from ...pdf import pdf_response, render_pdf
from ...rules import evaluation as rules
from ...rules.org import tree_order
from ...security import scoped_units, unit_in_scope
from ...spreadsheets import XLSX_MIME, xlsx_bytes


@bp.get("/evaluasi/<int:evaluation_id>/dokumen.pdf")
@login_required
def document(evaluation_id):
    evaluation, _ = evaluation_or_404(evaluation_id)
    if evaluation.status not in store.VISIBLE_STATES:
        deny("Dokumen evaluasi tersedia setelah evaluasi ditetapkan.", 409)
    context = rating_panel_context(evaluation)
    ids = [i for i in (evaluation.employee_id, evaluation.appraiser_id, evaluation.superior_id) if i]
    people = {e.id: e for e in Employee.with_org().where(Employee.id.in_(ids))}
    data = render_pdf("evaluation/document_pdf.html", people=people,
                      objection=context["detail"].objection, place=_place(), **context)
    period = period_of(evaluation)
    name = f"evaluasi-{evaluation.employee.nip}-{period.label.lower().replace(' ', '-')}.pdf"
    return pdf_response(data, name)


def _place() -> str:
    name = current_app.config["REGENCY_NAME"]
    for prefix in ("Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


# --- Who may see which OPD's curve and recap ----------------------------------------------------

def _may_see_unit(unit) -> bool:
    if current_user.role in ("admin", "admin_opd"):
        return unit_in_scope(current_user, unit)
    headed = store.opd_headed_by(me())
    return headed is not None and unit.path.startswith(headed.path)


def _unit_or_404(unit_id):
    unit = Unit.get_or_none(Unit.id == unit_id) if unit_id else None
    if unit is None or not _may_see_unit(unit):
        abort(404)
    return unit


def _caps():
    return rules.caps_from_json(Setting.get_value(rules.CAPS_SETTING))


def _period_choices(year: int):
    cadence, _ = store.year_settings(year)
    return [(period_param(p.kind, p.number), p.label)
            for p in rules.periods(year, cadence) + [rules.annual_period(year)]]


def _curve_context(opd, year, kind, number, form=None, done=None):
    org = store.org_predikat(opd.id, year)
    counts = store.distribution(opd, year, kind, number)
    total = sum(counts.values())
    caps = _caps()
    return {
        "opd": opd, "year": year, "kind": kind, "number": number, "org": org, "counts": counts,
        "total": total, "rules": rules, "done": done,
        "shares": {k: (v * 100 / total if total else 0) for k, v in counts.items()},
        "warnings": rules.curve_warnings(counts, org.predikat if org else None, caps),
        "cap_lines": rules.describe_caps(caps.get(org.predikat, ())) if org else [],
        "form": form or OrgPredikatForm(formdata=None, data={
            "predikat": org.predikat if org else "", "note": org.note if org else ""}),
        "can_set": current_user.role == "admin",
        "period": period_param(kind, number), "period_choices": _period_choices(year),
        "head": store.head_of(opd),
    }


@bp.get("/kurva")
@login_required
def curve():
    """The distribution of employee predikat of an OPD against the caps; without ?unit= the
    list of OPDs the user may see."""
    year = store.chosen_year(request.args.get("tahun"), today())
    kind, number = period_arg(request.args.get("periode"), year)
    unit_id = int_arg("unit")
    if unit_id is None:
        if current_user.role not in ("admin", "admin_opd"):
            headed = store.opd_headed_by(me())
            if headed is None:
                deny("Kurva distribusi dilihat oleh pimpinan OPD dan admin.")
            return redirect(url_for("evaluation.curve", unit=headed.id, tahun=year,
                                    periode=period_param(kind, number)))
        scope = None
        if current_user.role == "admin_opd":
            scope_unit = Unit.get_or_none(Unit.id == current_user.scope_unit_id)
            if scope_unit is None:
                abort(403)
            scope = Unit.get_by_id(scope_unit.opd().id)
            if not unit_in_scope(current_user, scope):
                return redirect(url_for("evaluation.recap_index"))
        caps = _caps()
        rows = [(opd, org, counts, rules.curve_warnings(counts, org.predikat if org else None, caps))
                for opd, org, counts in store.opd_overview(year, kind, number, scope)]
        return render_template("evaluation/curve_index.html", rows=rows, year=year, rules=rules,
                               period=period_param(kind, number),
                               period_choices=_period_choices(year))
    opd = _unit_or_404(unit_id)
    if opd.parent_id is not None:
        abort(404)
    return render("evaluation/curve.html", "evaluation/_curve.html",
                  **_curve_context(opd, year, kind, number))


@bp.post("/kurva/<int:unit_id>/predikat")
@login_required
def org_predikat(unit_id):
    """The organisation predikat of an OPD, set by the admin BKPSDM for the regency."""
    if current_user.role != "admin":
        deny("Predikat organisasi ditetapkan oleh admin BKPSDM atas nama kepala daerah.")
    opd = Unit.get_or_none((Unit.id == unit_id) & Unit.parent.is_null())
    if opd is None:
        abort(404)
    year = store.chosen_year(request.form.get("tahun"), today())
    kind, number = period_arg(request.form.get("periode"), year)
    form = OrgPredikatForm()
    if not form.validate_on_submit():
        return render("evaluation/curve.html", "evaluation/_curve.html", status=422,
                      **_curve_context(opd, year, kind, number, form=form))
    store.set_org_predikat(current_user, opd, year, form.predikat.data, form.note.data or "")
    message = f"Predikat organisasi {opd.name} {year}: {rules.ORG_PREDIKATS[form.predikat.data]}."
    if not is_htmx():
        flash(message, "success")
        return redirect(url_for("evaluation.curve", unit=opd.id, tahun=year,
                                periode=period_param(kind, number)))
    return render("evaluation/curve.html", "evaluation/_curve.html", trigger={"curve-changed": True},
                  **_curve_context(opd, year, kind, number, done=message))


RECAP_HEADERS = ["NIP", "Nama", "Jabatan", "Unit kerja", "Periode", "Status",
                 "Rating Hasil Kerja", "Rating Perilaku Kerja", "Predikat", "Tanggal ditetapkan",
                 "Keberatan"]


@bp.get("/rekap")
@login_required
def recap_index():
    """Where the recap of a unit is chosen (units the user may see)."""
    year = store.chosen_year(request.args.get("tahun"), today())
    if current_user.role in ("admin", "admin_opd"):
        units = scoped_units(current_user)
    else:
        headed = store.opd_headed_by(me())
        if headed is None:
            deny("Rekap evaluasi unit dilihat oleh pimpinan OPD dan admin.")
        units = Unit.select().where(Unit.within(headed))
    units = tree_order(list(units.where(Unit.active)))
    return render_template("evaluation/recap_index.html", units=units, year=year,
                           period_choices=_period_choices(year))


@bp.get("/rekap.xlsx")
@login_required
def recap():
    """The evaluations of a unit (and its sub-units) for a period, one row per employee."""
    unit = _unit_or_404(int_arg("unit"))
    year = store.chosen_year(request.args.get("tahun"), today())
    kind, number = period_arg(request.args.get("periode"), year)
    cadence, _ = store.year_settings(year)
    period = rules.find_period(year, cadence, kind, number) or rules.annual_period(year)
    rows = []
    for nip, name, position, unit_name, status, result, behaviour, predikat, approved_at in \
            store.recap_rows(unit, year, period.kind, period.number):
        shown = status in store.VISIBLE_STATES
        rows.append([
            nip, name, position, unit_name, period.label,
            rules.STATES.get(status, status) if status else "Belum diisi",
            rules.rating_label(result) if shown else "",
            rules.rating_label(behaviour) if shown else "",
            rules.predikat_label(predikat) if shown else "",
            approved_at.date() if shown and approved_at else None,
            {"objected": "Menunggu keputusan", "decided": "Diputuskan"}.get(status, ""),
        ])
    data = xlsx_bytes({f"Evaluasi {period.label}": (RECAP_HEADERS, rows)})
    filename = f"rekap-evaluasi-{unit.code.lower()}-{period.label.lower().replace(' ', '-')}.xlsx"
    return Response(data, mimetype=XLSX_MIME, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
