from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from ..rules.passwords import password_problems
from . import Form


class LoginForm(Form):
    username = StringField("NIP atau nama pengguna",
                           validators=[DataRequired("NIP atau nama pengguna wajib diisi.")])
    password = PasswordField("Kata sandi", validators=[DataRequired("Kata sandi wajib diisi.")])


class ChangePasswordForm(Form):
    current = PasswordField("Kata sandi saat ini",
                            validators=[DataRequired("Kata sandi saat ini wajib diisi.")])
    new = PasswordField("Kata sandi baru", validators=[DataRequired("Kata sandi baru wajib diisi.")],
                        description="Minimal 10 karakter, memuat huruf dan angka.")
    confirm = PasswordField("Ulangi kata sandi baru", validators=[
        DataRequired("Ulangi kata sandi baru."),
        EqualTo("new", "Kedua kata sandi baru tidak sama.")])

    def __init__(self, *args, username: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._username = username

    def validate_new(self, field):
        problems = password_problems(field.data or "", self._username)
        if problems:
            raise ValidationError(" ".join(problems))
        if field.data and field.data == self.current.data:
            raise ValidationError("Kata sandi baru harus berbeda dari yang lama.")
