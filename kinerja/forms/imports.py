"""Forms of the SIASN import: the upload (dry run) and the confirmation."""
from flask import current_app
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired, Regexp, ValidationError

from ..stores.siasn.uploads import TOKEN_PATTERN
from . import Form

# Below the request limit (MAX_CONTENT_LENGTH), so an oversized file gets this form's message.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024


class UploadForm(Form):
    file = FileField("Berkas ekspor SIASN (.xlsx atau .csv)",
                     validators=[FileRequired("Pilih berkas yang akan diperiksa.")],
                     description="Baris pertama berisi judul kolom seperti pada templat. "
                                 "Tidak ada yang disimpan sebelum Anda mengonfirmasi.")

    def validate_file(self, field):
        """Keeps the bytes on the form (`self.content`) for the view."""
        filename = (field.data.filename or "").lower()
        if not filename.endswith((".xlsx", ".csv")):
            raise ValidationError("Berkas harus berformat .xlsx (Excel) atau .csv.")
        limit = current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
        self.content = field.data.read(limit + 1)
        if len(self.content) > limit:
            raise ValidationError(f"Berkas lebih besar dari {limit // (1024 * 1024)} MB; "
                                  "bagi menjadi beberapa berkas per OPD.")
        if not self.content:
            raise ValidationError("Berkas kosong.")


class ResumeForm(Form):
    """Take up an upload kept from an earlier visit."""
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])


class ConfirmForm(Form):
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])
    digest = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    skip_bad = BooleanField("Lewati baris bermasalah dan simpan baris lainnya")
