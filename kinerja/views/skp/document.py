"""The SKP as a printed document (domain/skp.md §3), A4, with a DRAFT watermark until approved;
and every approved SKP of a unit as one ZIP, made by the worker."""
import io
import zipfile

from flask import abort, current_app, request, url_for
from flask_login import current_user, login_required

from . import actor, bp, current_year, load_readable
from ...htmx import respond
from ...jobs import queue_export
from ...models import APPENDIX_SECTIONS, Unit
from ...pdf import pdf_response, render_pdf
from ...rules import skp as rules
from ...security import unit_in_scope
from ...stores import exports
from ...stores.skp import plans
from ..toolkit import deny, int_arg, today


def _place(regency: str) -> str:
    """'Kabupaten Sukamaju' → 'Sukamaju' for the place line above the signatures."""
    for prefix in ("Kabupaten ", "Kota "):
        if regency.startswith(prefix):
            return regency[len(prefix):]
    return regency


def _document(skp) -> bytes:
    content = plans.PlanContent(skp)
    approved = skp.status in rules.APPROVED_STATES
    signed_on = skp.decided_at.date() if approved and skp.decided_at else today()
    return render_pdf("pdf/skp.html", skp=skp, content=content, approved=approved,
                      core_values=rules.CORE_VALUES, sections=APPENDIX_SECTIONS,
                      place=_place(current_app.config["REGENCY_NAME"]), signed_on=signed_on,
                      intervened=plans.intervened_label, target=plans.target_label)


def _filename(skp) -> str:
    return f"SKP-{skp.year_id}-{skp.employee.nip}-r{skp.revision}.pdf"


@bp.get("/<int:skp_id>/cetak")
@login_required
def print_pdf(skp_id):
    skp, facts = load_readable(skp_id)
    return pdf_response(_document(skp), _filename(skp))


@exports.builder("skp_documents")
def skp_documents(params: dict, progress) -> tuple[bytes, str]:
    """Every approved SKP of a unit (and its sub-units) for a year, one PDF each, in a ZIP."""
    unit = Unit.get_or_none(Unit.id == params["unit"])
    exports.requester(params, lambda actor: (unit is not None and rules.is_admin(actor)
                                     and (actor.role == "admin" or actor.scope_unit_id is not None)
                                     and unit_in_scope(actor, unit)),
                      "/skp/tim")
    skps = plans.approved_in(unit, params["year"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, skp in enumerate(skps, start=1):
            archive.writestr(_filename(skp), _document(skp))
            progress(done, len(skps) + 1)
    return buffer.getvalue(), f"dokumen-skp-{params['year']}-{unit.code.lower()}.zip"


@bp.post("/dokumen-unit")
@login_required
def documents_zip():
    """Start the ZIP of a unit's approved SKP documents; its page shows the progress."""
    if not rules.is_admin(actor()):
        deny("Dokumen SKP satu unit diunduh oleh admin.")
    year = current_year(int_arg("tahun", source=request.form))
    unit = Unit.get_or_none(Unit.id == int_arg("unit", source=request.form))
    if year is None or unit is None or not unit_in_scope(current_user, unit):
        abort(404)
    if not plans.approved_in(unit, year.year):
        deny(f"Belum ada SKP {year.year} yang disetujui di {unit.name}.", 409)
    job = exports.start(current_user, "skp_documents", {"unit": unit.id, "year": year.year,
                                                          "owner": current_user.id},
                        f"Dokumen SKP {year.year} — {unit.name}")
    queue_export(job.id)
    return respond(None, redirect=url_for("exports.show", job_id=job.id))
