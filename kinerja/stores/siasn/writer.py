"""The database side of the SIASN import: one read of the organisation for the planner, and
the confirmation that recomputes the plan and writes it all or nothing.

Bulk statements throughout (insert_many, UPDATE … CASE) in chunks: a 10,000-row file costs a
few dozen queries, never one per row.
"""
import json

from peewee import Case, SqliteDatabase, fn

from ...models import AuditLog, Employee, Position, Unit, User, db, utcnow
from ..chunks import chunks
from .columns import EMPLOYEE_FIELDS
from .plan import EmployeeRec, Plan, PositionRec, Scope, Snapshot, UnitRec
from .planner import plan_import

# Rows per statement: SQLite allows 32,766 bound values; 400 rows of the widest table stay far below.
CHUNK = 400
# Imported accounts get no usable password (this is no argon2 hash, so no password matches it).
# An admin gives a person a one-time password when that person needs to log in; see README.
NO_PASSWORD = "!tanpa-kata-sandi:impor-siasn"
# How much of the skipped rows the import's audit row keeps.
AUDIT_SKIPPED_MAX = 1000


def _insert_rows(model, rows: list[dict]) -> None:
    """INSERT many rows through one prepared statement (DB-API executemany).

    peewee's insert_many renders every value into SQL in Python; for the tens of thousands of
    employee, account and audit rows of a large import that was most of the write time.
    Every row carries the same keys, and every column the model would fill by default.
    """
    if not rows:
        return
    fields = [f for f in model._meta.sorted_fields if f.name in rows[0]]  # peewee's column order
    sql, params = model.insert({f: rows[0][f.name] for f in fields}).sql()
    if list(params) != [f.db_value(rows[0][f.name]) for f in fields]:
        raise RuntimeError(f"{model.__name__}: the statement's columns are not the rows' keys")
    db.cursor().executemany(sql, [tuple(f.db_value(row[f.name]) for f in fields) for row in rows])


def load_snapshot() -> Snapshot:
    """Every unit, position, employee and account name, in four queries."""
    units = {r[0]: UnitRec(*r) for r in Unit.select(
        Unit.id, Unit.code, Unit.name, Unit.parent, Unit.path).tuples()}
    positions = {r[0]: PositionRec(*r) for r in Position.select(
        Position.id, Position.name, Position.kind, Position.unit, Position.parent).tuples()}
    employees = {}
    for r in Employee.select(Employee.id, Employee.nip, Employee.name, Employee.title_front,
                             Employee.title_back, Employee.rank, Employee.grade,
                             Employee.employment_type, Employee.position, Employee.unit,
                             Employee.active).tuples():
        employees[r[1]] = EmployeeRec(*r[:-1], bool(r[-1]))
    account_employees, usernames, emailed = set(), set(), set()
    for employee_id, username, email in User.select(User.employee, User.username, User.email).tuples():
        usernames.add(username)
        if employee_id is not None:
            account_employees.add(employee_id)
            if email:
                emailed.add(employee_id)
    return Snapshot(units, positions, employees, account_employees, usernames, emailed)


def _write_transaction():
    """On SQLite take the write lock at BEGIN: the plan made inside the transaction then
    cannot be overtaken by another writer before it is written."""
    if isinstance(db.obj, SqliteDatabase):
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


def confirm_import(headers, rows, *, scope: Scope | None, actor, filename: str, digest: str,
                   skip_bad: bool, scope_unit_id=None) -> tuple[Plan, int | None, str | None]:
    """Recompute the plan against the database as it is now and write it.

    Returns (plan, id of the import's audit row, None) when written, or (plan, None, why) when
    nothing was written: "changed" (the plan is not the one the user saw) or "bad" (there are
    bad rows and the user did not choose to skip them).
    """
    with _write_transaction():
        snap = load_snapshot()
        plan = plan_import(headers, rows, snap, scope)
        if plan.digest != digest:
            return plan, None, "changed"
        if plan.bad and not skip_bad:
            return plan, None, "bad"
        return plan, apply_plan(plan, snap, actor, filename, scope_unit_id), None


def _json(data) -> str:
    return json.dumps(data, default=str, ensure_ascii=False)


