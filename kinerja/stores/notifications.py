"""In-app notices to an employee. Each one links to the exact thing it is about (the SKP to
review, the evaluation, the feedback thread), so that opening it is the next step.

The links are spelled here, without url_for: a notice is written inside the transaction of
the step it announces, also from the CLI and the demo data where there is no request, and
the path is kept in the row, so these paths must stay as stable as the public URLs."""
from ..models import Notification, db, utcnow


def notify(recipient_id, text: str, link: str = "") -> None:
    """A notice to an employee; nothing when there is nobody to tell (the Kepala Daerah).
    Called inside the transaction of the step it announces."""
    if recipient_id:
        Notification.create(recipient=recipient_id, text=text[:255], link=link[:255])


def skp_link(skp_id: int, review: bool = False) -> str:
    return f"/skp/{skp_id}/tinjau" if review else f"/skp/{skp_id}"


def evaluation_link(evaluation_id: int) -> str:
    return f"/kinerja/evaluasi/{evaluation_id}"


def thread_link(target: str, target_id: int) -> str:
    return f"/kinerja/umpan-balik/{target}/{target_id}"


def latest(employee_id, limit: int = 30) -> list:
    """The unread notices first, then the read ones, newest first."""
    return list(Notification.select().where(Notification.recipient == employee_id)
                .order_by(Notification.read_at.is_null(False), Notification.created_at.desc())
                .limit(limit))


def mark_read(employee_id) -> None:
    with db.atomic():
        Notification.update(read_at=utcnow()).where(
            (Notification.recipient == employee_id) & Notification.read_at.is_null()).execute()


def unread_count(employee_id) -> int:
    return Notification.unread_count(employee_id)
