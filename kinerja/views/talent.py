"""Potential scores, the nine-box talent map, and angka kredit of functional staff
(domain/followup.md §6–7).

The map: BKPSDM sees the regency (and each OPD), the head of an OPD their OPD's people, a
pegawai their own box when the regency switched it on (rules.talent.map_view). Potential
scores are BKPSDM's alone. Angka kredit: the employee sees theirs, the Pejabat Penilai
their team's, an admin those within their scope."""
import os

from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_login import current_user

from ..forms.talent import ConfirmForm, PotentialForm, UploadForm, VisibilityForm
from ..htmx import respond
from ..jobs import queue_export
from ..models import Unit
from ..paging import Page, page_number
from ..rules import DomainError
from ..rules import credits as credit_rules
from ..rules import talent as rules
from ..rules.evaluation import ADMIN, APPRAISER, OWNER, predikat_label
from ..security import admin_scope_unit, role_required
from ..spreadsheets import XLSX_MIME, SpreadsheetError, read_rows, xlsx_bytes
from ..stores import exports
from ..stores.evaluation import access
from ..stores.talent import credits, placement, potential, settings, uploads
from ..stores.talent import export as talent_export
from .toolkit import deny, int_arg, me, refused, require_login, today

bp = Blueprint("talent", __name__, url_prefix="/talenta")
require_login(bp)

UNPLACED_SHOWN = 100
# A box of the regency can hold thousands; the page lists this many, the XLSX all of them.
BOX_SHOWN = 200


# --- Who sees which map -----------------------------------------------------------------

def _viewer() -> tuple[str, Unit | None]:
    """(what the user sees, the OPD for a head of OPD); 403 with the reason otherwise."""
    headed = access.opd_headed_by(me()) if current_user.role != "admin" else None
    view, reason = rules.map_view(current_user.role, headed is not None,
                                  settings.own_box_visible())
    if view is None:
        deny(reason)
    return view, headed


def _scope(view: str, headed: Unit | None) -> Unit | None:
    """The OPD the map covers: the head's own; for BKPSDM the OPD asked for (?opd=) or the
    regency (None). An unknown or non-OPD id is 404."""
    if view == rules.OPD:
        return headed
    opd_id = int_arg("opd")
    if opd_id is None:
        return None
    unit = Unit.get_or_none((Unit.id == opd_id) & Unit.parent.is_null())
    if unit is None:
        abort(404)
    return unit


def _year(asked: int | None = None) -> int:
    fallback = placement.default_year(today())
    year = asked if asked is not None else int_arg("tahun", fallback)
    return year if 2000 <= year <= today().year else fallback


def _map_context(view, opd, year) -> dict:
    exclude = me().id if view == rules.OPD and me() else None
    own = me().id if view == rules.OWN and me() else None
    if view == rules.OWN and own is None:
        deny("Akun ini tidak terhubung dengan data pegawai.")
    talent = placement.talent_map(year, opd, exclude_id=exclude, employee_id=own)
    listed = talent.people if view == rules.OWN else talent.unplaced(UNPLACED_SHOWN)
    opds = list(Unit.opds()) if view == rules.REGENCY else []
    return {"view": view, "opd": opd, "year": year, "talent": talent,
            "listed": placement.describe(listed, year), "unplaced_shown": UNPLACED_SHOWN,
            "labels": settings.box_labels(), "rules": rules,
            "opds": opds, "opd_names": {u.id: u.name for u in opds},
            "visibility": VisibilityForm(formdata=None,
                                         data={"own_box_visible": settings.own_box_visible()})
            if view == rules.REGENCY else None}


@bp.get("/")
def index():
    view, headed = _viewer()
    opd, year = _scope(view, headed), _year()
    return respond("talent/index.html", context=lambda: _map_context(view, opd, year))


@bp.get("/kotak/<int:box>")
def box(box: int):
    """The names behind one box, in place of the list beside the grid (or as a page)."""
    view, headed = _viewer()
    if view == rules.OWN or box not in rules.PLACE_OF_BOX:
        abort(404)
    opd, year = _scope(view, headed), _year()
    exclude = me().id if view == rules.OPD and me() else None
    people, total = placement.box_people(year, box, opd, exclude_id=exclude, limit=BOX_SHOWN)
    return respond("talent/box.html", "talent/_box.html", box=box, opd=opd, year=year,
                   people=placement.describe(people, year), total=total, view=view,
                   labels=settings.box_labels(), rules=rules)