class _Writer:
    def __init__(self, plan: Plan, snap: Snapshot, actor_id, tag: str):
        self.plan, self.snap, self.actor_id, self.tag = plan, snap, actor_id, tag
        self.unit_ids: dict = {}
        self.position_ids: dict = {}
        self.audit: list[dict] = []
        self.now = utcnow()

    def log(self, action, entity, entity_id, unit_id, text, before=None, after=None):
        self.audit.append({
            "at": self.now, "actor": self.actor_id, "action": action, "entity": entity,
            "entity_id": entity_id, "unit": unit_id, "summary": f"{self.tag}: {text}"[:255],
            "before": _json(before) if before is not None else None,
            "after": _json(after) if after is not None else None})

    def unit_id(self, key):
        return key if isinstance(key, int) or key is None else self.unit_ids[key]

    def position_id(self, key):
        return key if isinstance(key, int) or key is None else self.position_ids[key]

    def units(self):
        paths = {uid: u.path for uid, u in self.snap.units.items()}
        pending = list(self.plan.new_units)
        while pending:
            # Parents before children: a level at a time.
            ready = [u for u in pending if not isinstance(u.parent, str) or u.parent in self.unit_ids]
            pending = [u for u in pending if u not in ready]
            for chunk in chunks(ready, CHUNK):
                Unit.insert_many([{"code": u.code, "name": u.name, "path": "", "active": True,
                                   "parent": self.unit_id(u.parent)} for u in chunk]).execute()
                found = dict(Unit.select(Unit.code, Unit.id)
                             .where(Unit.code.in_([u.code for u in chunk])).tuples())
                new_paths = []
                for unit in chunk:
                    uid = self.unit_ids[unit.key] = found[unit.code]
                    parent = self.unit_id(unit.parent)
                    paths[uid] = f"{paths[parent] if parent else '/'}{uid}/"
                    new_paths.append((uid, paths[uid]))
                    self.log("create", "unit", uid, uid, f"unit {unit.name} ({unit.code}) dibuat",
                             after={"code": unit.code, "name": unit.name, "parent": parent,
                                    "path": paths[uid]})
                Unit.update(path=Case(Unit.id, new_paths)).where(
                    Unit.id.in_([uid for uid, _ in new_paths])).execute()
        for chunk in chunks(self.plan.unit_renames.items(), CHUNK):
            Unit.update(name=Case(Unit.id, chunk)).where(
                Unit.id.in_([uid for uid, _ in chunk])).execute()
            for uid, name in chunk:
                self.log("update", "unit", uid, uid, f"nama unit menjadi {name}",
                         before={"name": self.snap.units[uid].name}, after={"name": name})

    def positions(self):
        plan = self.plan
        last_id = Position.select(fn.MAX(Position.id)).scalar() or 0
        new = list(plan.new_positions.items())
        for chunk in chunks(new, CHUNK):
            Position.insert_many([{"name": p["name"], "kind": p["kind"], "active": True,
                                   "unit": self.unit_id(p["unit"]), "parent": None}
                                  for _, p in chunk]).execute()
        if new:
            # The transaction holds the write lock, so every id above last_id is ours.
            created = {(unit_id, " ".join(name.casefold().split())): pid
                       for pid, unit_id, name in Position.select(
                           Position.id, Position.unit, Position.name)
                       .where(Position.id > last_id).tuples()}
            for key, p in new:
                self.position_ids[key] = created[(self.unit_id(p["unit"]), key[2])]
        for key, p in new:
            pid = self.position_ids[key]
            parent = self.position_id(plan.position_changes.get(key, {}).get("parent"))
            self.log("create", "position", pid, self.unit_id(p["unit"]), f"jabatan {p['name']} dibuat",
                     after={"name": p["name"], "kind": p["kind"], "unit": self.unit_id(p["unit"]),
                            "parent": parent})
        for field in ("kind", "parent"):
            pairs = [(self.position_id(key),
                      self.position_id(change[field]) if field == "parent" else change[field])
                     for key, change in plan.position_changes.items() if field in change]
            for chunk in chunks(pairs, CHUNK):
                Position.update({getattr(Position, field): Case(Position.id, chunk)}).where(
                    Position.id.in_([pid for pid, _ in chunk])).execute()
        for key, change in plan.position_changes.items():
            if not isinstance(key, int):
                continue
            current = self.snap.positions[key]
            after = {f: self.position_id(v) if f == "parent" else v for f, v in change.items()}
            before = {f: getattr(current, "parent_id" if f == "parent" else f) for f in change}
            self.log("update", "position", key, current.unit_id, f"jabatan {current.name} diubah",
                     before=before, after=after)

    def _values(self, entry) -> dict:
        values = dict(entry.values)
        values["position"] = self.position_id(values["position"])
        values["unit"] = self.unit_id(values["unit"])
        return values

    def employees(self) -> dict[str, int]:
        ids = {}
        for chunk in chunks(self.plan.new_employees, CHUNK):
            rows = []
            for entry in chunk:
                row = {"nip": entry.nip, "title_front": "", "title_back": "", "rank": "",
                       "grade": "", "appraiser_override": None, "appraiser_superior_override": None}
                row.update(self._values(entry))
                rows.append(row)
            _insert_rows(Employee, rows)
            ids.update(Employee.select(Employee.nip, Employee.id)
                       .where(Employee.nip.in_([e.nip for e in chunk])).tuples())
            for row in rows:
                self.log("create", "employee", ids[row["nip"]], row["unit"],
                         f"pegawai {row['nip']} {row['name']} dibuat",
                         after={f: row.get(f) for f in EMPLOYEE_FIELDS})
        for chunk in chunks(self.plan.updated_employees, CHUNK):
            changed_fields = sorted({f for _, _, changed in chunk for f in changed})
            update = {}
            for name in changed_fields:
                column = getattr(Employee, name)
                whens = [(before.id, self._values(entry)[name])
                         for before, entry, changed in chunk if name in changed]
                update[column] = Case(Employee.id, whens, column)
            Employee.update(update).where(Employee.id.in_([b.id for b, _, _ in chunk])).execute()
            for before, entry, changed in chunk:
                values = self._values(entry)
                ids[before.nip] = before.id
                self.log("update", "employee", before.id, values["unit"],
                         f"pegawai {before.nip} {entry.name} diubah: "
                         + ", ".join(sorted(changed)),
                         before={f: getattr(before, f) for f in changed},
                         after={f: values[f] for f in changed})
        return ids

    def accounts(self, employee_ids: dict[str, int]):
        nips = self.plan.new_accounts
        missing = [n for n in nips if n not in employee_ids]
        for chunk in chunks(missing, CHUNK):
            employee_ids.update(Employee.select(Employee.nip, Employee.id)
                                .where(Employee.nip.in_(chunk)).tuples())
        unit_of = {e.nip: e.values["unit"] for e in self.plan.new_employees}
        unit_of.update({b.nip: e.values["unit"] for b, e, _ in self.plan.updated_employees})
        for chunk in chunks(nips, CHUNK):
            _insert_rows(User, [{
                "username": nip, "employee": employee_ids[nip], "password_hash": NO_PASSWORD,
                "role": "pegawai", "must_change_password": True, "active": True,
                "session_version": 1, "created_at": self.now, "scope_unit": None,
                "last_login": None} for nip in chunk])
            user_ids = dict(User.select(User.username, User.id)
                            .where(User.username.in_(chunk)).tuples())
            for nip in chunk:
                unit = unit_of.get(nip)
                unit = self.unit_id(unit) if unit is not None else self.snap.employees[nip].unit
                self.log("create", "user", user_ids[nip], unit,
                         f"akun {nip} dibuat tanpa kata sandi",
                         after={"username": nip, "employee": employee_ids[nip], "role": "pegawai"})

    def emails(self, employee_ids: dict[str, int]):
        """The file's addresses on accounts that have none, unverified: the person confirms
        theirs by the link Kinerja mails when they first save it (see stores/mail)."""
        addresses = self.plan.new_emails
        nips = list(addresses)
        for chunk in chunks([n for n in nips if n not in employee_ids], CHUNK):
            employee_ids.update(Employee.select(Employee.nip, Employee.id)
                                .where(Employee.nip.in_(chunk)).tuples())
        nip_of = {employee_ids[n]: n for n in nips if n in employee_ids}
        for chunk in chunks(nip_of, CHUNK):
            users = list(User.select(User.id, User.employee).where(
                User.employee.in_(chunk) & User.email.is_null()).tuples())
            if not users:
                continue
            User.update(email=Case(User.id, [(user_id, addresses[nip_of[employee_id]])
                                             for user_id, employee_id in users]),
                        email_verified_at=None).where(
                User.id.in_([user_id for user_id, _ in users])).execute()
            for user_id, employee_id in users:
                employee = self.snap.employees.get(nip_of[employee_id])
                self.log("update", "user", user_id, employee.unit if employee else None,
                         f"email akun {nip_of[employee_id]} diisi dari berkas (belum diverifikasi)",
                         before={"email": None}, after={"email": addresses[nip_of[employee_id]]})

    def flush_audit(self):
        _insert_rows(AuditLog, self.audit)


def apply_plan(plan: Plan, snap: Snapshot, actor, filename: str, scope_unit_id=None) -> int:
    """Write the plan (call inside one transaction); returns the id of the import's audit row."""
    counts = plan.counts
    summary = AuditLog.record(
        actor, "import", "import", None,
        f"Impor SIASN dari {filename}: {counts['employees']['created']} pegawai baru, "
        f"{counts['employees']['updated']} diperbarui, {len(plan.bad)} baris dilewati",
        after={"file": filename, "rows": plan.rows_total, "counts": counts,
               "skipped": [{"line": b.line, "nip": b.nip, "reasons": b.reasons}
                           for b in plan.bad[:AUDIT_SKIPPED_MAX]],
               "skipped_total": len(plan.bad),
               "new_nips": [e.nip for e in plan.new_employees[:50]]},
        unit=scope_unit_id)
    writer = _Writer(plan, snap, summary.actor_id, f"Impor SIASN #{summary.id}")
    writer.units()
    writer.positions()
    employee_ids = writer.employees()
    writer.accounts(employee_ids)
    writer.emails(employee_ids)
    writer.flush_audit()
    return summary.id
