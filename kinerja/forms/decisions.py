"""Forms of the rewards and sanctions ledger: the proposal, BKPSDM's approval with the SK and
its refusal, and the honour page setting."""
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..rules import decisions as rules
from . import Form, optional_int, strip


class ProposalForm(Form):
    employee = SelectField("Pegawai", coerce=optional_int, validate_choice=False,
                           validators=[InputRequired("Pilih pegawai yang diusulkan.")])
    category = RadioField("Kategori", choices=list(rules.CATEGORIES.items()),
                          validators=[InputRequired("Pilih penghargaan atau sanksi.")])
    kind = SelectField("Jenis", validators=[InputRequired("Pilih jenis penghargaan atau sanksi.")],
                       invalid_choice_message="Pilih jenis dari daftar.")
    evaluation = HiddenField()
    basis = TextAreaField("Dasar usulan", filters=[strip], validators=[
        DataRequired("Tuliskan dasar usulan (hasil evaluasi, kasus disiplin, atau prestasi)."),
        Length(max=2000)],
        description="Misalnya predikat evaluasi tahunan, prestasi tertentu, atau berita acara "
                    "pemeriksaan disiplin.")
    public = BooleanField("Tampilkan di halaman penghargaan bila disetujui",
                          description="Hanya untuk penghargaan.")

    def __init__(self, *args, employee_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.employee.choices = [("", "— pilih pegawai —"), *employee_choices]
        self.kind.choices = {"": [("", "— pilih jenis —")],
                             **{label: rules.kind_choices(category)
                                for category, label in rules.CATEGORIES.items()}}

    def validate_kind(self, field):
        denial = rules.kind_denial(self.category.data, field.data)
        if denial and self.category.data in rules.CATEGORIES and field.data in rules.KINDS:
            raise ValidationError(denial)

    def evaluation_id(self) -> int | None:
        try:
            return optional_int(self.evaluation.data)
        except ValueError:
            return None


class ApproveForm(Form):
    sk_number = StringField("Nomor SK", filters=[strip], validators=[
        DataRequired("Nomor SK wajib diisi."), Length(max=100)])
    sk_date = DateField("Tanggal SK", validators=[InputRequired("Tanggal SK wajib diisi.")])
    valid_from = DateField("Berlaku mulai", validators=[Optional()])
    valid_until = DateField("Berlaku sampai", validators=[Optional()],
                            description="Kosongkan bila berlaku tanpa batas; sanksi PP 94/2021 "
                                        "yang berjangka dihitung sendiri dari tanggal mulai.")
    public = BooleanField("Tampilkan di halaman penghargaan (hanya penghargaan)")
    document = FileField("Dokumen SK (PDF)", render_kw={"accept": ".pdf"},
                         description="PDF, paling besar 5 MB.")


class RejectForm(Form):
    reason = TextAreaField("Alasan penolakan", filters=[strip], validators=[
        DataRequired("Tuliskan alasan penolakan."), Length(max=1000)])


class HonourSettingForm(Form):
    enabled = BooleanField("Halaman penghargaan dapat dibuka oleh seluruh pegawai")
