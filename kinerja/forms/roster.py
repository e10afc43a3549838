"""Forms of rosters (jadwal dinas): a unit's shifts and the roster import."""
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from ..rules.attendance import parse_time
from ..rules.roster import DAY_OFF, parse_month
from . import Form, strip
from .attendance import time_check
from .imports import UploadForm


def _upper(value):
    return strip(value).upper() if isinstance(value, str) else value


class ShiftForm(Form):
    unit = SelectField("Unit kerja", coerce=int, validate_choice=True,
                       validators=[DataRequired("Pilih unit kerja.")],
                       description="Subunit tanpa shift sendiri memakai shift unit induknya.")
    code = StringField("Kode", filters=[_upper], validators=[
        DataRequired("Kode wajib diisi."),
        Regexp(r"^[A-Z0-9]{1,4}$", message="Kode 1–4 huruf atau angka, misalnya P, S, M.")],
        render_kw={"size": 4, "autocapitalize": "characters"})
    name = StringField("Nama", filters=[strip], validators=[
        DataRequired("Nama shift wajib diisi."), Length(max=60, message="Paling panjang 60 huruf.")],
        description="Misalnya Pagi, Siang, Malam.")
    starts = StringField("Mulai", filters=[strip], validators=[
        DataRequired("Jam mulai wajib diisi."), time_check],
        render_kw={"placeholder": "07:00", "inputmode": "numeric", "size": 5})
    ends = StringField("Selesai", filters=[strip], validators=[
        DataRequired("Jam selesai wajib diisi."), time_check],
        description="Lebih awal dari jam mulai berarti selesai keesokan harinya (dinas malam).",
        render_kw={"placeholder": "14:00", "inputmode": "numeric", "size": 5})

    def validate_code(self, field):
        if field.data == DAY_OFF:
            raise ValidationError("Kode L dipakai untuk hari libur pada jadwal dinas.")

    def validate_ends(self, field):
        if parse_time(field.data or "") is not None and parse_time(field.data) == parse_time(
                self.starts.data or ""):
            raise ValidationError("Jam selesai tidak boleh sama dengan jam mulai.")

    def times(self) -> tuple:
        return parse_time(self.starts.data), parse_time(self.ends.data)


class RosterUploadForm(UploadForm):
    # In the upload form itself: the month the file is read as is the one beside its button.
    month = StringField("Bulan jadwal dinas", filters=[strip],
                        validators=[DataRequired("Pilih bulan jadwal dinas.")],
                        description="Dipakai bila judul kolom tanggal berupa nomor (1, 2, 3 …); "
                                    "kolom bertanggal lengkap menentukan bulannya sendiri.",
                        render_kw={"type": "month", "placeholder": "2026-12"})
    file = FileField("Berkas jadwal dinas (.xlsx atau .csv)",
                     validators=[FileRequired("Pilih berkas yang akan diperiksa.")],
                     description="Satu baris per pegawai: NIP, lalu satu kolom per tanggal berisi "
                                 "kode shift, atau L/kosong untuk libur. Tidak ada yang disimpan "
                                 "sebelum Anda mengonfirmasi.")

    def validate_month(self, field):
        if field.data and parse_month(field.data) is None:
            raise ValidationError("Bulan tidak dikenali; pilih bulan, misalnya 2026-12.")
