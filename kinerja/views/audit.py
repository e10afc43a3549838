"""Browsing the append-only audit trail, newest first, within the admin's scope."""
from flask import Blueprint, request
from flask_login import current_user, login_required
from peewee import JOIN

from ..forms.audit import AuditFilterForm
from ..htmx import is_htmx, render
from ..models import ROLES, AuditLog, Employee, Position, Unit, User
from ..paging import Page, page_number
from ..rules.audit import (
    ACTION_LABELS, ENTITY_LABELS, FIELD_LABELS, changes, display_value, label, wib_day_bounds,
)
from ..rules.nip import normalise
from ..security import admin_scope_unit, role_required

bp = Blueprint("audit", __name__, url_prefix="/audit")

PER_PAGE = 30
# Recorded foreign keys shown by name instead of id: field → model.
REFERENCES = {"unit": Unit, "scope_unit": Unit, "position": Position, "employee": Employee,
              "appraiser_override": Employee, "appraiser_superior_override": Employee}
VALUE_LABELS = {"role": ROLES}


def _trail(user):
    """Rows with their actor (and the actor's employee) and unit: one query per page."""
    query = (AuditLog.select(AuditLog, User, Employee, Unit)
             .join(User, JOIN.LEFT_OUTER, on=(AuditLog.actor == User.id))
             .join(Employee, JOIN.LEFT_OUTER, on=(User.employee == Employee.id))
             .switch(AuditLog)
             .join(Unit, JOIN.LEFT_OUTER, on=(AuditLog.unit == Unit.id)))
    scope = admin_scope_unit(user)
    if scope is not None:
        # Rows that name no unit (system events, BKPSDM's own accounts) are BKPSDM's alone.
        query = query.where(Unit.within(scope))
    return query


def _filter(query, form: AuditFilterForm):
    if form.entity.data:
        query = query.where(AuditLog.entity == form.entity.data)
    if form.action.data:
        query = query.where(AuditLog.action == form.action.data)
    actor = (form.actor.data or "").strip()
    if actor:
        nip = normalise(actor)
        if nip.isdigit():
            query = query.where(User.username.startswith(nip))
        else:
            query = query.where(User.username.startswith(actor.lower()) | Employee.name.contains(actor))
    since, until = wib_day_bounds(form.start, form.end)
    if since:
        query = query.where(AuditLog.at >= since)
    if until:
        query = query.where(AuditLog.at < until)
    text = (form.q.data or "").strip()
    if text:
        query = query.where(AuditLog.summary.contains(text))
    return query


def _choices(column, labels: dict) -> list[tuple[str, str]]:
    values = [row[0] for row in AuditLog.select(column).distinct().tuples()]
    return sorted(((value, label(labels, value)) for value in values), key=lambda c: c[1])


def _reference_names(rows) -> dict:
    """{(model, id): name} for every recorded reference on the page: a query per model at most."""
    wanted: dict = {}
    for row in rows:
        for snapshot in (row.before_dict(), row.after_dict()):
            for field, model in REFERENCES.items():
                if isinstance(snapshot.get(field), int):
                    wanted.setdefault(model, set()).add(snapshot[field])
    names = {}
    for model, ids in wanted.items():
        for obj in model.select().where(model.id.in_(list(ids))):
            names[(model, obj.id)] = obj.full_name if model is Employee else obj.name
    return names


def _readable(row, names: dict) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each field the change touched."""
    result = []
    for change in changes(row.before_dict(), row.after_dict()):
        model = REFERENCES.get(change.field)

        def show(value):
            if model is not None and isinstance(value, int):
                return names.get((model, value), f"#{value}")
            return display_value(value, VALUE_LABELS.get(change.field))

        result.append((label(FIELD_LABELS, change.field).replace("_", " "),
                       show(change.old), show(change.new)))
    return result


@bp.get("/")
@login_required
@role_required("admin", "admin_opd")
def index():
    form = AuditFilterForm(request.args, entities=_choices(AuditLog.entity, ENTITY_LABELS),
                           actions=_choices(AuditLog.action, ACTION_LABELS))
    valid = form.validate()
    query = _trail(current_user)
    if valid:
        query = _filter(query, form)
    query = query.order_by(AuditLog.at.desc(), AuditLog.id.desc())
    listing = Page(query, page_number(request.args.get("page")), PER_PAGE) if valid else None
    rows = []
    if listing is not None:
        names = _reference_names(listing.items)
        rows = [(row, _readable(row, names)) for row in listing.items]
    url_args = {name: value for name, value in request.args.items() if name != "page" and value}
    return render("audit/index.html", "audit/_results.html", status=200 if valid else 422,
                  form=form, listing=listing, rows=rows, url_args=url_args, oob=is_htmx(),
                  entity_labels=ENTITY_LABELS, action_labels=ACTION_LABELS)
