from wtforms import SearchField, SelectField, StringField, ValidationError

from ..rules.audit import parse_date
from . import Form


class AuditFilterForm(Form):
    """Filters of the audit trail (a GET form: no CSRF token). After validation
    `start` and `end` hold the parsed dates."""

    class Meta:
        csrf = False

    entity = SelectField("Jenis data", default="")
    action = SelectField("Tindakan", default="")
    actor = SearchField("Pelaku (nama pengguna/NIP)")
    date_from = StringField("Dari tanggal", description="Contoh: 24-11-2026",
                            render_kw={"inputmode": "text", "autocomplete": "off"})
    date_to = StringField("Sampai tanggal", description="Contoh: 24-11-2026",
                          render_kw={"inputmode": "text", "autocomplete": "off"})
    q = SearchField("Cari di ringkasan")

    start = end = None

    def __init__(self, *args, entities=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.entity.choices = [("", "Semua jenis"), *entities]
        self.action.choices = [("", "Semua tindakan"), *actions]

    def validate_date_from(self, field):
        try:
            self.start = parse_date(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def validate_date_to(self, field):
        try:
            self.end = parse_date(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if self.start and self.end and self.end < self.start:
            raise ValidationError("Tanggal akhir tidak boleh sebelum tanggal awal.")
