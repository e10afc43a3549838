"""Units, positions and employees: the organisation an admin (BKPSDM or OPD) maintains."""
from collections import defaultdict

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from peewee import JOIN, IntegrityError, fn
from wtforms.fields.choices import SelectChoice

from ..forms import field_fragment
from ..forms.org import AppraiserOverrideForm, EmployeeForm, PositionForm, UnitForm
from ..htmx import is_htmx, render
from ..models import (POSITION_KINDS, AuditLog, Employee, Position, Unit, User, db,
                      snapshot)
from ..org_choices import unit_choices, unit_filter_tree, unit_label, unit_tree
from ..paging import Page, page_number
from ..rules.nip import normalise
from ..rules.org import creates_cycle, is_within
from ..rules.passwords import one_time_password
from ..security import (admin_scope_unit, hash_password, require_unit_scope, role_required,
                        scoped_employees)

bp = Blueprint("org", __name__, url_prefix="/organisasi")

PAGE_SIZE = 50
STATUSES = {"aktif": "Aktif", "nonaktif": "Nonaktif", "semua": "Semua"}
UNIT_FIELDS = ("code", "name", "parent", "active")
POSITION_FIELDS = ("name", "kind", "unit", "parent", "active")
EMPLOYEE_FIELDS = ("nip", "name", "title_front", "title_back", "rank", "grade", "employment_type",
                   "position", "unit", "active", "appraiser_override", "appraiser_superior_override")
EDITABLE_EMPLOYEE_FIELDS = ("nip", "name", "title_front", "title_back", "rank", "grade",
                            "employment_type", "active")
USER_FIELDS = ("username", "role", "active", "session_version", "must_change_password")
NIP_TAKEN = "NIP ini sudah terdaftar untuk pegawai lain."
KIND_ORDER = {kind: i for i, kind in enumerate(POSITION_KINDS)}


@bp.before_request
@login_required
@role_required("admin", "admin_opd")
def _admins_only():
    """Every page here is for admins; an admin OPD is further held to their unit."""


# --- small helpers ----------------------------------------------------------

# SQLite integers are 64-bit; a larger id from a URL would raise instead of finding nothing.
MAX_ID = 2**63 - 1


def _int_arg(name: str, default=None):
    try:
        value = int(request.args.get(name, ""))
    except ValueError:
        return default
    return value if 0 < value <= MAX_ID else default


def _checked_id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        abort(404)
    return value


def _validating_field() -> str | None:
    """The field an htmx blur asks about, if this POST is an inline validation."""
    return request.headers.get("HX-Trigger-Name") if is_htmx() else None


def _unit_or_404(unit_id: int) -> Unit:
    unit = Unit.get_or_none(Unit.id == _checked_id(unit_id))
    if unit is None:
        abort(404)
    require_unit_scope(current_user, unit)
    return unit


def _position_or_404(position_id: int) -> Position:
    position = (Position.select(Position, Unit).join(Unit)
                .where(Position.id == _checked_id(position_id)).first())
    if position is None:
        abort(404)
    require_unit_scope(current_user, position.unit)
    return position


def _employee_or_404(employee_id: int) -> Employee:
    employee = (scoped_employees(current_user)
                .where(Employee.id == _checked_id(employee_id)).first())
    if employee is None:
        abort(404)
    return employee


def _unit_parent_choices(unit: Unit | None = None) -> list:
    """In-scope active units that may hold `unit` (never itself or a unit below it)."""
    scope = admin_scope_unit(current_user)
    choices = [] if scope is not None else [("", "— tanpa induk (OPD) —")]
    for candidate, depth in unit_tree(current_user):
        if not candidate.active or (unit is not None and is_within(candidate.path, unit.path)):
            continue
        choices.append((str(candidate.id), unit_label(candidate, depth)))
    if unit is not None and str(unit.parent_id or "") not in {value for value, _ in choices}:
        # The current parent stays selectable (an admin OPD's own top unit keeps its place).
        current = Unit.get_or_none(Unit.id == unit.parent_id) if unit.parent_id else None
        label = f"{current.name} (tetap)" if current else "— tanpa induk (OPD) —"
        choices.insert(0, (str(unit.parent_id or ""), label))
    return choices


