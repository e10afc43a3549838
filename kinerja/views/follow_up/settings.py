"""The regency's follow-up settings (the matrix, what admins see), set by the admin BKPSDM."""
from flask import render_template, request, url_for
from flask_login import current_user

from ...forms.follow_up import matrix_form, matrix_of
from ...htmx import respond
from ...rules import follow_up as rules
from ...rules.evaluation import PREDIKATS
from ...stores.follow_up import settings as store
from ..toolkit import deny
from .common import bp


@bp.route("/pengaturan", methods=["GET", "POST"])
def settings():
    reason = rules.settings_denial(current_user)
    if reason:
        deny(reason)
    if request.method == "GET":
        form = matrix_form(store.matrix(), store.admins_see_notes())
    else:
        form = matrix_form({}, formdata=request.form)
        if form.validate_on_submit():
            store.save(current_user, matrix_of(form), form.admins_see_notes.data)
            return respond(None, redirect=url_for("follow_up.settings"),
                           message="Pengaturan tindak lanjut disimpan.")
    status = 422 if form.errors else 200
    return render_template("follow_up/settings.html", form=form, predikats=PREDIKATS, rules=rules), status
