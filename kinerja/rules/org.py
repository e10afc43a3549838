"""Rules of the organisation tree and of an employee's grade; no Flask, no database."""
import re
from collections import defaultdict

# Golongan ruang of PNS (PP 99/2000) and golongan of PPPK (Perpres 98/2020).
PNS_GRADES = [f"{group}/{room}" for group in ("I", "II", "III", "IV")
              for room in ("abcde" if group == "IV" else "abcd")]
PPPK_GRADES = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
               "XIII", "XIV", "XV", "XVI", "XVII"]

_UNIT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")


def normalise_grade(raw: str | None) -> str:
    """'iii / a' → 'III/a': people type golongan in every case and spacing."""
    text = "".join((raw or "").split())
    if "/" in text:
        group, _, room = text.partition("/")
        return f"{group.upper()}/{room.lower()}"
    return text.upper()


def grade_problem(grade: str, employment_type: str) -> str | None:
    """Why this golongan does not fit the kind of ASN, or None when it does (or is empty)."""
    if not grade:
        return None
    if employment_type == "pppk":
        if grade not in PPPK_GRADES:
            return f"Golongan PPPK berupa angka romawi I sampai XVII (misalnya IX), bukan {grade}."
    elif grade not in PNS_GRADES:
        return f"Golongan PNS berbentuk I/a sampai IV/e (misalnya III/a), bukan {grade}."
    return None


def normalise_unit_code(raw: str | None) -> str:
    return "".join((raw or "").split()).upper()


def unit_code_problem(code: str) -> str | None:
    if not _UNIT_CODE.match(code or ""):
        return "Kode unit hanya boleh berisi huruf, angka, titik, dan tanda hubung (misalnya DINKES-YANKES)."
    return None


def is_within(path: str, ancestor_path: str) -> bool:
    """Unit paths ("/1/4/"): is the unit at `path` the unit at `ancestor_path` or below it?"""
    return bool(path) and bool(ancestor_path) and path.startswith(ancestor_path)


def creates_cycle(parent_of: dict[int, int | None], node: int, new_parent: int | None) -> bool:
    """Would making `new_parent` the parent of `node` close a loop in the tree?

    `parent_of` maps every node to its current parent. Walking up from the new parent
    must never reach the node itself; a loop already in the data stops the walk too.
    """
    seen = set()
    current = new_parent
    while current is not None and current not in seen:
        if current == node:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


def unit_move_denial(unit_path: str, new_parent_path: str | None) -> str | None:
    """Why a unit may not go under this parent: never under itself or a unit below it."""
    if new_parent_path and is_within(new_parent_path, unit_path):
        return "Unit tidak dapat dipindah ke bawah dirinya sendiri atau sub-unitnya."
    return None


def unit_deactivation_denial(name: str, *, active_sub_units: bool, active_positions: bool,
                             active_employees: bool) -> str | None:
    """A unit is switched off only once nothing active hangs on it."""
    blockers = [label for label, present in (("sub-unit aktif", active_sub_units),
                                             ("jabatan aktif", active_positions),
                                             ("pegawai aktif", active_employees)) if present]
    if blockers:
        return (f"Unit {name} belum dapat dinonaktifkan: masih memiliki {', '.join(blockers)}. "
                "Pindahkan atau nonaktifkan dahulu.")
    return None


def unit_activation_denial(parent_active: bool | None) -> str | None:
    """`parent_active` is None for an OPD (no parent)."""
    if parent_active is False:
        return "Aktifkan unit induknya terlebih dahulu."
    return None


def position_deactivation_denial(name: str, holders: int) -> str | None:
    if holders:
        return (f"Jabatan {name} masih dipegang {holders} pegawai aktif. "
                "Pindahkan mereka ke jabatan lain terlebih dahulu.")
    return None


def position_activation_denial(unit_active: bool) -> str | None:
    if not unit_active:
        return "Aktifkan unit jabatan ini terlebih dahulu."
    return None


def position_parent_denial(parent_of: dict[int, int | None], position_id: int,
                           new_parent: int | None) -> str | None:
    if creates_cycle(parent_of, position_id, new_parent):
        return "Jabatan tidak dapat berada di bawah jabatan bawahannya sendiri."
    return None


def tree_order(units) -> list[tuple]:
    """Units in tree order (siblings by name) with their depth below the shown roots.

    Any object with `id`, `parent_id` and `name` will do. A unit whose parent is not among
    `units` (outside an admin's scope, or filtered away) is shown as a root.
    """
    ids = {unit.id for unit in units}
    children = defaultdict(list)
    for unit in units:
        children[unit.parent_id if unit.parent_id in ids else None].append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: u.name.lower())
    ordered = []
    stack = [(unit, 0) for unit in reversed(children[None])]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children[unit.id]))
    return ordered


def unit_label(unit, depth: int) -> str:
    """Name and code (sub-units of different OPDs often share a name: Sekretariat), indented
    by an em space per level, a space a select option keeps visible."""
    return "\u2003" * depth + f"{unit.name} ({unit.code})"
