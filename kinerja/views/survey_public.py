"""The public side of the SKM, no login: the questionnaire, its results, the regency's IKM.

Made for a cheap phone on a slow connection: a small page of its own (no Pico), plain
forms that work without JavaScript (Post/Redirect/Get), htmx only as an enhancement.
"""

from flask import (
    Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for,
)
from flask_wtf.csrf import CSRFError

from .. import charts
from ..errors import render_error
from ..forms.survey_public import SurveyForm
from ..htmx import is_htmx, render
from ..models import ServiceUnit
from ..paging import page_number
from ..stores.survey import intake, stats
from ..stores.turnaround import voice
from .toolkit import int_arg, text_arg, today

bp = Blueprint("survey_public", __name__)

CACHE_SECONDS = 60


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _service_unit(code: str) -> ServiceUnit:
    su = intake.find_service_unit(code)
    if su is None:
        abort(404)
    return su


def _kiosk(su: ServiceUnit) -> bool:
    return intake.is_kiosk(_secret(), su, request.cookies.get(intake.KIOSK_COOKIE))


def _cacheable(response, seconds: int = CACHE_SECONDS):
    """Results change slowly: a shared cache (nginx, a CDN) may keep them briefly when no
    cookie is involved, absorbing a crowd. Browsers revalidate every time, so a citizen who
    has just answered sees their response counted; the ETag makes that a 304 on a slow line."""
    if request.cookies:
        response.headers["Cache-Control"] = "private, max-age=0"
    else:
        response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
    response.add_etag()
    return response.make_conditional(request)


def _no_store(response):
    # The questionnaire carries a CSRF token and a one-time submission token.
    response.headers["Cache-Control"] = "no-store"
    return response


def _kiosk_return() -> int:
    return max(1, current_app.config.get("SURVEY_KIOSK_RETURN_SECONDS", 8))


def _form_page(su, period, form, status=200, notice=None):
    context = dict(su=su, period=period, form=form, elements=stats.elements(),
                   kiosk=_kiosk(su), notice=notice)
    return _no_store(render("survey_public/form.html", "survey_public/_form.html",
                            status=status, **context))


def _closed_page(su, status=200):
    return render_template("survey_public/closed.html", su=su), status


# --- Finding one's unit --------------------------------------------------------------

@bp.get("/survei")
def index():
    q = text_arg("q")
    return _cacheable(make_response(render_template("survey_public/index.html",
                                                    grouped=intake.open_units(q), q=q)))


# --- The questionnaire ---------------------------------------------------------------

@bp.get("/survei/<code>")
def form(code):
    su = _service_unit(code)
    offered = request.args.get("kiosk")
    if offered is not None:
        if intake.kiosk_token_matches(su, offered):
            # The token leaves the address bar; the tablet keeps a signed cookie instead.
            response = redirect(url_for(".form", code=su.code), 303)
            response.set_cookie(intake.KIOSK_COOKIE, intake.kiosk_cookie(_secret(), su),
                                max_age=intake.KIOSK_MAX_AGE, path=f"/survei/{su.code}",
                                secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
                                httponly=True, samesite="Lax")
            return response
    period = intake.open_period(su)
    if period is None:
        return _closed_page(su)
    survey_form = SurveyForm(formdata=None, services=intake.active_services(su))
    survey_form.stamp.data = intake.issue_stamp(_secret(), su.id)
    notice = "Tautan kios tidak berlaku." if offered is not None else None
    return _form_page(su, period, survey_form, notice=notice)


