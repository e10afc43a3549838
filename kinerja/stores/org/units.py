"""Units and positions: the reads of their pages and every change, each in one transaction
with its audit row, the state it depends on re-read inside it."""
from collections import defaultdict

from peewee import JOIN, IntegrityError, fn

from ...models import POSITION_KINDS, AuditLog, Employee, Position, Unit, db, snapshot
from ...rules import DomainError
from ...rules.org import (
    is_within, position_activation_denial, position_deactivation_denial, position_parent_denial,
    tree_order, unit_activation_denial, unit_deactivation_denial, unit_move_denial,
)
from ...paging import Page
from .tree import scoped_units, unit_tree

UNIT_FIELDS = ("code", "name", "parent", "active")
POSITION_FIELDS = ("name", "kind", "unit", "parent", "active")
KIND_ORDER = {kind: i for i, kind in enumerate(POSITION_KINDS)}
ROOTS_PER_PAGE = 50


def _code_taken(code: str) -> DomainError:
    return DomainError(f"Kode {code} sudah dipakai unit lain.", field="code")


# --- reads ----------------------------------------------------------------------------------

def get_unit(unit_id: int) -> Unit | None:
    return Unit.get_or_none(Unit.id == unit_id)


def get_position(position_id: int) -> Position | None:
    """The position with its unit, in one query."""
    return (Position.select(Position, Unit).join(Unit)
            .where(Position.id == position_id).first())


def tree_page(scope: Unit | None, number: int = 1, per_page: int = ROOTS_PER_PAGE) -> dict:
    """The units in scope as a tree, a page of its top units (OPDs) at a time, with their
    active positions and employees counted. A regency's OPDs fit on one page; a province's
    1,700 units are not drawn at once: the tree is ordered from bare rows, and only the
    page's units are read whole."""
    rows = scoped_units(scope).select(Unit.id, Unit.parent.alias("parent_id"), Unit.name)
    roots, below_of = [], defaultdict(list)
    for row, depth in tree_order(list(rows.namedtuples())):   # parents first, siblings by name
        (below_of[row.parent_id] if depth else roots).append(row.id)
    listing = Page.of_keys(roots, number, per_page, lambda shown: shown)
    ids, waiting = [], list(listing.items)
    while waiting:
        unit_id = waiting.pop()
        ids.append(unit_id)
        waiting.extend(below_of.get(unit_id, ()))
    units = {u.id: u for u in Unit.select().where(Unit.id.in_(ids))} if ids else {}
    children = defaultdict(list, {parent_id: [units[i] for i in kids]
                                  for parent_id, kids in below_of.items() if parent_id in units})
    position_counts = dict(Position.select(Position.unit, fn.COUNT(Position.id))
                           .where(Position.active & Position.unit.in_(ids))
                           .group_by(Position.unit).tuples()) if ids else {}
    employee_counts = dict(Employee.select(Employee.unit, fn.COUNT(Employee.id))
                           .where(Employee.active & Employee.unit.in_(ids))
                           .group_by(Employee.unit).tuples()) if ids else {}
    return {"roots": [units[i] for i in listing.items], "listing": listing,
            "children": children, "position_counts": position_counts,
            "employee_counts": employee_counts}


def unit_page(unit: Unit, scope: Unit | None) -> dict:
    """A unit's breadcrumbs (within the scope), sub-units, positions with their holders, and
    the active employees of its whole subtree."""
    ancestor_ids = Unit.path_ids(unit.path)[:-1]
    ancestors = {u.id: u for u in Unit.select().where(Unit.id.in_(ancestor_ids))}
    breadcrumbs = [ancestors[i] for i in ancestor_ids if i in ancestors
                   and (scope is None or is_within(ancestors[i].path, scope.path))]
    sub_units = list(Unit.select().where(Unit.parent == unit.id).order_by(Unit.name))
    Parent = Position.alias()
    positions = list(Position.select(Position, Parent)
                     .join(Parent, on=(Position.parent == Parent.id), attr="parent_position",
                           join_type=JOIN.LEFT_OUTER)
                     .where(Position.unit == unit.id)
                     .order_by(Position.active.desc(), Position.name))
    holders = defaultdict(list)
    for employee in (Employee.select().where(Employee.position.in_([p.id for p in positions])
                                             & Employee.active).order_by(Employee.name)):
        holders[employee.position_id].append(employee)
    positions.sort(key=lambda p: (not p.active, KIND_ORDER.get(p.kind, 9), p.name.lower()))
    employee_count = (Employee.select().where(
        Employee.active & Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(unit))))
        .count())
    return {"breadcrumbs": breadcrumbs, "sub_units": sub_units, "positions": positions,
            "holders": holders, "employee_count": employee_count}


def position_options(scope: Unit | None, keep_id=None, excluding: Position | None = None):
    """(positions, kept): the active positions of the active units in scope, in tree order of
    their units, and the current value `keep_id` when it is not among them (inactive or
    outside the scope), else None. `excluding` is a position whose own subtree may not be
    chosen (no loops)."""
    order = {unit.id: i for i, (unit, _) in enumerate(unit_tree(scope))}
    query = Position.select(Position, Unit).join(Unit).where(Position.active & Unit.active)
    if scope is not None:
        query = query.where(Unit.within(scope))
    positions = sorted(query, key=lambda p: (order.get(p.unit_id, len(order)),
                                             KIND_ORDER.get(p.kind, 9), p.name.lower()))
    if excluding is not None:
        parent_of = _position_parents()
        positions = [p for p in positions
                     if not position_parent_denial(parent_of, excluding.id, p.id)]
    kept = None
    if keep_id and keep_id not in {p.id for p in positions}:
        kept = get_position(keep_id)
    return positions, kept


