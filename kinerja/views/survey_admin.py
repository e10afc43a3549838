"""SKM for staff (/skm): service units, periods, kiosk, poster, review queue, paper
questionnaires, suggestions and their follow-up, reports.

Only admins (whole regency) and admin OPD (their unit and below) come in; a service unit
outside an admin OPD's scope answers 404, as if it did not exist.
"""
from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from flask_login import current_user

from .. import clock, survey_import, survey_report, survey_staff as staff, survey_stats
from ..errors import render_error
from ..forms import field_fragment
from ..forms.survey import (FollowUpForm, ImportConfirmForm, ImportForm, PaperResponseForm,
                            PeriodEditForm, PeriodForm, ReviewBulkForm, ServiceForm,
                            ServiceUnitForm, WeightForm)
from ..htmx import is_htmx, render
from ..models import (SUGGESTION_STATUSES, SURVEY_PERIOD_KINDS, Service, ServiceUnit,
                      SurveyPeriod, SurveyResponse, Unit)
from ..org_choices import unit_choices
from ..paging import Page, page_number
from ..pdf import pdf_response, render_pdf
from ..rules import ikm
from ..rules.survey_entry import COLUMNS, lowest_element
from ..rules.survey_periods import period_for, period_label
from ..security import admin_scope_unit, login_manager, require_unit_scope, role_required
from ..spreadsheets import XLSX_MIME, csv_bytes, xlsx_bytes
from ..web import ADMINS

bp = Blueprint("survey_admin", __name__, url_prefix="/skm")


@bp.before_request
def staff_only():
    # Every page here is for admins; checking once for the blueprint means a new view
    # cannot forget it.
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in ADMINS:
        abort(403)
    return None


def _service_unit(su_id):
    su = staff.get_service_unit(su_id)
    if su is None:
        abort(404)
    require_unit_scope(current_user, su.unit)
    return su


def _owned(model, ident, su):
    """A service or period of this service unit, else 404 (ids of other units included)."""
    ident = staff.valid_id(ident)
    row = model.get_or_none((model.id == ident) & (model.service_unit == su)) if ident else None
    if row is None:
        abort(404)
    return row


def _scope():
    return admin_scope_unit(current_user)


def public_form_url(su) -> str:
    """The address on posters and QR codes: stable, so it never follows a route rename. Behind
    a proxy or a domain name PUBLIC_URL says where citizens reach the server; without it, the
    address the staff member reached this page at (host and port included) is the best guess."""
    base = current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")
    return f"{base}/survei/{su.code}"


def kiosk_url(su) -> str | None:
    return f"{public_form_url(su)}?kiosk={su.kiosk_token}" if su.kiosk_token else None


def _inline_validation(form):
    """A field left by the user (hx-post from the field macro): answer with that field only."""
    name = request.headers.get("HX-Trigger-Name")
    if is_htmx() and name and request.method == "POST":
        return field_fragment(form, name)
    return None


# --- Service units ---------------------------------------------------------------------

@bp.route("/unit/baru", methods=["GET", "POST"])
def unit_new():
    form = ServiceUnitForm(unit_choices=unit_choices(current_user))
    if (fragment := _inline_validation(form)) is not None:
        return fragment
    if form.validate_on_submit():
        su = staff.save_service_unit(current_user, None, _unit_data(form))
        flash(f"Unit layanan {su.name} dibuat. Tambahkan jenis layanan dan periode survei.",
              "success")
        return redirect(url_for(".unit", su_id=su.id))
    status = 422 if form.is_submitted() else 200
    return render_template("survey_admin/unit_form.html", form=form, su=None), status


@bp.route("/unit/<int:su_id>/ubah", methods=["GET", "POST"])
def unit_edit(su_id):
    su = _service_unit(su_id)
    locked = su.code if staff.has_responses(su) else None
    form = ServiceUnitForm(unit_choices=unit_choices(current_user), instance_id=su.id,
                           locked_code=locked,
                           data={"name": su.name, "code": su.code, "unit": su.unit_id,
                                 "period_kind": su.period_kind, "active": su.active})
    if (fragment := _inline_validation(form)) is not None:
        return fragment
    if form.validate_on_submit():
        staff.save_service_unit(current_user, su, _unit_data(form))
        flash(f"Unit layanan {su.name} disimpan.", "success")
        return redirect(url_for(".unit", su_id=su.id))
    status = 422 if form.is_submitted() else 200
    return render_template("survey_admin/unit_form.html", form=form, su=su), status


