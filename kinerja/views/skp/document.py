"""The SKP as a printed document (domain/skp.md §3), A4, with a DRAFT watermark until approved."""
from flask import current_app
from flask_login import login_required

from . import bp, load_readable
from ...models import APPENDIX_SECTIONS
from ...pdf import pdf_response, render_pdf
from ...rules import skp as rules
from ...stores.skp import plans
from ..toolkit import today


def _place(regency: str) -> str:
    """'Kabupaten Sukamaju' → 'Sukamaju' for the place line above the signatures."""
    for prefix in ("Kabupaten ", "Kota "):
        if regency.startswith(prefix):
            return regency[len(prefix):]
    return regency


@bp.get("/<int:skp_id>/cetak")
@login_required
def print_pdf(skp_id):
    skp, facts = load_readable(skp_id)
    content = plans.PlanContent(skp)
    approved = skp.status in rules.APPROVED_STATES
    signed_on = skp.decided_at.date() if approved and skp.decided_at else today()
    data = render_pdf("pdf/skp.html", skp=skp, content=content, approved=approved,
                      core_values=rules.CORE_VALUES, sections=APPENDIX_SECTIONS,
                      place=_place(current_app.config["REGENCY_NAME"]), signed_on=signed_on,
                      intervened=plans.intervened_label, target=plans.target_label)
    return pdf_response(data, f"SKP-{skp.year_id}-{skp.employee.nip}-r{skp.revision}.pdf")
