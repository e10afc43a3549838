"""Forms of attendance: holidays, unit schedules, machine ids, leave records and the import."""
import datetime

from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp, ValidationError

from ..models import HOLIDAY_KINDS, LEAVE_KINDS, SCHEDULE_KINDS
from ..rules.attendance import parse_time
from ..rules.calendar import WEEKDAY_NAMES
from ..rules.evidence import ACCEPT
from ..stores.kept import TOKEN_PATTERN
from . import Form, strip
from .imports import UploadForm

NIP = [DataRequired("NIP wajib diisi."), Regexp(r"^\d{18}$", message="NIP harus 18 angka.")]


class HolidayForm(Form):
    day = DateField("Tanggal", validators=[InputRequired("Tanggal wajib diisi.")])
    name = StringField("Keterangan", filters=[strip], validators=[
        DataRequired("Tuliskan nama hari libur."), Length(max=150)],
        description="Misalnya Hari Raya Idulfitri 1447 H.")
    kind = SelectField("Jenis", choices=list(HOLIDAY_KINDS.items()), default="libur",
                       validators=[DataRequired("Pilih jenis.")])

    def validate_day(self, field):
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError("Tahun di luar jangkauan.")


class ScheduleForm(Form):
    """The unit's schedule kind, and its hours per day when they differ from the kind's."""
    unit = SelectField("Unit kerja", coerce=int, validators=[InputRequired("Pilih unit kerja.")],
                       validate_choice=True)
    kind = SelectField("Pola kerja", choices=[*SCHEDULE_KINDS.items(),
                                              ("inherit", "Ikuti unit induk / bawaan kabupaten")],
                       validators=[DataRequired("Pilih pola kerja.")])

    def hours(self) -> dict:
        """{weekday: (start, end)} typed on the form (days left empty are days off)."""
        found = {}
        for day in range(7):
            start, end = getattr(self, f"start_{day}"), getattr(self, f"end_{day}")
            if start.data and end.data:
                found[day] = (parse_time(start.data), parse_time(end.data))
        return found


def time_check(form, field):
    if field.data and parse_time(field.data) is None:
        raise ValidationError("Tulis jam seperti 07:30.")


def _pair_check(form, field):
    day = field.name.rsplit("_", 1)[1]
    start = getattr(form, f"start_{day}").data
    if bool(start) != bool(field.data):
        raise ValidationError("Isi jam masuk dan jam pulang, atau kosongkan keduanya.")
    if start and field.data and parse_time(start) and parse_time(field.data) \
            and parse_time(field.data) <= parse_time(start):
        raise ValidationError("Jam pulang harus setelah jam masuk.")


for _day, _name in enumerate(WEEKDAY_NAMES):
    setattr(ScheduleForm, f"start_{_day}", StringField(
        f"{_name} masuk", filters=[strip], validators=[Length(max=5), time_check],
        render_kw={"placeholder": "07:30", "inputmode": "numeric", "size": 5}))
    setattr(ScheduleForm, f"end_{_day}", StringField(
        f"{_name} pulang", filters=[strip], validators=[Length(max=5), time_check, _pair_check],
        render_kw={"placeholder": "16:00", "inputmode": "numeric", "size": 5}))


class MachineUserForm(Form):
    machine_id = StringField("ID pengguna di mesin", filters=[strip], validators=[
        DataRequired("ID mesin wajib diisi."), Length(max=40),
        Regexp(r"^[A-Za-z0-9._-]+$", message="ID mesin hanya huruf, angka, titik, garis.")])
    nip = StringField("NIP", filters=[strip], validators=NIP)


class LeaveForm(Form):
    nip = StringField("NIP pegawai", filters=[strip], validators=NIP)
    kind = SelectField("Keterangan", choices=[("", "— pilih —"), *LEAVE_KINDS.items()],
                       validators=[DataRequired("Pilih jenis keterangan.")])
    leave_kind = StringField("Jenis cuti", filters=[strip], validators=[Length(max=60)],
                             description="Untuk cuti: tahunan, besar, sakit, melahirkan, alasan "
                                         "penting, bersama, atau di luar tanggungan negara.")
    starts = DateField("Tanggal mulai", validators=[InputRequired("Tanggal mulai wajib diisi.")])
    ends = DateField("Tanggal selesai", validators=[InputRequired("Tanggal selesai wajib diisi.")])
    note = StringField("Nomor/perihal surat", filters=[strip], validators=[Length(max=255)])
    document = FileField("Dokumen (surat izin, surat keterangan sakit, SK cuti, surat tugas)",
                         validators=[FileRequired("Unggah dokumennya.")],
                         render_kw={"accept": ACCEPT},
                         description="PDF, gambar, atau dokumen perkantoran; paling besar 5 MB.")

    def validate_ends(self, field):
        if field.data and self.starts.data:
            if field.data < self.starts.data:
                raise ValidationError("Tanggal selesai tidak boleh sebelum tanggal mulai.")
            if field.data.year != self.starts.data.year:
                raise ValidationError("Catat per tahun: pisahkan yang melewati pergantian tahun.")
            if (field.data - self.starts.data) > datetime.timedelta(days=366):
                raise ValidationError("Rentang terlalu panjang.")

    def validate_leave_kind(self, field):
        if self.kind.data == "cuti" and not field.data:
            raise ValidationError("Tuliskan jenis cuti.")

    def values(self) -> dict:
        return {"nip": self.nip.data, "kind": self.kind.data,
                "leave_kind": self.leave_kind.data or "" if self.kind.data == "cuti" else "",
                "starts": self.starts.data, "ends": self.ends.data, "note": self.note.data or ""}


class AttendanceUploadForm(UploadForm):
    file = FileField("Berkas presensi (.xlsx atau .csv)",
                     validators=[FileRequired("Pilih berkas yang akan diperiksa.")],
                     description="Baris per pegawai dan hari (NIP, Tanggal, Jam masuk, Jam pulang) "
                                 "atau per tap mesin (NIP atau ID mesin, Waktu). Tidak ada yang "
                                 "disimpan sebelum Anda mengonfirmasi.")


class AttendanceConfirmForm(Form):
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])


class DeleteForm(Form):
    """A POST with only its CSRF token."""