def _unit_data(form) -> dict:
    return {"name": form.name.data, "code": form.code.data, "unit": form.unit.data,
            "period_kind": form.period_kind.data, "active": form.active.data}


def _unit_context(su, service_form=None, service_forms=None, period_form=None,
                  period_forms=None) -> dict:
    services = list(staff.services_of(su))
    periods = list(staff.periods_of(su))
    counts = staff.response_counts([p.id for p in periods])
    service_forms = service_forms or {}
    period_forms = period_forms or {}
    for service in services:
        service_forms.setdefault(service.id, ServiceForm(
            prefix=f"s{service.id}", formdata=None,
            data={"name": service.name, "active": service.active}))
    for period in periods:
        period_forms.setdefault(period.id, PeriodEditForm(
            prefix=f"p{period.id}", formdata=None,
            data={"population": period.population, "is_open": period.is_open}))
    if period_form is None:
        period_form = PeriodForm(prefix="new", formdata=None,
                                 data={"kind": su.period_kind, "year": clock.today().year})
    return {
        "su": su, "services": services, "periods": periods, "counts": counts,
        "service_form": service_form or ServiceForm(prefix="new", formdata=None),
        "service_forms": service_forms, "period_form": period_form,
        "period_forms": period_forms, "public_url": public_form_url(su),
        "kiosk_url": kiosk_url(su), "locked": staff.has_responses(su),
        "period_label": period_label, "sample_size": ikm.sample_size,
        "period_kinds": SURVEY_PERIOD_KINDS,
    }


@bp.get("/unit/<int:su_id>")
def unit(su_id):
    su = _service_unit(su_id)
    return render_template("survey_admin/unit.html", **_unit_context(su))


@bp.post("/unit/<int:su_id>/layanan")
def service_add(su_id):
    su = _service_unit(su_id)
    form = ServiceForm(prefix="new")
    if form.validate():
        staff.save_service(current_user, su, None, form.name.data, form.active.data)
        return _services_answer(su, message=f"Jenis layanan {form.name.data} ditambahkan.")
    return _services_answer(su, status=422, service_form=form)


@bp.post("/unit/<int:su_id>/layanan/<int:service_id>")
def service_edit(su_id, service_id):
    su = _service_unit(su_id)
    service = _owned(Service, service_id, su)
    form = ServiceForm(prefix=f"s{service.id}")
    if form.validate():
        staff.save_service(current_user, su, service, form.name.data, form.active.data)
        return _services_answer(su, message=f"Jenis layanan {form.name.data} disimpan.")
    return _services_answer(su, status=422, service_forms={service.id: form})


def _section_answer(su, partial, anchor, status=200, message=None, **forms):
    """A section of the service unit page after a change: the section for htmx, else the page."""
    if not is_htmx() and status == 200:
        flash(message, "success")
        return redirect(url_for(".unit", su_id=su.id) + anchor)
    context = _unit_context(su, **forms)
    return render("survey_admin/unit.html", partial, status=status, message=message, **context)


def _services_answer(su, **kwargs):
    return _section_answer(su, "survey_admin/_services.html", "#layanan", **kwargs)


@bp.post("/unit/<int:su_id>/periode")
def period_add(su_id):
    su = _service_unit(su_id)
    form = PeriodForm(prefix="new")
    if form.validate():
        period, problems = staff.create_period(current_user, su, form.kind.data, form.year.data,
                                               form.number.data, form.population.data,
                                               form.is_open.data)
        if period is not None:
            label = period_label(period.kind, period.year, period.number)
            return _periods_answer(su, message=f"Periode {label} dibuat.")
        for name, text in problems.items():
            form[name].errors.append(text)
    return _periods_answer(su, status=422, period_form=form)