def _position_parents() -> dict:
    return dict(Position.select(Position.id, Position.parent).tuples())


# --- units ----------------------------------------------------------------------------------

def create_unit(actor, *, name: str, code: str, parent_id: int | None) -> Unit:
    try:
        with db.atomic():
            unit = Unit.create(name=name, code=code, parent=parent_id)
            unit.refresh_path()
            AuditLog.record(actor, "create", "unit", unit.id, f"Unit {unit.name} ({unit.code}) dibuat",
                            after=snapshot(unit, UNIT_FIELDS), unit=unit)
    except IntegrityError:  # the same code saved a moment earlier
        raise _code_taken(code) from None
    return unit


def update_unit(actor, unit_id: int, *, name: str, code: str, parent_id: int | None) -> Unit:
    """Rename, recode or move a unit; a move carries its whole subtree (the paths below it)."""
    try:
        with db.atomic():
            unit = Unit.get_by_id(unit_id)
            before = snapshot(unit, UNIT_FIELDS)
            moved = parent_id != unit.parent_id
            if moved and parent_id:
                problem = unit_move_denial(unit.path, Unit.get_by_id(parent_id).path)
                if problem:
                    raise DomainError(problem, field="parent")
            unit.name, unit.code, unit.parent = name, code, parent_id
            unit.save()
            if moved:
                unit.refresh_path()
            AuditLog.record(actor, "update", "unit", unit.id,
                            f"Unit {unit.name} ({unit.code}) diubah"
                            + ("; unit induk dipindah" if moved else ""),
                            before=before, after=snapshot(unit, UNIT_FIELDS), unit=unit)
    except IntegrityError:  # another admin took this code a moment earlier
        raise _code_taken(code) from None
    return unit


def set_unit_active(actor, unit_id: int, active: bool) -> bool:
    """Switch a unit off (once nothing active hangs on it) or on (once its parent is on).
    False when it already was; DomainError when it may not be."""
    with db.atomic():
        unit = Unit.get_by_id(unit_id)
        if active:
            parent = Unit.get_by_id(unit.parent_id) if unit.parent_id else None
            problem = unit_activation_denial(parent.active if parent else None)
        else:
            problem = unit_deactivation_denial(
                unit.name,
                active_sub_units=Unit.select().where((Unit.parent == unit.id) & Unit.active).exists(),
                active_positions=Position.select().where(
                    (Position.unit == unit.id) & Position.active).exists(),
                active_employees=Employee.select().where(
                    (Employee.unit == unit.id) & Employee.active).exists())
        if problem:
            raise DomainError(problem)
        if unit.active == active:
            return False
        _switch(actor, unit, "unit", UNIT_FIELDS, f"Unit {unit.name} ({unit.code})", unit, active)
    return True


def _switch(actor, record, entity: str, fields: tuple, label: str, unit, active: bool) -> None:
    before = snapshot(record, fields)
    record.active = active
    record.save(only=[type(record).active])
    AuditLog.record(actor, "activate" if active else "deactivate", entity, record.id,
                    f"{label} " + ("diaktifkan kembali" if active else "dinonaktifkan"),
                    before=before, after=snapshot(record, fields), unit=unit)


# --- positions ------------------------------------------------------------------------------

def create_position(actor, *, name: str, kind: str, unit_id: int, parent_id: int | None) -> Position:
    with db.atomic():
        target = Unit.get_by_id(unit_id)
        position = Position.create(name=name, kind=kind, unit=target, parent=parent_id)
        AuditLog.record(actor, "create", "position", position.id,
                        f"Jabatan {position.name} dibuat di {target.name}",
                        after=snapshot(position, POSITION_FIELDS), unit=target)
    return position


def update_position(actor, position_id: int, *, name: str, kind: str, unit_id: int,
                    parent_id: int | None) -> Position:
    """Change a position; moved to another unit, its holders move with it."""
    with db.atomic():
        position = Position.get_by_id(position_id)
        target = Unit.get_by_id(unit_id)
        if parent_id != position.parent_id:
            problem = position_parent_denial(_position_parents(), position.id, parent_id)
            if problem:
                raise DomainError(problem, field="parent")
        before = snapshot(position, POSITION_FIELDS)
        moved = target.id != position.unit_id
        position.name, position.kind = name, kind
        position.unit, position.parent = target, parent_id
        position.save()
        followed = 0
        if moved:
            # Employee.unit is a copy of the position's unit: holders move with it.
            followed = (Employee.update(unit=target.id)
                        .where(Employee.position == position.id).execute())
        AuditLog.record(actor, "update", "position", position.id,
                        f"Jabatan {position.name} diubah"
                        + (f"; pindah ke {target.name} bersama {followed} pegawai" if moved else ""),
                        before=before, after=snapshot(position, POSITION_FIELDS), unit=target)
    return position


def set_position_active(actor, position_id: int, active: bool) -> bool:
    """Switch a position off (once nobody active holds it) or on (once its unit is on).
    False when it already was; DomainError when it may not be."""
    with db.atomic():
        position = get_position(position_id)
        if active:
            problem = position_activation_denial(position.unit.active)
        else:
            problem = position_deactivation_denial(position.name,
                                                   Employee.holders_of(position.id).count())
        if problem:
            raise DomainError(problem)
        if position.active == active:
            return False
        _switch(actor, position, "position", POSITION_FIELDS, f"Jabatan {position.name}",
                position.unit_id, active)
    return True
