"""Development plans, training records and the 20 JP a year: the employee's own page, the
Pejabat Penilai's team, the OPD/regency recap with its export, and the import of records."""

from flask import Blueprint, Response, current_app, request, url_for
from flask_login import current_user

from ..charts import share_chart
from ..forms.training import (
    DevelopmentPlanForm, TrainingConfirmForm, TrainingRecordForm, TrainingUploadForm,
)
from ..htmx import render, respond
from ..models import Employee, Skp, TrainingRecord, Unit
from ..rules import DomainError
from ..rules import evaluation as evaluation_rules
from ..rules import training as rules
from ..rules.evidence import clean_filename
from ..security import admin_scope_unit
from ..spreadsheets import XLSX_MIME, xlsx_bytes
from ..stores.evaluation import access
from ..stores.training import imports, plans, records, summary
from .dry_run import DryRunImport
from .toolkit import ADMINS, deny, int_arg, me, private_file, refused, require_login, today

bp = Blueprint("training", __name__, url_prefix="/pengembangan")
require_login(bp)


@bp.context_processor
def _this_year():
    return {"this_year": today().year}

RECAP_PER_PAGE = 50
EXPORT_HEADERS = ["NIP", "Nama", "Jabatan", "Unit kerja", "OPD", "JP", "Kekurangan JP"]


def _year() -> int:
    """?tahun=…, kept to a sane range; this year otherwise."""
    year = int_arg("tahun", today().year)
    return year if 2000 <= year <= today().year + 1 else today().year


def _employee_or_deny():
    employee = me()
    if employee is None:
        deny("Halaman ini untuk akun pegawai; akun sistem tidak memiliki catatan pelatihan.")
    return employee


def _upload(form):
    """(name shown, extension, mime, bytes) of an acceptable certificate, None when none was
    sent; a refused file is put beside its field. At most the limit plus one byte is read."""
    file = request.files.get("certificate")
    if not file or not file.filename:
        return None
    limit = current_app.config.get("EVIDENCE_MAX_BYTES", rules.CERTIFICATE_MAX_BYTES)
    data = file.read(limit + 1)
    try:
        ext, mime = rules.check_certificate(file.filename, data, limit)
    except DomainError as exc:
        form.certificate.errors = [exc.message]
        return None
    return clean_filename(file.filename), ext, mime, data


# --- The employee's own page -------------------------------------------------------------

def _summary_context(employee, year: int) -> dict:
    total = summary.year_total(employee.id, year)
    return {"employee": employee, "year": year, "total": total, "rules": rules,
            "records": records.records_of(employee.id, year), "owner_view": True}


def _plan_form(employee, year, formdata=None):
    plan = plans.plan_of(employee.id, year)
    return DevelopmentPlanForm(formdata=formdata, obj=plan), plan


@bp.get("/")
def index():
    """Pengembangan Saya: JP of the year against 20, the records, the development plan."""
    employee = me()
    year = _year()
    if employee is None:
        return render("training/index.html", year=year, rules=rules,
                      is_admin=current_user.role in ADMINS)
    plan_form, plan = _plan_form(employee, year)
    return render("training/index.html", **_summary_context(employee, year),
                  is_admin=current_user.role in ADMINS, form=TrainingRecordForm(formdata=None),
                  plan_form=plan_form, plan=plan)


@bp.get("/ringkasan")
def summary_part():
    """The JP total and the records alone, refreshed in place after a change."""
    employee = _employee_or_deny()
    return render("training/_summary.html", "training/_summary.html",
                  **_summary_context(employee, _year()))


@bp.post("/pelatihan")
def add():
    employee = _employee_or_deny()
    year = _year()
    form = TrainingRecordForm(today=today())
    valid = form.validate_on_submit()
    upload = _upload(form)
    if valid and not form.certificate.errors:
        try:
            record = records.add_record(current_user, employee, form.values(), today(), upload,
                                        current_app.config["UPLOAD_DIR"])
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond("training/index.html", "training/_record_form.html",
                           redirect=url_for("training.index", tahun=record.year),
                           message=f"Pelatihan dicatat: {record.hours} JP.",
                           trigger={"training-changed": True},
                           context=lambda: {"form": TrainingRecordForm(formdata=None),
                                            "year": year, "saved": record})
    plan_form, plan = _plan_form(employee, year)
    return respond("training/index.html", "training/_record_form.html", status=422,
                   form=form, plan_form=plan_form, plan=plan,
                   is_admin=current_user.role in ADMINS, **_summary_context(employee, year))