def _position_choices(blank: str, keep_id=None, excluding=None) -> list:
    """Active positions of the units in scope, grouped by unit in tree order.

    `excluding` is a position whose own subtree may not be chosen (no loops);
    `keep_id` stays selectable even if inactive or outside the scope (the current value).
    """
    order = {unit.id: i for i, (unit, _) in enumerate(unit_tree(current_user))}
    query = Position.select(Position, Unit).join(Unit).where(Position.active & Unit.active)
    scope = admin_scope_unit(current_user)
    if scope is not None:
        query = query.where(Unit.within(scope))
    positions = sorted(query, key=lambda p: (order.get(p.unit_id, len(order)),
                                             KIND_ORDER.get(p.kind, 9), p.name.lower()))
    if excluding is not None:
        parent_of = dict(Position.select(Position.id, Position.parent).tuples())
        positions = [p for p in positions if not creates_cycle(parent_of, excluding.id, p.id)]
    choices = [SelectChoice("", blank)]
    if keep_id and keep_id not in {p.id for p in positions}:
        kept = Position.select(Position, Unit).join(Unit).where(Position.id == keep_id).first()
        if kept is not None:
            choices.append(SelectChoice(str(kept.id), f"{kept.name} — {kept.unit.name} (tetap)"))
    choices += [SelectChoice(str(p.id), p.name, optgroup=p.unit.name) for p in positions]
    return choices


# --- units ------------------------------------------------------------------

@bp.get("/unit")
def units():
    tree = unit_tree(current_user)
    ids = [unit.id for unit, _ in tree]
    position_counts = dict(Position.select(Position.unit, fn.COUNT(Position.id))
                           .where(Position.active & Position.unit.in_(ids))
                           .group_by(Position.unit).tuples())
    employee_counts = dict(Employee.select(Employee.unit, fn.COUNT(Employee.id))
                           .where(Employee.active & Employee.unit.in_(ids))
                           .group_by(Employee.unit).tuples())
    children = defaultdict(list)
    shown = set(ids)
    for unit, _ in tree:
        children[unit.parent_id if unit.parent_id in shown else None].append(unit)
    return render("org/units.html", roots=children[None], children=children,
                  position_counts=position_counts, employee_counts=employee_counts,
                  can_create_opd=admin_scope_unit(current_user) is None)


@bp.route("/unit/baru", methods=["GET", "POST"])
def unit_new():
    parent_id = _int_arg("induk")
    parent = _unit_or_404(parent_id) if parent_id else None
    form = UnitForm(parent_choices=_unit_parent_choices(),
                    data={"parent": parent.id if parent else None})
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        new_parent = _unit_or_404(form.parent.data) if form.parent.data else None
        try:
            with db.atomic():
                unit = Unit.create(name=form.name.data, code=form.code.data, parent=new_parent)
                unit.refresh_path()
                AuditLog.record(current_user, "create", "unit", unit.id,
                                f"Unit {unit.name} ({unit.code}) dibuat",
                                after=snapshot(unit, UNIT_FIELDS), unit=unit)
        except IntegrityError:  # the same code saved a moment earlier
            form.code.errors.append(f"Kode {form.code.data} sudah dipakai unit lain.")
        else:
            flash(f"Unit {unit.name} dibuat.", "success")
            return redirect(url_for("org.unit_detail", unit_id=unit.id))
    return render("org/unit_form.html", form=form, unit=None,
                  status=422 if form.is_submitted() else 200)


@bp.get("/unit/<int:unit_id>")
def unit_detail(unit_id):
    unit = _unit_or_404(unit_id)
    ancestor_ids = [int(part) for part in unit.path.strip("/").split("/")[:-1] if part]
    ancestors = {u.id: u for u in Unit.select().where(Unit.id.in_(ancestor_ids))}
    scope = admin_scope_unit(current_user)
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
    return render("org/unit_detail.html", unit=unit, breadcrumbs=breadcrumbs,
                  sub_units=sub_units, positions=positions, holders=holders,
                  employee_count=employee_count)


