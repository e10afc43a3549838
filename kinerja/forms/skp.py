"""Forms of SKP planning: years and settings, organisation goals, the plan and its parts,
and the Pejabat Penilai's decision."""
import wtforms
from wtforms import (
    BooleanField, DateField, FieldList, FormField, IntegerField, SelectField, StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError,
)

from ..models import INDICATOR_ASPECTS, SKP_APPROACHES
from ..rules.evaluation import CADENCES
from ..rules import skp as rules
from . import Form, IndonesianMeta, optional_int


class YearForm(Form):
    year = IntegerField("Tahun", validators=[
        DataRequired("Tahun wajib diisi."), NumberRange(2000, 2100, "Tahun harus antara 2000 dan 2100.")])
    skp_deadline = DateField("Batas persetujuan SKP", validators=[DataRequired("Tanggal tidak sah.")],
                             description="Bawaan 31 Januari tahun tersebut.")
    evaluation_cadence = SelectField("Periode evaluasi", choices=list(CADENCES.items()),
                                     default="triwulanan")
    objection_days = IntegerField("Batas waktu keberatan (hari)", default=14, validators=[
        InputRequired("Batas waktu keberatan wajib diisi."),
        NumberRange(1, 90, "Batas waktu keberatan antara 1 dan 90 hari.")])
    peer_min_raters = IntegerField(
        "Minimal penjawab umpan balik 360°", default=3,
        description="Jawaban rekan atas satu nilai BerAKHLAK baru ditampilkan kepada Pejabat Penilai setelah "
                    "sebanyak ini rekan menjawab.",
        validators=[InputRequired("Minimal penjawab wajib diisi."),
                    NumberRange(3, 20, "Minimal penjawab antara 3 dan 20, agar penjawab tidak dapat dikenali.")])
    is_open = BooleanField("Tahun terbuka (SKP dapat disusun dan diubah)", default=True)

    def validate_skp_deadline(self, field):
        if self.year.data and field.data and field.data.year not in (self.year.data - 1, self.year.data):
            raise ValidationError(f"Batas persetujuan harus pada akhir tahun {self.year.data - 1} "
                                  f"atau dalam tahun {self.year.data}.")


class OrgGoalForm(Form):
    goal = TextAreaField("Sasaran strategis", validators=[
        DataRequired("Sasaran strategis wajib diisi."), Length(max=1000)])
    indicator = TextAreaField("Indikator kinerja utama (IKU)", validators=[
        DataRequired("IKU wajib diisi."), Length(max=1000)])
    target = StringField("Target", validators=[Optional(), Length(max=120)],
                         description="Misalnya 25 % atau 1.200 ton.")


class NewSkpForm(Form):
    year = SelectField("Tahun", coerce=int)
    approach = SelectField("Pendekatan", choices=list(SKP_APPROACHES.items()), default="kuantitatif",
                           description="Kuantitatif: indikator dan target terukur dengan satuan. "
                                       "Kualitatif: indikator dan target berupa uraian.")
    copy_previous = BooleanField("Mulai dari SKP tahun lalu (disalin sebagai draft baru)")


class ApproachForm(Form):
    approach = SelectField("Pendekatan", choices=list(SKP_APPROACHES.items()))


class IndicatorForm(wtforms.Form):
    """One indicator row inside the RHK form (no CSRF of its own: the RHK form carries it)."""

    class Meta(IndonesianMeta):
        pass

    aspect = SelectField("Aspek", choices=list(INDICATOR_ASPECTS.items()), default="kuantitas")
    text = TextAreaField("Indikator kinerja individu", validators=[Length(max=1000)])
    target_min = StringField("Target", validators=[Length(max=20)])
    target_max = StringField("Sampai dengan (opsional)", validators=[Length(max=20)])
    target_unit = StringField("Satuan", validators=[Length(max=40)])
    target_text = TextAreaField("Target", validators=[Length(max=1000)])


class RhkForm(Form):
    text = TextAreaField("Rencana Hasil Kerja (RHK)", validators=[Length(max=1000)])
    parent = SelectField("RHK Pejabat Penilai yang diintervensi", coerce=optional_int)
    indicators = FieldList(FormField(IndicatorForm), min_entries=1, max_entries=20)

    def __init__(self, *args, approach: str, kind: str, is_head: bool,
                 parent_choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.approach, self.kind, self.is_head = approach, kind, is_head
        self.parent.choices = [("", "— Pilih —")] + list(parent_choices)
        if is_head:
            self.parent.label.text = "Sasaran/IKU organisasi yang diintervensi"
        self.cleaned = []

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for name, message in rules.rhk_errors(self.kind, self.text.data or "",
                                              self.parent.data is not None, self.is_head).items():
            getattr(self, name).errors = list(getattr(self, name).errors) + [message]
            ok = False
        self.cleaned = []
        for entry in self.indicators.entries:
            sub = entry.form
            numbers = {}
            for name in ("target_min", "target_max"):
                try:
                    numbers[name] = rules.parse_number(sub[name].data)
                except ValueError as exc:
                    sub[name].errors = list(sub[name].errors) + [str(exc)]
                    numbers[name] = None
                    ok = False
            problems = rules.indicator_errors(self.approach, sub.text.data or "", numbers["target_min"],
                                              numbers["target_max"], sub.target_unit.data or "",
                                              sub.target_text.data or "")
            for name, message in problems.items():
                if not sub[name].errors:
                    sub[name].errors = list(sub[name].errors) + [message]
                ok = False
            quantitative = self.approach == "kuantitatif"
            self.cleaned.append({
                "aspect": sub.aspect.data, "text": (sub.text.data or "").strip(),
                "target_min": numbers["target_min"] if quantitative else None,
                "target_max": numbers["target_max"] if quantitative else None,
                "target_unit": (sub.target_unit.data or "").strip() if quantitative else "",
                "target_text": (sub.target_text.data or "").strip() if not quantitative else ""})
        return ok


class AppendixItemForm(Form):
    text = StringField("Uraian", validators=[DataRequired("Uraian wajib diisi."), Length(max=500)])


class ExpectationForm(Form):
    special_expectation = TextAreaField("Ekspektasi khusus pimpinan", validators=[Length(max=2000)])


class RevisionForm(Form):
    change_note = TextAreaField("Alasan perubahan", validators=[
        DataRequired("Tuliskan alasan perubahan SKP."), Length(max=1000)])


class DecisionForm(Form):
    comment = TextAreaField("Catatan untuk pegawai", validators=[Length(max=2000)])