@bp.get("/ekspor.xlsx")
def export():
    """The map for the talent committee (Baperjakat): the placed, then those not placed.
    Made here for one OPD; the page asks the worker for the regency's (`export_job`)."""
    view, headed = _viewer()
    if view == rules.OWN:
        deny("Ekspor peta talenta hanya untuk BKPSDM dan kepala OPD.")
    opd, year = _scope(view, headed), _year()
    if opd is None:
        # Ten thousand rows take seconds: the regency's file is the worker's (`export_job`).
        return respond(None, redirect=url_for("talent.index", tahun=year), category="warning",
                       message="XLSX seluruh kabupaten dibuat di latar belakang: tekan "
                               "\u201cBuat XLSX seluruh kabupaten (Baperjakat)\u201d.")
    exclude = me().id if view == rules.OPD and me() else None
    body, name = talent_export.workbook(year, opd, exclude_id=exclude)
    return Response(body, mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/ekspor")
def export_job():
    """The regency's map for Baperjakat, made by the worker and followed on its page."""
    view, headed = _viewer()
    if view != rules.REGENCY:
        deny("Ekspor peta talenta seluruh kabupaten dibuat oleh BKPSDM.")
    year = _year(int_arg("tahun", source=request.form))
    job = exports.start(current_user, talent_export.KIND,
                        talent_export.params(current_user, year, None),
                        talent_export.title(year, None))
    queue_export(job.id)
    return respond(None, redirect=url_for("exports.show", job_id=job.id))


@bp.post("/pengaturan")
@role_required("admin")
def visibility():
    form = VisibilityForm()
    if not form.validate_on_submit():
        abort(400)
    settings.set_own_box_visible(current_user, form.own_box_visible.data)
    return respond(None, redirect=url_for("talent.index"),
                   message="Pengaturan peta talenta disimpan.")


# --- Potential scores (BKPSDM) ---------------------------------------------------------

def _potential_page(form=None, upload=None, plan=None, confirm=None, filename=None,
                    status=200):
    return respond("talent/potential.html", "talent/_import.html", status=status,
                   context=lambda: {"recent": potential.recent()},
                   form=form or PotentialForm(formdata=None),
                   upload=upload or UploadForm(formdata=None), plan=plan, confirm=confirm,
                   filename=filename)


@bp.get("/potensi")
@role_required("admin")
def potential_index():
    return _potential_page()


@bp.post("/potensi")
@role_required("admin")
def potential_enter():
    form = PotentialForm()
    if form.validate_on_submit():
        try:
            assessment = potential.enter(current_user, form.nip.data.strip(), form.level.data,
                                         form.score.data, form.source.data,
                                         form.assessed_on.data, today())
        except DomainError as error:
            refused(error, form)
        else:
            return respond(None, redirect=url_for("talent.potential_index"),
                           message=f"Potensial {assessment.level_label.lower()} disimpan.")
    return _potential_page(form=form, status=422)


def _upload_dir():
    return current_app.config["UPLOAD_DIR"]


@bp.post("/potensi/pratinjau")
@role_required("admin")
def potential_preview():
    form = UploadForm()
    if not form.validate_on_submit():
        return _potential_page(upload=form, status=422)
    filename = os.path.basename(form.file.data.filename or "berkas")[:120]
    try:
        headers, rows = read_rows(filename, form.content, max_rows=20000)
    except SpreadsheetError as exc:
        form.file.errors.append(str(exc))
        return _potential_page(upload=form, status=422)
    plan = potential.plan_import(headers, rows, today())
    confirm = None
    if plan.ready:
        token = uploads.keep(_upload_dir(), current_user.id, filename, form.content)
        confirm = ConfirmForm(formdata=None, data={"token": token, "digest": plan.digest})
    return _potential_page(plan=plan, confirm=confirm, filename=filename,
                           status=200 if plan.ready else 422)


@bp.post("/potensi/simpan")
@role_required("admin")
def potential_confirm():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    path = uploads.kept(_upload_dir(), current_user.id, form.token.data)
    if path is None:
        return respond(None, redirect=url_for("talent.potential_index"), category="warning",
                       message="Berkas pratinjau tidak ditemukan lagi (sudah disimpan atau "
                               "kedaluwarsa). Unggah ulang berkasnya.")
    try:
        headers, rows = read_rows(path.name, path.read_bytes(), max_rows=20000)
        plan = potential.confirm_import(current_user, headers, rows, today(), form.digest.data,
                                        path.name)
    except (SpreadsheetError, DomainError) as error:
        uploads.discard(path)
        return respond(None, redirect=url_for("talent.potential_index"), category="warning",
                       message=getattr(error, "message", str(error)) + " Unggah ulang berkasnya.")
    uploads.discard(path)
    return respond(None, redirect=url_for("talent.index"),
                   message=f"Impor potensial selesai: {len(plan.good)} pegawai.")


@bp.get("/potensi/templat.xlsx")
@role_required("admin")
def potential_template():
    headers, rows = potential.template_rows()
    return Response(xlsx_bytes({"Potensial": (headers, rows)}), mimetype=XLSX_MIME,
                    headers={"Content-Disposition":
                             'attachment; filename="templat-impor-potensial.xlsx"'})


# --- Angka kredit ----------------------------------------------------------------------

@bp.get("/angka-kredit")
def credits_index():
    """Mine (when I hold a functional position), my team's (as Pejabat Penilai), and for
    an admin the functional staff of their scope, a page at a time."""
    employee = me()
    mine = None
    if employee is not None:
        own = credits.employee_with_org(employee.id)
        if own is not None and own.position_id and own.position.kind == credits.FUNCTIONAL:
            mine = credits.credits_for([own])[0]
    team = credits.credits_for(credits.team_of(employee)) if employee is not None else []
    listing = None
    if current_user.role in ("admin", "admin_opd"):
        page = Page(credits.in_unit(admin_scope_unit(current_user)), page_number(int_arg("page")),
                    per_page=25)
        listing = (page, credits.credits_for(page.items))
    return respond("talent/credits.html", mine=mine, team=team, listing=listing,
                   month_label=credit_rules.month_label)


def load_credit_employee(employee_id: int):
    """A functional employee whose angka kredit the user may see: themselves, their Pejabat
    Penilai, an admin whose scope holds them; 404 for anyone else."""
    employee = credits.employee_with_org(employee_id)
    if employee is None:
        abort(404)
    if not access.relation(current_user, employee) & {OWNER, APPRAISER, ADMIN}:
        abort(404)
    if not (employee.position_id and employee.position.kind == credits.FUNCTIONAL):
        deny("Pegawai ini tidak menduduki jabatan fungsional; angka kredit tidak berlaku.", 404)
    return employee


@bp.get("/angka-kredit/pegawai/<int:employee_id>")
def credits_for(employee_id: int):
    employee = load_credit_employee(employee_id)
    return respond("talent/credit.html", credit=credits.credits_for([employee])[0],
                   month_label=credit_rules.month_label, predikat_label=predikat_label)

