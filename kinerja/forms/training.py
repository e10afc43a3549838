"""Forms of competency development: a training record with its certificate, the yearly
development plan, and the import of records from a spreadsheet."""
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp
from wtforms.validators import ValidationError

from .. import clock
from ..rules import training as rules
from ..stores.kept import TOKEN_PATTERN
from . import Form, strip
from .imports import UploadForm


class TrainingRecordForm(Form):
    title = StringField("Nama pelatihan", filters=[strip], validators=[
        DataRequired("Tuliskan nama pelatihan."), Length(max=200)])
    kind = SelectField("Jenis", choices=[("", "— pilih jenis —"), *rules.KINDS.items()],
                       validators=[DataRequired("Pilih jenis pengembangan kompetensi.")],
                       validate_choice=True)
    organiser = StringField("Penyelenggara", filters=[strip], validators=[Length(max=200)],
                            description="Misalnya BPSDM Provinsi, LAN, kementerian, atau OPD sendiri.")
    starts = DateField("Tanggal mulai", validators=[InputRequired("Tanggal mulai wajib diisi.")])
    ends = DateField("Tanggal selesai", validators=[InputRequired("Tanggal selesai wajib diisi.")],
                     description="JP dihitung pada tahun pelatihan selesai.")
    hours = IntegerField("Jumlah JP", validators=[
        InputRequired("Jumlah JP wajib diisi (bilangan bulat)."),
        NumberRange(min=1, max=rules.MAX_JP, message=f"JP harus antara 1 dan {rules.MAX_JP}.")],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
        description="Jam pelajaran seperti tertulis pada sertifikat.")
    certificate = FileField("Sertifikat", render_kw={"accept": rules.CERTIFICATE_ACCEPT},
                            description="PDF atau gambar (PNG/JPEG); paling besar 5 MB.")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._today = today or clock.today()

    def validate_ends(self, field):
        if field.data and self.starts.data:
            problem = rules.period_problem(self.starts.data, field.data, self._today)
            if problem:
                raise ValidationError(problem)

    def values(self) -> dict:
        return {"title": self.title.data, "kind": self.kind.data,
                "organiser": self.organiser.data or "", "starts": self.starts.data,
                "ends": self.ends.data, "hours": self.hours.data}


class DevelopmentPlanForm(Form):
    gap = TextAreaField("Kesenjangan kompetensi", filters=[strip], validators=[
        DataRequired("Tuliskan kompetensi yang perlu ditingkatkan."), Length(max=2000)],
        description="Kompetensi teknis, manajerial, atau sosial kultural yang belum memenuhi "
                    "standar jabatan.")
    planned = TextAreaField("Rencana pengembangan", filters=[strip], validators=[
        DataRequired("Tuliskan rencana pengembangan tahun ini."), Length(max=2000)],
        description="Pelatihan, coaching, mentoring, e-learning, atau seminar yang direncanakan.")
    priority = SelectField("Prioritas", choices=list(rules.PRIORITIES.items()), default="sedang",
                           validators=[DataRequired("Pilih prioritas.")])


class TrainingUploadForm(UploadForm):
    """The SIASN import's upload checks (type, size, empty) with this import's wording."""
    file = FileField(
        "Berkas catatan pelatihan (.xlsx atau .csv)",
        validators=[FileRequired("Pilih berkas yang akan diperiksa.")],
        description="Baris pertama berisi judul kolom seperti pada templat. Tidak ada yang "
                    "disimpan sebelum Anda mengonfirmasi.")


class TrainingConfirmForm(Form):
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])