@bp.post("/survei/<code>")
def submit(code):
    su = _service_unit(code)
    period = intake.open_period(su)
    if period is None:
        return _closed_page(su)
    survey_form = SurveyForm(services=intake.active_services(su))
    stamp = intake.read_stamp(_secret(), survey_form.stamp.data, su.id)
    if stamp is None:
        # A form from another day, or not from us: the answers come back with a fresh stamp.
        survey_form.validate()
        survey_form.stamp.data = intake.issue_stamp(_secret(), su.id)
        return _form_page(su, period, survey_form, status=422, notice=(
            "Formulir ini sudah terlalu lama terbuka. Jawaban Anda masih ada; "
            "periksa lalu tekan Kirim sekali lagi."))
    if not survey_form.validate():
        return _form_page(su, period, survey_form, status=422)
    kiosk = _kiosk(su)
    outcome = intake.record(
        su, period, survey_form.answers(), stamp=stamp, honeypot=survey_form.website.data or "",
        address_hash=intake.client_hash(_secret(), request.remote_addr or "-"),
        kiosk=kiosk, limits=intake.limits_from(current_app.config))
    if outcome == intake.REFUSED:
        abort(429)
    # Not htmx.respond: a plain form answers 303 See Other (phone browsers must not offer to
    # send the answers again) and the fragment must not be stored by a cache.
    if is_htmx():
        return _no_store(make_response(render_template(
            "survey_public/_thanks.html", su=su, kiosk=kiosk, kiosk_return=_kiosk_return())))
    return redirect(url_for(".thanks", code=su.code), 303)


@bp.get("/survei/<code>/terima-kasih")
def thanks(code):
    su = _service_unit(code)
    return _no_store(make_response(render_template("survey_public/thanks.html", su=su,
                                                   kiosk=_kiosk(su), kiosk_return=_kiosk_return())))


@bp.errorhandler(CSRFError)
def session_expired(error):
    """The session cookie that holds the CSRF token expired (or the phone dropped it):
    give the citizen the same form back, answers kept, with a fresh token."""
    if request.endpoint != "survey_public.submit":
        return render_error(400)
    # An error handler must not abort again: that would end in a 500.
    su = intake.find_service_unit(request.view_args.get("code", ""))
    if su is None:
        return render_error(404)
    period = intake.open_period(su)
    if period is None:
        return _closed_page(su)
    # Built from the posted answers; its CSRF field renders a new token (a new session).
    survey_form = SurveyForm(services=intake.active_services(su))
    survey_form.validate()
    if intake.read_stamp(_secret(), survey_form.stamp.data, su.id) is None:
        survey_form.stamp.data = intake.issue_stamp(_secret(), su.id)
    return _form_page(su, period, survey_form, status=422, notice=(
        "Sesi Anda sudah berakhir sehingga jawaban belum terkirim. Jawaban Anda masih ada; "
        "periksa lalu tekan Kirim sekali lagi."))


# --- Results ---------------------------------------------------------------------------

@bp.get("/survei/<code>/hasil")
def results(code):
    su = _service_unit(code)
    history = stats.unit_history(su)
    wanted = int_arg("periode")
    chosen = next((s for s in history if s.period.id == wanted), None)
    if chosen is None:
        current = stats.current_period([s.period for s in history], today())
        chosen = next((s for s in history if s.period is current), None)
    context = dict(su=su, history=history, chosen=chosen, is_open=su.active and any(
        s.period.is_open for s in history))
    if chosen is not None:
        context.update(elements_chart=charts.elements_chart(chosen.result.elements),
                       trend=charts.trend_chart(history))
    return _cacheable(make_response(render_template("survey_public/results.html", **context)))


@bp.get("/survei/<code>/tindak-lanjut")
def followed_up(code):
    """"Anda menyampaikan, kami menindaklanjuti": what the unit did with citizens' words."""
    su = _service_unit(code)
    return _cacheable(make_response(render_template(
        "survey_public/followed_up.html", su=su,
        suggestions=voice.followed_up_suggestions(su.id),
        complaints=voice.followed_up_complaints(su.id))))


# OPDs per page of the public IKM: a regency's all fit on one; a province's several hundred
# are paged, the regency's (or province's) own IKM still pooled over every unit.
OPDS_PER_PAGE = 20


@bp.get("/ikm")
def overview():
    data = stats.overview(today(), page=page_number(request.args.get("page")),
                          per_page=OPDS_PER_PAGE)
    return _cacheable(make_response(render_template(
        "survey_public/overview.html", data=data, listing=data.listing, meter=charts.meter)))
