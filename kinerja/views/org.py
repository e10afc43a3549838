"""Units, positions and employees: the organisation an admin (BKPSDM or OPD) maintains."""
from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from ..forms import field_fragment
from ..forms.org import (AppraiserOverrideForm, EmployeeForm, PositionForm, UnitForm,
                         position_choices)
from ..htmx import is_htmx, respond
from ..paging import page_number
from ..rules import DomainError
from ..rules.nip import normalise
from ..rules.passwords import one_time_password
from ..security import admin_scope_unit, hash_password
from ..stores.org import employees as employee_store, tree, units as unit_store
from .toolkit import int_arg, refused, require_roles, text_arg

bp = Blueprint("org", __name__, url_prefix="/organisasi")
# An admin OPD is further held to their unit: every loader below answers 404 outside it.
require_roles(bp, "admin", "admin_opd")

PAGE_SIZE = 50
STATUSES = {"aktif": "Aktif", "nonaktif": "Nonaktif", "semua": "Semua"}


# --- loaders ----------------------------------------------------------------------------------
# 404 rather than 403 outside the scope: an admin OPD should not learn which ids exist elsewhere.

def load_unit(unit_id: int, scope):
    unit = unit_store.get_unit(unit_id)
    if unit is None or not tree.in_scope(scope, unit):
        abort(404)
    return unit


def load_position(position_id: int, scope):
    position = unit_store.get_position(position_id)
    if position is None or not tree.in_scope(scope, position.unit):
        abort(404)
    return position


def load_employee(employee_id: int, scope):
    employee = employee_store.get_employee(scope, employee_id)
    if employee is None:
        abort(404)
    return employee


def _validating_field() -> str | None:
    """The field an htmx blur asks about, if this POST is an inline validation."""
    return request.headers.get("HX-Trigger-Name") if is_htmx() else None


def _form_page(template: str, form, **context):
    return respond(template, status=422 if form.is_submitted() else 200, form=form, **context)


# --- units ------------------------------------------------------------------------------------

@bp.get("/unit")
def units():
    scope = admin_scope_unit(current_user)
    tree = unit_store.tree_page(scope, page_number(request.args.get("page")))
    return respond("org/units.html", **tree, can_create_opd=scope is None)


@bp.route("/unit/baru", methods=["GET", "POST"])
def unit_new():
    scope = admin_scope_unit(current_user)
    parent_id = int_arg("induk")
    parent = load_unit(parent_id, scope) if parent_id else None
    form = UnitForm(parent_choices=tree.parent_choices(scope),
                    data={"parent": parent.id if parent else None})
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        if form.parent.data:
            load_unit(form.parent.data, scope)
        try:
            unit = unit_store.create_unit(current_user, name=form.name.data, code=form.code.data,
                                     parent_id=form.parent.data)
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, redirect=url_for("org.unit_detail", unit_id=unit.id),
                           message=f"Unit {unit.name} dibuat.")
    return _form_page("org/unit_form.html", form, unit=None)


@bp.get("/unit/<int:unit_id>")
def unit_detail(unit_id):
    scope = admin_scope_unit(current_user)
    unit = load_unit(unit_id, scope)
    return respond("org/unit_detail.html", unit=unit, **unit_store.unit_page(unit, scope))


@bp.route("/unit/<int:unit_id>/ubah", methods=["GET", "POST"])
def unit_edit(unit_id):
    scope = admin_scope_unit(current_user)
    unit = load_unit(unit_id, scope)
    form = UnitForm(parent_choices=tree.parent_choices(scope, unit), unit_id=unit.id,
                    data={"name": unit.name, "code": unit.code, "parent": unit.parent_id})
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        if form.parent.data != unit.parent_id and form.parent.data:
            load_unit(form.parent.data, scope)
        try:
            unit_store.update_unit(current_user, unit.id, name=form.name.data, code=form.code.data,
                              parent_id=form.parent.data)
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, redirect=url_for("org.unit_detail", unit_id=unit.id),
                           message="Perubahan unit disimpan.")
    return _form_page("org/unit_form.html", form, unit=unit)


def _switched(set_active, record_id: int, active: bool, label: str, unit_id: int):
    """Switch a unit or position on or off; back to the unit's page, saying what happened or
    why it could not."""
    back = url_for("org.unit_detail", unit_id=unit_id)
    try:
        changed = set_active(current_user, record_id, active)
    except DomainError as exc:
        return respond(None, redirect=back, message=exc.message, category="error")
    done = "diaktifkan kembali" if active else "dinonaktifkan"
    return respond(None, redirect=back, message=f"{label} {done}." if changed else None)