@bp.route("/unit/<int:unit_id>/ubah", methods=["GET", "POST"])
def unit_edit(unit_id):
    unit = _unit_or_404(unit_id)
    form = UnitForm(parent_choices=_unit_parent_choices(unit), unit_id=unit.id,
                    data={"name": unit.name, "code": unit.code, "parent": unit.parent_id})
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        before = snapshot(unit, UNIT_FIELDS)
        moved = form.parent.data != unit.parent_id
        if moved and form.parent.data:
            _unit_or_404(form.parent.data)
        try:
            with db.atomic():
                unit.name, unit.code, unit.parent = form.name.data, form.code.data, form.parent.data
                unit.save()
                if moved:
                    unit.refresh_path()
                AuditLog.record(current_user, "update", "unit", unit.id,
                                f"Unit {unit.name} ({unit.code}) diubah"
                                + ("; unit induk dipindah" if moved else ""),
                                before=before, after=snapshot(unit, UNIT_FIELDS), unit=unit)
        except IntegrityError:  # another admin took this code a moment earlier
            form.code.errors.append(f"Kode {form.code.data} sudah dipakai unit lain.")
        else:
            flash("Perubahan unit disimpan.", "success")
            return redirect(url_for("org.unit_detail", unit_id=unit.id))
    return render("org/unit_form.html", form=form, unit=unit,
                  status=422 if form.is_submitted() else 200)


@bp.post("/unit/<int:unit_id>/nonaktifkan")
def unit_deactivate(unit_id):
    unit = _unit_or_404(unit_id)
    blockers = []
    if Unit.select().where((Unit.parent == unit.id) & Unit.active).exists():
        blockers.append("sub-unit aktif")
    if Position.select().where((Position.unit == unit.id) & Position.active).exists():
        blockers.append("jabatan aktif")
    if Employee.select().where((Employee.unit == unit.id) & Employee.active).exists():
        blockers.append("pegawai aktif")
    if blockers:
        flash(f"Unit {unit.name} belum dapat dinonaktifkan: masih memiliki "
              f"{', '.join(blockers)}. Pindahkan atau nonaktifkan dahulu.", "error")
    elif unit.active:
        _set_unit_active(unit, False)
        flash(f"Unit {unit.name} dinonaktifkan.", "success")
    return redirect(url_for("org.unit_detail", unit_id=unit.id))


@bp.post("/unit/<int:unit_id>/aktifkan")
def unit_activate(unit_id):
    unit = _unit_or_404(unit_id)
    if unit.parent_id and not Unit.get_by_id(unit.parent_id).active:
        flash("Aktifkan unit induknya terlebih dahulu.", "error")
    elif not unit.active:
        _set_unit_active(unit, True)
        flash(f"Unit {unit.name} diaktifkan kembali.", "success")
    return redirect(url_for("org.unit_detail", unit_id=unit.id))


def _set_active(record: Unit | Position, entity: str, fields: tuple, label: str, unit,
                active: bool) -> None:
    """Switch a unit or position on or off, audited in the same transaction."""
    before = snapshot(record, fields)
    with db.atomic():
        record.active = active
        record.save(only=[type(record).active])
        AuditLog.record(current_user, "activate" if active else "deactivate", entity, record.id,
                        f"{label} " + ("diaktifkan kembali" if active else "dinonaktifkan"),
                        before=before, after=snapshot(record, fields), unit=unit)


def _set_unit_active(unit: Unit, active: bool) -> None:
    _set_active(unit, "unit", UNIT_FIELDS, f"Unit {unit.name} ({unit.code})", unit, active)


# --- positions --------------------------------------------------------------

def _position_form(position: Position | None, unit_id=None) -> PositionForm:
    data = ({"unit": unit_id} if position is None
            else {"name": position.name, "kind": position.kind, "unit": position.unit_id,
                  "parent": position.parent_id})
    return PositionForm(data=data,
                        unit_choices=[("", "— pilih unit —"), *unit_choices(
                            current_user, keep_id=position.unit_id if position else None)],
                        parent_choices=_position_choices(
                            "— tanpa atasan (dinilai Kepala Daerah) —",
                            keep_id=position.parent_id if position else None,
                            excluding=position))


@bp.route("/unit/<int:unit_id>/jabatan/baru", methods=["GET", "POST"])
def position_new(unit_id):
    unit = _unit_or_404(unit_id)
    form = _position_form(None, unit.id)
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        target = _unit_or_404(form.unit.data)
        with db.atomic():
            position = Position.create(name=form.name.data, kind=form.kind.data, unit=target,
                                       parent=form.parent.data)
            AuditLog.record(current_user, "create", "position", position.id,
                            f"Jabatan {position.name} dibuat di {target.name}",
                            after=snapshot(position, POSITION_FIELDS), unit=target)
        flash(f"Jabatan {position.name} dibuat.", "success")
        return redirect(url_for("org.unit_detail", unit_id=target.id))
    return render("org/position_form.html", form=form, position=None, unit=unit,
                  status=422 if form.is_submitted() else 200)


