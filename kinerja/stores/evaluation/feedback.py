"""Continuous feedback: a thread of notes on a progress entry or on an RHK, opened by the
Pejabat Penilai and answered by the employee; each note tells the other side.

Not audited: a note is itself the record, with its author and time, and is never changed."""
from peewee import JOIN, fn

from ...models import Employee, Feedback, ProgressEntry, Rhk, Skp, db
from ...rules import DomainError
from ...rules import evaluation as rules
from ..notifications import excerpt, notify, thread_link


def subject(target: str, target_id: int):
    """(employee, skp, entry or RHK) a thread is about, or None."""
    if target == "entry":
        entry = ProgressEntry.get_or_none(ProgressEntry.id == target_id)
        return (entry.employee, entry.skp, entry) if entry else None
    if target == "rhk":
        rhk = Rhk.select(Rhk, Skp).join(Skp).where(Rhk.id == target_id).first()
        return (rhk.skp.employee, rhk.skp, rhk) if rhk else None
    return None


def plan_rhks(skp) -> list:
    """The RHK of a plan a note may be about, the main ones first."""
    if skp is None:
        return []
    return list(Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.kind.desc(), Rhk.order))


def thread(target: str, target_id: int) -> list:
    column = Feedback.entry if target == "entry" else Feedback.rhk
    return list(Feedback.select(Feedback, Employee).join(Employee, on=(Feedback.author == Employee.id))
                .where(column == target_id).order_by(Feedback.created_at, Feedback.id))


def post_feedback(author, employee, target: str, target_id: int, body: str, roles):
    """A note in the thread of an entry or RHK, by someone standing to the employee as
    `roles`. The supervisor's note notifies the employee; the employee's reply notifies
    whoever wrote before; both open the thread."""
    link = thread_link(target, target_id)
    with db.atomic():
        existing = thread(target, target_id)
        refusal = rules.feedback_denial(roles, bool(existing))
        if refusal:
            raise DomainError(refusal)
        note = Feedback.create(employee=employee.id, author=author.id, body=body,
                               entry=target_id if target == "entry" else None,
                               rhk=target_id if target == "rhk" else None,
                               parent=existing[0].id if existing else None)
        about, theirs = ("progres", "progresnya") if target == "entry" else ("RHK", "RHK-nya")
        if author.id == employee.id:
            for other in sorted({n.author_id for n in existing if n.author_id != employee.id}):
                notify(other, f"{employee.full_name} membalas umpan balik Anda atas {theirs}: "
                       f"{excerpt(body)}", link, kind="feedback")
        else:
            notify(employee.id, f"{author.full_name} memberi umpan balik atas {about} Anda: "
                   f"{excerpt(body)}", link, kind="feedback")
    return note


def feedback_received(employee_id, limit: int = 20) -> list:
    """The latest threads about this employee (entry or RHK), newest first, each a list of
    notes; two queries."""
    roots = list(Feedback.select(Feedback.entry, Feedback.rhk, fn.MAX(Feedback.created_at).alias("last"))
                 .where(Feedback.employee == employee_id)
                 .group_by(Feedback.entry, Feedback.rhk)
                 .order_by(fn.MAX(Feedback.created_at).desc()).limit(limit).tuples())
    if not roots:
        return []
    entry_ids = [e for e, _, _ in roots if e]
    rhk_ids = [r for e, r, _ in roots if r and not e]
    notes = list(Feedback.select(Feedback, Employee, ProgressEntry, Rhk)
                 .join(Employee, on=(Feedback.author == Employee.id))
                 .switch(Feedback).join(ProgressEntry, JOIN.LEFT_OUTER)
                 .switch(Feedback).join(Rhk, JOIN.LEFT_OUTER, on=(Feedback.rhk == Rhk.id))
                 .where((Feedback.employee == employee_id)
                        & (Feedback.entry.in_(entry_ids or [0]) | Feedback.rhk.in_(rhk_ids or [0])))
                 .order_by(Feedback.created_at, Feedback.id))
    grouped = {}
    for note in notes:
        key = ("entry", note.entry_id) if note.entry_id else ("rhk", note.rhk_id)
        grouped.setdefault(key, []).append(note)
    order = [("entry", e) if e else ("rhk", r) for e, r, _ in roots]
    return [(key, grouped[key]) for key in order if key in grouped]
