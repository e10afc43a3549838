"""Complaint forms: the citizen's (public) and the staff's (moves, forwarding, notes, desk)."""
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from .. import clock
from ..models import COMPLAINT_REJECTIONS
from ..rules import complaints as rules
from . import Form, optional_int, strip

PICK = "Pilih dari daftar."


def _not_in_future(form, field):
    if field.data and field.data > clock.today():
        raise ValidationError("Tanggal kejadian tidak boleh setelah hari ini.")


class ComplaintForm(Form):
    what = TextAreaField("Apa yang terjadi?", filters=[strip], validators=[
        InputRequired("Ceritakan apa yang terjadi."),
        Length(min=10, max=rules.WHAT_MAX,
               message=f"Tulis antara 10 dan {rules.WHAT_MAX} karakter.")])
    happened_on = DateField("Kapan terjadi?", validators=[Optional(), _not_in_future])
    place = StringField("Di mana? (ruang, loket, lokasi)", filters=[strip],
                        validators=[Length(max=200, message="Maksimal 200 karakter.")])
    service = SelectField("Jenis layanan", coerce=optional_int, validators=[Optional()],
                          invalid_value_message=PICK, invalid_choice_message=PICK)
    photos = MultipleFileField("Foto (tidak wajib, paling banyak 3, PNG atau JPEG)",
                               render_kw={"accept": "image/png,image/jpeg"})
    reporter_name = StringField("Nama (tidak wajib)", filters=[strip],
                                validators=[Length(max=120, message="Maksimal 120 karakter.")])
    reporter_contact = StringField("Nomor HP atau surel (tidak wajib)", filters=[strip],
                                   validators=[Length(max=120, message="Maksimal 120 karakter.")],
                                   description="Hanya dilihat petugas, bila perlu menghubungi Anda.")
    stamp = HiddenField()
    # Never seen by people; robots that fill every input give themselves away.
    website = StringField("Situs web (biarkan kosong)")

    def __init__(self, *args, services=(), **kwargs):
        """`services`: the (id, name) of the unit's active services."""
        super().__init__(*args, **kwargs)
        self.service.choices = [("", "— pilih bila ingin —"), *services]

    def details(self) -> dict:
        return dict(what=self.what.data, happened_on=self.happened_on.data,
                    place=self.place.data or "", service=self.service.data or None,
                    reporter_name=self.reporter_name.data or "",
                    reporter_contact=self.reporter_contact.data or "")


class TrackForm(Form):
    class Meta:
        csrf = False

    kode = StringField("Kode pelacakan", filters=[strip], validators=[
        InputRequired("Tulis kode pelacakan Anda."), Length(max=40, message="Kode terlalu panjang.")])


class MoveForm(Form):
    target = SelectField("Ubah status", choices=[("diproses", "Diproses"), ("dijawab", "Dijawab"),
                                                 ("selesai", "Selesai"), ("ditolak", "Ditolak")],
                         invalid_choice_message=PICK)
    answer = TextAreaField("Jawaban untuk pelapor", filters=[strip], validators=[
        Length(max=rules.ANSWER_MAX, message=f"Maksimal {rules.ANSWER_MAX} karakter.")],
        description="Ditampilkan di halaman pelacakan.")
    rejection = SelectField("Alasan penolakan", choices=[("", "— pilih —"), *COMPLAINT_REJECTIONS.items()],
                            validators=[Optional()], invalid_choice_message=PICK)
    note = TextAreaField("Catatan internal (tidak ditampilkan ke pelapor)", filters=[strip],
                         validators=[Length(max=2000, message="Maksimal 2000 karakter.")])


class ForwardForm(Form):
    target = SelectField("Teruskan ke unit layanan", coerce=optional_int,
                         validators=[InputRequired("Pilih unit tujuan.")],
                         invalid_value_message=PICK, invalid_choice_message=PICK)
    reason = StringField("Alasan", filters=[strip],
                         validators=[Length(max=300, message="Maksimal 300 karakter.")])

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = [("", "— pilih —"), *[(u.id, u.name) for u in targets]]


class NoteForm(Form):
    text = TextAreaField("Catatan internal", filters=[strip], validators=[
        InputRequired("Catatan tidak boleh kosong."),
        Length(max=2000, message="Maksimal 2000 karakter.")])


class DeskForm(Form):
    handler = SelectField("Pengelola pengaduan", coerce=optional_int, validators=[Optional()],
                          invalid_value_message=PICK, invalid_choice_message=PICK)
    first_response_days = IntegerField("Batas tanggapan pertama (hari kerja)", validators=[
        InputRequired("Isi jumlah hari kerja."), NumberRange(1, 60, "Antara 1 dan 60 hari kerja.")])
    resolution_days = IntegerField("Batas penyelesaian (hari kerja)", validators=[
        InputRequired("Isi jumlah hari kerja."), NumberRange(1, 120, "Antara 1 dan 120 hari kerja.")])

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.handler.choices = [("", "— belum ditunjuk —"), *handlers]
