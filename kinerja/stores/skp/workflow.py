"""The life of an SKP plan: creating it, submitting it, the Pejabat Penilai's decision,
revisions after approval, and the admin's correction of the Pejabat Penilai. Each step is
one transaction that re-reads the plan, runs the rule again and writes its audit row, its
decision history and its notice to the other side."""
import json

from ...models import (
    AuditLog, BehaviourExpectation, Indicator, PerformanceYear, Position, Rhk, Skp, SkpAppendixItem,
    SkpDecision, Unit, db, snapshot, utcnow,
)
from ...rules import DomainError
from ...rules import skp as rules
from ..notifications import actor_name, excerpt, notify, skp_link
from .plans import PlanContent, get_plan, load_rhks, previous_year_plan, recheck

SKP_AUDIT_FIELDS = ["employee", "year", "revision", "status", "approach", "appraiser", "comment"]


def audit(actor, action, skp, summary, before=None, after=None):
    AuditLog.record(actor, action, "skp", skp.id, summary, before=before, after=after, unit=skp.unit_id)


def _snapshot_identity(skp, employee) -> None:
    """Take the employee's position, unit and Pejabat Penilai as they are now."""
    position = Position.get_or_none(Position.id == employee.position_id) if employee.position_id else None
    unit = Unit.get_or_none(Unit.id == employee.unit_id) if employee.unit_id else None
    skp.unit = employee.unit_id
    skp.position_name = position.name if position else ""
    skp.unit_name = unit.name if unit else ""
    appraiser = employee.appraiser()
    skp.appraiser = appraiser.id if appraiser else None
    _snapshot_appraiser(skp, appraiser)


def _snapshot_appraiser(skp, appraiser) -> None:
    position = (Position.get_or_none(Position.id == appraiser.position_id)
                if appraiser and appraiser.position_id else None)
    unit = Unit.get_or_none(Unit.id == appraiser.unit_id) if appraiser and appraiser.unit_id else None
    skp.appraiser_position_name = position.name if position else ""
    skp.appraiser_unit_name = unit.name if unit else ""


def _decision(skp, action, actor, comment="", rhk_comments=None):
    SkpDecision.create(skp=skp.id, action=action, actor=actor.id if actor else None, comment=comment,
                       rhk_comments=json.dumps(rhk_comments, ensure_ascii=False) if rhk_comments else "")


def _copy_content(source, target, keep_links: bool) -> None:
    """Copy RHK, indicators and the appendix (and, for a revision, the expectations)."""
    for rhk in load_rhks([source.id]):
        copy = Rhk.create(skp=target.id, kind=rhk.kind, text=rhk.text, order=rhk.order,
                          parent=rhk.parent_id if keep_links else None,
                          org_goal=rhk.org_goal_id if keep_links else None,
                          origin=rhk.id if keep_links else None)
        for ind in rhk.indicator_list:
            Indicator.create(rhk=copy.id, aspect=ind.aspect, text=ind.text, target_min=ind.target_min,
                             target_max=ind.target_max, target_unit=ind.target_unit,
                             target_text=ind.target_text, order=ind.order,
                             origin=ind.id if keep_links else None)
    items = list(SkpAppendixItem.select().where(SkpAppendixItem.skp == source.id))
    if items:
        SkpAppendixItem.insert_many([{"skp": target.id, "section": i.section, "text": i.text,
                                      "order": i.order} for i in items]).execute()
    if keep_links:
        rows = list(BehaviourExpectation.select().where(BehaviourExpectation.skp == source.id))
        if rows:
            BehaviourExpectation.insert_many([
                {"skp": target.id, "value": e.value, "special_expectation": e.special_expectation,
                 "updated_by": e.updated_by_id, "updated_at": e.updated_at} for e in rows]).execute()


def _what(skp) -> str:
    return f"SKP {skp.year_id}" + (f" revisi {skp.revision}" if skp.revision > 1 else "")


