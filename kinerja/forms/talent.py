"""Forms of the talent area: a potential assessment typed by BKPSDM, the import of a
spreadsheet of them (dry run, then confirm), and the regency's own-box switch."""
from flask import current_app
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..rules.talent import POTENTIAL, SOURCE_MAX, parse_score
from . import Form
from .imports import DEFAULT_MAX_BYTES


class PotentialForm(Form):
    nip = StringField("NIP pegawai", validators=[
        DataRequired("Isi NIP pegawai."),
        Regexp(r"^\s*\d{18}\s*$", message="NIP harus 18 angka.")],
        filters=[lambda v: v.strip() if isinstance(v, str) else v])
    level = SelectField("Potensial", choices=[("", "— dari skor —"), *POTENTIAL.items()],
                        description="Kosongkan bila diisi skor; skor 80 ke atas tinggi, "
                                    "60 sampai di bawah 80 menengah, di bawah 60 rendah.")
    score = StringField("Skor (0–100)", validators=[Optional(), Length(max=10)])
    assessed_on = DateField("Tanggal asesmen", validators=[DataRequired("Isi tanggal asesmen.")])
    source = StringField("Sumber", validators=[DataRequired("Isi sumber asesmen."),
                                               Length(max=SOURCE_MAX)],
                         description="Mis. Assessment Center BKPSDM, Uji Kompetensi.")

    def validate_score(self, field):
        if field.data and parse_score(field.data) is None:
            raise ValidationError("Skor harus angka 0 sampai 100 (desimal dengan koma).")

    def validate_level(self, field):
        if not field.data and not (self.score.data or "").strip():
            raise ValidationError("Pilih potensial atau isi skor.")


class UploadForm(Form):
    file = FileField("Berkas hasil asesmen (.xlsx atau .csv)",
                     validators=[FileRequired("Pilih berkas yang akan diperiksa.")],
                     description="Kolom: NIP, Potensial (rendah/menengah/tinggi) atau Skor, "
                                 "Tanggal, Sumber. Tidak ada yang disimpan sebelum Anda "
                                 "mengonfirmasi.")

    def validate_file(self, field):
        """Keeps the bytes on the form (`self.content`) for the view."""
        filename = (field.data.filename or "").lower()
        if not filename.endswith((".xlsx", ".csv")):
            raise ValidationError("Berkas harus berformat .xlsx (Excel) atau .csv.")
        limit = current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
        declared = getattr(field.data, "content_length", 0) or 0
        if declared > limit:
            raise ValidationError(f"Berkas lebih besar dari {limit // (1024 * 1024)} MB.")
        self.content = field.data.read(limit + 1)
        if len(self.content) > limit:
            raise ValidationError(f"Berkas lebih besar dari {limit // (1024 * 1024)} MB.")
        if not self.content:
            raise ValidationError("Berkas kosong.")


class ConfirmForm(Form):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{32}$")])
    digest = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])


class VisibilityForm(Form):
    own_box_visible = BooleanField("Pegawai dapat melihat kotak talentanya sendiri")