@bp.post("/unit/<int:su_id>/periode/<int:period_id>")
def period_edit(su_id, period_id):
    su = _service_unit(su_id)
    period = _owned(SurveyPeriod, period_id, su)
    form = PeriodEditForm(prefix=f"p{period.id}")
    if form.validate():
        problems = staff.update_period(current_user, su, period, form.population.data,
                                       form.is_open.data)
        if not problems:
            label = period_label(period.kind, period.year, period.number)
            return _periods_answer(su, message=f"Periode {label} disimpan.")
        for name, text in problems.items():
            form[name].errors.append(text)
    return _periods_answer(su, status=422, period_forms={period.id: form})


def _periods_answer(su, **kwargs):
    return _section_answer(su, "survey_admin/_periods.html", "#periode", **kwargs)


@bp.post("/unit/<int:su_id>/kios")
def kiosk_rotate(su_id):
    su = _service_unit(su_id)
    staff.rotate_kiosk_token(current_user, su)
    if not is_htmx():
        flash("Token kios baru dibuat. Buka alamat kios yang baru pada tablet loket.", "success")
        return redirect(url_for(".unit", su_id=su.id) + "#kios")
    return render("survey_admin/unit.html", "survey_admin/_kiosk.html", su=su,
                  kiosk_url=kiosk_url(su), rotated=True)


# --- The weight of the index -----------------------------------------------------------

@bp.route("/bobot", methods=["GET", "POST"])
@role_required("admin")
def weight():
    current = survey_stats.current_weight()
    form = WeightForm(data={"weight": current.key})
    form.weight.choices = ikm.WEIGHT_CHOICES
    if form.validate_on_submit():
        staff.set_weight(current_user, survey_stats.WEIGHT_SETTING, current.key, form.weight.data)
        flash(f"Bobot IKM diatur ke {ikm.weight_for(form.weight.data).label}.", "success")
        return redirect(url_for(".weight"))
    status = 422 if form.is_submitted() else 200
    return render_template("survey_admin/weight.html", form=form, current=current), status


# --- Dashboard ----------------------------------------------------------------------------

@bp.get("")
def index():
    rows = staff.dashboard(_scope(), clock.today(), survey_stats.current_weight())
    return render_template("survey_admin/index.html", rows=rows,
                           weight=survey_stats.current_weight(),
                           flagged_total=sum(r.flagged for r in rows))


# --- Poster -----------------------------------------------------------------------------------

@bp.get("/unit/<int:su_id>/poster.pdf")
def poster(su_id):
    su = _service_unit(su_id)
    url = public_form_url(su)
    data = render_pdf("survey_admin/poster_pdf.html", su=su, url=url,
                      qr=survey_report.qr_data_uri(url))
    return pdf_response(data, f"poster-skm-{su.code}.pdf")


# --- Review queue --------------------------------------------------------------------------

def _review_filter():
    """The service unit the queue is narrowed to (?unit=…), checked against the scope."""
    raw = request.values.get("unit")
    if not raw:
        return None
    su = staff.get_service_unit(raw)
    if su is None:
        abort(404)
    require_unit_scope(current_user, su.unit)
    return su


def _review_context(su):
    results = Page(staff.flagged(_scope(), su), page_number(request.args.get("page")),
                   per_page=50)
    return {"results": results, "filter_su": su, "waiting": results.total,
            "services": staff.service_names(results.items),
            "units": list(staff.service_units(_scope())), "elements": ikm.ELEMENTS,
            "bulk_form": ReviewBulkForm()}


@bp.get("/tinjauan")
def review():
    su = _review_filter()
    return render("survey_admin/review.html", "survey_admin/_review_queue.html",
                  **_review_context(su))


@bp.get("/tinjauan/jumlah")
def review_count():
    su = _review_filter()
    return render_template("survey_admin/_review_count.html",
                           waiting=staff.flagged_count(_scope(), su), filter_su=su)


def _flagged_in_scope(ids) -> list:
    ids = [i for i in (staff.valid_id(x) for x in ids) if i is not None]
    if not ids:
        return []
    return list(staff.flagged(_scope()).where(SurveyResponse.id.in_(ids[:500])))


