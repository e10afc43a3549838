"""Forms of follow-up: deciding a proposal, the regency's matrix, and the coaching plan."""
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, RadioField, SelectField, TextAreaField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..rules import follow_up as rules
from ..rules.evaluation import PREDIKATS
from ..rules.evidence import ACCEPT
from . import Form, strip

PICK = "Pilih dari daftar."


class AcceptForm(Form):
    note = TextAreaField("Catatan (boleh kosong)", filters=[strip], validators=[Length(max=1000)])


class DismissForm(Form):
    reason = TextAreaField("Alasan tidak dilanjutkan", filters=[strip], validators=[
        DataRequired("Tuliskan alasan usulan ini tidak dilanjutkan."), Length(max=1000)])


class ChangeForm(Form):
    changed_to = SelectField("Ganti dengan", invalid_choice_message=PICK,
                             choices=[("", "— pilih —")] + [(k, rules.KINDS[k]) for k in rules.MATRIX_KINDS],
                             validators=[InputRequired("Pilih tindak lanjut penggantinya.")])
    note = TextAreaField("Alasan perubahan", filters=[strip], validators=[
        DataRequired("Tuliskan alasan perubahan."), Length(max=1000)])


def matrix_form(current: dict, admins_see_notes: bool = False, formdata=None):
    """One checkbox per predikat and kind (`m__<predikat>__<kind>`), and whether admins see a
    coaching plan's contents."""
    class MatrixForm(Form):
        admins_see_notes = BooleanField("Admin OPD dan admin BKPSDM melihat isi rencana pembinaan "
                                        "(bukan hanya statusnya)")
    for predikat, label in PREDIKATS.items():
        for kind in rules.MATRIX_KINDS:
            setattr(MatrixForm, f"m__{predikat}__{kind}", BooleanField(rules.KINDS[kind]))
    data = {f"m__{p}__{k}": k in current.get(p, []) for p in PREDIKATS for k in rules.MATRIX_KINDS}
    data["admins_see_notes"] = admins_see_notes
    return MatrixForm(formdata=formdata, data=None if formdata is not None else data)


def matrix_of(form) -> dict:
    return {p: [k for k in rules.MATRIX_KINDS if form[f"m__{p}__{k}"].data] for p in PREDIKATS}


class OpenPlanForm(Form):
    pass


class GapForm(Form):
    gap = TextAreaField("Kesenjangan kinerja", filters=[strip], validators=[
        DataRequired("Tuliskan kesenjangan kinerja yang dibina."), Length(max=5000)])


class ActionForm(Form):
    description = TextAreaField("Tindakan yang disepakati", filters=[strip], validators=[
        DataRequired("Tuliskan tindakannya."), Length(max=1000)])
    owner = SelectField("Pelaksana", invalid_choice_message=PICK,
                        choices=[("", "— pilih —"), *rules.ACTION_OWNERS.items()],
                        validators=[InputRequired("Pilih pelaksana tindakan.")])
    due = DateField("Batas waktu", validators=[InputRequired("Tanggal batas waktu wajib diisi.")])


class ActionStatusForm(Form):
    status = SelectField("Status", invalid_choice_message=PICK, choices=list(rules.ACTION_STATUSES.items()),
                         validators=[InputRequired(PICK)])


class MeetingForm(Form):
    day = DateField("Tanggal pertemuan", validators=[InputRequired("Tanggal pertemuan wajib diisi.")])
    note = TextAreaField("Catatan singkat", filters=[strip], validators=[
        DataRequired("Tuliskan catatan pertemuan."), Length(max=2000)])


class CommentForm(Form):
    body = TextAreaField("Tanggapan", filters=[strip], validators=[
        DataRequired("Tuliskan tanggapan Anda."), Length(max=2000)])


class AcknowledgeForm(Form):
    pass


class CloseForm(Form):
    outcome = RadioField("Hasil pembinaan", choices=list(rules.OUTCOMES.items()), invalid_choice_message=PICK,
                         validators=[InputRequired("Pilih hasil pembinaan.")])
    note = TextAreaField("Catatan penutup", filters=[strip], validators=[Optional(), Length(max=2000)])


class StepForm(Form):
    kind = SelectField("Langkah berikutnya", invalid_choice_message=PICK,
                       choices=[("", "— pilih —")] + [(k, rules.KINDS[k]) for k in rules.NEXT_STEPS],
                       validators=[InputRequired("Pilih langkah berikutnya.")])
    step_date = DateField("Tanggal", validators=[InputRequired("Tanggal wajib diisi.")])
    sk_number = StringField("Nomor SK", filters=[strip], validators=[Optional(), Length(max=100)])
    note = TextAreaField("Keterangan", filters=[strip], validators=[Optional(), Length(max=1000)])
    document = FileField("Dokumen", render_kw={"accept": ACCEPT},
                         description="PDF, gambar, atau dokumen kantor; paling besar 5 MB.")
