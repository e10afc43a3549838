"""Import of units, positions and employees from a SIASN export (CSV or XLSX).

`plan_import` is pure: the rows of `kinerja.spreadsheets.read_rows` and a `Snapshot` of the
database become a `Plan` — what would be created, updated or left unchanged, and every bad row
with its line number and its reasons in plain Indonesian. Nothing is written; the same plan is
the dry run and, recomputed inside the write transaction, the confirmation
(`kinerja.importers.siasn_writer`).

How rows become the organisation:
- the unit is UNOR (matched by UNOR_ID, else by name), placed under UNOR INDUK (the OPD) when it
  is new; a unit with no induk is an OPD;
- the position is the JABATAN of that unit (matched by name within the unit);
- the position tree follows the NIP of the atasan: the position of the first row naming an
  atasan becomes a child of the atasan's position;
- employees are matched by NIP; those absent from the file are left alone.
"""
import datetime
import hashlib
import json
from dataclasses import dataclass, field

from .. import clock
from ..models import POSITION_KINDS
from ..rules.nip import nip_errors, normalise as normalise_nip
from ..rules.org import grade_problem, normalise_grade
from ..rules.siasn import employment_type, position_kind, rank_for_grade
from ..spreadsheets import Row, SpreadsheetError, normalise_header

STRUCTURAL = ("jpt_pratama", "administrator", "pengawas")


@dataclass(frozen=True)
class Column:
    field: str
    header: str            # as SIASN writes it, and as the template has it
    aliases: tuple         # other spellings, compared after normalise_header
    required: bool
    example: str
    help: str


COLUMNS = [
    Column("nip", "NIP_BARU", ("nip baru", "nip", "nip 18 digit", "nipbaru"), True,
           "199203152019032005", "NIP 18 digit; spasi dan titik diabaikan."),
    Column("name", "NAMA", ("nama", "nama pegawai", "nama lengkap", "nama asn"), True,
           "Rina Lestari", "Nama tanpa gelar."),
    Column("title_front", "GELAR_DEPAN", ("gelar depan",), False, "", "Misalnya dr. atau Drs."),
    Column("title_back", "GELAR_BELAKANG", ("gelar belakang",), False, "S.Kep., Ns.",
           "Misalnya S.Kep., Ns."),
    Column("employment", "JENIS_PEGAWAI",
           ("jenis pegawai", "jenis pegawai nama", "status pegawai", "status kepegawaian",
            "jenis asn"), True, "PNS", "PNS (juga CPNS, \u201cPNS Daerah\u2026\u201d) atau PPPK."),
    Column("grade", "GOL_AKHIR_NAMA",
           ("gol akhir nama", "gol akhir", "golongan akhir", "golongan", "gol", "gol ruang",
            "golongan ruang"), False, "III/b",
           "PNS: I/a sampai IV/e; PPPK: I sampai XVII."),
    Column("rank", "PANGKAT", ("pangkat", "pangkat akhir", "pangkat nama", "pangkat akhir nama"),
           False, "Penata Muda Tingkat I", "Bila kosong, diturunkan dari golongan PNS."),
    Column("position_name", "JABATAN_NAMA", ("jabatan nama", "jabatan", "nama jabatan"), True,
           "Perawat Ahli Pertama", "Nama jabatan."),
    Column("position_kind", "JENIS_JABATAN_NAMA", ("jenis jabatan nama", "jenis jabatan"), True,
           "Fungsional",
           "JPT Pratama, Administrator, Pengawas, Fungsional (Tertentu), Pelaksana "
           "(atau Fungsional Umum), atau Struktural dengan ESELON."),
    Column("eselon", "ESELON", ("eselon", "eselon nama"), False, "",
           "II, III, atau IV (misalnya III.a); dipakai bila jenis jabatan hanya \u201cStruktural\u201d."),
    Column("unit_code", "UNOR_ID", ("unor id", "kode unor", "unor kode", "kode unit", "unit kode",
                                    "kode unit kerja"), False, "PKM-SUKAMAJU",
           "Kode unit kerja; bila kosong, unit dicari dari namanya."),
    Column("unit_name", "UNOR_NAMA", ("unor nama", "unor", "nama unor", "unit kerja",
                                      "nama unit kerja", "unit organisasi"), True,
           "UPTD Puskesmas Sukamaju", "Unit kerja tempat jabatan berada."),
    Column("opd_code", "UNOR_INDUK_ID", ("unor induk id", "kode unor induk", "kode opd", "opd kode",
                                         "kode induk"), False, "DINKES", "Kode OPD/unit induk."),
    Column("opd_name", "UNOR_INDUK_NAMA", ("unor induk nama", "unor induk", "opd", "nama opd",
                                           "perangkat daerah", "unit induk"), False,
           "Dinas Kesehatan", "OPD/unit induk; dipakai untuk menempatkan unit baru."),
    Column("atasan", "NIP_ATASAN", ("nip atasan", "atasan nip", "nip atasan langsung",
                                    "nip pejabat penilai", "nip atasan langsung baru"), False,
           "197805122005011003", "NIP atasan langsung; membentuk pohon jabatan."),
]
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}

