"""Forms of service turnaround: a kind of document with its SOP days, and the service-log
import (upload for the dry run, then the confirmation)."""
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

from ..rules import turnaround as rules
from ..stores.kept import TOKEN_PATTERN
from . import Form
from .imports import UploadForm


def _squeeze(value):
    return " ".join(value.split()) if isinstance(value, str) else value


class StandardForm(Form):
    kind = StringField("Jenis dokumen", filters=[_squeeze], validators=[
        DataRequired("Tuliskan jenis dokumen, misalnya Kartu Keluarga."),
        Length(max=rules.MAX_KIND_LENGTH,
               message=f"Jenis dokumen paling panjang {rules.MAX_KIND_LENGTH} karakter.")],
        description="Jenis yang sudah ada diubah standarnya; huruf besar-kecil tidak dibedakan.")
    sop_days = IntegerField("Standar (hari kerja)", validators=[
        InputRequired("Tuliskan standar waktu dalam hari kerja (bilangan bulat)."),
        NumberRange(min=0, max=rules.MAX_SOP_DAYS,
                    message=f"Standar harus antara 0 dan {rules.MAX_SOP_DAYS} hari kerja.")],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
        description="0 berarti selesai pada hari yang sama, sesuai standar pelayanan yang "
                    "dipublikasikan.")


class ServiceLogUploadForm(UploadForm):
    """The SIASN import's upload checks (type, size, empty) with this import's wording."""
    file = FileField(
        "Berkas log layanan (.xlsx atau .csv)",
        validators=[FileRequired("Pilih berkas yang akan diperiksa.")],
        description="Baris pertama berisi judul kolom seperti pada templat. Tidak ada yang "
                    "disimpan sebelum Anda mengonfirmasi.")


class ServiceLogConfirmForm(Form):
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])


class AcceptProposalForm(Form):
    """One proposed indicator taken into a chosen RHK; the RHK choices are the plan's."""
    key = HiddenField(validators=[DataRequired(), Regexp(r"^[a-z0-9-]{1,40}$")])
    rhk = SelectField("Tambahkan ke RHK", coerce=int, validate_choice=True,
                      validators=[DataRequired("Pilih RHK yang menerima indikator ini.")])

    def __init__(self, *args, rhks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rhk.choices = [(0, "— pilih RHK —")] + [
            (r.id, f"{r.kind_label} {r.order}. {r.text[:90]}") for r in rhks]
