"""WTForms classes, one module per area, with Indonesian labels and messages."""
from flask import render_template
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import ValidationError

from ..rules.text import CONTROL_MESSAGE, has_control, normalise_breaks

# WTForms ships no Indonesian catalogue; these are the built-in messages users can meet.
_ID = {
    "This field is required.": "Kolom ini wajib diisi.",
    "Not a valid choice.": "Pilihan tidak sah.",
    "Invalid Choice: could not coerce.": "Pilihan tidak sah.",
    "Not a valid integer value.": "Harus berupa bilangan bulat.",
    "Not a valid decimal value.": "Harus berupa angka (gunakan koma atau titik untuk desimal).",
    "Not a valid float value.": "Harus berupa angka.",
    "Not a valid date value.": "Tanggal tidak sah.",
    "Not a valid datetime value.": "Tanggal dan waktu tidak sah.",
    "Not a valid time value.": "Waktu tidak sah.",
    "Invalid URL.": "Alamat tautan (URL) tidak sah.",
    "Invalid email address.": "Alamat surel tidak sah.",
    "Invalid input.": "Isian tidak sah.",
    "Number must be at least %(min)s.": "Angka minimal %(min)s.",
    "Number must be at most %(max)s.": "Angka maksimal %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Angka harus antara %(min)s dan %(max)s.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Field must be at least %(min)d character long.": "Minimal %(min)d karakter.",
    "Field must be at least %(min)d characters long.": "Minimal %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Maksimal %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Maksimal %(max)d karakter.",
    "Field must be exactly %(max)d character long.": "Harus tepat %(max)d karakter.",
    "Field must be exactly %(max)d characters long.": "Harus tepat %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Panjang harus antara %(min)d dan %(max)d karakter.",
    "The CSRF token is missing.": "Token keamanan formulir tidak ada. Muat ulang halaman.",
    "The CSRF token is invalid.": "Token keamanan formulir tidak sah. Muat ulang halaman.",
    "The CSRF token has expired.": "Token keamanan formulir kedaluwarsa. Muat ulang halaman.",
    "The CSRF session token is missing.": "Sesi formulir tidak ditemukan. Muat ulang halaman.",
}


class _Indonesian:
    def gettext(self, string):
        return _ID.get(string, string)

    def ngettext(self, singular, plural, n):
        return _ID.get(singular if n == 1 else plural, singular if n == 1 else plural)


def _no_control_characters(form, field):
    if has_control(field.data):
        raise ValidationError(CONTROL_MESSAGE)


class IndonesianMeta:
    """Built-in validator messages in Indonesian; every text a person types has its pasted
    line breaks normalised and any other control character refused."""

    def get_translations(self, form):
        return _Indonesian()

    def bind_field(self, form, unbound_field, options):
        kind = unbound_field.field_class
        if issubclass(kind, StringField) and not issubclass(kind, (PasswordField, HiddenField)):
            kwargs = unbound_field.kwargs
            options = dict(options, filters=[normalise_breaks, *kwargs.get("filters", ())],
                           validators=[*(kwargs.get("validators") or ()), _no_control_characters])
        return unbound_field.bind(form=form, **options)


class Form(FlaskForm):
    """Base form of the app (CSRF from Flask-WTF)."""

    class Meta(IndonesianMeta):
        pass


def strip(value):
    """The filter of every text field: the spaces around what was typed go."""
    return value.strip() if isinstance(value, str) else value


def optional_int(value):
    """The coerce of a select of ids where nothing chosen is allowed: None for nothing, the
    number otherwise; anything else (text, a number past the database's integer range, where
    no id can exist) is refused as an invalid choice beside the field."""
    if value in ("", None):
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        number = None
    if number is None or not -2**63 <= number < 2**63:
        raise ValueError("Pilihan tidak sah.")
    return number


def field_fragment(form, name: str):
    """Validate the whole form but answer with one field, for inline validation on blur."""
    form.validate()
    if name not in form:
        return "", 204
    return render_template("_field.html", field=form[name])
