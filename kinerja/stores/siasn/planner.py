"""The dry run: the rows of `kinerja.spreadsheets.read_rows` and a `Snapshot` of the database
become a `Plan`. Pure: nothing is read or written here."""
import datetime

from ... import clock
from ...models import POSITION_KINDS
from ...spreadsheets import Row, SpreadsheetError
from .columns import map_columns
from .plan import BadRow, Entry, Plan, Scope, Snapshot, norm
from .rows import read_entry
from .units import Units, place


STRUCTURAL = ("jpt_pratama", "administrator", "pengawas")


def plan_import(headers: list[str], rows: list[Row], snap: Snapshot, scope: Scope | None = None,
                today: datetime.date | None = None) -> Plan:
    """The dry run: what the file would do to the organisation, and which rows are bad."""
    today = today or clock.today()
    mapping = map_columns(headers)
    if not rows:
        raise SpreadsheetError("Berkas hanya berisi judul kolom, tanpa satu pun baris data.")
    read = [read_entry(row, mapping, today) for row in rows]
    entries = [entry for entry, _ in read]

    lines_by_nip: dict[str, list[int]] = {}
    for entry in entries:
        if entry.nip:
            lines_by_nip.setdefault(entry.nip, []).append(entry.line)
    for entry in entries:
        others = [str(n) for n in lines_by_nip.get(entry.nip, []) if n != entry.line]
        if others:
            entry.reasons.append(f"NIP yang sama juga ada di baris {', '.join(others)}.")

    units = Units(snap)
    position_kinds: dict = {}
    for entry, text in read:
        register = not entry.reasons
        if not (text.get("unit_name") or text.get("unit_code")):
            continue
        place(entry, text, units, snap, scope, register)
        if entry.unit_key is None or not entry.position_name:
            continue
        wanted = norm(entry.position_name)
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


def _position_label(key, snap: Snapshot, units: Units) -> str:
    if isinstance(key, int):
        position = snap.positions[key]
        return f"{position.name} ({snap.units[position.unit_id].name})"
    return f"{units.names.get(key, key[2])} ({units.name(key[1])})"


def _check_single_holders(entries: list[Entry], snap: Snapshot, units: Units) -> None:
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
               and norm(name) != norm(snap.units[uid].name)}
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

    new_employees, updated_employees, accounts, emails = [], [], [], {}
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
                continue
            accounts.append(entry.nip)
        # An address the person (or an earlier import) gave is never replaced by the file's.
        if entry.email and not (has_account and current.id in snap.emailed):
            emails[entry.nip] = entry.email
    warnings.sort()
    return Plan(rows_total=len(entries), bad=bad, warnings=warnings, new_units=new_units,
                unit_renames=renames, units_unchanged=unchanged_units,
                new_positions=new_positions, position_changes=changes,
                positions_updated=updated, positions_unchanged=unchanged,
                new_employees=new_employees, updated_employees=updated_employees,
                employees_unchanged=same, new_accounts=accounts, unit_names=units.names,
                new_emails=emails)
