"""The review queue: flagged responses of the scope, accepted or rejected one by one or in bulk,
the row or the list changing in place."""
from flask import abort, render_template, request, url_for
from flask_login import current_user

from ...forms.survey import ReviewBulkForm
from ...htmx import render, respond
from ...paging import page_number
from ...rules import ikm
from ...security import require_unit_scope
from ...stores.survey import review as store, units as unit_store
from .common import bp, load_service_unit, scope

# Announced after a decision: the waiting counter refreshes itself on it.
CHANGED = "skm-review-changed"


def _filter():
    """The service unit the queue is narrowed to (?unit=…), checked against the scope."""
    raw = request.values.get("unit")
    return load_service_unit(raw) if raw else None


def _context(su) -> dict:
    area = scope()
    results = store.flagged_page(area, su, page_number(request.args.get("page")), per_page=50)
    return {"results": results, "filter_su": su, "waiting": results.total,
            "services": store.service_names(results.items),
            "units": unit_store.service_unit_names(area), "elements": ikm.ELEMENTS,
            "bulk_form": ReviewBulkForm()}


@bp.get("/tinjauan")
def review():
    return render("survey_admin/review.html", "survey_admin/_review_queue.html",
                  **_context(_filter()))


@bp.get("/tinjauan/jumlah")
def review_count():
    su = _filter()
    return render_template("survey_admin/_review_count.html",
                           waiting=store.flagged_count(scope(), su), filter_su=su)


@bp.post("/tinjauan/<int:response_id>")
def review_decide(response_id):
    decision = request.form.get("decision")
    if decision not in store.DECISIONS:
        abort(400)
    response = store.get_response(response_id)
    if response is None:
        abort(404)
    require_unit_scope(current_user, response.service_unit.unit)
    store.decide_one(current_user, response, decision)
    word = "diterima dan dihitung dalam IKM" if decision == "accept" else "ditolak"
    # For htmx the row removes itself (an empty answer); the counter refreshes on the event.
    return respond("survey_admin/review.html", "survey_admin/_review_decided.html",
                   redirect=url_for(".review", unit=request.form.get("unit") or None),
                   message=f"Tanggapan {word}.", trigger={CHANGED: {"decision": decision}})


@bp.post("/tinjauan")
def review_bulk():
    form = ReviewBulkForm()
    su = _filter()
    decision = form.decision.data
    if decision not in store.DECISIONS:
        abort(400)
    responses = store.flagged_among(scope(), request.form.getlist("ids"))
    done = store.decide(current_user, responses, decision) if responses else 0
    word = "diterima" if decision == "accept" else "ditolak"
    message = (f"{done} tanggapan {word}." if done
               else "Tidak ada tanggapan yang dipilih (atau semuanya sudah ditinjau).")
    return respond("survey_admin/review.html", "survey_admin/_review_queue.html",
                   redirect=url_for(".review", unit=su.id if su else None), message=message,
                   category="success" if done else "warning",
                   trigger={CHANGED: {"decision": decision}}, context=lambda: _context(su))