@bp.route("/jabatan/<int:position_id>/ubah", methods=["GET", "POST"])
def position_edit(position_id):
    position = _position_or_404(position_id)
    form = _position_form(position)
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        target = _unit_or_404(form.unit.data)
        before = snapshot(position, POSITION_FIELDS)
        moved = target.id != position.unit_id
        with db.atomic():
            position.name, position.kind = form.name.data, form.kind.data
            position.unit, position.parent = target, form.parent.data
            position.save()
            followed = 0
            if moved:
                # Employee.unit is a copy of the position's unit: holders move with it.
                followed = (Employee.update(unit=target.id)
                            .where(Employee.position == position.id).execute())
            AuditLog.record(current_user, "update", "position", position.id,
                            f"Jabatan {position.name} diubah"
                            + (f"; pindah ke {target.name} bersama {followed} pegawai"
                               if moved else ""),
                            before=before, after=snapshot(position, POSITION_FIELDS), unit=target)
        flash("Perubahan jabatan disimpan.", "success")
        return redirect(url_for("org.unit_detail", unit_id=target.id))
    return render("org/position_form.html", form=form, position=position, unit=position.unit,
                  status=422 if form.is_submitted() else 200)


@bp.post("/jabatan/<int:position_id>/nonaktifkan")
def position_deactivate(position_id):
    position = _position_or_404(position_id)
    holders = Employee.holders_of(position.id).count()
    if holders:
        flash(f"Jabatan {position.name} masih dipegang {holders} pegawai aktif. "
              "Pindahkan mereka ke jabatan lain terlebih dahulu.", "error")
    elif position.active:
        _set_position_active(position, False)
        flash(f"Jabatan {position.name} dinonaktifkan.", "success")
    return redirect(url_for("org.unit_detail", unit_id=position.unit_id))


@bp.post("/jabatan/<int:position_id>/aktifkan")
def position_activate(position_id):
    position = _position_or_404(position_id)
    if not position.unit.active:
        flash("Aktifkan unit jabatan ini terlebih dahulu.", "error")
    elif not position.active:
        _set_position_active(position, True)
        flash(f"Jabatan {position.name} diaktifkan kembali.", "success")
    return redirect(url_for("org.unit_detail", unit_id=position.unit_id))


def _set_position_active(position: Position, active: bool) -> None:
    _set_active(position, "position", POSITION_FIELDS, f"Jabatan {position.name}",
                position.unit_id, active)


# --- employees --------------------------------------------------------------

@bp.get("/pegawai")
def employees():
    q = request.args.get("q", "").strip()[:100]
    if normalise(q).isdigit():
        q = normalise(q)
    status = request.args.get("status", "aktif")
    status = status if status in STATUSES else "aktif"
    unit_id = _int_arg("unit")
    unit = _unit_or_404(unit_id) if unit_id else None
    query = scoped_employees(current_user, Employee.search(q, Employee.select()))
    if unit is not None:
        query = query.where(Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(unit))))
    if status != "semua":
        query = query.where(Employee.active == (status == "aktif"))
    # Counted before the joins, which only feed the display: a third of the cost.
    page = Page(Employee.join_org(query).order_by(Employee.name, Employee.id),
                page_number(request.args.get("page")), PAGE_SIZE, total=query.count())
    url_args = {key: value for key, value in
                (("q", q), ("unit", unit.id if unit else None), ("status", status)) if value}
    return render("org/employees.html", "org/_employee_results.html",
                  listing=page, q=q, status_filter=status, unit=unit, url_args=url_args,
                  statuses=STATUSES,
                  # Only the full page has the unit filter; a search fragment skips the tree.
                  tree=None if is_htmx() else unit_filter_tree(current_user))


def _employee_form(employee: Employee | None) -> EmployeeForm:
    data = None
    if employee is not None:
        # Plain values, not model attributes: a foreign key would load the related row.
        data = {name: getattr(employee, name) for name in EDITABLE_EMPLOYEE_FIELDS}
        data["position"] = employee.position_id
    return EmployeeForm(data=data, employee_id=employee.id if employee else None,
                        position_choices=_position_choices(
                            "— pilih jabatan —", keep_id=employee.position_id if employee else None))


def _position_for(form: EmployeeForm) -> Position:
    """The chosen position, checked against the scope once more at write time."""
    return _position_or_404(form.position.data)


