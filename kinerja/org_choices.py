"""The units an admin may pick, as a tree: one shape for every unit select in the app."""
from .models import Unit, User
from .rules.org import tree_order
from .security import scoped_units


def unit_tree(user: User) -> list[tuple]:
    """(unit, depth) for every unit in the user's admin scope, active or not, in tree order."""
    return tree_order(list(scoped_units(user)))


def unit_filter_tree(user: User) -> list[tuple]:
    """unit_tree with only what a filter select shows (id and name), read as plain rows: a list
    page builds it on every request, and model instances of every unit cost more than the list."""
    rows = scoped_units(user).select(Unit.id, Unit.parent.alias("parent_id"), Unit.name).namedtuples()
    return tree_order(list(rows))


def indented(label: str, depth: int) -> str:
    # An em space per level: a select option keeps leading spaces of this kind visible.
    return "\u2003" * depth + label


def unit_label(unit, depth: int) -> str:
    """Name and code: sub-units of different OPDs often share a name (Sekretariat)."""
    return indented(f"{unit.name} ({unit.code})", depth)


def unit_choices(user: User, keep_id: int | None = None) -> list[tuple[str, str]]:
    """Active units in scope as select choices; `keep_id` (the current value) stays if inactive."""
    return [(str(unit.id), unit_label(unit, depth)) for unit, depth in unit_tree(user)
            if unit.active or unit.id == keep_id]