def create_plan(employee, year: int, approach: str, actor, copy_previous: bool = False):
    """Revision 1 of an employee's SKP for the year, optionally filled from last year's."""
    start, end = rules.default_period(year)
    with db.atomic():
        if Skp.select().where((Skp.employee == employee.id) & (Skp.year == year)).exists():
            raise DomainError(f"SKP tahun {year} sudah ada.")
        if not PerformanceYear.select().where((PerformanceYear.year == year) & PerformanceYear.is_open).exists():
            raise DomainError(f"Tahun kinerja {year} sudah ditutup.")
        source = previous_year_plan(employee.id, year) if copy_previous else None
        if copy_previous and source is None:
            raise DomainError(f"Tidak ada SKP tahun {year - 1} untuk disalin.")
        skp = Skp(employee=employee.id, year=year, revision=1, status="draft",
                  approach=source.approach if source else approach, period_start=start, period_end=end)
        _snapshot_identity(skp, employee)
        skp.save()
        if source is not None:
            _copy_content(source, skp, keep_links=False)
        _decision(skp, "created", actor, f"Disalin dari SKP {year - 1}" if source else "")
        audit(actor, "create", skp, f"SKP {year} {employee.full_name} dibuat"
              + (f" dari SKP {year - 1}" if source else ""),
              after=snapshot(skp, SKP_AUDIT_FIELDS))
    return skp


def open_revision(skp_id, actor, note: str):
    """Copy the approved revision into a new draft revision; the approved one stays in force."""
    with db.atomic():
        skp, _ = recheck(skp_id, "revise", actor)
        new = Skp(employee=skp.employee_id, year=skp.year_id, revision=skp.revision + 1,
                  previous=skp.id, status="draft", approach=skp.approach,
                  period_start=skp.period_start, period_end=skp.period_end, change_note=note)
        _snapshot_identity(new, skp.employee)
        new.save()
        _copy_content(skp, new, keep_links=True)
        _decision(new, "revision_opened", actor, note)
        audit(actor, "revise", new, f"Revisi {new.revision} SKP {skp.year_id} dibuka: {note}"[:255],
              before=snapshot(skp, SKP_AUDIT_FIELDS), after=snapshot(new, SKP_AUDIT_FIELDS))
        owner = skp.employee
        if actor.employee_id == owner.id:
            notify(skp.appraiser_id, f"{owner.full_name} membuka revisi {new.revision} SKP {skp.year_id}: "
                   f"{excerpt(note)}", skp_link(new.id), kind="skp")
        else:
            notify(owner.id, f"Revisi {new.revision} SKP {skp.year_id} Anda dibuka oleh {actor_name(actor)}: "
                   f"{excerpt(note)}", skp_link(new.id), kind="skp")
    return new


def submit(skp_id, actor):
    """Draft/Dikembalikan → Diajukan, with the Pejabat Penilai taken as they are now.
    Returns the plan as submitted."""
    with db.atomic():
        skp, new_status = recheck(skp_id, "submit", actor)
        problems = PlanContent(skp).problems()
        if problems:
            raise DomainError(f"SKP belum dapat diajukan: {problems[0]}")
        before = snapshot(skp, SKP_AUDIT_FIELDS)
        owner = skp.employee
        _snapshot_identity(skp, owner)
        skp.status = new_status
        skp.submitted_at = skp.updated_at = utcnow()
        skp.submitted_by = actor.id
        skp.save()
        _decision(skp, "submitted", actor)
        audit(actor, "submit", skp, f"SKP {skp.year_id} revisi {skp.revision} diajukan",
              before=before, after=snapshot(skp, SKP_AUDIT_FIELDS))
        notify(skp.appraiser_id, f"{owner.full_name} mengajukan {_what(skp)} untuk disetujui",
               skp_link(skp.id, review=True), kind="skp")
    return get_plan(skp_id)


