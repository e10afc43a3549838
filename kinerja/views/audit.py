"""Browsing the append-only audit trail, newest first, within the admin's scope."""
import threading
import weakref

from flask import Blueprint, request
from flask_login import current_user, login_required
from peewee import JOIN, SQL, fn

from ..forms.audit import AuditFilterForm
from ..htmx import is_htmx, render
from ..models import ROLES, AuditLog, Employee, Position, Unit, User, db
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


def _conditions(user, form: AuditFilterForm | None) -> list:
    """The scope and the filters as conditions on audit_log alone, so the rows can be
    counted without the joins the page needs only for display."""
    conditions = []
    scope = admin_scope_unit(user)
    if scope is not None:
        # Rows that name no unit (system events, BKPSDM's own accounts) are BKPSDM's alone.
        conditions.append(AuditLog.unit.in_(Unit.select(Unit.id).where(Unit.within(scope))))
    if form is None:
        return conditions
    if form.entity.data:
        conditions.append(AuditLog.entity == form.entity.data)
    if form.action.data:
        conditions.append(AuditLog.action == form.action.data)
    actor = (form.actor.data or "").strip()
    if actor:
        nip = normalise(actor)
        if nip.isdigit():
            match = User.username.startswith(nip)
        else:
            match = User.username.startswith(actor.lower()) | Employee.name.contains(actor)
        actors = User.select(User.id).join(Employee, JOIN.LEFT_OUTER,
                                           on=(User.employee == Employee.id)).where(match)
        conditions.append(AuditLog.actor.in_(actors))
    since, until = wib_day_bounds(form.start, form.end)
    if since:
        conditions.append(AuditLog.at >= since)
    if until:
        conditions.append(AuditLog.at < until)
    text = (form.q.data or "").strip()
    if text:
        conditions.append(AuditLog.summary.contains(text))
    return conditions


def _rows(conditions):
    """Rows with their actor (and the actor's employee) and unit: one query per page."""
    query = (AuditLog.select(AuditLog, User, Employee, Unit)
             .join(User, JOIN.LEFT_OUTER, on=(AuditLog.actor == User.id))
             .join(Employee, JOIN.LEFT_OUTER, on=(User.employee == Employee.id))
             .switch(AuditLog)
             .join(Unit, JOIN.LEFT_OUTER, on=(AuditLog.unit == Unit.id)))
    if conditions:
        query = query.where(*conditions)
    return query.order_by(AuditLog.at.desc(), AuditLog.id.desc())


def _count(conditions) -> int:
    # A bare COUNT(*) on one table: SQLite answers it from the smallest index, where
    # counting the wrapped page query would walk its three joins for every row.
    query = AuditLog.select(fn.COUNT(SQL("*")))
    return (query.where(*conditions) if conditions else query).scalar()


class _KnownCodes:
    """The entity and action codes present in the trail, for the filter choices.

    A DISTINCT over the action column reads the whole table (no index); but the trail
    is append-only, so the set only grows and each request needs to look only at rows
    added since its last look: one query, on the primary key, per page.
    """

    MARGIN = 1000

    def __init__(self):
        self._lock = threading.Lock()
        self._seen = weakref.WeakKeyDictionary()  # per database: tests run many side by side

    def get(self) -> tuple[set, set]:
        database = db.obj
        with self._lock:
            last_id, entities, actions = self._seen.get(database, (0, set(), set()))
            # Re-reading a margin of recent rows covers ids that commit out of order
            # (possible on PostgreSQL, whose sequences do not wait for commits).
            rows = (AuditLog.select(AuditLog.entity, AuditLog.action, fn.MAX(AuditLog.id))
                    .where(AuditLog.id > last_id - self.MARGIN)
                    .group_by(AuditLog.entity, AuditLog.action).tuples())
            for entity, action, max_id in rows:
                entities.add(entity)
                actions.add(action)
                last_id = max(last_id, max_id)
            self._seen[database] = (last_id, entities, actions)
            return set(entities), set(actions)


known_codes = _KnownCodes()


def _choices(values, labels: dict) -> list[tuple[str, str]]:
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
    entities, actions = known_codes.get()
    form = AuditFilterForm(request.args, entities=_choices(entities, ENTITY_LABELS),
                           actions=_choices(actions, ACTION_LABELS))
    valid = form.validate()
    conditions = _conditions(current_user, form if valid else None)
    listing = None
    if valid:
        listing = Page(_rows(conditions), page_number(request.args.get("page")), PER_PAGE,
                       total=_count(conditions))
    rows = []
    if listing is not None:
        names = _reference_names(listing.items)
        rows = [(row, _readable(row, names)) for row in listing.items]
    url_args = {name: value for name, value in request.args.items() if name != "page" and value}
    return render("audit/index.html", "audit/_results.html", status=200 if valid else 422,
                  form=form, listing=listing, rows=rows, url_args=url_args, oob=is_htmx(),
                  entity_labels=ENTITY_LABELS, action_labels=ACTION_LABELS)
