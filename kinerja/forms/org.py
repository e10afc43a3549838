"""Forms of units, positions, employees and the appraiser override."""

from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from .. import clock
from ..models import EMPLOYMENT_TYPES, POSITION_KINDS, Employee, Unit, User
from ..rules.nip import nip_errors, normalise
from ..rules.org import (grade_problem, normalise_grade, normalise_unit_code,
                         unit_code_problem)
from . import Form, optional_int, strip

PICK = "Pilih dari daftar."


def position_choices(blank: str, positions, kept=None) -> list:
    """Positions grouped by unit; `kept` (the current value, inactive or out of scope) first."""
    choices = [SelectChoice("", blank)]
    if kept is not None:
        choices.append(SelectChoice(str(kept.id), f"{kept.name} — {kept.unit.name} (tetap)"))
    return choices + [SelectChoice(str(p.id), p.name, optgroup=p.unit.name) for p in positions]


class UnitForm(Form):
    name = StringField("Nama unit", filters=[strip], validators=[
        DataRequired("Nama unit wajib diisi."), Length(max=200)])
    code = StringField("Kode unit", filters=[normalise_unit_code], validators=[
        DataRequired("Kode unit wajib diisi."), Length(max=32)],
        description="Huruf besar, angka, titik, atau tanda hubung; unik se-kabupaten "
                    "(misalnya DINKES-YANKES).")
    parent = SelectField("Unit induk", coerce=optional_int, invalid_choice_message=PICK,
                         invalid_value_message=PICK,
                         description="Kosongkan untuk OPD (unit tertinggi).")

    def __init__(self, *args, parent_choices=(), unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent.choices = list(parent_choices)
        self._unit_id = unit_id

    def validate_code(self, field):
        problem = unit_code_problem(field.data)
        if problem:
            raise ValidationError(problem)
        clash = Unit.select().where(Unit.code == field.data)
        if self._unit_id:
            clash = clash.where(Unit.id != self._unit_id)
        if clash.exists():
            raise ValidationError(f"Kode {field.data} sudah dipakai unit lain.")


class PositionForm(Form):
    name = StringField("Nama jabatan", filters=[strip], validators=[
        DataRequired("Nama jabatan wajib diisi."), Length(max=200)])
    kind = SelectField("Jenis jabatan", choices=[("", "— pilih jenis —"), *POSITION_KINDS.items()],
                       validators=[DataRequired("Jenis jabatan wajib dipilih.")],
                       invalid_choice_message=PICK)
    unit = SelectField("Unit kerja", coerce=optional_int, invalid_choice_message=PICK,
                       invalid_value_message=PICK,
                       validators=[DataRequired("Unit kerja wajib dipilih.")])
    parent = SelectField("Jabatan atasan", coerce=optional_int, invalid_choice_message=PICK,
                         invalid_value_message=PICK,
                         description="Pemegang jabatan atasan menjadi Pejabat Penilai Kinerja "
                                     "pemegang jabatan ini.")

    def __init__(self, *args, unit_choices=(), parent_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = list(unit_choices)
        self.parent.choices = list(parent_choices)


class EmployeeForm(Form):
    nip = StringField("NIP", filters=[normalise], validators=[DataRequired("NIP wajib diisi.")],
                      description="18 digit: tanggal lahir, TMT CPNS, jenis kelamin, nomor urut.",
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    name = StringField("Nama (tanpa gelar)", filters=[strip], validators=[
        DataRequired("Nama wajib diisi."), Length(max=150)])
    title_front = StringField("Gelar depan", filters=[strip], validators=[Length(max=50)],
                              description="Misalnya dr. atau Drs.")
    title_back = StringField("Gelar belakang", filters=[strip], validators=[Length(max=80)],
                             description="Misalnya S.Kep., Ns.")
    rank = StringField("Pangkat", filters=[strip], validators=[Length(max=60)],
                       description="Misalnya Penata Muda.")
    grade = StringField("Golongan", filters=[normalise_grade], validators=[Length(max=10)],
                        description="PNS: I/a sampai IV/e; PPPK: I sampai XVII.")
    employment_type = SelectField("Status ASN", choices=list(EMPLOYMENT_TYPES.items()),
                                  default="pns", invalid_choice_message=PICK)
    position = SelectField("Jabatan", coerce=optional_int, invalid_choice_message=PICK,
                           invalid_value_message=PICK,
                           validators=[DataRequired("Jabatan wajib dipilih.")],
                           description="Unit kerja pegawai mengikuti unit jabatannya.")
    active = BooleanField("Aktif", default=True)

    def __init__(self, *args, position_choices=(), employee_id=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.position.choices = list(position_choices)
        self._employee_id = employee_id
        self._today = today or clock.today()

    def validate_nip(self, field):
        # The status decides the pattern; a lone field checked in place may arrive without it.
        status = self.employment_type.data if self.employment_type.raw_data else None
        errors = nip_errors(field.data, self._today, status)
        if errors:
            raise ValidationError(" ".join(errors))
        others = Employee.select().where(Employee.nip == field.data)
        if self._employee_id:
            others = others.where(Employee.id != self._employee_id)
        if others.exists():
            raise ValidationError("NIP ini sudah terdaftar untuk pegawai lain.")
        account = User.get_or_none(User.username == field.data)
        if account is not None and (account.employee_id is None
                                    or account.employee_id != self._employee_id):
            raise ValidationError("NIP ini sudah dipakai sebagai nama pengguna akun lain.")

    def validate_grade(self, field):
        problem = grade_problem(field.data, self.employment_type.data)
        if problem:
            raise ValidationError(problem)


class AppraiserOverrideForm(Form):
    """Override the derived Pejabat Penilai / Atasan by NIP; empty returns to the derived one."""
    appraiser_nip = StringField("NIP Pejabat Penilai pengganti", filters=[normalise],
                                render_kw={"inputmode": "numeric", "autocomplete": "off"},
                                description="Kosongkan untuk memakai Pejabat Penilai dari jabatan atasan.")
    superior_nip = StringField("NIP Atasan Pejabat Penilai pengganti", filters=[normalise],
                               render_kw={"inputmode": "numeric", "autocomplete": "off"},
                               description="Kosongkan untuk memakai atasan dari Pejabat Penilai.")

    def __init__(self, *args, employee=None, find_active=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._employee = employee
        # find_active(nip) -> the active employee with this NIP the admin may choose, or None
        self._find_active = find_active
        self.appraiser = None
        self.superior = None

    def _pick(self, field):
        if not field.data:
            return None
        found = self._find_active(field.data)
        if found is None:
            raise ValidationError("Tidak ada pegawai aktif dengan NIP ini yang dapat Anda pilih.")
        if found.id == self._employee.id:
            raise ValidationError("Pegawai tidak dapat menilai dirinya sendiri.")
        field.description = f"Dipilih: {found.full_name}."
        return found

    def validate_appraiser_nip(self, field):
        self.appraiser = self._pick(field)

    def validate_superior_nip(self, field):
        self.superior = self._pick(field)
        if self.superior is not None and self.appraiser is not None \
                and self.superior.id == self.appraiser.id:
            raise ValidationError("Atasan Pejabat Penilai harus orang lain dari Pejabat Penilai.")
