"""A period's report (PDF) and its raw responses (XLSX or CSV)."""
from flask import Response, abort

from ...models import SUGGESTION_STATUSES
from ...pdf import pdf_response, render_pdf
from ...rules import ikm
from ...spreadsheets import XLSX_MIME, csv_bytes, xlsx_bytes
from ...stores.survey import report as store
from ..toolkit import today
from .common import bp, load_period, load_service_unit


def _file_name(kind: str, su, period) -> str:
    return f"{kind}-skm-{su.code}-{period.year}-{period.kind}-{period.number}"


@bp.get("/unit/<int:su_id>/periode/<int:period_id>/laporan.pdf")
def report_pdf(su_id, period_id):
    su = load_service_unit(su_id)
    period = load_period(su, period_id)
    data = render_pdf("survey_admin/report_pdf.html", report=store.build_report(su, period),
                      elements=ikm.ELEMENTS_BY_CODE, statuses=SUGGESTION_STATUSES,
                      unassigned=store.UNASSIGNED, praise=store.PRAISE, printed=today())
    return pdf_response(data, f"{_file_name('laporan', su, period)}.pdf")


@bp.get("/unit/<int:su_id>/periode/<int:period_id>/tanggapan.<fmt>")
def responses_export(su_id, period_id, fmt):
    su = load_service_unit(su_id)
    period = load_period(su, period_id)
    if fmt not in ("xlsx", "csv"):
        abort(404)
    rows = store.export_rows(su, period)
    if fmt == "xlsx":
        body, mimetype = xlsx_bytes({"Tanggapan": (store.EXPORT_HEADERS, list(rows))}), XLSX_MIME
    else:
        body, mimetype = csv_bytes(store.EXPORT_HEADERS, rows), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{_file_name("tanggapan", su, period)}.{fmt}"'})