@bp.post("/tinjauan/<int:response_id>")
def review_decide(response_id):
    decision = request.form.get("decision")
    if decision not in staff.DECISIONS:
        abort(400)
    response_id = staff.valid_id(response_id)
    response = (SurveyResponse.select(SurveyResponse, ServiceUnit, Unit).join(ServiceUnit)
                .join(Unit).where(SurveyResponse.id == response_id).first()
                if response_id else None)
    if response is None:
        abort(404)
    require_unit_scope(current_user, response.service_unit.unit)
    if response.status != "flagged" or not staff.decide(current_user, [response], decision):
        return render_error(409, "Tanggapan ini sudah ditinjau; muat ulang daftar tinjauan.")
    word = "diterima dan dihitung dalam IKM" if decision == "accept" else "ditolak"
    if is_htmx():
        # The row removes itself (empty answer); the counter refreshes on the event.
        return render("survey_admin/review.html", "survey_admin/_review_decided.html",
                      trigger={"skm-review-changed": {"decision": decision}})
    flash(f"Tanggapan {word}.", "success")
    return redirect(url_for(".review", unit=request.form.get("unit") or None))


@bp.post("/tinjauan")
def review_bulk():
    form = ReviewBulkForm()
    su = _review_filter()
    decision = form.decision.data
    if decision not in staff.DECISIONS:
        abort(400)
    responses = _flagged_in_scope(request.form.getlist("ids"))
    done = staff.decide(current_user, responses, decision) if responses else 0
    word = "diterima" if decision == "accept" else "ditolak"
    message = (f"{done} tanggapan {word}." if done
               else "Tidak ada tanggapan yang dipilih (atau semuanya sudah ditinjau).")
    if is_htmx():
        return render("survey_admin/review.html", "survey_admin/_review_queue.html",
                      trigger={"skm-review-changed": {"decision": decision}},
                      message=message, **_review_context(su))
    flash(message, "success" if done else "warning")
    return redirect(url_for(".review", unit=su.id if su else None))


# --- Paper questionnaires ------------------------------------------------------------------

def _paper_form(su, data=None, formdata=True):
    kwargs = {} if formdata else {"formdata": None}
    form = PaperResponseForm(data=data, **kwargs)
    form.service.choices = [(0, "— tidak diisi —")] + [
        (s.id, s.name) for s in staff.services_of(su) if s.active]
    form.sex.choices = [("", "—")] + list(ikm.SEXES.items())
    form.education.choices = [("", "—")] + list(ikm.EDUCATIONS.items())
    form.occupation.choices = [("", "—")] + list(ikm.OCCUPATIONS.items())
    return form


PAPER_ORDER = ("answered_on", "service", *ikm.ELEMENT_CODES, "age", "sex", "education",
               "occupation", "suggestion")


def _paper_page(su, form, periods, entered, saved=None, status=200):
    # The cursor goes to the first field with an error, else to U1 for the next sheet.
    focus = next((name for name in PAPER_ORDER if form[name].errors), "u1")
    return render("survey_admin/paper.html", "survey_admin/_paper_form.html", status=status,
                  su=su, form=form, saved=saved, entered=entered, focus=focus,
                  total=survey_import.paper_count(current_user, su), periods=periods,
                  elements=ikm.ELEMENTS)


@bp.route("/unit/<int:su_id>/kertas", methods=["GET", "POST"])
def paper(su_id):
    su = _service_unit(su_id)
    periods = list(staff.periods_of(su))
    if request.method == "GET":
        form = _paper_form(su, data={"answered_on": clock.today()}, formdata=False)
        return _paper_page(su, form, periods, entered=0)
    form = _paper_form(su)
    entered = staff.small_count(form.count.data)
    period = None
    if form.validate():
        period = period_for(form.answered_on.data, periods)
        if period is None:
            form.answered_on.errors.append("Tanggal ini di luar semua periode survei unit ini; "
                                           "buat periodenya terlebih dahulu.")
    if period is None:
        return _paper_page(su, form, periods, entered, status=422)
    values = {**form.answers(), "service": form.service.data or None, "age": form.age.data,
              "sex": form.sex.data or None, "education": form.education.data or None,
              "occupation": form.occupation.data or None,
              "suggestion": form.suggestion.data or None}
    saved = survey_import.save_paper(current_user, su, period, form.answered_on.data, values)
    # A fresh sheet keeps the date and service: staff type a pile from the same day.
    fresh = _paper_form(su, formdata=False, data={
        "answered_on": form.answered_on.data, "service": form.service.data,
        "count": str(entered + 1)})
    return _paper_page(su, fresh, periods, entered + 1, saved=saved)


