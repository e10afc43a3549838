"""A long download's page: its progress, polled by htmx until the file is ready, the file
itself for its owner only, and "Coba lagi" when it failed."""
from flask import Blueprint, abort, current_app, send_file, url_for
from flask_login import current_user

from ..htmx import render, respond
from ..jobs import queue_export
from ..stores import exports as store
from .toolkit import require_login

bp = Blueprint("exports", __name__, url_prefix="/unduhan")
require_login(bp)


def _job(job_id):
    job = store.of_owner(current_user.id, job_id)
    if job is None:
        abort(404)
    return job


@bp.get("/<int:job_id>")
def show(job_id):
    return render("exports/show.html", "exports/_job.html", job=_job(job_id))


@bp.get("/<int:job_id>/berkas")
def download(job_id):
    job = _job(job_id)
    path = store.file_of(job, current_app.config["UPLOAD_DIR"])
    if path is None:
        abort(404)
    # The type follows the name (.xlsx, .zip).
    return send_file(path, as_attachment=True, download_name=job.filename, max_age=0)


@bp.post("/<int:job_id>/ulang")
def retry(job_id):
    job = store.retry(current_user.id, job_id)
    if job is None:
        abort(404)
    queue_export(job.id)
    return respond("exports/show.html", "exports/_job.html",
                   redirect=url_for("exports.show", job_id=job.id),
                   context=lambda: {"job": _job(job_id)})