LIMITS = {"name": 150, "title_front": 50, "title_back": 80, "rank": 60, "grade": 10,
          "position_name": 200, "unit_name": 200, "opd_name": 200, "unit_code": 32, "opd_code": 32}
FIELD_LABELS = {"name": "nama", "title_front": "gelar depan", "title_back": "gelar belakang",
                "rank": "pangkat", "grade": "golongan", "employment_type": "jenis pegawai",
                "position": "jabatan", "unit": "unit kerja", "active": "status aktif"}
EMPLOYEE_FIELDS = ("nip", "name", "title_front", "title_back", "rank", "grade",
                   "employment_type", "position", "unit", "active")


def template_sheet() -> tuple[list[str], list[list[str]]]:
    """Headers and one example row, for the downloadable template."""
    return [c.header for c in COLUMNS], [[c.example for c in COLUMNS]]


def _key(text) -> str:
    """Header comparison: case, spaces, underscores and punctuation do not matter."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in normalise_header(text))
    return " ".join(cleaned.split())


def map_columns(headers: list[str]) -> dict[str, str]:
    """{field: header as in Row.cells}; a missing required column stops the import."""
    by_key = {}
    for header in headers:
        if header:
            by_key.setdefault(_key(header), header)
    mapping = {}
    for column in COLUMNS:
        for alias in (_key(column.header),) + column.aliases:
            if alias in by_key:
                mapping[column.field] = by_key[alias]
                break
    missing = [c.header for c in COLUMNS if c.required and c.field not in mapping]
    if missing:
        raise SpreadsheetError(
            "Kolom wajib tidak ditemukan: " + ", ".join(missing) + ". Baris pertama berkas harus "
            "berisi judul kolom seperti pada templat; unduh templat untuk melihat nama kolom "
            "yang diterima.")
    return mapping


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

    def __post_init__(self):
        self.unit_by_code = {u.code.upper(): u for u in self.units.values()}
        self.units_by_name: dict[str, list[UnitRec]] = {}
        for unit in self.units.values():
            self.units_by_name.setdefault(_norm(unit.name), []).append(unit)
        self.position_by_key = {}
        for position in sorted(self.positions.values(), key=lambda p: p.id):
            self.position_by_key.setdefault((position.unit_id, _norm(position.name)), position)
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
            "accounts": {"created": len(self.new_accounts)},
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


def _norm(text) -> str:
    return " ".join(str(text or "").casefold().split())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _nip_cell(value) -> tuple[str, str | None]:
    """(NIP, problem). Excel keeps 15 significant digits: a NIP typed as a number is damaged."""
    if isinstance(value, float):
        return _text(value), ("NIP tersimpan sebagai angka sehingga digit terakhirnya berubah; "
                              "ubah format kolom NIP menjadi Teks lalu isi ulang NIP-nya.")
    return normalise_nip(_text(value)), None


# --- Reading one row -----------------------------------------------------------------------

def _read_entry(row: Row, mapping: dict, today: datetime.date) -> tuple[Entry, dict]:
    """The row's values and its own problems (those that need no other row)."""
    raw = {f: row.cells.get(h) for f, h in mapping.items()}
    text = {f: _text(v) for f, v in raw.items()}
    nip, nip_problem = _nip_cell(raw.get("nip"))
    entry = Entry(row.line, nip, text.get("name", ""), {})
    reasons = entry.reasons
    if row.problem:
        reasons.append(row.problem)
    if nip_problem:
        reasons.append(nip_problem)
    else:
        # The row's status decides the pattern; an unknown status is reported below.
        errors = nip_errors(nip, today, employment_type(text.get("employment")))
        if errors:
            reasons.append("NIP tidak sah: " + " ".join(errors) if nip else errors[0])
    if not entry.name:
        reasons.append("Nama wajib diisi.")
    for name, limit in LIMITS.items():
        if len(text.get(name, "")) > limit:
            label = COLUMN_BY_FIELD[name].header if name in COLUMN_BY_FIELD else name
            reasons.append(f"Isian {label} terlalu panjang (maksimal {limit} karakter).")

    kind_of_employee = employment_type(text.get("employment"))
    if not text.get("employment"):
        reasons.append("Jenis pegawai wajib diisi (PNS atau PPPK).")
    elif kind_of_employee is None:
        reasons.append(f"Jenis pegawai \u201c{text['employment']}\u201d tidak dikenal; isi PNS atau PPPK.")
    values = {"name": entry.name, "employment_type": kind_of_employee or "pns"}
    for name in ("title_front", "title_back"):
        if name in mapping:
            values[name] = text.get(name, "")
    grade = normalise_grade(text.get("grade", ""))
    if kind_of_employee:
        problem = grade_problem(grade, kind_of_employee)
        if problem:
            reasons.append(problem)
    if "grade" in mapping:
        values["grade"] = grade
    if text.get("rank"):
        values["rank"] = text["rank"]
    elif "grade" in mapping:
        values["rank"] = rank_for_grade(grade) if kind_of_employee == "pns" else ""
    elif "rank" in mapping:
        values["rank"] = ""
    entry.values = values

    entry.position_name = text.get("position_name", "")
    if not entry.position_name:
        reasons.append("Nama jabatan (JABATAN_NAMA) wajib diisi.")
    kind_text = text.get("position_kind", "")
    entry.kind = position_kind(kind_text, text.get("eselon"))
    if not kind_text:
        reasons.append("Jenis jabatan wajib diisi (JPT Pratama, Administrator, Pengawas, "
                       "Fungsional, atau Pelaksana).")
    elif entry.kind is None and "STRUKTURAL" in kind_text.upper():
        reasons.append("Jenis jabatan \u201cStruktural\u201d memerlukan kolom ESELON (II, III, atau IV); "
                       "atau tulis JPT Pratama, Administrator, atau Pengawas.")
    elif entry.kind is None:
        reasons.append(f"Jenis jabatan \u201c{kind_text}\u201d tidak dikenal; isi JPT Pratama, "
                       "Administrator, Pengawas, Fungsional, atau Pelaksana.")
    if not text.get("unit_name") and not text.get("unit_code"):
        reasons.append("Unit kerja (UNOR_NAMA) wajib diisi.")

    atasan, atasan_problem = _nip_cell(raw.get("atasan"))
    entry.atasan = atasan
    if atasan:
        errors = [atasan_problem] if atasan_problem else nip_errors(atasan, today, None)
        if errors:
            reasons.append(f"NIP atasan {atasan} tidak sah: " + " ".join(errors))
        elif atasan == nip:
            reasons.append("NIP atasan sama dengan NIP pegawai ini sendiri.")
    return entry, text


