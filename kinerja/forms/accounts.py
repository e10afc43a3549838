from wtforms import SearchField, SelectField, StringField, ValidationError

from ..models import ROLES, User
from ..rules.accounts import SYSTEM_ROLES, role_problems, username_problems
from . import Form, optional_int


class AccountSearchForm(Form):
    """The filters above the list of accounts (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    # Own ids: the page also holds the role and new-account forms, whose fields share names.
    q = SearchField("Cari nama, NIP atau nama pengguna", id="filter-q")
    role = SelectField("Peran", choices=[("", "Semua peran"), *ROLES.items()], default="",
                       id="filter-role")
    status = SelectField("Status", choices=[("", "Semua status"), ("aktif", "Aktif"),
                                            ("nonaktif", "Nonaktif")], default="",
                         id="filter-status")


class RoleForm(Form):
    role = SelectField("Peran", choices=list(ROLES.items()))
    scope_unit = SelectField("Unit cakupan", coerce=optional_int,
                             description="Wajib untuk Admin OPD: OPD atau sub-unit yang dikelolanya.")

    def __init__(self, *args, units=(), has_employee=True, is_self=False, id_prefix="role",
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_unit.choices = [("", "— tanpa unit —"), *units]
        # Several rows may hold this form at once: ids unique per row, names unchanged.
        for name in self._fields:
            if name != "csrf_token":
                self[name].id = f"{id_prefix}-{name}"
        self._has_employee = has_employee
        self._is_self = is_self

    def validate_role(self, field):
        problems = role_problems(field.data, has_employee=self._has_employee,
                                 has_scope=self.scope_unit.data is not None, is_self=self._is_self)
        if problems:
            raise ValidationError(" ".join(problems))


class CreateAccountForm(RoleForm):
    """A system account (not tied to an employee): an admin BKPSDM or an admin OPD."""
    username = StringField("Nama pengguna", description="Contoh: admin.dinkes — huruf kecil, "
                           "angka, titik atau tanda hubung; diawali huruf.")

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, units=units, has_employee=False, is_self=False, id_prefix="new",
                         **kwargs)
        self.role.choices = [(code, ROLES[code]) for code in SYSTEM_ROLES]

    def validate_username(self, field):
        field.data = (field.data or "").strip().lower()
        problems = username_problems(field.data)
        if problems:
            raise ValidationError(" ".join(problems))
        if User.select().where(User.username == field.data).exists():
            raise ValidationError("Nama pengguna ini sudah dipakai.")
