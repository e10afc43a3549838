"""The notification centre (blueprint `notifications`, prefix /notifikasi): every employee's
notices a page at a time, the unread first, and the counter the navigation polls.

Looking at the list marks nothing read. Opening one notice (GET /notifikasi/<id>/buka) marks
that one read and goes on to what it is about. It is a GET with a side effect on purpose: a
notice is a link, which must also open in a new tab or from an e-mail, and the effect is
idempotent (read stays read; the first time is kept) and scoped to the recipient (anyone
else's id answers 404, as one that does not exist). "Tandai semua dibaca" is a POST with the
CSRF token, in place with htmx and as a plain form without it."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from ..htmx import render, respond
from ..paging import page_number
from ..stores import notifications as store
from ..web import safe_next
from .toolkit import me, require_login

bp = Blueprint("notifications", __name__, url_prefix="/notifikasi")
require_login(bp)

# Announced whenever the number of unread notices changes: the navigation counter reloads.
CHANGED = "notifications-changed"


def _context(employee, number: int = 1) -> dict:
    """A system account (no employee) has no notices: an empty list, not an error."""
    if employee is None:
        return {"results": None, "unread": 0}
    return {"results": store.page(employee.id, number), "unread": store.unread_count(employee.id)}


@bp.get("")
def index():
    number = page_number(request.args.get("page"))
    return render("notifications/index.html", "notifications/_list.html", **_context(me(), number))


@bp.get("/jumlah")
def count():
    """The tiny fragment the navigation polls."""
    employee_id = current_user.employee_id
    return render_template("notifications/_count.html",
                           count=store.unread_count(employee_id) if employee_id else 0)


@bp.get("/<int:notice_id>/buka")
def open_notice(notice_id):
    employee = me()
    notice = store.open_notice(employee.id, notice_id) if employee else None
    if notice is None:
        abort(404)
    return redirect(safe_next(notice.link, url_for("notifications.index")))


@bp.post("/baca-semua")
def mark_all_read():
    employee = me()
    marked = store.mark_all_read(employee.id) if employee else 0
    message = "Semua notifikasi ditandai dibaca." if marked else "Tidak ada notifikasi yang belum dibaca."
    return respond("notifications/index.html", "notifications/_list.html",
                   redirect=url_for("notifications.index"), message=message,
                   trigger={CHANGED: True}, context=lambda: _context(employee))
