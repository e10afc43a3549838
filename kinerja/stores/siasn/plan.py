"""What the planner knows of the database (a snapshot read once), and the plan it makes."""
import hashlib
import json
from dataclasses import dataclass, field

from .columns import FIELD_LABELS

# --- What the planner knows of the database ----------------------------------------------

@dataclass(slots=True)
class UnitRec:
    id: int
    code: str
    name: str
    parent_id: int | None
    path: str


@dataclass(slots=True)
class PositionRec:
    id: int
    name: str
    kind: str
    unit_id: int
    parent_id: int | None


@dataclass(slots=True)
class EmployeeRec:
    id: int
    nip: str
    name: str
    title_front: str
    title_back: str
    rank: str
    grade: str
    employment_type: str
    position: int | None
    unit: int | None
    active: bool


@dataclass
class Snapshot:
    """The organisation as it is, read once up front (see siasn_writer.load_snapshot)."""
    units: dict[int, UnitRec]
    positions: dict[int, PositionRec]
    employees: dict[str, EmployeeRec]        # by NIP
    account_employees: set[int]              # employees that have an account
    usernames: set[str]
    emailed: set[int] = field(default_factory=set)  # employees whose account has an email

    def __post_init__(self):
        self.unit_by_code = {u.code.upper(): u for u in self.units.values()}
        self.units_by_name: dict[str, list[UnitRec]] = {}
        for unit in self.units.values():
            self.units_by_name.setdefault(norm(unit.name), []).append(unit)
        self.position_by_key = {}
        for position in sorted(self.positions.values(), key=lambda p: p.id):
            self.position_by_key.setdefault((position.unit_id, norm(position.name)), position)
        self.holders: dict[int, list[EmployeeRec]] = {}
        for employee in self.employees.values():
            if employee.active and employee.position is not None:
                self.holders.setdefault(employee.position, []).append(employee)


@dataclass(frozen=True)
class Scope:
    """An admin OPD's unit: rows must stay inside it."""
    path: str
    name: str


# --- The plan ------------------------------------------------------------------------------

@dataclass
class BadRow:
    line: int
    nip: str
    name: str
    reasons: list[str]


@dataclass
class NewUnit:
    key: str
    code: str
    name: str
    parent: object          # an existing unit id, another new unit's key, or None (an OPD)
    line: int


@dataclass
class Entry:
    """One row of the file, read."""
    line: int
    nip: str
    name: str
    values: dict            # the employee's fields given by the file
    position_name: str = ""
    kind: str | None = None
    atasan: str = ""
    email: str = ""
    unit_key: object = None
    position_key: object = None
    reasons: list[str] = field(default_factory=list)


@dataclass
class Plan:
    rows_total: int
    bad: list[BadRow]
    warnings: list[tuple[int, str]]
    new_units: list[NewUnit]
    unit_renames: dict[int, str]
    units_unchanged: int
    new_positions: dict[tuple, dict]          # key -> {unit, name, kind}
    position_changes: dict[object, dict]      # key -> {"kind": k, "parent": key}, new ones included
    positions_updated: int
    positions_unchanged: int
    new_employees: list[Entry]
    updated_employees: list[tuple[EmployeeRec, Entry, dict]]   # (before, row, changed fields)
    employees_unchanged: int
    new_accounts: list[str]                   # NIPs
    unit_names: dict                          # unit key -> name, for messages and audit
    new_emails: dict = field(default_factory=dict)  # NIP -> address, for accounts without one

    @property
    def counts(self) -> dict:
        return {
            "units": {"created": len(self.new_units), "updated": len(self.unit_renames),
                      "unchanged": self.units_unchanged},
            "positions": {"created": len(self.new_positions), "updated": self.positions_updated,
                          "unchanged": self.positions_unchanged},
            "employees": {"created": len(self.new_employees),
                          "updated": len(self.updated_employees),
                          "unchanged": self.employees_unchanged},
            "accounts": {"created": len(self.new_accounts), "updated": len(self.new_emails)},
        }

    @property
    def good_rows(self) -> int:
        return self.rows_total - len(self.bad)

    @property
    def has_changes(self) -> bool:
        counts = self.counts
        return any(counts[k].get("created") or counts[k].get("updated") for k in counts)

    @property
    def digest(self) -> str:
        """What the user saw in the dry run; the confirmation must find the same."""
        basis = json.dumps([self.counts, [(b.line, b.reasons) for b in self.bad]],
                           sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(basis.encode()).hexdigest()[:32]

    def changes(self, limit: int = 100) -> list[dict]:
        """A sample of what happens to employees, for the dry-run page."""
        rows = [{"line": e.line, "nip": e.nip, "name": e.name, "status": "created", "fields": []}
                for e in self.new_employees[:limit]]
        for before, entry, changed in self.updated_employees[:max(0, limit - len(rows))]:
            rows.append({"line": entry.line, "nip": entry.nip, "name": entry.name,
                         "status": "updated", "fields": [FIELD_LABELS[f] for f in changed]})
        return sorted(rows, key=lambda r: r["line"])



def norm(text) -> str:
    """Names compared as people mean them: case and spacing do not matter."""
    return " ".join(str(text or "").casefold().split())
