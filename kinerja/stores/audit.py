"""The audit trail as its page reads it: the admin's scope and the filters become conditions
on audit_log, planned to stay fast on a trail of millions (a count capped, the newest rows
read through whichever index filters best), and each row's changes made readable, with
names instead of ids and labels instead of codes.

The trail is append-only (triggers in the migration refuse UPDATE and DELETE); rows are
written by each area's store with `AuditLog.record`, inside the transaction of the change."""
import datetime
from dataclasses import dataclass

from peewee import JOIN, SQL, CharField

from .. import clock
from ..models import (
    APPENDIX_SECTIONS, EMPLOYMENT_TYPES, POSITION_KINDS, RESPONSE_STATUSES,
    RHK_KINDS, ROLES, SKP_APPROACHES, SKP_STATUSES, SUGGESTION_STATUSES, SURVEY_PERIOD_KINDS, AuditLog,
    Employee, OrgGoal, Position, Rhk, Unit, User, db,
)
from ..paging import Page
from ..rules import evaluation as ev_rules, ikm
from ..rules.audit import (
    ACTION_LABELS, ENTITY_LABELS, FIELD_LABELS, changes, display_value, label, local_day_bounds,
)
from ..rules.nip import normalise


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the trail to (empty text: no filter)."""
    entity: str = ""
    action: str = ""
    actor: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    q: str = ""


PER_PAGE = 30
# Recorded foreign keys shown by name instead of id: (entity, field) or field → model.
REFERENCES = {"unit": Unit, "scope_unit": Unit, "position": Position, "employee": Employee,
              "appraiser": Employee, "superior": Employee, "handler": Employee,
              "appraiser_override": Employee, "appraiser_superior_override": Employee,
              "org_goal": OrgGoal, ("unit", "parent"): Unit, ("position", "parent"): Position,
              ("rhk", "parent"): Rhk}
# Recorded codes shown by their label: (entity, field) or field → {code: label}.
VALUE_LABELS = {
    "role": ROLES, "employment_type": EMPLOYMENT_TYPES, "approach": SKP_APPROACHES,
    "result_rating": ev_rules.RATINGS, "behaviour_rating": ev_rules.RATINGS,
    "predikat": ev_rules.PREDIKATS, "evaluation_cadence": ev_rules.CADENCES,
    "period_kind": SURVEY_PERIOD_KINDS, "section": APPENDIX_SECTIONS,
    "element": {e.code: f"{e.code.upper()} {e.name}" for e in ikm.ELEMENTS},
    ("skp", "status"): SKP_STATUSES, ("evaluation", "status"): ev_rules.STATES,
    ("suggestion_follow_up", "status"): SUGGESTION_STATUSES,
    ("survey_response", "status"): RESPONSE_STATUSES, ("position", "kind"): POSITION_KINDS,
    ("rhk", "kind"): RHK_KINDS, ("survey_period", "kind"): SURVEY_PERIOD_KINDS,
    ("org_performance", "predikat"): ev_rules.ORG_PREDIKATS,
}


def _for(table: dict, entity: str, field: str):
    return table.get((entity, field)) or table.get(field)


# Counting stops here: "more than 10,000 rows" is all a reader needs to narrow the filters,
# and it bounds both the count and the deepest page's OFFSET on a trail of millions.
COUNT_CAP = 10_000
# Up to this many matches, reading all their ids through an index and sorting them beats
# walking the trail backwards past the rows that do not match (a small OPD, one action).
SORT_CAP = 50_000


def _unindexed(field):
    """The column as an expression SQLite's planner cannot use an index for."""
    return field.concat("") if isinstance(field, CharField) else field + 0


