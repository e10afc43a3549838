"""Forms of discipline cases: a violation recorded by hand, the examination with its record,
the decision with the SK, and dismissal with a reason."""
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..rules import discipline as rules
from ..rules.evidence import ACCEPT
from . import Form, optional_int, strip


class ViolationForm(Form):
    employee = SelectField("Pegawai", coerce=optional_int, validate_choice=False,
                           validators=[InputRequired("Pilih pegawai.")])
    incident_date = DateField("Tanggal kejadian", validators=[InputRequired("Tanggal kejadian wajib diisi.")])
    what = TextAreaField("Uraian pelanggaran", filters=[strip], validators=[
        DataRequired("Uraikan pelanggaran yang terjadi."), Length(max=2000)],
        description="Apa yang terjadi, di mana, dan kewajiban atau larangan PP 94/2021 yang dilanggar.")
    evidence = TextAreaField("Bukti", filters=[strip], validators=[Optional(), Length(max=1000)],
                             description="Misalnya laporan atasan langsung, foto, atau saksi.")
    kind = SelectField("Hukuman disiplin yang diusulkan", choices=[("", "— pilih —"), *rules.kind_choices()],
                       validators=[InputRequired("Pilih hukuman disiplin yang diusulkan.")],
                       invalid_choice_message="Pilih hukuman dari daftar.")

    def __init__(self, *args, employee_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.employee.choices = [("", "— pilih pegawai —"), *employee_choices]


class ExamineForm(Form):
    examined_on = DateField("Tanggal pemeriksaan", validators=[InputRequired("Tanggal pemeriksaan wajib diisi.")])
    record = TextAreaField("Berita acara pemeriksaan", filters=[strip], validators=[
        DataRequired("Tuliskan ringkasan pemeriksaan."), Length(max=4000)],
        description="Keterangan pegawai, alasan yang diajukan, dan temuan pemeriksa.")
    document = FileField("Dokumen berita acara (opsional)", render_kw={"accept": ACCEPT},
                         description="PDF, gambar, atau dokumen kantor; paling besar 5 MB.")


class DecideForm(Form):
    kind = SelectField("Hukuman disiplin", validators=[InputRequired("Pilih hukuman disiplin.")],
                       invalid_choice_message="Pilih hukuman dari daftar.")
    sk_number = StringField("Nomor SK", filters=[strip], validators=[
        DataRequired("Nomor SK wajib diisi."), Length(max=100)])
    sk_date = DateField("Tanggal SK", validators=[InputRequired("Tanggal SK wajib diisi.")])
    valid_from = DateField("Berlaku mulai", validators=[Optional()],
                           description="Kosongkan bila berlaku sejak tanggal SK.")
    valid_until = DateField("Berlaku sampai", validators=[Optional()],
                            description="Hukuman berjangka dihitung sendiri dari tanggal mulai.")

    def __init__(self, *args, levels=tuple(rules.LEVELS), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", "— pilih —"), *rules.kind_choices(levels)]


class DismissForm(Form):
    reason = TextAreaField("Alasan penghentian", filters=[strip], validators=[
        DataRequired("Tuliskan alasan kasus dihentikan."), Length(max=1000)])
