"""Forms of the staff side of the SKM: service units, services, periods, paper entry,
import, review and follow-up."""
import datetime
import re

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from .. import clock
from ..models import SUGGESTION_STATUSES, SURVEY_PERIOD_KINDS
from ..rules.survey_periods import YEAR_MAX, YEAR_MIN
from ..stores.survey.units import CODE_LOCKED, CODE_TAKEN
from . import Form, strip

CODE_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class ServiceUnitForm(Form):
    name = StringField("Nama unit layanan", filters=[strip],
                       validators=[DataRequired(), Length(max=200)])
    code = StringField("Kode singkat (alamat survei)", filters=[_lower],
                       validators=[DataRequired(), Length(min=2, max=40)],
                       description="Huruf kecil, angka dan tanda hubung, misalnya pkm-sukamaju. "
                                   "Tercetak pada poster; tidak dapat diubah setelah ada tanggapan.")
    unit = SelectField("OPD / unit kerja", coerce=int, validators=[DataRequired()])
    period_kind = SelectField("Jenis periode survei", choices=list(SURVEY_PERIOD_KINDS.items()),
                              default="semester")
    active = BooleanField("Aktif (survei dapat diisi)", default=True)

    def __init__(self, *args, unit_choices=(), code_taken=None, locked_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = list(unit_choices)
        # code -> is it another service unit's? (the store answers: stores.survey.units)
        self._code_taken = code_taken
        # Set once the unit has responses: posters in the field carry this code.
        self.locked_code = locked_code

    def validate_code(self, field):
        if self.locked_code is not None and field.data != self.locked_code:
            raise ValidationError(CODE_LOCKED)
        if field.data and not CODE_PATTERN.match(field.data):
            raise ValidationError("Gunakan huruf kecil a–z, angka dan tanda hubung (-), "
                                  "tidak diawali atau diakhiri tanda hubung.")
        if self._code_taken is not None and self._code_taken(field.data):
            raise ValidationError(CODE_TAKEN.format(code=field.data))


class ServiceForm(Form):
    name = StringField("Jenis layanan", filters=[strip],
                       validators=[DataRequired(), Length(max=200)])
    active = BooleanField("Aktif", default=True)


class PeriodForm(Form):
    kind = SelectField("Jenis periode", choices=list(SURVEY_PERIOD_KINDS.items()))
    year = IntegerField("Tahun", validators=[DataRequired(), NumberRange(YEAR_MIN, YEAR_MAX)])
    number = IntegerField("Nomor", default=1, validators=[DataRequired(), NumberRange(1, 4)],
                          description="Triwulan 1–4, semester 1–2, tahun 1.")
    population = IntegerField("Populasi (N) pengguna layanan", validators=[
        Optional(), NumberRange(1, 10_000_000)],
        description="Jumlah pengguna layanan dalam periode ini, untuk sampel minimum.")
    is_open = BooleanField("Dibuka (menerima tanggapan)")


class PeriodEditForm(Form):
    population = IntegerField("Populasi (N) pengguna layanan", validators=[
        Optional(), NumberRange(1, 10_000_000)])
    is_open = BooleanField("Dibuka (menerima tanggapan)")


class WeightForm(Form):
    weight = RadioField("Bobot unsur", validators=[DataRequired()])


ANSWER_MESSAGE = "Isi 1, 2, 3 atau 4 (kosongkan bila tidak dijawab)."


def _answer(value):
    """'3' -> 3; '' -> None; anything else is left as text for the validator to refuse."""
    if value is None:
        return None
    text = str(value).strip()
    if text == "":
        return None
    return int(text) if text in ("1", "2", "3", "4") else text


def _answer_valid(form, field):
    if field.data is not None and not isinstance(field.data, int):
        raise ValidationError(ANSWER_MESSAGE)


class PaperResponseForm(Form):
    """One paper questionnaire, typed by staff; answers by element code u1…u9."""
    answered_on = DateField("Tanggal kuesioner", validators=[DataRequired()])
    service = SelectField("Jenis layanan", coerce=int, default=0)
    u1 = StringField("U1", filters=[_answer], validators=[_answer_valid])
    u2 = StringField("U2", filters=[_answer], validators=[_answer_valid])
    u3 = StringField("U3", filters=[_answer], validators=[_answer_valid])
    u4 = StringField("U4", filters=[_answer], validators=[_answer_valid])
    u5 = StringField("U5", filters=[_answer], validators=[_answer_valid])
    u6 = StringField("U6", filters=[_answer], validators=[_answer_valid])
    u7 = StringField("U7", filters=[_answer], validators=[_answer_valid])
    u8 = StringField("U8", filters=[_answer], validators=[_answer_valid])
    u9 = StringField("U9", filters=[_answer], validators=[_answer_valid])
    age = IntegerField("Umur", validators=[Optional(), NumberRange(10, 110)])
    sex = SelectField("Jenis kelamin", default="")
    education = SelectField("Pendidikan", default="")
    occupation = SelectField("Pekerjaan", default="")
    suggestion = StringField("Saran/masukan", filters=[strip], validators=[Length(max=2000)])
    count = HiddenField(default="0")

    ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")

    def answers(self) -> dict:
        return {code: self[code].data for code in self.ELEMENTS}

    def validate_answered_on(self, field):
        if field.data and field.data > clock.today() + datetime.timedelta(days=1):
            raise ValidationError("Tanggal kuesioner tidak boleh di masa depan.")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and all(value is None for value in self.answers().values()):
            self.u1.errors.append("Kuesioner tanpa satu jawaban pun bukan tanggapan.")
            return False
        return ok


class ImportForm(Form):
    file = FileField("Berkas CSV atau XLSX", validators=[
        FileRequired("Pilih berkas terlebih dahulu."),
        FileAllowed(["csv", "xlsx"], "Berkas harus berformat .csv atau .xlsx.")])


class ImportConfirmForm(Form):
    token = HiddenField(validators=[DataRequired()])
    # How many rows the dry run found: only chooses whether the worker saves them (a number
    # changed by hand changes nothing else; the file is checked again either way).
    rows = IntegerField(widget=HiddenInput(), validators=[Optional()])


class ReviewBulkForm(Form):
    decision = HiddenField(validators=[DataRequired()])


class FollowUpForm(Form):
    status = SelectField("Status", choices=[(k, "Pujian — tidak perlu tindak lanjut" if k == "pujian" else v)
                                            for k, v in SUGGESTION_STATUSES.items()], default="baru")
    element = SelectField("Unsur terkait", default="")
    handler = SelectField("Ditangani oleh", coerce=int, default=0)
    action = TextAreaField("Tindakan yang dilakukan", filters=[strip],
                           validators=[Length(max=2000)])
    done_on = DateField("Tanggal tindakan", validators=[Optional()])

    def validate_done_on(self, field):
        if field.data and field.data > clock.today() + datetime.timedelta(days=1):
            raise ValidationError("Tanggal tindakan tidak boleh di masa depan.")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.status.data == "selesai":
            if not self.action.data:
                self.action.errors.append("Tuliskan tindakan yang dilakukan sebelum menandai selesai.")
                ok = False
            if not self.done_on.data and not self.done_on.errors:
                self.done_on.errors.append("Isi tanggal tindakan sebelum menandai selesai.")
                ok = False
        if self.status.data in ("diproses", "selesai") and not self.handler.data:
            self.handler.errors.append("Pilih pegawai yang menangani.")
            ok = False
        return ok