@bp.route("/pegawai/baru", methods=["GET", "POST"])
def employee_new():
    form = _employee_form(None)
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        try:
            employee, secret = _create_employee(form, _position_for(form))
        except IntegrityError:  # a second click raced the first to the same NIP
            form.nip.errors.append(NIP_TAKEN)
        else:
            # Shown in this response only: the password is stored nowhere but as a hash.
            return _render_employee(_employee_or_404(employee.id), status=201,
                                    one_time_password=secret)
    return render("org/employee_form.html", form=form, employee=None,
                  status=422 if form.is_submitted() else 200)


def _create_employee(form: EmployeeForm, position: Position) -> tuple[Employee, str]:
    """The employee and their login (username = NIP), with a one-time password."""
    secret = one_time_password()
    with db.atomic():
        employee = Employee.create(
            nip=form.nip.data, name=form.name.data, title_front=form.title_front.data,
            title_back=form.title_back.data, rank=form.rank.data, grade=form.grade.data,
            employment_type=form.employment_type.data, position=position,
            unit=position.unit_id, active=form.active.data)
        account = User.create(username=employee.nip, employee=employee, role="pegawai",
                              password_hash=hash_password(secret),
                              must_change_password=True, active=employee.active)
        AuditLog.record(current_user, "create", "employee", employee.id,
                        f"Pegawai {employee.full_name} ({employee.nip}) ditambahkan",
                        after=snapshot(employee, EMPLOYEE_FIELDS), unit=position.unit_id)
        AuditLog.record(current_user, "create", "user", account.id,
                        f"Akun {account.username} dibuat dengan kata sandi sekali pakai",
                        after=snapshot(account, USER_FIELDS), unit=position.unit_id)
    return employee, secret


def _override_form(employee: Employee, formdata=None) -> AppraiserOverrideForm:
    overrides = {e.id: e.nip for e in Employee.select(Employee.id, Employee.nip).where(
        Employee.id.in_([employee.appraiser_override_id, employee.appraiser_superior_override_id]))}
    return AppraiserOverrideForm(
        formdata=formdata, employee=employee, find_active=_find_active_employee,
        data={"appraiser_nip": overrides.get(employee.appraiser_override_id, ""),
              "superior_nip": overrides.get(employee.appraiser_superior_override_id, "")})


def _find_active_employee(nip: str):
    return scoped_employees(current_user, Employee.select()).where(
        (Employee.nip == nip) & Employee.active).first()


def _appraisal_context(employee: Employee) -> dict:
    return {"derived": employee.derived_appraiser(), "appraiser": employee.appraiser(),
            "superior": employee.appraiser_superior()}


def _render_employee(employee: Employee, status=200, override_form=None, **extra):
    account = User.get_or_none(User.employee == employee.id)
    return render("org/employee_detail.html", status=status, employee=employee, account=account,
                  override_form=override_form or _override_form(employee),
                  **_appraisal_context(employee), **extra)


@bp.get("/pegawai/<int:employee_id>")
def employee_detail(employee_id):
    return _render_employee(_employee_or_404(employee_id))


@bp.route("/pegawai/<int:employee_id>/ubah", methods=["GET", "POST"])
def employee_edit(employee_id):
    employee = _employee_or_404(employee_id)
    form = _employee_form(employee)
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        position = (employee.position if form.position.data == employee.position_id
                    else _position_for(form))
        before = snapshot(employee, EMPLOYEE_FIELDS)
        was_active = employee.active
        try:
            with db.atomic():
                for name in EDITABLE_EMPLOYEE_FIELDS:
                    setattr(employee, name, getattr(form, name).data)
                employee.position, employee.unit = position, position.unit_id
                employee.save()
                AuditLog.record(current_user, "update", "employee", employee.id,
                                f"Data pegawai {employee.full_name} ({employee.nip}) diubah",
                                before=before, after=snapshot(employee, EMPLOYEE_FIELDS),
                                unit=employee.unit_id)
                _sync_account(employee, was_active)
                if was_active and not employee.active:
                    _release_overrides(employee)
        except IntegrityError:  # another admin saved this NIP a moment earlier
            form.nip.errors.append(NIP_TAKEN)
        else:
            flash("Perubahan data pegawai disimpan.", "success")
            return redirect(url_for("org.employee_detail", employee_id=employee.id))
    return render("org/employee_form.html", form=form, employee=employee,
                  status=422 if form.is_submitted() else 200)