def _switch_unit(unit_id: int, active: bool):
    unit = load_unit(unit_id, admin_scope_unit(current_user))
    return _switched(unit_store.set_unit_active, unit.id, active, f"Unit {unit.name}", unit.id)


@bp.post("/unit/<int:unit_id>/nonaktifkan")
def unit_deactivate(unit_id):
    return _switch_unit(unit_id, False)


@bp.post("/unit/<int:unit_id>/aktifkan")
def unit_activate(unit_id):
    return _switch_unit(unit_id, True)


# --- positions --------------------------------------------------------------------------------

def _position_form(scope, position=None, unit_id=None) -> PositionForm:
    data = ({"unit": unit_id} if position is None
            else {"name": position.name, "kind": position.kind, "unit": position.unit_id,
                  "parent": position.parent_id})
    parents, kept = unit_store.position_options(
        scope, keep_id=position.parent_id if position else None, excluding=position)
    return PositionForm(data=data,
                        unit_choices=[("", "— pilih unit —"), *tree.unit_choices(
                            scope, keep_id=position.unit_id if position else None)],
                        parent_choices=position_choices(
                            "— tanpa atasan (dinilai Kepala Daerah) —", parents, kept))


def _position_values(form: PositionForm) -> dict:
    return {"name": form.name.data, "kind": form.kind.data, "unit_id": form.unit.data,
            "parent_id": form.parent.data}


@bp.route("/unit/<int:unit_id>/jabatan/baru", methods=["GET", "POST"])
def position_new(unit_id):
    scope = admin_scope_unit(current_user)
    unit = load_unit(unit_id, scope)
    form = _position_form(scope, unit_id=unit.id)
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        load_unit(form.unit.data, scope)
        position = unit_store.create_position(current_user, **_position_values(form))
        return respond(None, redirect=url_for("org.unit_detail", unit_id=position.unit_id),
                       message=f"Jabatan {position.name} dibuat.")
    return _form_page("org/position_form.html", form, position=None, unit=unit)


@bp.route("/jabatan/<int:position_id>/ubah", methods=["GET", "POST"])
def position_edit(position_id):
    scope = admin_scope_unit(current_user)
    position = load_position(position_id, scope)
    form = _position_form(scope, position)
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        load_unit(form.unit.data, scope)
        try:
            position = unit_store.update_position(current_user, position.id, **_position_values(form))
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, redirect=url_for("org.unit_detail", unit_id=position.unit_id),
                           message="Perubahan jabatan disimpan.")
    return _form_page("org/position_form.html", form, position=position, unit=position.unit)


def _switch_position(position_id: int, active: bool):
    position = load_position(position_id, admin_scope_unit(current_user))
    return _switched(unit_store.set_position_active, position.id, active,
                     f"Jabatan {position.name}", position.unit_id)


@bp.post("/jabatan/<int:position_id>/nonaktifkan")
def position_deactivate(position_id):
    return _switch_position(position_id, False)


@bp.post("/jabatan/<int:position_id>/aktifkan")
def position_activate(position_id):
    return _switch_position(position_id, True)


# --- employees --------------------------------------------------------------------------------

@bp.get("/pegawai")
def employees():
    scope = admin_scope_unit(current_user)
    q = text_arg("q")
    if normalise(q).isdigit():
        q = normalise(q)
    status = request.args.get("status", "aktif")
    status = status if status in STATUSES else "aktif"
    unit_id = int_arg("unit")
    unit = load_unit(unit_id, scope) if unit_id else None
    listing = employee_store.employee_listing(
        scope, q=q, unit=unit, active=None if status == "semua" else status == "aktif",
        number=page_number(request.args.get("page")), per_page=PAGE_SIZE)
    url_args = {key: value for key, value in
                (("q", q), ("unit", unit.id if unit else None), ("status", status)) if value}
    return respond("org/employees.html", "org/_employee_results.html",
                   listing=listing, q=q, status_filter=status, unit=unit, url_args=url_args,
                   statuses=STATUSES,
                   # Only the full page has the unit filter; a search fragment skips the tree.
                   tree=None if is_htmx() else tree.unit_filter_tree(scope, unit))


