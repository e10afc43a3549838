"""The blueprint of monitoring and evaluation and what its page groups share: the loaders
that fetch an evaluation (or the signed-in employee) and refuse with the reason."""
from flask import Blueprint

from ...formatting import angka
from ...stores.evaluation import access, page
from ..toolkit import deny, me, readable

bp = Blueprint("evaluation", __name__, url_prefix="/kinerja")

NO_EMPLOYEE = "Akun ini tidak terhubung dengan data pegawai."


@bp.app_template_filter("jumlah")
def jumlah(value) -> str:
    """A realised quantity: '12' for a whole number, '12,5' otherwise."""
    if value is None:
        return "—"
    whole = value == int(value)
    return angka(value, 0 if whole else 2)


def employee_or_deny():
    """The employee behind the account; system accounts have no progress or evaluation."""
    employee = me()
    if employee is None:
        deny(NO_EMPLOYEE)
    return employee


def load_evaluation(evaluation_id: int, role: str | None = None, refusal: str = ""):
    """(evaluation, how the user stands to it). 404 for anyone who stands nowhere (an
    outsider should not learn which evaluations exist); 403 with `refusal` for someone who
    sees it but does not stand to it as `role`."""
    evaluation, roles = readable(page.get_evaluation(evaluation_id), access.evaluation_relation)
    if role is not None and role not in roles:
        deny(refusal)
    return evaluation, roles
