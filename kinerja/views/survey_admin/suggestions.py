"""Citizens' suggestions of a service unit and their follow-up, edited in place."""
from flask import abort, render_template, request, url_for
from flask_login import current_user

from ...forms.survey import FollowUpForm
from ...htmx import render, respond
from ...models import SUGGESTION_SETTLED, SUGGESTION_STATUSES
from ...paging import Page, page_number
from ...rules import ikm
from ...rules.survey_entry import lowest_element
from ...stores.survey import suggestions as store
from .common import bp, load_service_unit

# Announced after a follow-up is saved: the open counter refreshes itself on it.
CHANGED = "skm-suggestions-changed"


def _helpers() -> dict:
    return {"elements": ikm.ELEMENTS_BY_CODE, "statuses": SUGGESTION_STATUSES,
            "settled": SUGGESTION_SETTLED,
            "lowest": lambda r: lowest_element({c: getattr(r, c) for c in ikm.ELEMENT_CODES}),
            "follow_up_of": store.follow_up_of}


def _open_count(su) -> int:
    return store.open_suggestion_counts([su.id]).get(su.id, 0)


@bp.get("/unit/<int:su_id>/saran")
def suggestions(su_id):
    su = load_service_unit(su_id)
    state = request.args.get("status", "terbuka")
    if state not in store.FILTERS:
        state = "terbuka"
    results = Page(store.suggestions(su, state), page_number(request.args.get("page")),
                   per_page=30)
    return render("survey_admin/suggestions.html", "survey_admin/_suggestion_list.html",
                  su=su, results=results, state=state, filters=store.FILTERS,
                  open_count=_open_count(su), **_helpers())


@bp.get("/unit/<int:su_id>/saran/jumlah")
def suggestion_count(su_id):
    su = load_service_unit(su_id)
    return render_template("survey_admin/_suggestion_count.html", su=su,
                           open_count=_open_count(su))


def _follow_up_form(response, handlers, formdata=True):
    follow_up = store.follow_up_of(response)
    data = None
    if follow_up is not None:
        data = {"status": follow_up.status, "element": follow_up.element or "",
                "handler": follow_up.handler_id or 0, "action": follow_up.action,
                "done_on": follow_up.done_on}
    kwargs = {} if formdata else {"formdata": None}
    form = FollowUpForm(prefix=f"t{response.id}", data=data, **kwargs)
    form.element.choices = [("", "— belum ditentukan —")] + [
        (e.code, f"{e.label} {e.name}") for e in ikm.ELEMENTS]
    form.handler.choices = [(0, "— pilih pegawai —")] + [(e.id, e.full_name) for e in handlers]
    return form


def _suggestion(su, response, form, editing, status=200):
    return render("survey_admin/follow_up.html", "survey_admin/_suggestion.html", status=status,
                  su=su, r=response, form=form, editing=editing, **_helpers())


@bp.route("/unit/<int:su_id>/saran/<int:response_id>", methods=["GET", "POST"])
def follow_up(su_id, response_id):
    su = load_service_unit(su_id)
    response = store.suggestion(su, response_id)
    if response is None:
        abort(404)
    handlers = list(store.handlers(su))
    if request.method == "GET":
        return _suggestion(su, response, _follow_up_form(response, handlers, formdata=False),
                           editing=True)
    form = _follow_up_form(response, handlers)
    if request.form.get("cancel"):
        return _suggestion(su, response, form, editing=False)
    if not form.validate():
        return _suggestion(su, response, form, editing=True, status=422)
    saved = store.save_follow_up(current_user, su, response, {
        "status": form.status.data, "element": form.element.data or None,
        "handler": form.handler.data or None, "action": form.action.data or "",
        "done_on": form.done_on.data})
    return respond("survey_admin/follow_up.html", "survey_admin/_suggestion.html",
                   redirect=url_for(".suggestions", su_id=su.id),
                   message="Tindak lanjut disimpan.", trigger=CHANGED, su=su, r=saved,
                   form=form, editing=False, saved=True, **_helpers())
