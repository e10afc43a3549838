"""The units an admin may pick, as a tree: one shape for every unit select in the app."""
from ...models import Unit
from ...rules.org import is_within, tree_order, unit_label


def scoped_units(scope: Unit | None):
    """Units inside the scope (every unit for None)."""
    query = Unit.select()
    return query if scope is None else query.where(Unit.within(scope))


def in_scope(scope: Unit | None, unit: Unit | None) -> bool:
    return scope is None or (unit is not None and is_within(unit.path, scope.path))


def unit_tree(scope: Unit | None) -> list[tuple]:
    """(unit, depth) for every unit in the scope, active or not, in tree order."""
    return tree_order(list(scoped_units(scope)))


# Past this many units (a province in one Kinerja) a filter select lists the top units only:
# two thousand options are unusable and cost most of the page to draw.
FILTER_UNITS = 250


def unit_filter_tree(scope: Unit | None, chosen: Unit | None = None) -> list[tuple]:
    """unit_tree with only what a filter select shows (id and name), read as plain rows: a list
    page builds it on every request, and model instances of every unit cost more than the list.
    Beyond FILTER_UNITS, the top units of the scope and the unit chosen (reached from its own
    page) only."""
    rows = scoped_units(scope).select(Unit.id, Unit.parent.alias("parent_id"), Unit.name).namedtuples()
    ordered = tree_order(list(rows))
    if len(ordered) <= FILTER_UNITS:
        return ordered
    return [(unit, 0) for unit, depth in ordered
            if depth == 0 or (chosen is not None and unit.id == chosen.id)]


def unit_choices(scope: Unit | None, keep_id: int | None = None) -> list[tuple[str, str]]:
    """Active units in scope as select choices; `keep_id` (the current value) stays if inactive."""
    return [(str(unit.id), unit_label(unit, depth)) for unit, depth in unit_tree(scope)
            if unit.active or unit.id == keep_id]


def parent_choices(scope: Unit | None, unit: Unit | None = None) -> list[tuple[str, str]]:
    """Active units in scope that may hold `unit` (never itself or a unit below it)."""
    choices = [] if scope is not None else [("", "— tanpa induk (OPD) —")]
    for candidate, depth in unit_tree(scope):
        if not candidate.active or (unit is not None and is_within(candidate.path, unit.path)):
            continue
        choices.append((str(candidate.id), unit_label(candidate, depth)))
    if unit is not None and str(unit.parent_id or "") not in {value for value, _ in choices}:
        # The current parent stays selectable (an admin OPD's own top unit keeps its place).
        current = Unit.get_or_none(Unit.id == unit.parent_id) if unit.parent_id else None
        label = f"{current.name} (tetap)" if current else "— tanpa induk (OPD) —"
        choices.insert(0, (str(unit.parent_id or ""), label))
    return choices
