"""The blueprint of the staff SKM pages and what they share: who comes in, the loaders of a
service unit and its services and periods, and the public addresses of a unit.

Only admins (the whole regency) and admin OPD (their unit and below) come in; a service
unit outside an admin OPD's scope answers 404, as if it did not exist.
"""
from flask import Blueprint, abort, current_app, request
from flask_login import current_user

from ...forms import field_fragment
from ...htmx import is_htmx
from ...models import Service, ServiceUnit, SurveyPeriod, Unit
from ...security import admin_scope_unit, require_unit_scope
from ...stores.survey import units as store
from ..toolkit import require_roles

bp = Blueprint("survey_admin", __name__, url_prefix="/skm")
require_roles(bp, "admin", "admin_opd")


def scope() -> Unit | None:
    """The unit an admin OPD manages; None for the admin of the whole regency."""
    return admin_scope_unit(current_user)


def load_service_unit(su_id) -> ServiceUnit:
    su = store.get_service_unit(su_id)
    if su is None:
        abort(404)
    require_unit_scope(current_user, su.unit)
    return su


def load_service(su: ServiceUnit, service_id) -> Service:
    """A service of this service unit, else 404 (ids of other units' services included)."""
    service = store.service_of(su, service_id)
    if service is None:
        abort(404)
    return service


def load_period(su: ServiceUnit, period_id) -> SurveyPeriod:
    """A period of this service unit, else 404 (ids of other units' periods included)."""
    period = store.period_of(su, period_id)
    if period is None:
        abort(404)
    return period


def public_form_url(su) -> str:
    """The address on posters and QR codes: stable, so it never follows a route rename. Behind
    a proxy or a domain name PUBLIC_URL says where citizens reach the server; without it, the
    address the staff member reached this page at (host and port included) is the best guess."""
    base = current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")
    return f"{base}/survei/{su.code}"


def kiosk_url(su) -> str | None:
    return f"{public_form_url(su)}?kiosk={su.kiosk_token}" if su.kiosk_token else None


def inline_validation(form):
    """A field left by the user (hx-post from the field macro): answer with that field only."""
    name = request.headers.get("HX-Trigger-Name")
    if is_htmx() and name and request.method == "POST":
        return field_fragment(form, name)
    return None