def _conditions(scope: Unit | None, filters: Filters, many: bool = False) -> list:
    """The scope and the filters as conditions on audit_log alone, so the rows can be
    counted without the joins the page needs only for display.

    `many`: too many rows match to read and sort them all. The newest 30 are then found by
    walking one ordered index backwards — the dates' when there are dates, else the primary
    key or the entity's, action's or a single actor's (SQLite keeps each value's rows in id
    order) — checking the other conditions on the way. Left to itself the planner would read
    every row of a large OPD or a common name through their index and sort them all before
    showing the first 30. With fewer matches that read is small and quicker than a walk past
    rows that do not match."""
    dated = bool(filters.start or filters.end)

    def follows(field, leads: bool = False):
        return _unindexed(field) if many and not leads else field

    conditions = []
    if scope is not None:
        # Rows that name no unit (system events, BKPSDM's own accounts) are BKPSDM's alone.
        conditions.append(follows(AuditLog.unit).in_(Unit.select(Unit.id).where(Unit.within(scope))))
    if filters.entity:
        conditions.append(follows(AuditLog.entity, leads=not dated) == filters.entity)
    if filters.action:
        conditions.append(follows(AuditLog.action, leads=not dated) == filters.action)
    actor = (filters.actor or "").strip()
    if actor:
        nip = normalise(actor)
        if nip.isdigit():
            match = User.username.startswith(nip)
        else:
            match = User.username.startswith(actor.lower()) | Employee.name.contains(actor)
        actors = User.select(User.id).join(Employee, JOIN.LEFT_OUTER,
                                           on=(User.employee == Employee.id)).where(match)
        # One account's rows lie in id order along the actor index; several accounts' would
        # have to be merged and sorted, so they are checked along the walk instead.
        one = many and not dated and actors.limit(2).count() == 1
        conditions.append(follows(AuditLog.actor, leads=one).in_(actors))
    since, until = local_day_bounds(filters.start, filters.end, clock.zone())
    if since:
        conditions.append(AuditLog.at >= since)
    if until:
        conditions.append(AuditLog.at < until)
    text = (filters.q or "").strip()
    if text:
        conditions.append(AuditLog.summary.contains(text))
    return conditions


def _rows(conditions, dated: bool | None):
    """Rows with their actor (and the actor's employee) and unit, newest first: by id, as
    rows are appended in time order, or by time when a date range walks the time index.
    The two orders differ only for rows recorded within the same moment by concurrent
    requests. `dated=None` leaves them unordered."""
    query = (AuditLog.select(AuditLog, User, Employee, Unit)
             .join(User, JOIN.LEFT_OUTER, on=(AuditLog.actor == User.id))
             .join(Employee, JOIN.LEFT_OUTER, on=(User.employee == Employee.id))
             .switch(AuditLog)
             .join(Unit, JOIN.LEFT_OUTER, on=(AuditLog.unit == Unit.id)))
    if conditions:
        query = query.where(*conditions)
    if dated is None:
        return query
    order = (AuditLog.at.desc(), AuditLog.id.desc()) if dated else (AuditLog.id.desc(),)
    return query.order_by(*order)


def _rows_by_id(ids: list[int]) -> list:
    """The rows of these ids, in the order given. Unordered in SQL: asked to order them,
    SQLite walks the whole table backwards rather than look up thirty ids and sort."""
    found = {row.id: row for row in _rows([AuditLog.id.in_(ids)], dated=None)}
    return [found[row_id] for row_id in ids if row_id in found]


def _count(conditions, limit: int) -> int:
    """How many rows match, up to `limit`, from whichever index filters best."""
    query = AuditLog.select(SQL("1"))
    return (query.where(*conditions) if conditions else query).limit(limit).count()


def _matching_ids(conditions, limit: int) -> list[int]:
    """The ids of the matching rows, up to `limit` and in no order: one table and no order
    to keep, so SQLite reads them through whichever index filters best."""
    query = AuditLog.select(AuditLog.id)
    query = (query.where(*conditions) if conditions else query).limit(limit)
    # The raw cursor: ten thousand ids through the ORM's row objects cost ten times more.
    return [row_id for row_id, in db.execute(query).fetchall()]


