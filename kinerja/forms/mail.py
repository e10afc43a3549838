from wtforms import EmailField, RadioField, ValidationError

from ..models import MAIL_KINDS, MAIL_MODES
from ..rules import mail as rules
from . import Form

MODE_CHOICES = [("immediate", "Segera"), ("digest", "Harian"), ("off", "Mati")]
assert {code for code, _ in MODE_CHOICES} == set(MAIL_MODES)


class EmailForm(Form):
    email = EmailField("Alamat email", description="Pemberitahuan Kinerja dikirim ke alamat ini "
                       "setelah Anda membuka tautan verifikasi yang kami kirim. Kosongkan untuk "
                       "berhenti menerima email.")

    def validate_email(self, field):
        field.data = rules.normalise_address(field.data)
        if field.data and (problem := rules.address_problem(field.data)):
            raise ValidationError(problem)


def _mode(kind: str) -> RadioField:
    return RadioField(MAIL_KINDS[kind], choices=MODE_CHOICES, default="immediate")


class PreferencesForm(Form):
    """One choice per kind of notice: at once, in the morning's digest, or not by email."""
    skp = _mode("skp")
    evaluation = _mode("evaluation")
    feedback = _mode("feedback")
    survey = _mode("survey")
    followup = _mode("followup")
    reminder = _mode("reminder")

    def modes(self) -> dict[str, str]:
        return {kind: self[kind].data for kind in MAIL_KINDS}


assert set(MAIL_KINDS) <= set(PreferencesForm.__dict__)
