"""The staff dashboard of the SKM and the regency-wide weight of the index."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...forms.survey import WeightForm
from ...paging import page_number
from ...rules import ikm
from ...stores.survey import dashboard, stats, units as store
from ..toolkit import today
from .common import bp, scope


@bp.get("")
def index():
    weight = stats.current_weight()
    area = scope()
    listing, flagged_total = dashboard.page(area, today(), weight, page_number(request.args.get("page")))
    return render_template("survey_admin/index.html", listing=listing, rows=listing.items,
                           weight=weight, regency_wide=area is None, flagged_total=flagged_total)


@bp.route("/bobot", methods=["GET", "POST"])
def weight():
    # The weight applies to every unit of the regency: only the admin whose scope is the
    # whole regency sets it.
    if scope() is not None:
        abort(403)
    current = stats.current_weight()
    form = WeightForm(data={"weight": current.key})
    form.weight.choices = ikm.WEIGHT_CHOICES
    if form.validate_on_submit():
        store.set_weight(current_user, current.key, form.weight.data)
        flash(f"Bobot IKM diatur ke {ikm.weight_for(form.weight.data).label}.", "success")
        return redirect(url_for(".weight"))
    status = 422 if form.is_submitted() else 200
    return render_template("survey_admin/weight.html", form=form, current=current), status