def listing(scope: Unit | None, filters: Filters, number: int) -> tuple[Page, bool]:
    """The page of rows, and whether more than COUNT_CAP rows match."""
    conditions = _conditions(scope, filters)
    text = bool((filters.q or "").strip())
    # Text in the summary has no index: counting and then reading ids would each read every
    # summary, so its ids are read once. Otherwise counting first spares fetching ids in
    # the usual case, the whole trail unfiltered.
    ids = _matching_ids(conditions, COUNT_CAP + 1) if text else None
    found = len(ids) if text else _count(conditions, COUNT_CAP + 1)
    # Past the cap, one condition counts along its own index alone, cheaply; with more,
    # counting to SORT_CAP would look up rows that do not match, so those walk at once.
    sortable = found <= COUNT_CAP or (len(conditions) == 1 and not text
                                      and _count(conditions, SORT_CAP + 1) <= SORT_CAP)
    if not sortable:
        walk = _rows(_conditions(scope, filters, many=True), dated=bool(filters.start or filters.end))
        page = Page(walk, number, PER_PAGE, total=COUNT_CAP)
        page.items = page.items[:COUNT_CAP - page.first_index + 1]  # the last page ends at the cap
        return page, True
    if ids is None or found > COUNT_CAP:
        ids = _matching_ids(conditions, SORT_CAP)
    # Rows are appended in time order: the newest have the highest ids.
    newest = sorted(ids, reverse=True)[:COUNT_CAP]
    return Page.of_keys(newest, number, PER_PAGE, _rows_by_id), found > COUNT_CAP


def _distinct(column: str) -> set[str]:
    """The codes present in an indexed column of the trail, for the filter choices: one index
    seek per code (a loose index scan), where DISTINCT would read all the rows (two seconds
    at a million). `column` is one of ours, never the user's."""
    sql = (f'WITH RECURSIVE code(value) AS (SELECT min("{column}") FROM audit_log UNION ALL '
           f'SELECT (SELECT min("{column}") FROM audit_log WHERE "{column}" > value) FROM code '
           'WHERE value IS NOT NULL) SELECT value FROM code WHERE value IS NOT NULL')
    return {value for value, in db.execute_sql(sql).fetchall()}


def _choices(values, labels: dict) -> list[tuple[str, str]]:
    return sorted(((value, label(labels, value)) for value in values), key=lambda c: c[1])


def filter_choices() -> tuple[list, list]:
    """(entities, actions) present in the trail, as labelled choices."""
    return (_choices(_distinct("entity"), ENTITY_LABELS),
            _choices(_distinct("action"), ACTION_LABELS))


def readable_rows(rows) -> list[tuple]:
    """(row, [(field label, before, after), …]) for each row of a page."""
    names = _reference_names(rows)
    return [(row, _readable(row, names)) for row in rows]


def _reference_names(rows) -> dict:
    """{(model, id): name} for every recorded reference on the page: a query per model at most."""
    wanted: dict = {}
    for row in rows:
        for snapshot in (row.before_dict(), row.after_dict()):
            for field, value in snapshot.items():
                model = _for(REFERENCES, row.entity, field)
                if model is not None and isinstance(value, int):
                    wanted.setdefault(model, set()).add(value)
    names = {}
    for model, ids in wanted.items():
        for obj in model.select().where(model.id.in_(list(ids))):
            names[(model, obj.id)] = _name_of(obj)
    return names


def _name_of(obj) -> str:
    if isinstance(obj, Employee):
        return obj.full_name
    if isinstance(obj, Rhk):
        return obj.text[:80]
    if isinstance(obj, OrgGoal):
        return obj.goal[:80]
    return obj.name


def _readable(row, names: dict) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each field the change touched."""
    result = []
    for change in changes(row.before_dict(), row.after_dict()):
        model = _for(REFERENCES, row.entity, change.field)

        def show(value):
            if model is not None and isinstance(value, int):
                return names.get((model, value), f"#{value}")
            return display_value(value, _for(VALUE_LABELS, row.entity, change.field))

        result.append((label(FIELD_LABELS, change.field).replace("_", " "),
                       show(change.old), show(change.new)))
    return result
