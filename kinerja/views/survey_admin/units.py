"""A service unit's pages: creating and changing it, its services and periods (sections of
its page that change in place), the kiosk secret and the QR poster."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...forms.survey import PeriodEditForm, PeriodForm, ServiceForm, ServiceUnitForm
from ...htmx import respond
from ...models import SURVEY_PERIOD_KINDS
from ...pdf import pdf_response, render_pdf
from ...rules import DomainError, ikm
from ...rules.survey_periods import period_label
from ...stores.org.tree import unit_choices
from ...stores.survey import report, units as store
from ..toolkit import refused, today
from .common import (bp, inline_validation, kiosk_url, load_period, load_service,
                     load_service_unit, public_form_url, scope)


def _unit_data(form) -> dict:
    return {"name": form.name.data, "code": form.code.data, "unit": form.unit.data,
            "period_kind": form.period_kind.data, "active": form.active.data}


@bp.route("/unit/baru", methods=["GET", "POST"])
def unit_new():
    form = ServiceUnitForm(unit_choices=unit_choices(scope()), code_taken=store.code_taken)
    if (fragment := inline_validation(form)) is not None:
        return fragment
    if form.validate_on_submit():
        try:
            su = store.create_service_unit(current_user, _unit_data(form))
        except DomainError as exc:
            refused(exc, form)
        else:
            flash(f"Unit layanan {su.name} dibuat. Tambahkan jenis layanan dan periode survei.",
                  "success")
            return redirect(url_for(".unit", su_id=su.id))
    status = 422 if form.is_submitted() else 200
    return render_template("survey_admin/unit_form.html", form=form, su=None), status


@bp.route("/unit/<int:su_id>/ubah", methods=["GET", "POST"])
def unit_edit(su_id):
    su = load_service_unit(su_id)
    form = ServiceUnitForm(unit_choices=unit_choices(scope()),
                           code_taken=lambda code: store.code_taken(code, su.id),
                           locked_code=su.code if store.has_responses(su) else None,
                           data={"name": su.name, "code": su.code, "unit": su.unit_id,
                                 "period_kind": su.period_kind, "active": su.active})
    if (fragment := inline_validation(form)) is not None:
        return fragment
    if form.validate_on_submit():
        try:
            su = store.update_service_unit(current_user, su, _unit_data(form))
        except DomainError as exc:
            refused(exc, form)
        else:
            flash(f"Unit layanan {su.name} disimpan.", "success")
            return redirect(url_for(".unit", su_id=su.id))
    status = 422 if form.is_submitted() else 200
    return render_template("survey_admin/unit_form.html", form=form, su=su), status


def _unit_context(su, service_form=None, service_forms=None, period_form=None,
                  period_forms=None) -> dict:
    services = list(store.services_of(su))
    periods = list(store.periods_of(su))
    counts = store.response_counts([p.id for p in periods])
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
                                 data={"kind": su.period_kind, "year": today().year})
    return {
        "su": su, "services": services, "periods": periods, "counts": counts,
        "service_form": service_form or ServiceForm(prefix="new", formdata=None),
        "service_forms": service_forms, "period_form": period_form,
        "period_forms": period_forms, "public_url": public_form_url(su),
        "kiosk_url": kiosk_url(su), "locked": store.has_responses(su),
        "period_label": period_label, "sample_size": ikm.sample_size,
        "period_kinds": SURVEY_PERIOD_KINDS,
    }


@bp.get("/unit/<int:su_id>")
def unit(su_id):
    su = load_service_unit(su_id)
    return render_template("survey_admin/unit.html", **_unit_context(su))


def _section_answer(su, partial, anchor, message=None, status=200, **forms):
    """A section of the service unit page after a change: the section for htmx (the message
    in it), else the message flashed over the page; a refusal shows the section's form."""
    return respond("survey_admin/unit.html", partial, status=status, message=message,
                   redirect=url_for(".unit", su_id=su.id) + anchor if status == 200 else None,
                   context=lambda: _unit_context(su, **forms))


def _services_answer(su, **kwargs):
    return _section_answer(su, "survey_admin/_services.html", "#layanan", **kwargs)


def _periods_answer(su, **kwargs):
    return _section_answer(su, "survey_admin/_periods.html", "#periode", **kwargs)


@bp.post("/unit/<int:su_id>/layanan")
def service_add(su_id):
    su = load_service_unit(su_id)
    form = ServiceForm(prefix="new")
    if form.validate():
        store.save_service(current_user, su, None, form.name.data, form.active.data)
        return _services_answer(su, message=f"Jenis layanan {form.name.data} ditambahkan.")
    return _services_answer(su, status=422, service_form=form)


@bp.post("/unit/<int:su_id>/layanan/<int:service_id>")
def service_edit(su_id, service_id):
    su = load_service_unit(su_id)
    service = load_service(su, service_id)
    form = ServiceForm(prefix=f"s{service.id}")
    if form.validate():
        store.save_service(current_user, su, service, form.name.data, form.active.data)
        return _services_answer(su, message=f"Jenis layanan {form.name.data} disimpan.")
    return _services_answer(su, status=422, service_forms={service.id: form})


@bp.post("/unit/<int:su_id>/periode")
def period_add(su_id):
    su = load_service_unit(su_id)
    form = PeriodForm(prefix="new")
    if form.validate():
        try:
            period = store.create_period(current_user, su, form.kind.data, form.year.data,
                                         form.number.data, form.population.data,
                                         form.is_open.data)
        except DomainError as exc:
            refused(exc, form)
        else:
            label = period_label(period.kind, period.year, period.number)
            return _periods_answer(su, message=f"Periode {label} dibuat.")
    return _periods_answer(su, status=422, period_form=form)


@bp.post("/unit/<int:su_id>/periode/<int:period_id>")
def period_edit(su_id, period_id):
    su = load_service_unit(su_id)
    period = load_period(su, period_id)
    form = PeriodEditForm(prefix=f"p{period.id}")
    if form.validate():
        try:
            period = store.update_period(current_user, su, period, form.population.data,
                                         form.is_open.data)
        except DomainError as exc:
            refused(exc, form)
        else:
            label = period_label(period.kind, period.year, period.number)
            return _periods_answer(su, message=f"Periode {label} disimpan.")
    return _periods_answer(su, status=422, period_forms={period.id: form})


@bp.post("/unit/<int:su_id>/kios")
def kiosk_rotate(su_id):
    su = load_service_unit(su_id)
    store.rotate_kiosk_token(current_user, su)
    return respond("survey_admin/unit.html", "survey_admin/_kiosk.html",
                   redirect=url_for(".unit", su_id=su.id) + "#kios",
                   message="Token kios baru dibuat. Buka alamat kios yang baru pada tablet loket.",
                   su=su, kiosk_url=kiosk_url(su), rotated=True)


@bp.get("/unit/<int:su_id>/poster.pdf")
def poster(su_id):
    su = load_service_unit(su_id)
    url = public_form_url(su)
    data = render_pdf("survey_admin/poster_pdf.html", su=su, url=url, qr=report.qr_data_uri(url))
    return pdf_response(data, f"poster-skm-{su.code}.pdf")
