"""The public complaint form and the tracking page (login-free), phone-first like the SKM
form and defended the same way (stores/complaints/intake.py). Plain forms that work without
JavaScript (Post/Redirect/Get); htmx only swaps the form in place."""
from flask import (
    Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for,
)
from flask_wtf.csrf import CSRFError

from ..errors import render_error
from ..forms.complaints import ComplaintForm, TrackForm
from ..htmx import htmx_redirect, is_htmx, render
from ..rules import DomainError
from ..rules import complaints as rules
from ..rules.evidence import check_file
from ..stores.complaints import intake
from ..models import COMPLAINT_REJECTIONS, COMPLAINT_STATES
from .toolkit import text_arg, today

bp = Blueprint("complaints", __name__, url_prefix="/pengaduan")

PHOTO_MAX_BYTES = 5 * 1024 * 1024
STALE = ("Formulir ini sudah terlalu lama terbuka. Isian Anda masih ada; periksa lalu tekan "
         "Kirim sekali lagi.")


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _no_store(response):
    # The form carries a CSRF token and a one-use stamp; the tracking page a private answer.
    response.headers["Cache-Control"] = "no-store"
    return response


def _service_unit(code):
    """The unit of the address with its active services (one query), or 404."""
    found = intake.find_unit_and_services(code)
    if found is None:
        abort(404)
    return found


def _form_page(su, form, status=200, notice=None):
    return _no_store(render("complaints/form.html", "complaints/_form.html", status=status,
                            su=su, form=form, notice=notice,
                            today_iso=today().isoformat()))


def _photos(form) -> list:
    """(extension, mime, bytes) of each photo sent, checked by content after reading no more
    than the limit; a refused one puts its reason beside the field."""
    files = [f for f in request.files.getlist("photos") if f and f.filename]
    if len(files) > rules.MAX_PHOTOS:
        form.photos.errors = [f"Paling banyak {rules.MAX_PHOTOS} foto."]
        return []
    checked = []
    for file in files:
        data = file.read(PHOTO_MAX_BYTES + 1)
        try:
            ext, mime = check_file(file.filename, data, PHOTO_MAX_BYTES)
            if ext not in rules.PHOTO_TYPES:
                raise DomainError("Foto harus berupa gambar PNG atau JPEG.")
        except DomainError as exc:
            form.photos.errors = [exc.message]
            return []
        checked.append((ext, mime, data))
    return checked


PHOTOS_AGAIN = ("Foto belum terkirim karena isian lain perlu diperbaiki; pilih fotonya lagi "
                "sebelum mengirim.")


def _returned(su, form, status=422, notice=None):
    """The form again with what was typed; a browser never refills a file field, so a
    citizen who chose photos is told to choose them again rather than lose them unawares."""
    if not form.photos.errors and any(f and f.filename for f in request.files.getlist("photos")):
        form.photos.errors = [PHOTOS_AGAIN]
    return _form_page(su, form, status=status, notice=notice)


@bp.get("")
def index():
    q = text_arg("q")
    return render_template("complaints/index.html", units=intake.active_units(q), q=q)


@bp.get("/<code>")
def form(code):
    su, services = _service_unit(code)
    complaint_form = ComplaintForm(formdata=None, services=services)
    complaint_form.stamp.data = intake.issue_stamp(_secret(), su.id)
    return _form_page(su, complaint_form)


@bp.post("/<code>")
def submit(code):
    su, services = _service_unit(code)
    complaint_form = ComplaintForm(services=services)
    stamp = intake.read_stamp(_secret(), complaint_form.stamp.data, su.id)
    if stamp is None:
        complaint_form.validate()
        complaint_form.stamp.data = intake.issue_stamp(_secret(), su.id)
        return _returned(su, complaint_form, notice=STALE)
    valid = complaint_form.validate()
    photos = _photos(complaint_form)
    if not valid or complaint_form.photos.errors:
        return _returned(su, complaint_form)
    outcome, tracking = intake.record(
        su, complaint_form.details(), photos, stamp=stamp,
        honeypot=complaint_form.website.data or "",
        address_hash=intake.client_hash(_secret(), request.remote_addr or "-"),
        limits=intake.limits_from(current_app.config), upload_dir=current_app.config["UPLOAD_DIR"])
    if outcome == intake.REFUSED:
        abort(429)
    target = url_for(".filed", code=su.code, kode=tracking)
    if is_htmx():
        # A whole new page, not a fragment: the tracking code replaces the form's page.
        return htmx_redirect(target)
    # 303 so a phone's Back or reload never sends the complaint again.
    return redirect(target, 303)


@bp.get("/<code>/terkirim/<kode>")
def filed(code, kode):
    su, _ = _service_unit(code)
    tracking = rules.normalise_code(kode)
    if tracking is None:
        abort(404)
    return _no_store(make_response(render_template(
        "complaints/filed.html", su=su, kode=tracking,
        grouped=rules.grouped(tracking, rules.NON_BREAKING_HYPHEN))))


@bp.get("/lacak")
def track_form():
    form = TrackForm(request.args) if request.args else TrackForm(formdata=None)
    if request.args.get("kode") is not None and form.validate():
        code = rules.normalise_code(form.kode.data)
        if code is not None:
            return redirect(url_for(".track", kode=code), 303)
        form.kode.errors = ["Kode pelacakan terdiri atas 10 huruf dan angka, misalnya "
                            "K7MX3-QPA4R."]
    status = 422 if form.errors else 200
    return _no_store(make_response(render_template("complaints/track_form.html", form=form),
                                   status))


@bp.get("/lacak/<kode>")
def track(kode):
    complaint = intake.tracked(kode)
    if complaint is None:
        return _no_store(make_response(render_template(
            "complaints/track_form.html", form=TrackForm(formdata=None), missing=True), 404))
    return _no_store(make_response(render_template(
        "complaints/track.html", c=complaint,
        grouped=rules.grouped(complaint["code"], rules.NON_BREAKING_HYPHEN),
        states=COMPLAINT_STATES, rejections=COMPLAINT_REJECTIONS)))


@bp.errorhandler(CSRFError)
def session_expired(error):
    """The session cookie with the CSRF token expired: the same form back, text kept."""
    if request.endpoint != "complaints.submit":
        return render_error(400)
    found = intake.find_unit_and_services(request.view_args.get("code", ""))
    if found is None:
        return render_error(404)
    su, services = found
    complaint_form = ComplaintForm(services=services)
    complaint_form.validate()
    if intake.read_stamp(_secret(), complaint_form.stamp.data, su.id) is None:
        complaint_form.stamp.data = intake.issue_stamp(_secret(), su.id)
    return _form_page(su, complaint_form, status=422, notice=(
        "Sesi Anda sudah berakhir sehingga pengaduan belum terkirim. Isian Anda masih ada; "
        "periksa lalu tekan Kirim sekali lagi (foto perlu dipilih ulang)."))