def _own_record(record_id, employee):
    record = TrainingRecord.get_or_none(TrainingRecord.id == record_id)
    if record is None or record.employee_id != employee.id:
        deny(records.GONE, 404)
    if not rules.editable_by_owner(record.source):
        deny(records.NOT_YOURS)
    return record


@bp.route("/pelatihan/<int:record_id>/ubah", methods=["GET", "POST"])
def edit(record_id):
    employee = _employee_or_deny()
    record = _own_record(record_id, employee)
    if request.method == "GET":
        return render("training/edit.html", form=TrainingRecordForm(obj=record), record=record)
    form = TrainingRecordForm(today=today())
    valid = form.validate_on_submit()
    upload = _upload(form)
    if valid and not form.certificate.errors:
        try:
            record = records.update_record(current_user, employee, record.id, form.values(),
                                           today(), upload, current_app.config["UPLOAD_DIR"])
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, redirect=url_for("training.index", tahun=record.year),
                           message="Catatan pelatihan diubah.")
    return render("training/edit.html", status=422, form=form, record=record)


@bp.post("/pelatihan/<int:record_id>/hapus")
def delete(record_id):
    employee = _employee_or_deny()
    record = _own_record(record_id, employee)
    try:
        records.delete_record(current_user, employee, record.id, current_app.config["UPLOAD_DIR"])
    except DomainError as exc:
        refused(exc)
    return respond("training/index.html", "training/_summary.html",
                   redirect=url_for("training.index", tahun=record.year),
                   message="Catatan pelatihan dihapus.",
                   context=lambda: _summary_context(employee, record.year))


@bp.post("/rencana")
def plan():
    """The development plan (IDP) of the year, saved in place."""
    employee = _employee_or_deny()
    year = _year()
    form = DevelopmentPlanForm()
    if form.validate_on_submit():
        saved = plans.save_plan(current_user, employee, year, form.gap.data, form.planned.data,
                                form.priority.data)
        return respond("training/index.html", "training/_plan_form.html",
                       redirect=url_for("training.index", tahun=year),
                       message="Rencana pengembangan disimpan.",
                       context=lambda: {"plan_form": form, "plan": saved, "year": year,
                                        "rules": rules, "plan_saved": True})
    _, saved = _plan_form(employee, year)
    return respond("training/index.html", "training/_plan_form.html", status=422,
                   plan_form=form, plan=saved, form=TrainingRecordForm(formdata=None),
                   is_admin=current_user.role in ADMINS, **_summary_context(employee, year))


# --- Looking at someone's records ------------------------------------------------------------

def _relation(employee, year) -> set[str]:
    return access.relation(current_user, employee, Skp.latest_for(employee.id, year))


@bp.get("/sertifikat/<int:record_id>")
def certificate(record_id):
    """A certificate, only for the employee, their Pejabat Penilai and Atasan, and admins
    whose scope holds the employee; 404 for everyone else."""
    record = records.record_with_employee(record_id)
    if record is None or not _relation(record.employee, record.year):
        deny("Sertifikat tidak ditemukan.", 404)
    path = records.certificate_path(current_app.config["UPLOAD_DIR"], record)
    if path is None:
        deny("Sertifikat tidak ditemukan.", 404)
    return private_file(path, record.certificate_mime, record.certificate_filename)


@bp.get("/pegawai/<int:employee_id>")
def person(employee_id):
    """One person's JP and records, read-only, for their Pejabat Penilai, Atasan or admin."""
    employee = Employee.with_org().where(Employee.id == employee_id).first()
    year = _year()
    relation = _relation(employee, year) if employee is not None else set()
    if not relation:
        deny("Pegawai tidak ditemukan.", 404)
    context = _summary_context(employee, year)
    # Read-only here even for the owner: their own page is where records are changed.
    context["owner_view"] = False
    back = (url_for("training.recap", tahun=year), "Rekap 20 JP") \
        if relation == {evaluation_rules.ADMIN} else (url_for("training.team", tahun=year), "Tim Saya")
    return render("training/person.html", plan=plans.plan_of(employee.id, year), back=back,
                  **context)


