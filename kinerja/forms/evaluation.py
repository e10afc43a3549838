"""Forms of monitoring and evaluation: progress entries with evidence, feedback, the
employee's evaluation, the Pejabat Penilai's rating, objections and their decision, and the
organisation predikat."""

from flask_wtf.file import FileField
from wtforms import DateField, Field, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import TextInput

from .. import clock
from ..rules.evaluation import ORG_PREDIKATS, RATINGS
from ..rules import DomainError
from ..rules.evidence import ACCEPT, check_link
from ..rules.skp import parse_number
from . import Form, optional_int, strip

PICK = "Pilih dari daftar."


class NumberField(Field):
    """A number the Indonesian way: '12', '12,5', '1.250,5'. Keeps what was typed when wrong."""
    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.raw = ""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        text = format(self.data.normalize(), "f")
        return text.replace(".", ",")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        self.raw = valuelist[0] or ""
        try:
            value = parse_number(self.raw)
        except ValueError:
            raise ValueError("Harus berupa angka, misalnya 12 atau 12,5.") from None
        if value is not None and value < 0:
            raise ValueError("Angka tidak boleh negatif.")
        self.data = value


class ProgressForm(Form):
    indicator = SelectField("Indikator kinerja", coerce=optional_int, invalid_choice_message=PICK,
                            validators=[InputRequired("Pilih indikator yang dikerjakan.")])
    day = DateField("Tanggal", validators=[InputRequired("Tanggal wajib diisi.")])
    start_time = TimeField("Jam mulai", validators=[Optional()])
    end_time = TimeField("Jam selesai", validators=[Optional()])
    description = TextAreaField("Uraian kegiatan", filters=[strip], validators=[
        DataRequired("Tuliskan apa yang dikerjakan."), Length(max=2000)])
    quantity = NumberField("Kuantitas yang direalisasikan",
                           description="Untuk indikator kuantitatif, dalam satuan targetnya.")
    evidence_link = StringField("Bukti dukung: tautan", filters=[strip],
                                validators=[Optional(), Length(max=500)],
                                description="Misalnya tautan ke dokumen di penyimpanan daring.")
    evidence_file = FileField("Bukti dukung: berkas", render_kw={"accept": ACCEPT},
                              description="PDF, gambar (PNG/JPEG), atau dokumen Word/Excel/"
                                          "PowerPoint/OpenDocument; paling besar 5 MB.")

    def __init__(self, *args, indicator_choices=(), period=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator.choices = [("", "— pilih indikator —"), *indicator_choices]
        self._period = period
        self._today = today or clock.today()

    def validate_day(self, field):
        if field.data is None:
            return
        if field.data > self._today:
            raise ValidationError("Tanggal tidak boleh di masa depan.")
        if self._period and not (self._period[0] <= field.data <= self._period[1]):
            raise ValidationError("Tanggal harus di dalam periode SKP.")

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError("Jam selesai harus setelah jam mulai.")

    def validate_evidence_link(self, field):
        if field.data:
            try:
                field.data = check_link(field.data)
            except DomainError as exc:
                raise ValidationError(exc.message) from None


class FeedbackForm(Form):
    body = TextAreaField("Umpan balik", filters=[strip], validators=[
        DataRequired("Tuliskan umpan balik atau balasan Anda."), Length(max=2000)])


class RhkFeedbackForm(FeedbackForm):
    rhk = SelectField("RHK", coerce=optional_int, invalid_choice_message=PICK,
                      validators=[InputRequired("Pilih RHK yang diberi umpan balik.")])

    def __init__(self, *args, rhk_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rhk.choices = [("", "— pilih RHK —"), *rhk_choices]


def evaluation_form(items, data=None):
    """The employee's evaluation: per indicator a realisation (a number for the quantitative
    approach, text otherwise) and a reason when it differs from what the progress gave.
    `items`: [{"id": indicator id, "label", "quantitative": bool, "prefilled"}]."""
    class EvaluationForm(Form):
        self_note = TextAreaField("Catatan penilaian diri", filters=[strip],
                                  validators=[Length(max=4000)],
                                  description="Pendapat Anda sendiri tentang capaian periode ini.")

        def validate(self, extra_validators=None):
            ok = super().validate(extra_validators)
            for item in items:
                value = self[f"real_{item['id']}"]
                reason = self[f"reason_{item['id']}"]
                if item["quantitative"] and value.data is not None and \
                        value.data != item["prefilled"] and not reason.data:
                    reason.errors = list(reason.errors) + [
                        "Realisasi berbeda dari catatan progres; tuliskan alasannya."]
                    ok = False
            return ok

    for item in items:
        if item["quantitative"]:
            field = NumberField(f"Realisasi — {item['label']}")
        else:
            field = TextAreaField(f"Realisasi — {item['label']}", filters=[strip],
                                  validators=[Length(max=2000)])
        setattr(EvaluationForm, f"real_{item['id']}", field)
        setattr(EvaluationForm, f"reason_{item['id']}", StringField(
            "Alasan penyesuaian", filters=[strip], validators=[Length(max=500)]))
    return EvaluationForm(data=data)


_RATING_CHOICES = list(RATINGS.items())


def rating_form(rhk_ids, values, data=None, from_request=True):
    """The Pejabat Penilai's rating: feedback per RHK and per BerAKHLAK value, the two
    ratings. The ratings are required only when approving (checked by the rules).

    from_request=False builds it from `data` alone: the panel of the next evaluation in a
    queue is answered to a POST about the previous one, whose fields must not carry over.
    """
    class RatingForm(Form):
        result_rating = RadioField("Rating Hasil Kerja", choices=_RATING_CHOICES,
                                   validators=[Optional()], invalid_choice_message=PICK)
        behaviour_rating = RadioField("Rating Perilaku Kerja", choices=_RATING_CHOICES,
                                      validators=[Optional()], invalid_choice_message=PICK)
        comment = TextAreaField("Alasan pengembalian", filters=[strip],
                                validators=[Length(max=2000)],
                                description="Wajib bila evaluasi dikembalikan kepada pegawai.")

    for rhk_id in rhk_ids:
        setattr(RatingForm, f"rhk_{rhk_id}", TextAreaField(
            "Umpan balik atas realisasi", filters=[strip], validators=[Length(max=2000)]))
    for code, name in values:
        setattr(RatingForm, f"value_{code}", TextAreaField(
            f"Umpan balik perilaku — {name}", filters=[strip], validators=[Length(max=2000)]))
    return RatingForm(data=data) if from_request else RatingForm(formdata=None, data=data)


class ObjectionForm(Form):
    reasons = TextAreaField("Alasan keberatan", filters=[strip], validators=[
        DataRequired("Tuliskan alasan keberatan Anda."),
        Length(min=20, max=4000, message="Alasan keberatan antara 20 dan 4.000 karakter.")])


class DecisionForm(Form):
    result_rating = RadioField("Rating Hasil Kerja", choices=_RATING_CHOICES,
                               validators=[InputRequired("Pilih Rating Hasil Kerja.")],
                               invalid_choice_message=PICK)
    behaviour_rating = RadioField("Rating Perilaku Kerja", choices=_RATING_CHOICES,
                                  validators=[InputRequired("Pilih Rating Perilaku Kerja.")],
                                  invalid_choice_message=PICK)
    decision = TextAreaField("Keputusan dan alasannya", filters=[strip], validators=[
        DataRequired("Tuliskan keputusan atas keberatan beserta alasannya."),
        Length(max=4000)],
        description="Keputusan Atasan Pejabat Penilai bersifat final.")


class OrgPredikatForm(Form):
    predikat = SelectField("Predikat Kinerja Organisasi",
                           choices=[("", "— pilih predikat —"), *ORG_PREDIKATS.items()],
                           validators=[DataRequired("Pilih predikat organisasi.")],
                           invalid_choice_message=PICK)
    note = TextAreaField("Dasar penetapan", filters=[strip], validators=[Length(max=1000)],
                         description="Misalnya nomor keputusan atau hasil evaluasi SAKIP.")


def peer_form(values, data=None):
    """A colleague's 360° feedback: per BerAKHLAK value a level and a comment, each optional
    (a colleague answers only what they saw), at least one value answered."""
    class PeerForm(Form):
        def validate(self, extra_validators=None):
            valid = super().validate(extra_validators)
            answered = [code for code, _ in values if self[f"level_{code}"].data]
            for code, _ in values:
                level = self[f"level_{code}"]
                if self[f"comment_{code}"].data and not level.data:
                    level.errors = list(level.errors) + ["Pilih penilaian untuk nilai yang Anda beri komentar."]
                    valid = False
            if valid and not answered:
                self.form_errors.append("Beri penilaian untuk sedikitnya satu nilai BerAKHLAK.")
                valid = False
            return valid

    for code, name in values:
        setattr(PeerForm, f"level_{code}", RadioField(name, choices=_RATING_CHOICES, validators=[Optional()],
                                                      invalid_choice_message=PICK))
        setattr(PeerForm, f"comment_{code}", TextAreaField(
            f"Komentar — {name}", filters=[strip], validators=[Length(max=1000, message="Komentar paling banyak 1.000 karakter.")]))
    return PeerForm(data=data)