# --- Units ---------------------------------------------------------------------------------

class _Units:
    """Finds the unit of each row, remembering units that the file itself introduces."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        self.new: dict[str, NewUnit] = {}        # introduced by rows that were good so far
        self.seen: dict[str, NewUnit] = {}       # introduced by any row, to place bad rows too
        self.first_names: dict[int, tuple[str, int]] = {}   # existing unit -> (name, line)
        self.names: dict = {}

    def name(self, key) -> str:
        if isinstance(key, int):
            return self.snap.units[key].name
        return self.names.get(key, str(key))

    def parent(self, key):
        if isinstance(key, int):
            return self.snap.units[key].parent_id
        unit = self.seen.get(key)
        return unit.parent if unit else None

    def is_under(self, key, ancestor) -> bool:
        """Is `key` the unit `ancestor` or below it?"""
        if isinstance(key, int) and isinstance(ancestor, int):
            return self.snap.units[key].path.startswith(self.snap.units[ancestor].path)
        seen = set()
        while key is not None and key not in seen:
            if key == ancestor:
                return True
            seen.add(key)
            key = self.parent(key)
        return False

    def in_scope(self, key, scope: Scope) -> bool:
        while not isinstance(key, int):
            if key is None or key not in self.seen:
                return False
            key = self.seen[key].parent
        return self.snap.units[key].path.startswith(scope.path)

    def resolve(self, code: str, name: str, parent, line: int, register: bool):
        """(unit key, problem) for a unit given by code and/or name, under `parent` if new."""
        if code:
            unit = self.snap.unit_by_code.get(code.upper())
            if unit is not None:
                if parent is not None and not self.is_under(unit.id, parent):
                    where = (f"di bawah \u201c{self.name(unit.parent_id)}\u201d" if unit.parent_id
                             else "sebagai OPD")
                    return None, (f"Unit berkode {code} (\u201c{unit.name}\u201d) sudah terdaftar {where}, "
                                  f"bukan di bawah \u201c{self.name(parent)}\u201d. Bila memang pindah, "
                                  "pindahkan lewat menu Unit & Jabatan.")
                if name:
                    earlier = self.first_names.get(unit.id)
                    if earlier and _norm(earlier[0]) != _norm(name):
                        return None, (f"Unit berkode {code} diberi nama lain di baris {earlier[1]} "
                                      f"(\u201c{earlier[0]}\u201d).")
                    if register and earlier is None:
                        self.first_names[unit.id] = (name, line)
                return unit.id, None
            if not name:
                return None, f"Unit berkode {code} belum terdaftar; isi juga namanya (UNOR_NAMA)."
            return self._new(code, name, parent, line, register)
        wanted = _norm(name)
        known = self.snap.units_by_name.get(wanted, [])
        if parent is not None:
            candidates = [u for u in known if u.id != parent and self.is_under(u.id, parent)]
        else:
            candidates = [u for u in known if u.parent_id is None] or known
        if len(candidates) > 1:
            return None, (f"Nama unit \u201c{name}\u201d cocok dengan {len(candidates)} unit yang sudah "
                          "terdaftar; isi kolom UNOR_ID (kode unit) agar jelas unit yang dimaksud.")
        if candidates:
            return candidates[0].id, None
        digest = hashlib.sha1(f"{parent}|{wanted}".encode()).hexdigest()[:12].upper()
        code = f"SIASN-{digest}"
        existing = self.snap.unit_by_code.get(code)
        if existing is not None:  # created from this very name by an earlier import
            return existing.id, None
        return self._new(code, name, parent, line, register)

    def _new(self, code, name, parent, line, register):
        key = "N:" + code.upper()
        earlier = self.new.get(key)
        if earlier is not None:
            if _norm(earlier.name) != _norm(name):
                return None, (f"Unit berkode {code} diberi nama lain di baris {earlier.line} "
                              f"(\u201c{earlier.name}\u201d).")
            if earlier.parent != parent:
                return None, (f"Unit baru \u201c{name}\u201d disebut dengan unit induk yang berbeda "
                              f"di baris {earlier.line}.")
            return key, None
        self.names.setdefault(key, name)
        unit = NewUnit(key, code, name, parent, line)
        if register:
            self.new[key] = self.seen[key] = unit
        else:
            self.seen.setdefault(key, unit)
        return key, None


def _place(entry: Entry, text: dict, units: _Units, snap: Snapshot, scope: Scope | None,
           register: bool) -> None:
    """Resolve the row's unit and check it (and the employee's current unit) against the scope."""
    opd_code, opd_name = text.get("opd_code", ""), text.get("opd_name", "")
    unit_code, unit_name = text.get("unit_code", ""), text.get("unit_name", "")
    induk = None
    if opd_code or opd_name:
        induk, problem = units.resolve(opd_code, opd_name, None, entry.line, register)
        if problem:
            entry.reasons.append(problem)
            return
    same_as_induk = induk is not None and (
        (unit_code and opd_code and unit_code.upper() == opd_code.upper())
        or (unit_name and _norm(unit_name) == _norm(units.name(induk))))
    if same_as_induk:
        entry.unit_key = induk
    else:
        entry.unit_key, problem = units.resolve(unit_code, unit_name, induk, entry.line, register)
        if problem:
            entry.reasons.append(problem)
            return
    if scope is None:
        return
    if not units.in_scope(entry.unit_key, scope):
        entry.reasons.append(f"Unit \u201c{units.name(entry.unit_key)}\u201d di luar wewenang Anda: "
                             f"Anda hanya dapat mengimpor untuk {scope.name} dan sub-unitnya.")
    current = snap.employees.get(entry.nip)
    if current is not None and current.unit is not None and current.unit != entry.unit_key \
            and not snap.units[current.unit].path.startswith(scope.path):
        entry.reasons.append(f"Pegawai ini saat ini terdaftar di \u201c{snap.units[current.unit].name}\u201d, "
                             "di luar wewenang Anda; pemindahan antar-OPD dilakukan admin BKPSDM.")


# --- The planner ---------------------------------------------------------------------------

def plan_import(headers: list[str], rows: list[Row], snap: Snapshot, scope: Scope | None = None,
                today: datetime.date | None = None) -> Plan:
    """The dry run: what the file would do to the organisation, and which rows are bad."""
    today = today or clock.today()
    mapping = map_columns(headers)
    if not rows:
        raise SpreadsheetError("Berkas hanya berisi judul kolom, tanpa satu pun baris data.")
    read = [_read_entry(row, mapping, today) for row in rows]
    entries = [entry for entry, _ in read]

    lines_by_nip: dict[str, list[int]] = {}
    for entry in entries:
        if entry.nip:
            lines_by_nip.setdefault(entry.nip, []).append(entry.line)
    for entry in entries:
        others = [str(n) for n in lines_by_nip.get(entry.nip, []) if n != entry.line]
        if others:
            entry.reasons.append(f"NIP yang sama juga ada di baris {', '.join(others)}.")

    units = _Units(snap)
    position_kinds: dict = {}
    for entry, text in read:
        register = not entry.reasons
        if not (text.get("unit_name") or text.get("unit_code")):
            continue
        _place(entry, text, units, snap, scope, register)
        if entry.unit_key is None or not entry.position_name:
            continue
        wanted = _norm(entry.position_name)
        existing = (snap.position_by_key.get((entry.unit_key, wanted))
                    if isinstance(entry.unit_key, int) else None)
        entry.position_key = existing.id if existing else ("P", entry.unit_key, wanted)
        units.names.setdefault(entry.position_key, entry.position_name)
        if entry.kind and not entry.reasons:
            first = position_kinds.setdefault(entry.position_key, (entry.kind, entry.line))
            if first[0] != entry.kind:
                entry.reasons.append(
                    f"Jabatan \u201c{entry.position_name}\u201d di unit ini berjenis "
                    f"{POSITION_KINDS[first[0]]} di baris {first[1]}, tetapi "
                    f"{POSITION_KINDS[entry.kind]} di baris ini.")

    _check_single_holders(entries, snap, units)
    parents, warnings = _settle_tree(entries, lines_by_nip, snap, units)
    return _build(entries, mapping, snap, units, position_kinds, parents, warnings)


def _position_label(key, snap: Snapshot, units: _Units) -> str:
    if isinstance(key, int):
        position = snap.positions[key]
        return f"{position.name} ({snap.units[position.unit_id].name})"
    return f"{units.names.get(key, key[2])} ({units.name(key[1])})"


def _check_single_holders(entries: list[Entry], snap: Snapshot, units: _Units) -> None:
    """A structural position (JPT, Administrator, Pengawas) has one holder."""
    in_file = {e.nip for e in entries if not e.reasons}
    taken: dict = {}
    for entry in entries:
        if entry.reasons or entry.kind not in STRUCTURAL:
            continue
        key = entry.position_key
        if key in taken:
            entry.reasons.append(
                f"Jabatan struktural \u201c{entry.position_name}\u201d hanya untuk satu orang dan sudah "
                f"dipegang oleh baris {taken[key].line} (NIP {taken[key].nip}).")
            continue
        taken[key] = entry
    for entry, holder in _still_held(entries, snap, in_file):
        entry.reasons.append(_still_held_reason(entry, holder))


def _still_held(entries: list[Entry], snap: Snapshot, moving: set[str]) -> list[tuple[Entry, object]]:
    """(row, holder) for each row that takes a structural position from someone whose own
    move (a row in `moving`) is not part of the import."""
    result = []
    for entry in entries:
        if entry.reasons or entry.kind not in STRUCTURAL or not isinstance(entry.position_key, int):
            continue
        staying = [h for h in snap.holders.get(entry.position_key, []) if h.nip not in moving]
        if staying:
            result.append((entry, staying[0]))
    return result


def _still_held_reason(entry: Entry, holder) -> str:
    return (f"Jabatan struktural \u201c{entry.position_name}\u201d masih dipegang oleh {holder.name} "
            f"(NIP {holder.nip}) menurut data Kinerja; sertakan jabatan baru pegawai itu di berkas "
            "(barisnya harus tanpa masalah) atau pindahkan lewat menu Pegawai.")


def _settle_tree(entries, lines_by_nip, snap, units):
    """Resolve every atasan to a position, drop rows whose atasan cannot be placed (and the
    rows below them), and refuse chains that would loop. Returns ({position: parent}, warnings)."""
    by_nip = {e.nip: e for e in entries if e.nip and len(lines_by_nip[e.nip]) == 1}
    dependants: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.atasan:
            dependants.setdefault(entry.atasan, []).append(entry)

    def atasan_position(entry):
        boss = by_nip.get(entry.atasan)
        if boss is not None and not boss.reasons:
            return boss.position_key, None
        known = snap.employees.get(entry.atasan)
        if known is not None and known.active and known.position is not None:
            return known.position, None
        if entry.atasan in lines_by_nip:
            lines = ", ".join(str(n) for n in lines_by_nip[entry.atasan])
            return None, (f"Atasan (NIP {entry.atasan}) ada di baris {lines} yang bermasalah "
                          "dan belum terdaftar di Kinerja.")
        if known is not None and not known.active:
            return None, f"Atasan (NIP {entry.atasan}, {known.name}) berstatus tidak aktif di Kinerja."
        if known is not None:
            return None, (f"Atasan (NIP {entry.atasan}, {known.name}) belum memiliki jabatan di "
                          "Kinerja, sehingga jabatan ini tidak dapat ditempatkan di bawahnya.")
        return None, (f"NIP atasan {entry.atasan} tidak ditemukan, baik di berkas ini maupun di "
                      "data pegawai Kinerja.")

    def drop(entry, reason, queue):
        entry.reasons.append(reason)
        queue.extend(dependants.get(entry.nip, []))

    targets: dict[int, object] = {}
    queue = [e for e in entries if e.atasan and not e.reasons]
    while True:
        while queue:
            entry = queue.pop()
            if entry.reasons or not entry.atasan:
                continue
            target, problem = atasan_position(entry)
            if problem:
                drop(entry, problem, queue)
            else:
                targets[entry.line] = target
        parents, setters, warnings = {}, {}, []
        for entry in entries:
            if entry.reasons or not entry.atasan:
                continue
            target = targets[entry.line]
            if entry.position_key not in parents:
                parents[entry.position_key] = target
                setters[entry.position_key] = entry
            elif parents[entry.position_key] != target:
                first = setters[entry.position_key]
                warnings.append((entry.line, (
                    f"Atasan (NIP {entry.atasan}) berbeda dari atasan jabatan yang sama di baris "
                    f"{first.line} (NIP {first.atasan}); pohon jabatan mengikuti baris {first.line}.")))
        loops = _loops(parents, snap)
        # A holder whose row fell out here stays where they are: whoever takes their
        # position falls out too (and the rows below, on the next round).
        stranded = _still_held(entries, snap, {e.nip for e in entries if not e.reasons})
        if not loops and not stranded:
            return parents, warnings
        for entry, holder in stranded:
            drop(entry, _still_held_reason(entry, holder), queue)
        for loop in loops:
            culprit = max((setters[k] for k in loop if k in setters), key=lambda e: e.line)
            if len(loop) == 1:
                reason = (f"Atasan (NIP {culprit.atasan}) memegang jabatan yang sama "
                          f"(\u201c{culprit.position_name}\u201d); jabatan tidak dapat menjadi atasan "
                          "dirinya sendiri.")
            else:
                start = loop.index(culprit.position_key)
                loop = loop[start:] + loop[:start]
                chain = " \u2192 ".join(_position_label(k, snap, units) for k in loop + loop[:1])
                reason = f"Atasan (NIP {culprit.atasan}) membuat rantai atasan melingkar: {chain}."
            drop(culprit, reason, queue)


def _loops(parents: dict, snap: Snapshot) -> list[list]:
    """Cycles of the position tree after the file's changes, each as the list of its positions."""
    def parent_of(key):
        if key in parents:
            return parents[key]
        position = snap.positions.get(key) if isinstance(key, int) else None
        return position.parent_id if position else None

    state, loops = {}, []
    for start in parents:
        if start in state:
            continue
        trail, node = [], start
        while node is not None and node not in state:
            state[node] = "walking"
            trail.append(node)
            node = parent_of(node)
        if node is not None and state[node] == "walking":
            loop = trail[trail.index(node):]
            if any(k in parents for k in loop):
                loops.append(loop)
        for node in trail:
            state[node] = "done"
    return loops