# --- Import --------------------------------------------------------------------------------

@bp.get("/unit/<int:su_id>/impor")
def import_form(su_id):
    su = _service_unit(su_id)
    return render_template("survey_admin/import.html", su=su, form=ImportForm(), run=None,
                           columns=COLUMNS)


@bp.post("/unit/<int:su_id>/impor")
def import_check(su_id):
    su = _service_unit(su_id)
    form = ImportForm()
    if not form.validate():
        return render_template("survey_admin/import.html", su=su, form=form, run=None,
                               columns=COLUMNS), 422
    upload = form.file.data
    data = upload.read()
    run = survey_import.check(su, upload.filename, data, clock.today())
    if run.ok:
        run.token = survey_import.stash(current_app.config["UPLOAD_DIR"], su, current_user,
                                        upload.filename, data)
    return render_template("survey_admin/import.html", su=su, form=form, run=run,
                           columns=COLUMNS, confirm=ImportConfirmForm(token=run.token)), \
        200 if run.ok else 422


@bp.post("/unit/<int:su_id>/impor/simpan")
def import_confirm(su_id):
    su = _service_unit(su_id)
    form = ImportConfirmForm()
    upload_dir = current_app.config["UPLOAD_DIR"]
    pending = survey_import.unstash(upload_dir, form.token.data, su, current_user) \
        if form.validate() else None
    if pending is None:
        flash("Berkas impor tidak ditemukan atau sudah disimpan. Unggah ulang berkasnya.",
              "warning")
        return redirect(url_for(".import_form", su_id=su.id))
    filename, data = pending
    # Checked again: a period or service may have changed since the dry run.
    run = survey_import.check(su, filename, data, clock.today())
    if not run.ok:
        return render_template("survey_admin/import.html", su=su, form=ImportForm(), run=run,
                               columns=COLUMNS), 422
    count = survey_import.commit(current_user, su, run)
    survey_import.discard(upload_dir, form.token.data)
    flash(f"{count} kuesioner kertas dari {filename} disimpan.", "success")
    return redirect(url_for(".unit", su_id=su.id))


@bp.get("/unit/<int:su_id>/impor/templat.xlsx")
def import_template(su_id):
    su = _service_unit(su_id)
    return Response(survey_import.template_xlsx(su), mimetype=XLSX_MIME, headers={
        "Content-Disposition": f'attachment; filename="templat-kuesioner-{su.code}.xlsx"'})


# --- Suggestions and follow-up --------------------------------------------------------------

def _follow_up_form(su, response, employees, formdata=True):
    follow_up = staff.follow_up_of(response)
    data = None
    if follow_up is not None:
        data = {"status": follow_up.status, "element": follow_up.element or "",
                "handler": follow_up.handler_id or 0, "action": follow_up.action,
                "done_on": follow_up.done_on}
    kwargs = {} if formdata else {"formdata": None}
    form = FollowUpForm(prefix=f"t{response.id}", data=data, **kwargs)
    form.element.choices = [("", "— belum ditentukan —")] + [
        (e.code, f"{e.label} {e.name}") for e in ikm.ELEMENTS]
    form.handler.choices = [(0, "— pilih pegawai —")] + [(e.id, e.full_name) for e in employees]
    return form


def _suggestion_filter() -> str:
    state = request.args.get("status", "terbuka")
    return state if state in staff.SUGGESTION_FILTERS else "terbuka"