def _employee_form(scope, employee=None) -> EmployeeForm:
    data = None
    if employee is not None:
        # Plain values, not model attributes: a foreign key would load the related row.
        data = {name: getattr(employee, name) for name in employee_store.EDITABLE_EMPLOYEE_FIELDS}
        data["position"] = employee.position_id
    positions, kept = unit_store.position_options(
        scope, keep_id=employee.position_id if employee else None)
    return EmployeeForm(data=data, employee_id=employee.id if employee else None,
                        position_choices=position_choices("— pilih jabatan —", positions, kept))


def _employee_values(form: EmployeeForm) -> dict:
    return {name: form[name].data for name in employee_store.EDITABLE_EMPLOYEE_FIELDS}


@bp.route("/pegawai/baru", methods=["GET", "POST"])
def employee_new():
    scope = admin_scope_unit(current_user)
    form = _employee_form(scope)
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        position = load_position(form.position.data, scope)  # the scope, checked at write time
        secret = one_time_password()
        try:
            employee = employee_store.create_employee(current_user, _employee_values(form), position.id,
                                              password_hash=hash_password(secret))
        except DomainError as exc:
            refused(exc, form)
        else:
            # Shown in this response only: the password is stored nowhere but as a hash.
            return _employee_page(load_employee(employee.id, scope), scope, status=201,
                                  one_time_password=secret)
    return _form_page("org/employee_form.html", form, employee=None)


def _override_form(employee, scope, formdata=None) -> AppraiserOverrideForm:
    return AppraiserOverrideForm(formdata=formdata, employee=employee,
                                 find_active=lambda nip: employee_store.find_active(scope, nip),
                                 data=employee_store.override_nips(employee))


def _employee_page(employee, scope, status=200, override_form=None, **extra):
    return respond("org/employee_detail.html", status=status, employee=employee,
                   account=employee_store.account_of(employee),
                   override_form=override_form or _override_form(employee, scope),
                   **employee_store.appraisal(employee), **extra)


@bp.get("/pegawai/<int:employee_id>")
def employee_detail(employee_id):
    scope = admin_scope_unit(current_user)
    return _employee_page(load_employee(employee_id, scope), scope)


@bp.route("/pegawai/<int:employee_id>/ubah", methods=["GET", "POST"])
def employee_edit(employee_id):
    scope = admin_scope_unit(current_user)
    employee = load_employee(employee_id, scope)
    form = _employee_form(scope, employee)
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate_on_submit():
        if form.position.data != employee.position_id:
            load_position(form.position.data, scope)
        try:
            employee_store.update_employee(current_user, employee.id, _employee_values(form),
                                   form.position.data)
        except DomainError as exc:
            refused(exc, form)
        else:
            return respond(None, redirect=url_for("org.employee_detail", employee_id=employee.id),
                           message="Perubahan data pegawai disimpan.")
    return _form_page("org/employee_form.html", form, employee=employee)


@bp.post("/pegawai/<int:employee_id>/nonaktifkan")
def employee_deactivate(employee_id):
    employee = load_employee(employee_id, admin_scope_unit(current_user))
    changed = employee_store.deactivate_employee(current_user, employee.id)
    return respond(None, redirect=url_for("org.employee_detail", employee_id=employee.id),
                   message=f"{employee.full_name} dinonaktifkan; akunnya tidak dapat dipakai "
                           "masuk lagi." if changed else None)


@bp.post("/pegawai/<int:employee_id>/penilai")
def employee_override(employee_id):
    scope = admin_scope_unit(current_user)
    employee = load_employee(employee_id, scope)
    form = _override_form(employee, scope, formdata=request.form)
    if (name := _validating_field()):
        return field_fragment(form, name)
    if form.validate():
        try:
            employee_store.set_appraisers(current_user, employee.id, form.appraiser, form.superior)
        except DomainError as exc:
            refused(exc, form)
        else:
            def saved():
                fresh = load_employee(employee_id, scope)
                return {"employee": fresh, "override_form": _override_form(fresh, scope),
                        **employee_store.appraisal(fresh)}
            return respond("org/employee_detail.html", "org/_appraisers.html",
                           redirect=url_for("org.employee_detail", employee_id=employee_id),
                           message="Pejabat Penilai dan atasannya disimpan.",
                           trigger={"appraisersChanged": employee_id}, context=saved)
    return respond("org/employee_detail.html", "org/_appraisers.html", status=422,
                   employee=employee, override_form=form, account=employee_store.account_of(employee),
                   **employee_store.appraisal(employee))