def _build(entries, mapping, snap, units, position_kinds, parents, warnings) -> Plan:
    good = [e for e in entries if not e.reasons]
    bad = [BadRow(e.line, e.nip, e.name, e.reasons) for e in entries if e.reasons]

    used_units = set()
    for entry in good:
        key = entry.unit_key
        while key is not None and key not in used_units:
            used_units.add(key)
            key = units.parent(key)
    good_lines = {e.line for e in good}
    new_units = [u for u in units.new.values() if u.key in used_units]
    renames = {uid: name for uid, (name, line) in units.first_names.items()
               if uid in used_units and line in good_lines
               and _norm(name) != _norm(snap.units[uid].name)}
    unchanged_units = sum(1 for k in used_units if isinstance(k, int) and k not in renames)

    new_positions, changes = {}, {}
    used_positions = {e.position_key for e in good}
    updated = unchanged = 0
    for key in used_positions:
        kind = position_kinds.get(key, (None,))[0]
        if not isinstance(key, int):
            new_positions[key] = {"unit": key[1], "name": units.names.get(key, key[2]),
                                  "kind": kind or "pelaksana"}
            if parents.get(key) is not None:
                changes[key] = {"parent": parents[key]}
            continue
        current = snap.positions[key]
        change = {}
        if kind and kind != current.kind:
            change["kind"] = kind
        if key in parents and parents[key] != current.parent_id:
            change["parent"] = parents[key]
        if change:
            changes[key] = change
            updated += 1
        else:
            unchanged += 1

    new_employees, updated_employees, accounts = [], [], []
    same = 0
    for entry in good:
        current = snap.employees.get(entry.nip)
        entry.values.update(position=entry.position_key, unit=entry.unit_key, active=True)
        if current is None:
            new_employees.append(entry)
        else:
            changed = {f: v for f, v in entry.values.items() if getattr(current, f) != v}
            if changed:
                updated_employees.append((current, entry, changed))
            else:
                same += 1
        has_account = current is not None and current.id in snap.account_employees
        if not has_account:
            if entry.nip in snap.usernames:
                warnings.append((entry.line, f"Sudah ada akun bernama {entry.nip} yang tidak terhubung "
                                             "ke pegawai ini; akun baru tidak dibuat."))
            else:
                accounts.append(entry.nip)
    warnings.sort()
    return Plan(rows_total=len(entries), bad=bad, warnings=warnings, new_units=new_units,
                unit_renames=renames, units_unchanged=unchanged_units,
                new_positions=new_positions, position_changes=changes,
                positions_updated=updated, positions_unchanged=unchanged,
                new_employees=new_employees, updated_employees=updated_employees,
                employees_unchanged=same, new_accounts=accounts, unit_names=units.names)