def _sync_account(employee: Employee, was_active: bool) -> None:
    """The login follows the employee: NIP as username, active with the employee.
    Deactivation also ends every open session at once."""
    account = User.get_or_none(User.employee == employee.id)
    if account is None:
        return
    before = snapshot(account, USER_FIELDS)
    changes = []
    if account.username != employee.nip:
        account.username = employee.nip
        changes.append("nama pengguna mengikuti NIP baru")
    if was_active and not employee.active and account.active:
        account.active = False
        account.session_version += 1
        changes.append("dinonaktifkan dan semua sesinya diakhiri")
    elif employee.active and not was_active and not account.active:
        account.active = True
        changes.append("diaktifkan kembali")
    if not changes:
        return
    account.save()
    AuditLog.record(current_user, "deactivate" if not account.active else "update", "user",
                    account.id, f"Akun {account.username}: {'; '.join(changes)}",
                    before=before, after=snapshot(account, USER_FIELDS), unit=employee.unit_id)


def _release_overrides(employee: Employee) -> None:
    """Nobody keeps a deactivated employee as their chosen appraiser: they fall back
    to the appraiser derived from the position tree."""
    for field in (Employee.appraiser_override, Employee.appraiser_superior_override):
        for other in Employee.select().where(field == employee.id):
            before = snapshot(other, EMPLOYEE_FIELDS)
            setattr(other, field.name, None)
            other.save(only=[field])
            AuditLog.record(current_user, "override", "employee", other.id,
                            f"Penggantian penilai {other.full_name} ({other.nip}) dilepas karena "
                            f"{employee.full_name} dinonaktifkan",
                            before=before, after=snapshot(other, EMPLOYEE_FIELDS),
                            unit=other.unit_id)


@bp.post("/pegawai/<int:employee_id>/nonaktifkan")
def employee_deactivate(employee_id):
    employee = _employee_or_404(employee_id)
    if employee.active:
        before = snapshot(employee, EMPLOYEE_FIELDS)
        with db.atomic():
            employee.active = False
            employee.save(only=[Employee.active])
            AuditLog.record(current_user, "deactivate", "employee", employee.id,
                            f"Pegawai {employee.full_name} ({employee.nip}) dinonaktifkan",
                            before=before, after=snapshot(employee, EMPLOYEE_FIELDS),
                            unit=employee.unit_id)
            _sync_account(employee, was_active=True)
            _release_overrides(employee)
        flash(f"{employee.full_name} dinonaktifkan; akunnya tidak dapat dipakai masuk lagi.",
              "success")
    return redirect(url_for("org.employee_detail", employee_id=employee.id))


@bp.post("/pegawai/<int:employee_id>/penilai")
def employee_override(employee_id):
    employee = _employee_or_404(employee_id)
    form = _override_form(employee, formdata=request.form)
    if (name := _validating_field()):
        return field_fragment(form, name)
    if not form.validate():
        return render("org/employee_detail.html", "org/_appraisers.html", status=422,
                      employee=employee, override_form=form,
                      account=User.get_or_none(User.employee == employee.id),
                      **_appraisal_context(employee))
    new = (form.appraiser.id if form.appraiser else None,
           form.superior.id if form.superior else None)
    if new != (employee.appraiser_override_id, employee.appraiser_superior_override_id):
        before = snapshot(employee, EMPLOYEE_FIELDS)
        with db.atomic():
            employee.appraiser_override, employee.appraiser_superior_override = new
            employee.save(only=[Employee.appraiser_override, Employee.appraiser_superior_override])
            AuditLog.record(current_user, "override", "employee", employee.id,
                            _override_summary(employee, form), before=before,
                            after=snapshot(employee, EMPLOYEE_FIELDS), unit=employee.unit_id)
    message = "Pejabat Penilai dan atasannya disimpan."
    if is_htmx():
        form = _override_form(employee)
        return render("org/employee_detail.html", "org/_appraisers.html", employee=employee,
                      override_form=form, saved_message=message,
                      trigger={"appraisersChanged": employee.id},
                      **_appraisal_context(employee))
    flash(message, "success")
    return redirect(url_for("org.employee_detail", employee_id=employee.id))


def _override_summary(employee: Employee, form: AppraiserOverrideForm) -> str:
    appraiser = form.appraiser.full_name if form.appraiser else "turunan jabatan"
    superior = form.superior.full_name if form.superior else "turunan jabatan"
    return (f"Penilai {employee.full_name} ({employee.nip}): Pejabat Penilai {appraiser}, "
            f"Atasan Pejabat Penilai {superior}")
