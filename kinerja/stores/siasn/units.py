"""Placing each row in the unit tree: units matched by code or name, new ones remembered,
and the admin OPD's scope held."""
import hashlib

from .plan import Entry, NewUnit, Scope, Snapshot, norm


class Units:
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
                    if earlier and norm(earlier[0]) != norm(name):
                        return None, (f"Unit berkode {code} diberi nama lain di baris {earlier[1]} "
                                      f"(\u201c{earlier[0]}\u201d).")
                    if register and earlier is None:
                        self.first_names[unit.id] = (name, line)
                return unit.id, None
            if not name:
                return None, f"Unit berkode {code} belum terdaftar; isi juga namanya (UNOR_NAMA)."
            return self._new(code, name, parent, line, register)
        wanted = norm(name)
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
            if norm(earlier.name) != norm(name):
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


def place(entry: Entry, text: dict, units: Units, snap: Snapshot, scope: Scope | None,
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
        or (unit_name and norm(unit_name) == norm(units.name(induk))))
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
