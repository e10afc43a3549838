"""Service turnaround: the unit's service standard, the import of its service log, and the
turnaround per kind, unit and handler; a handler's own figures."""
import datetime
from functools import partial

from flask import Blueprint, Response, redirect, url_for
from flask_login import current_user

from ..forms.turnaround import (
    AcceptProposalForm, ServiceLogConfirmForm, ServiceLogUploadForm, StandardForm,
)
from ..htmx import is_htmx, render, respond
from ..models import Rhk, Unit
from ..rules import DomainError
from ..rules import turnaround as rules
from ..spreadsheets import XLSX_MIME, xlsx_bytes
from ..stores.evaluation import access
from ..stores.turnaround import figures, imports, proposals, standards
from .dry_run import DryRunImport
from .skp import load_for
from .toolkit import ADMINS, deny, int_arg, me, refused, require_login, today

bp = Blueprint("turnaround", __name__, url_prefix="/waktu-layanan")
require_login(bp)


@bp.context_processor
def _this_year():
    return {"this_year": today().year}


def _year() -> int:
    year = int_arg("tahun", today().year)
    return year if 2000 <= year <= today().year else today().year


def _period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today())


def _scope_path() -> str | None:
    if current_user.role == "admin_opd" and current_user.scope_unit_id:
        scope = Unit.get_or_none(Unit.id == current_user.scope_unit_id)
        return scope.path if scope else None
    return None


def _headed_path() -> str | None:
    opd = access.opd_headed_by(me())
    return opd.path if opd else None


def _viewer_paths() -> tuple[str | None, str | None]:
    return _scope_path(), _headed_path()


def _unit(unit_id: int, manage: bool = False) -> Unit:
    """The unit when the user may see it (and manage it, with `manage`); 404 or 403."""
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        deny("Unit tidak ditemukan.", 404)
    scope_path, headed_path = _viewer_paths()
    if not rules.viewer_may_see(current_user.role, unit.path, scope_path, headed_path):
        if current_user.role == "admin_opd":
            deny("Unit tidak ditemukan.", 404)
        deny("Waktu layanan unit ini hanya untuk admin OPD-nya, kepala OPD-nya, dan BKPSDM.")
    if manage and not rules.viewer_may_manage(current_user.role, unit.path, scope_path):
        deny("Standar pelayanan dan impor log layanan diatur oleh admin OPD unit ini "
             "atau BKPSDM.")
    return unit


@bp.get("/")
def index():
    """The units in the user's sight that publish a service standard."""
    scope_path, headed_path = _viewer_paths()
    if current_user.role not in ADMINS and headed_path is None:
        return redirect(url_for("turnaround.mine"))
    path = None if current_user.role == "admin" else (scope_path or headed_path)
    choices = []
    if current_user.role in ADMINS:
        query = Unit.select().where(Unit.active).order_by(Unit.path)
        if path is not None:
            query = query.where(Unit.path.startswith(path))
        choices = list(query.limit(500))
    return render("turnaround/index.html", units=figures.units_with_standards(path),
                  choices=choices, manages=current_user.role in ADMINS)


@bp.get("/pilih")
def choose():
    """The unit picked from the list on the index (a GET form, so it works without htmx)."""
    unit = _unit(int_arg("unit", 0) or 0, manage=True)
    return redirect(url_for("turnaround.unit", unit_id=unit.id))


@bp.get("/saya")
def mine():
    """The documents this employee finished, against the standard."""
    employee = me()
    if employee is None:
        deny("Halaman ini untuk akun pegawai.")
    year = _year()
    start, end = _period(year)
    return render("turnaround/mine.html", employee=employee, year=year,
                  figures=figures.handler_figures(employee.id, start, end))


def _unit_context(unit) -> dict:
    year = _year()
    start, end = _period(year)
    scope_path = _scope_path()
    return {"year": year, "figures": figures.unit_figures(unit.id, start, end),
            "standards": standards.standards_of(unit.id),
            "manages": rules.viewer_may_manage(current_user.role, unit.path, scope_path),
            "form": StandardForm(formdata=None)}


@bp.get("/unit/<int:unit_id>")
def unit(unit_id):
    unit = _unit(unit_id)
    return render("turnaround/unit.html", unit=unit, **_unit_context(unit))