def decide(skp_id, actor, approve: bool, comment: str, rhk_comments: dict[int, str]):
    """Diajukan → Disetujui or Dikembalikan. Approving a revision supersedes the revision it
    replaces and moves the subordinates' links to the copies of its RHK. Returns the plan as
    decided."""
    rhk_comments = {k: v.strip() for k, v in rhk_comments.items() if v and v.strip()}
    comment = comment.strip()
    with db.atomic():
        skp, new_status = recheck(skp_id, "approve" if approve else "return", actor)
        if not approve and (reason := rules.return_problem(comment, rhk_comments.values())):
            raise DomainError(reason, field="comment")
        before = snapshot(skp, SKP_AUDIT_FIELDS)
        skp.status = new_status
        skp.comment = comment
        skp.decided_at = skp.updated_at = utcnow()
        skp.decided_by = actor.id
        skp.save()
        Rhk.update(review_comment="").where(Rhk.skp == skp.id).execute()
        for rhk_id, text in rhk_comments.items():
            Rhk.update(review_comment=text).where((Rhk.id == rhk_id) & (Rhk.skp == skp.id)).execute()
        if approve:
            _supersede_previous(skp)
        _decision(skp, "approved" if approve else "returned", actor, skp.comment,
                  {str(k): v for k, v in rhk_comments.items()})
        audit(actor, "approve" if approve else "return", skp,
              f"SKP {skp.year_id} revisi {skp.revision} {'disetujui' if approve else 'dikembalikan'}",
              before=before, after=dict(snapshot(skp, SKP_AUDIT_FIELDS),
                                        rhk_comments={str(k): v for k, v in rhk_comments.items()}))
        notify(skp.employee_id, _decision_notice(skp, actor, approve, len(rhk_comments)),
               skp_link(skp.id), kind="skp")
    return get_plan(skp_id)


def _decision_notice(skp, actor, approve: bool, rhk_notes: int) -> str:
    """"SKP 2026 Anda dikembalikan oleh … untuk diperbaiki: <the note> (2 catatan pada RHK)"."""
    by = actor_name(actor)
    if approve:
        return f"{_what(skp)} Anda disetujui oleh {by}"
    notes = f" ({rhk_notes} catatan pada RHK)" if rhk_notes else ""
    comment = f": {excerpt(skp.comment, 160)}" if skp.comment else ""
    return f"{_what(skp)} Anda dikembalikan oleh {by} untuk diperbaiki{comment}{notes}"


def _supersede_previous(skp) -> None:
    older = list(Skp.select().where((Skp.employee == skp.employee_id) & (Skp.year == skp.year_id)
                                    & (Skp.status == "approved") & (Skp.id != skp.id)))
    for old in older:
        old.status = rules.next_status(old.status, "supersede")
        old.save(only=[Skp.status])
    if older:
        for new_id, origin_id in (Rhk.select(Rhk.id, Rhk.origin).where(
                (Rhk.skp == skp.id) & Rhk.origin.is_null(False)).tuples()):
            Rhk.update(parent=new_id).where(Rhk.parent == origin_id).execute()


def set_appraiser(skp_id, appraiser, actor) -> None:
    """The admin's correction of one plan's Pejabat Penilai (None: the Kepala Daerah)."""
    with db.atomic():
        skp, _ = recheck(skp_id, "set_appraiser", actor)
        before = snapshot(skp, SKP_AUDIT_FIELDS)
        skp.appraiser = appraiser.id if appraiser else None
        _snapshot_appraiser(skp, appraiser)
        skp.save(only=[Skp.appraiser, Skp.appraiser_position_name, Skp.appraiser_unit_name])
        name = appraiser.full_name if appraiser else "Kepala Daerah"
        audit(actor, "set_appraiser", skp, f"Pejabat Penilai SKP {skp.year_id} diganti: {name}"[:255],
              before=before, after=snapshot(skp, SKP_AUDIT_FIELDS))
        if skp.appraiser_id == before["appraiser"]:
            return
        owner = skp.employee
        notify(owner.id, f"Pejabat Penilai {_what(skp)} Anda diganti oleh {actor_name(actor)} menjadi {name}",
               skp_link(skp.id), kind="skp")
        if appraiser is not None and skp.status == "submitted":
            # The plan waits for a decision: it is now the new Pejabat Penilai's to review.
            notify(appraiser.id, f"{owner.full_name} mengajukan {_what(skp)} untuk disetujui; "
                   f"{actor_name(actor)} menetapkan Anda sebagai Pejabat Penilainya",
                   skp_link(skp.id, review=True), kind="skp")