@bp.get("/unit/<int:su_id>/saran")
def suggestions(su_id):
    su = _service_unit(su_id)
    state = _suggestion_filter()
    results = Page(staff.suggestions(su, state), page_number(request.args.get("page")),
                   per_page=30)
    return render("survey_admin/suggestions.html", "survey_admin/_suggestion_list.html",
                  su=su, results=results, state=state, filters=staff.SUGGESTION_FILTERS,
                  open_count=staff.open_suggestion_counts([su.id]).get(su.id, 0),
                  **_suggestion_helpers())


def _suggestion_helpers() -> dict:
    return {"elements": ikm.ELEMENTS_BY_CODE, "statuses": SUGGESTION_STATUSES,
            "lowest": lambda r: lowest_element({c: getattr(r, c) for c in ikm.ELEMENT_CODES}),
            "follow_up_of": staff.follow_up_of}


@bp.route("/unit/<int:su_id>/saran/<int:response_id>", methods=["GET", "POST"])
def follow_up(su_id, response_id):
    su = _service_unit(su_id)
    response = staff.suggestion(su, response_id)
    if response is None:
        abort(404)
    employees = list(staff.unit_employees(su))
    if request.method == "GET":
        form = _follow_up_form(su, response, employees, formdata=False)
        return render("survey_admin/follow_up.html", "survey_admin/_suggestion.html", su=su,
                      r=response, form=form, editing=True, **_suggestion_helpers())
    form = _follow_up_form(su, response, employees)
    if request.form.get("cancel"):
        return render("survey_admin/follow_up.html", "survey_admin/_suggestion.html", su=su,
                      r=response, form=form, editing=False, **_suggestion_helpers())
    if not form.validate():
        return render("survey_admin/follow_up.html", "survey_admin/_suggestion.html",
                      status=422, su=su, r=response, form=form, editing=True,
                      **_suggestion_helpers())
    staff.save_follow_up(current_user, su, response, {
        "status": form.status.data, "element": form.element.data or None,
        "handler": form.handler.data or None, "action": form.action.data or "",
        "done_on": form.done_on.data})
    response = staff.suggestion(su, response.id)
    if not is_htmx():
        flash("Tindak lanjut disimpan.", "success")
        return redirect(url_for(".suggestions", su_id=su.id))
    return render("survey_admin/follow_up.html", "survey_admin/_suggestion.html",
                  trigger="skm-suggestions-changed", su=su, r=response, form=form,
                  editing=False, saved=True, **_suggestion_helpers())


@bp.get("/unit/<int:su_id>/saran/jumlah")
def suggestion_count(su_id):
    su = _service_unit(su_id)
    return render_template("survey_admin/_suggestion_count.html", su=su,
                           open_count=staff.open_suggestion_counts([su.id]).get(su.id, 0))


# --- Reports ---------------------------------------------------------------------------------

@bp.get("/unit/<int:su_id>/periode/<int:period_id>/laporan.pdf")
def report_pdf(su_id, period_id):
    su = _service_unit(su_id)
    period = _owned(SurveyPeriod, period_id, su)
    report = survey_report.build_report(su, period)
    data = render_pdf("survey_admin/report_pdf.html", report=report, elements=ikm.ELEMENTS_BY_CODE,
                      statuses=SUGGESTION_STATUSES, printed=clock.today())
    return pdf_response(data, f"laporan-skm-{su.code}-{period.year}-{period.kind}-{period.number}.pdf")


@bp.get("/unit/<int:su_id>/periode/<int:period_id>/tanggapan.<fmt>")
def responses_export(su_id, period_id, fmt):
    su = _service_unit(su_id)
    period = _owned(SurveyPeriod, period_id, su)
    if fmt not in ("xlsx", "csv"):
        abort(404)
    name = f"tanggapan-skm-{su.code}-{period.year}-{period.kind}-{period.number}"
    rows = survey_report.export_rows(su, period)
    if fmt == "xlsx":
        body, mimetype = xlsx_bytes({"Tanggapan": (survey_report.EXPORT_HEADERS, list(rows))}), XLSX_MIME
    else:
        body, mimetype = csv_bytes(survey_report.EXPORT_HEADERS, rows), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