@bp.post("/unit/<int:unit_id>/standar")
def save_standard(unit_id):
    unit = _unit(unit_id, manage=True)
    form = StandardForm()
    if form.validate_on_submit():
        try:
            standard = standards.save_standard(current_user, unit, form.kind.data,
                                               form.sop_days.data)
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, "turnaround/_standards.html",
                           redirect=url_for("turnaround.unit", unit_id=unit.id),
                           message=f"Standar {standard.kind} disimpan: {standard.sop_days} "
                                   "hari kerja.",
                           unit=unit, form=StandardForm(formdata=None), manages=True,
                           standards=standards.standards_of(unit.id))
    context = _unit_context(unit)
    context["form"] = form
    template = "turnaround/_standards.html" if is_htmx() else "turnaround/unit.html"
    return render(template, status=422, unit=unit, **context)


# --- Import ----------------------------------------------------------------------------------

def _import_page(unit, form=None, plan=None, confirm=None, filename="", status=200, notice=None):
    return respond("turnaround/import.html", "turnaround/_import_work.html", status=status,
                   unit=unit, form=form or ServiceLogUploadForm(formdata=None), plan=plan,
                   confirm=confirm, filename=filename, notice=notice, columns=imports.COLUMNS,
                   standards=standards.standards_of(unit.id))


FLOW = DryRunImport(ServiceLogUploadForm, ServiceLogConfirmForm, imports.uploads)


@bp.get("/unit/<int:unit_id>/impor")
def import_page(unit_id):
    return _import_page(_unit(unit_id, manage=True))


@bp.post("/unit/<int:unit_id>/impor/pratinjau")
def import_preview(unit_id):
    unit = _unit(unit_id, manage=True)
    return FLOW.preview(partial(_import_page, unit),
                        lambda sheet: imports.plan_import(*sheet, unit, today()),
                        ready=lambda plan: plan.rows and not plan.bad)


@bp.post("/unit/<int:unit_id>/impor/simpan")
def import_confirm(unit_id):
    unit = _unit(unit_id, manage=True)
    return FLOW.confirm(
        partial(_import_page, unit),
        lambda sheet, filename: imports.confirm_import(current_user, *sheet, unit, today(), filename),
        lambda plan, written: f"Impor selesai: {written} catatan layanan disimpan.",
        back=url_for("turnaround.import_page", unit_id=unit.id),
        after=url_for("turnaround.unit", unit_id=unit.id))


@bp.get("/unit/<int:unit_id>/impor/templat.xlsx")
def import_template(unit_id):
    unit = _unit(unit_id, manage=True)
    headers, rows = imports.template_sheet(s.kind for s in standards.standards_of(unit.id))
    return Response(xlsx_bytes({"Log layanan": (headers, rows)}), mimetype=XLSX_MIME, headers={
        "Content-Disposition": 'attachment; filename="templat-log-layanan.xlsx"'})


# --- Indicators proposed for the SKP ------------------------------------------------------------

def _own_plan(skp_id: int):
    """The plan when its owner may edit it now; proposals are the owner's to take."""
    skp, _ = load_for(skp_id, "edit")
    if skp.employee_id != current_user.employee_id:
        deny("Usulan indikator hanya untuk pemilik SKP.")
    return skp


def _proposal_context(skp, forms=None) -> dict:
    headed, found = proposals.proposals_for(skp, today())
    rhks = list(Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.kind.desc(), Rhk.order))
    forms = forms or {}
    for p in found:
        forms.setdefault(p.key, AcceptProposalForm(formdata=None, rhks=rhks, prefix=p.key,
                                                   data={"key": p.key}))
    return {"skp": skp, "headed": headed, "proposals": found, "forms": forms, "rhks": rhks,
            "adopted": proposals.adopted_texts(skp)}


@bp.get("/skp/<int:skp_id>/usulan-indikator")
def proposals_page(skp_id):
    return render("turnaround/proposals.html", **_proposal_context(_own_plan(skp_id)))


@bp.post("/skp/<int:skp_id>/usulan-indikator/<key>")
def accept_proposal(skp_id, key):
    skp = _own_plan(skp_id)
    rhks = list(Rhk.select().where(Rhk.skp == skp.id))
    form = AcceptProposalForm(rhks=rhks, prefix=key[:40])
    if form.validate_on_submit() and form.key.data == key:
        try:
            indicator = proposals.accept(skp.id, form.rhk.data, key, current_user, today())
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, "turnaround/_proposals.html",
                           redirect=url_for("turnaround.proposals_page", skp_id=skp.id),
                           message=f"Indikator “{indicator.text}” ditambahkan ke RHK.",
                           context=lambda: _proposal_context(skp))
    return render("turnaround/proposals.html", "turnaround/_proposals.html", status=422,
                  **_proposal_context(skp, {key: form}))
