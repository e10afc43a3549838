"""Forms of the good-practice library: writing a practice, reviewing it, asking the authors
and answering."""
from flask_wtf.file import FileField
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..rules import DomainError
from ..rules import practices as rules
from ..rules.evidence import ACCEPT
from . import Form, strip

LONG = 5000


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        if any(value not in rules.THEMES for value in self.data or ()):
            raise ValidationError("Tema tidak dikenal.")


class PracticeForm(Form):
    """A draft needs only its title; what submission needs is checked by
    rules.submission_problems when the writer submits."""
    title = StringField("Judul", filters=[strip], validators=[
        DataRequired("Tuliskan judul praktik baik."), Length(max=200)])
    problem = TextAreaField("Masalah yang dihadapi", filters=[strip], validators=[
        Length(max=LONG)], render_kw={"rows": 4},
        description="Apa yang tidak berjalan baik sebelumnya, dan siapa yang merasakannya.")
    action = TextAreaField("Apa yang dilakukan", filters=[strip], validators=[
        Length(max=LONG)], render_kw={"rows": 5},
        description="Langkah-langkah yang ditempuh, supaya unit lain dapat menirunya.")
    results = TextAreaField("Hasil (dengan angka)", filters=[strip], validators=[
        Length(max=LONG)], render_kw={"rows": 4},
        description="Contoh: waktu layanan turun dari 3 hari menjadi 1 hari.")
    themes = CheckboxList("Tema", choices=list(rules.THEMES.items()),
                          description=f"Pilih 1 sampai {rules.MAX_THEMES} tema.")
    coauthors = StringField("Penulis pendamping (NIP)", filters=[strip], validators=[
        Length(max=400)], description="NIP 18 angka, pisahkan dengan koma. Boleh dikosongkan.")
    attachment = FileField("Tambah lampiran (foto atau dokumen)",
                           render_kw={"accept": ACCEPT},
                           description="PDF, JPG/PNG, atau dokumen perkantoran; paling besar 5 MB.")

    def validate_themes(self, field):
        if not field.data:
            return
        try:
            field.data = rules.check_themes(field.data)
        except DomainError as exc:
            raise ValidationError(exc.message) from None

    def validate_coauthors(self, field):
        try:
            self.coauthor_nips = rules.parse_nips(field.data)
        except DomainError as exc:
            self.coauthor_nips = []
            raise ValidationError(exc.message) from None

    def submission_problems(self) -> dict[str, str]:
        return rules.submission_problems(self.title.data, self.problem.data, self.action.data,
                                         self.results.data, self.themes.data)


class ReviewForm(Form):
    decision = RadioField("Keputusan", choices=list(rules.DECISIONS.items()),
                          validators=[DataRequired("Pilih terbitkan atau kembalikan.")])
    note = TextAreaField("Catatan untuk penulis", filters=[strip], validators=[
        Length(max=2000)], render_kw={"rows": 3},
        description="Wajib bila dikembalikan: apa yang perlu diperbaiki.")

    def validate_note(self, field):
        if self.decision.data == rules.RETURN and not field.data:
            raise ValidationError(rules.NOTE_NEEDED)


class QuestionForm(Form):
    text = TextAreaField("Pertanyaan untuk penulis", filters=[strip], validators=[
        DataRequired("Tuliskan pertanyaan Anda."), Length(max=2000)], render_kw={"rows": 3})


class AnswerForm(Form):
    answer = TextAreaField("Jawaban", filters=[strip], validators=[
        DataRequired("Tuliskan jawaban Anda."), Length(max=2000)], render_kw={"rows": 3})
