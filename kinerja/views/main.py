from flask import Blueprint, current_app, jsonify, render_template, send_from_directory
from flask_login import login_required

from ..models import db
from .toolkit import me

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def dashboard():
    employee = me()
    context = {"employee": employee}
    if employee is not None:
        context["appraiser"] = employee.appraiser()
        context["superior"] = employee.appraiser_superior()
    return render_template("main/dashboard.html", **context)


@bp.get("/favicon.ico")
def favicon():
    """Browsers and bookmark tools ask for it at the root whatever the page says."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=7 * 86400)


@bp.get("/healthz")
def healthz():
    try:
        db.execute_sql("SELECT 1").fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return jsonify(status="error"), 503
    return jsonify(status="ok")
