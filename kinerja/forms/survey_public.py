"""The citizen's questionnaire (domain/skm.md §1): nine answers, an optional profile."""
from wtforms import (
    HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..rules import ikm
from . import Form, optional_int, strip

ANSWER_MISSING = "Mohon pilih salah satu jawaban untuk pertanyaan ini."
ANSWER_INVALID = "Jawaban harus salah satu dari empat pilihan di bawah."


def _answer(value):
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text not in ("1", "2", "3", "4"):
        raise ValueError(ANSWER_INVALID)
    return int(text)


def answer_field(element: ikm.Element) -> RadioField:
    return RadioField(f"{element.label}. {element.name}", coerce=_answer,
                      choices=[(v, text) for v, text in zip(ikm.ANSWER_VALUES, element.answers)],
                      validators=[InputRequired(ANSWER_MISSING)],
                      invalid_value_message=ANSWER_INVALID, invalid_choice_message=ANSWER_INVALID)


class SurveyForm(Form):
    u1, u2, u3, u4, u5, u6, u7, u8, u9 = (answer_field(e) for e in ikm.ELEMENTS)
    service = SelectField("Jenis layanan yang Anda terima", coerce=optional_int,
                          validators=[Optional()],
                          invalid_value_message="Pilih jenis layanan dari daftar.",
                          invalid_choice_message="Pilih jenis layanan dari daftar.")
    age = IntegerField("Umur (tahun)", validators=[
        Optional(), NumberRange(ikm.AGE_MIN, ikm.AGE_MAX,
                                f"Umur harus antara {ikm.AGE_MIN} dan {ikm.AGE_MAX} tahun.")])
    sex = RadioField("Jenis kelamin", choices=list(ikm.SEXES.items()), validators=[Optional()],
                     invalid_choice_message="Pilih laki-laki atau perempuan.")
    education = SelectField("Pendidikan terakhir",
                            choices=[("", "— tidak diisi —"), *ikm.EDUCATIONS.items()],
                            validators=[Optional()],
                            invalid_choice_message="Pilih pendidikan dari daftar.")
    occupation = SelectField("Pekerjaan", choices=[("", "— tidak diisi —"), *ikm.OCCUPATIONS.items()],
                             validators=[Optional()],
                             invalid_choice_message="Pilih pekerjaan dari daftar.")
    suggestion = TextAreaField("Saran atau masukan", filters=[strip], validators=[
        Length(max=ikm.SUGGESTION_MAX, message=f"Maksimal {ikm.SUGGESTION_MAX} karakter.")])
    stamp = HiddenField()
    # A field people never see; robots that fill every input give themselves away.
    website = StringField("Situs web (biarkan kosong)")

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.service.choices = [("", "— pilih bila ingin —"), *[(s.id, s.name) for s in services]]

    @property
    def answer_fields(self):
        return [self[code] for code in ikm.ELEMENT_CODES]

    def answers(self) -> dict:
        """The response's columns: answers by element code and the profile."""
        return {
            **{code: self[code].data for code in ikm.ELEMENT_CODES},
            "service": self.service.data or None,
            "age": self.age.data, "sex": self.sex.data or None,
            "education": self.education.data or None, "occupation": self.occupation.data or None,
            "suggestion": (self.suggestion.data or "").strip() or None,
        }
