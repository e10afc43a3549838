"""Continuous feedback threads on a progress entry or an RHK (the notifications about them
lead here; the notification centre is kinerja/views/notifications.py)."""
from flask import render_template, request, url_for
from flask_login import current_user, login_required

from ...forms.evaluation import FeedbackForm
from ...htmx import render, respond
from ...rules import evaluation as rules
from ...stores.evaluation import access, feedback as store
from ...web import safe_next
from ..toolkit import deny, me
from .common import bp

MISSING = {"entry": "Progres tidak ditemukan.", "rhk": "RHK tidak ditemukan."}


def load_thread(target: str, target_id: int):
    """(employee, roles, entry or RHK) of a thread the user stands to; 404 otherwise."""
    found = store.subject(target, target_id)
    if found is None:
        deny(MISSING.get(target, "Halaman tidak ditemukan."), 404)
    employee, skp, subject = found
    roles = access.relation(current_user, employee, skp)
    if not roles:
        deny("Halaman tidak ditemukan.", 404)
    return employee, roles, subject


@bp.get("/umpan-balik/<target>/<int:target_id>")
@login_required
def thread_page(target, target_id):
    """One thread on its own page: where a notification about it leads."""
    employee, roles, subject = load_thread(target, target_id)
    notes = store.thread(target, target_id)
    back = url_for("evaluation.team") if rules.APPRAISER in roles else url_for("evaluation.mine")
    can_post = me() is not None and rules.feedback_denial(roles, bool(notes)) is None
    return render_template("evaluation/thread_page.html", target=target, target_id=target_id,
                           notes=notes, form=FeedbackForm(formdata=None), employee=employee,
                           subject=subject, can_post=can_post, back=back)


@bp.post("/umpan-balik/<target>/<int:target_id>")
@login_required
def feedback(target, target_id):
    employee, roles, _ = load_thread(target, target_id)
    notes = store.thread(target, target_id)
    author = me()
    refusal = rules.feedback_denial(roles if author else set(), bool(notes))
    if refusal:
        deny(refusal)
    form = FeedbackForm()
    back = safe_next(request.form.get("next"), url_for("evaluation.mine"))
    thread = {"target": target, "target_id": target_id, "can_post": True, "back": back}
    if not form.validate_on_submit():
        return render("evaluation/thread_page.html", "evaluation/_thread.html", status=422,
                      notes=notes, form=form, **thread)
    store.post_feedback(author, employee, target, target_id, form.body.data, roles)
    return respond("evaluation/thread_page.html", "evaluation/_thread.html", redirect=back,
                   message="Umpan balik terkirim.", trigger={"feedback-added": True},
                   context=lambda: {**thread, "notes": store.thread(target, target_id),
                                    "form": FeedbackForm(formdata=None)})

