"""In-app notices to an employee. Each one says who did what and links to the exact thing it
is about (the SKP to review, the evaluation, the feedback thread), so that opening it is the
next step.

The links are spelled here, without url_for: a notice is written inside the transaction of
the step it announces, also from the CLI and the demo data where there is no request, and
the path is kept in the row, so these paths must stay as stable as the public URLs.

Reading: the notification centre lists them a page at a time, the unread first; opening one
marks that one read (and only for its recipient); "mark all read" is a separate step. Looking
at the list changes nothing."""
from ..models import MAIL_KINDS, Notification, db, utcnow
from ..paging import Page
from . import mail

# What a notice is about. Not stored (the table has no column for it): it travels with the
# notice to its email, whose kinds each person turns on or off; "reminder" is the worker's own.
KINDS = tuple(kind for kind in MAIL_KINDS if kind != "reminder")


def notify(recipient_id, text: str, link: str = "", *, kind: str) -> int | None:
    """A notice to an employee, and its id; nothing when there is nobody to tell (the Kepala
    Daerah, who is not a user). Called inside the transaction of the step it announces, so it
    exists exactly when the step does."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not recipient_id:
        return None
    text, link = text[:255], link[:255]
    notice = Notification.create(recipient=recipient_id, text=text, link=link)
    # The email says the same and links through the centre, so opening it from the mail
    # marks the notice read as opening it in the app does.
    mail.queue_notice(recipient_id, kind, text, open_link(notice.id), notification_id=notice.id)
    return notice.id


def open_link(notice_id: int) -> str:
    return f"/notifikasi/{notice_id}/buka"


def actor_name(user) -> str:
    """Who took a step, as a notice names them: the employee behind the account, else the
    account's role (an admin BKPSDM recording for the Kepala Daerah)."""
    if getattr(user, "employee_id", None):
        return user.employee.full_name
    return user.role_label


def excerpt(text: str, limit: int = 80) -> str:
    """A short quote of what someone wrote, on one line."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def skp_link(skp_id: int, review: bool = False) -> str:
    return f"/skp/{skp_id}/tinjau" if review else f"/skp/{skp_id}"


def evaluation_link(evaluation_id: int) -> str:
    return f"/kinerja/evaluasi/{evaluation_id}"


def thread_link(target: str, target_id: int) -> str:
    return f"/kinerja/umpan-balik/{target}/{target_id}"


def suggestion_link(service_unit_id: int, response_id: int) -> str:
    return f"/skm/unit/{service_unit_id}/saran/{response_id}"


# --- The notification centre ------------------------------------------------------------

def _of(employee_id):
    return Notification.recipient == employee_id


def page(employee_id, number: int, per_page: int = 20) -> Page:
    """One page of the employee's notices: the unread first, then the read ones, newest first
    in each (two queries: the count and the page)."""
    query = (Notification.select().where(_of(employee_id))
             .order_by(Notification.read_at.is_null(False), Notification.created_at.desc(),
                       Notification.id.desc()))
    return Page(query, number, per_page)


def open_notice(employee_id, notice_id) -> Notification | None:
    """The employee's own notice, marked read (once: opening it again changes nothing); None
    when it is not theirs or does not exist, so someone else's id looks like no id at all."""
    with db.atomic():
        notice = Notification.get_or_none((Notification.id == notice_id) & _of(employee_id))
        if notice is None:
            return None
        if notice.read_at is None:
            # Only if still unread: a second tab opening it at the same time keeps the first time.
            Notification.update(read_at=utcnow()).where(
                (Notification.id == notice.id) & Notification.read_at.is_null()).execute()
    return notice


def mark_all_read(employee_id) -> int:
    """Every unread notice of the employee marked read; how many were."""
    with db.atomic():
        return (Notification.update(read_at=utcnow())
                .where(_of(employee_id) & Notification.read_at.is_null()).execute())


def unread_count(employee_id) -> int:
    return Notification.unread_count(employee_id)
