"""The working calendar, attendance imports and each person's monthly figures."""
from flask import Blueprint

from ..toolkit import require_login, today

bp = Blueprint("attendance", __name__, url_prefix="/presensi")
require_login(bp)


@bp.context_processor
def _this_year():
    return {"this_year": today().year}


from . import calendar, figures, imports, leave, roster  # noqa: E402,F401  (routes on bp)