@bp.get("/tim")
def team():
    """The Pejabat Penilai's team with each member's JP of the year, those below 20 first."""
    year = _year()
    members = summary.team(me(), year)
    return render("training/team.html", year=year, members=members, rules=rules,
                  below=sum(1 for _, total in members if not rules.meets(total)))


# --- BKPSDM and admin OPD --------------------------------------------------------------------

def _admin_scope():
    """The admin's unit (None: the whole regency); 403 for anyone else."""
    if current_user.role not in ADMINS:
        deny("Rekap JP untuk admin BKPSDM dan admin OPD.")
    return admin_scope_unit(current_user)


def _chosen_opd(scope):
    """?opd=… when it lies in the admin's scope; None (all of the scope) otherwise."""
    opd_id = int_arg("opd")
    if opd_id is None:
        return None
    opd = Unit.get_or_none(Unit.id == opd_id)
    if opd is None or (scope is not None and not opd.path.startswith(scope.path)):
        deny("Unit tidak ditemukan.", 404)
    return opd


@bp.get("/rekap")
def recap():
    """Who is below 20 JP this year, per OPD (a chart) and by name (the lowest first)."""
    scope = _admin_scope()
    year = _year()
    opd = _chosen_opd(scope)
    counts = summary.opd_counts(scope, year)
    chart = share_chart([(c.opd.name, c.percent, f"{c.below} dari {c.employees}",
                          "predikat-kurang" if c.percent >= 50 else "predikat-butuh_perbaikan", None)
                         for c in counts])
    people = summary.below_page(scope, year, opd, int_arg("page", 1), RECAP_PER_PAGE, counts=counts)
    opd_names = {c.opd.id: c.opd.name for c in counts}
    return render("training/recap.html", year=year, scope=scope, opd=opd, counts=counts,
                  chart=chart, people=people, opd_names=opd_names, rules=rules,
                  below=sum(c.below for c in counts), employees=sum(c.employees for c in counts))


@bp.get("/rekap.xlsx")
def recap_export():
    scope = _admin_scope()
    year = _year()
    opd = _chosen_opd(scope)
    rows = summary.below_rows(scope, year, opd)
    body = xlsx_bytes({f"Di bawah 20 JP {year}": (EXPORT_HEADERS, rows)})
    return Response(body, mimetype=XLSX_MIME, headers={
        "Content-Disposition": f'attachment; filename="pegawai-di-bawah-20-jp-{year}.xlsx"'})


# --- Import ----------------------------------------------------------------------------------

def _import_page(form=None, plan=None, confirm=None, filename="", status=200, notice=None):
    return respond("training/import.html", "training/_import_work.html", status=status,
                   form=form or TrainingUploadForm(formdata=None), plan=plan, confirm=confirm,
                   filename=filename, notice=notice, columns=imports.COLUMNS,
                   scope=admin_scope_unit(current_user))


FLOW = DryRunImport(TrainingUploadForm, TrainingConfirmForm, imports.uploads)


@bp.get("/impor")
def import_page():
    _admin_scope()
    return _import_page()


@bp.post("/impor/pratinjau")
def import_preview():
    scope = _admin_scope()
    return FLOW.preview(_import_page, lambda sheet: imports.plan_import(*sheet, scope, today()),
                        ready=lambda plan: plan.rows and not plan.bad)


@bp.post("/impor/simpan")
def import_confirm():
    scope = _admin_scope()
    return FLOW.confirm(
        _import_page,
        lambda sheet, filename: imports.confirm_import(
            current_user, *sheet, scope, today(), filename,
            scope_unit_id=scope.id if scope is not None else None),
        lambda plan, written: f"Impor selesai: {written} catatan pelatihan ({plan.hours} JP) disimpan.",
        back=url_for("training.import_page"), after=url_for("training.recap"))


@bp.get("/impor/templat.xlsx")
def import_template():
    _admin_scope()
    headers, rows = imports.template_sheet()
    return Response(xlsx_bytes({"Pelatihan": (headers, rows)}), mimetype=XLSX_MIME, headers={
        "Content-Disposition": 'attachment; filename="templat-impor-pelatihan.xlsx"'})

