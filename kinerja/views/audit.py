"""Browsing the append-only audit trail, newest first, within the admin's scope."""
from flask import Blueprint, request
from flask_login import current_user

from ..forms.audit import AuditFilterForm
from ..htmx import is_htmx, respond
from ..paging import page_number
from ..rules.audit import ACTION_LABELS, ENTITY_LABELS
from ..security import admin_scope_unit
from ..stores import audit as store
from .toolkit import require_roles

bp = Blueprint("audit", __name__, url_prefix="/audit")
require_roles(bp, "admin", "admin_opd")


@bp.get("/")
def index():
    scope = admin_scope_unit(current_user)
    entities, actions = store.filter_choices()
    form = AuditFilterForm(request.args, entities=entities, actions=actions)
    valid = form.validate()
    listing, capped, rows = None, False, []
    if valid:
        filters = store.Filters(entity=form.entity.data, action=form.action.data,
                                actor=form.actor.data or "", start=form.start, end=form.end,
                                q=form.q.data or "")
        listing, capped = store.listing(scope, filters, page_number(request.args.get("page")))
        rows = store.readable_rows(listing.items)
    url_args = {name: value for name, value in request.args.items() if name != "page" and value}
    return respond("audit/index.html", "audit/_results.html", status=200 if valid else 422,
                   form=form, listing=listing, capped=capped, count_cap=store.COUNT_CAP,
                   rows=rows, url_args=url_args, oob=is_htmx(), entity_labels=ENTITY_LABELS,
                   action_labels=ACTION_LABELS, scope=scope)
