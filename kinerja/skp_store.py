"""SKP plans in the database: the reads the skp pages need (a fixed number of queries per
page, whatever the number of rows) and every write, each in one transaction with its
audit row. The decisions about what is allowed live in rules/skp.py."""
import json

from peewee import JOIN, fn

from .models import (
    AuditLog, BehaviourExpectation, Employee, Indicator, OrgGoal, PerformanceYear, Position, Rhk,
    Skp, SkpAppendixItem, SkpDecision, Unit, db, snapshot, utcnow,
)
from .notifications import notify, skp_link
from .rules import skp as rules

SKP_AUDIT_FIELDS = ["employee", "year", "revision", "status", "approach", "appraiser", "comment"]
RHK_AUDIT_FIELDS = ["kind", "text", "parent", "org_goal", "order"]

Appraiser = Employee.alias("appraiser_employee")


class PlanError(ValueError):
    """A write the current data does not allow; the message is for the user."""


# --- Reads ---------------------------------------------------------------------------

def get_plan(skp_id):
    """One SKP revision with its employee, year and Pejabat Penilai, in one query."""
    return (Skp.select(Skp, Employee, PerformanceYear, Appraiser)
            .join(Employee, on=(Skp.employee == Employee.id))
            .switch(Skp).join(PerformanceYear, on=(Skp.year == PerformanceYear.year))
            .switch(Skp).join(Appraiser, JOIN.LEFT_OUTER, on=(Skp.appraiser == Appraiser.id),
                              attr="appraiser")
            .where(Skp.id == skp_id).first())


def is_latest(skp) -> bool:
    return not Skp.select().where((Skp.employee == skp.employee_id) & (Skp.year == skp.year_id)
                                  & (Skp.revision > skp.revision)).exists()


def plan_facts(skp, latest: bool | None = None) -> rules.Plan:
    return rules.Plan(status=skp.status, owner_id=skp.employee_id, appraiser_id=skp.appraiser_id,
                      is_latest=is_latest(skp) if latest is None else latest,
                      year_open=skp.year.is_open)


def load_rhks(skp_ids) -> list:
    """RHK of these plans with the intervened RHK or goal and their indicators (two queries).
    Each RHK gets `.indicator_list`."""
    Parent = Rhk.alias("parent_rhk")
    rhks = list(Rhk.select(Rhk, Parent, OrgGoal)
                .join(Parent, JOIN.LEFT_OUTER, on=(Rhk.parent == Parent.id), attr="parent")
                .switch(Rhk).join(OrgGoal, JOIN.LEFT_OUTER, on=(Rhk.org_goal == OrgGoal.id),
                                  attr="org_goal")
                .where(Rhk.skp.in_(list(skp_ids)))
                .order_by(Rhk.skp, Rhk.kind.desc(), Rhk.order, Rhk.id))
    by_rhk = {r.id: r for r in rhks}
    for rhk in rhks:
        rhk.indicator_list = []
    if rhks:
        for indicator in (Indicator.select().where(Indicator.rhk.in_(list(by_rhk)))
                          .order_by(Indicator.rhk, Indicator.order, Indicator.id)):
            by_rhk[indicator.rhk_id].indicator_list.append(indicator)
    return rhks


def intervened_label(rhk) -> str:
    """What the RHK intervenes in, as printed in the first column of the Hasil Kerja table."""
    if rhk.parent_id and rhk.parent is not None:
        return rhk.parent.text
    if rhk.org_goal_id and rhk.org_goal is not None:
        goal = rhk.org_goal
        return f"{goal.goal} — {goal.indicator}" if goal.indicator else goal.goal
    return ""


def target_label(approach: str, indicator) -> str:
    return rules.format_target(approach, indicator.target_min, indicator.target_max,
                               indicator.target_unit, indicator.target_text)


class PlanContent:
    """Everything shown on an SKP page, loaded with a fixed number of queries."""

    def __init__(self, skp):
        self.skp = skp
        self.rhks = load_rhks([skp.id])
        self.utama = [r for r in self.rhks if r.kind == "utama"]
        self.tambahan = [r for r in self.rhks if r.kind == "tambahan"]
        self.appendix = {section: [] for section in APPENDIX_ORDER}
        for item in (SkpAppendixItem.select().where(SkpAppendixItem.skp == skp.id)
                     .order_by(SkpAppendixItem.order, SkpAppendixItem.id)):
            self.appendix.setdefault(item.section, []).append(item)
        self.expectations = {e.value: e for e in
                             BehaviourExpectation.select().where(BehaviourExpectation.skp == skp.id)}

    def by_kind(self, kind):
        return self.utama if kind == "utama" else self.tambahan

    def problems(self) -> list[str]:
        return rules.submission_problems(self.skp.approach, [
            {"kind": r.kind, "text": r.text, "has_parent": bool(r.parent_id or r.org_goal_id),
             "indicators": [{"text": i.text, "target_min": i.target_min, "target_max": i.target_max,
                             "target_unit": i.target_unit, "target_text": i.target_text}
                            for i in r.indicator_list]}
            for r in self.utama + self.tambahan], is_head=self.skp.appraiser_id is None)

    def diff_shape(self, keyed_by_origin: bool) -> dict:
        from .models import APPENDIX_SECTIONS
        return {
            "approach": self.skp.approach_label,
            "rhks": [{"key": (r.origin_id if keyed_by_origin else r.id), "kind": r.kind, "text": r.text,
                      "parent": intervened_label(r),
                      "indicators": [f"{i.aspect_label}: {i.text} ({target_label(self.skp.approach, i)})"
                                     for i in r.indicator_list]}
                     for r in self.utama + self.tambahan],
            "appendix": {APPENDIX_SECTIONS[s]: [i.text for i in items] for s, items in self.appendix.items()},
            "expectations": {rules.CORE_VALUE_NAMES.get(v, v): e.special_expectation
                             for v, e in self.expectations.items() if e.special_expectation},
        }


APPENDIX_ORDER = ["resources", "accountability", "consequences"]


def revisions_of(skp) -> list:
    return list(Skp.select(Skp.id, Skp.revision, Skp.status, Skp.change_note, Skp.created_at,
                           Skp.decided_at)
                .where((Skp.employee == skp.employee_id) & (Skp.year == skp.year_id))
                .order_by(Skp.revision))


def history_of(skp_ids) -> list:
    """Every submission and decision on these revisions, oldest first, with the actor."""
    from .models import User
    return list(SkpDecision.select(SkpDecision, Skp.id, Skp.revision, User, Employee)
                .join(Skp, on=(SkpDecision.skp == Skp.id))
                .switch(SkpDecision).join(User, JOIN.LEFT_OUTER, on=(SkpDecision.actor == User.id))
                .join(Employee, JOIN.LEFT_OUTER, on=(User.employee == Employee.id))
                .where(SkpDecision.skp.in_(list(skp_ids)))
                .order_by(SkpDecision.at, SkpDecision.id))


def revision_changes(skp, content: PlanContent) -> list:
    """What this revision changed compared with the one it was copied from."""
    if not skp.previous_id:
        return []
    previous = get_plan(skp.previous_id)
    if previous is None:
        return []
    return rules.revision_diff(PlanContent(previous).diff_shape(keyed_by_origin=False),
                               content.diff_shape(keyed_by_origin=True))


def rhk_texts(ids) -> dict[int, str]:
    """Texts of RHK named in the history (a returned RHK may have been rewritten since)."""
    if not ids:
        return {}
    return dict(Rhk.select(Rhk.id, Rhk.text).where(Rhk.id.in_(list(ids))).tuples())


def parent_options(skp) -> list[tuple[int, str]]:
    """What an Utama RHK of this plan may intervene in: the RHK of the Pejabat Penilai's
    approved SKP of the year, or for a head of OPD the goals of the OPD."""
    if skp.appraiser_id is None:
        return [(g.id, f"{g.goal} — {g.indicator}" if g.indicator else g.goal)
                for g in goals_for_plan(skp)]
    approved = Skp.approved_for(skp.appraiser_id, skp.year_id)
    if approved is None:
        return []
    return [(r.id, f"[{r.kind_label}] {r.text}") for r in
            Rhk.select(Rhk.id, Rhk.kind, Rhk.text).where(Rhk.skp == approved.id)
            .order_by(Rhk.kind.desc(), Rhk.order, Rhk.id)]


def goals_for_plan(skp):
    opd = _opd_of(skp.unit_id)
    if opd is None:
        return []
    return list(OrgGoal.select().where((OrgGoal.unit == opd.id) & (OrgGoal.year == skp.year_id))
                .order_by(OrgGoal.order, OrgGoal.id))


def _opd_of(unit_id):
    unit = Unit.get_or_none(Unit.id == unit_id) if unit_id else None
    return unit.opd() if unit else None


def open_years():
    return list(PerformanceYear.select().where(PerformanceYear.is_open).order_by(PerformanceYear.year.desc()))


def plans_of(employee_id) -> list:
    """Every revision of every year of one employee, newest first."""
    return list(Skp.select(Skp, PerformanceYear).join(PerformanceYear)
                .where(Skp.employee == employee_id)
                .order_by(Skp.year.desc(), Skp.revision.desc()))


def supervises(viewer_id, owner) -> bool:
    """The viewer is the owner's Pejabat Penilai or the Atasan Pejabat Penilai now."""
    if viewer_id is None:
        return False
    appraiser = owner.appraiser()
    if appraiser is None:
        return False
    if appraiser.id == viewer_id:
        return True
    superior = owner.appraiser_superior()
    return superior is not None and superior.id == viewer_id


# --- Writes ---------------------------------------------------------------------------

def _audit(actor, action, skp, summary, before=None, after=None):
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
    if appraiser is not None:
        a_position = Position.get_or_none(Position.id == appraiser.position_id) if appraiser.position_id else None
        a_unit = Unit.get_or_none(Unit.id == appraiser.unit_id) if appraiser.unit_id else None
        skp.appraiser_position_name = a_position.name if a_position else ""
        skp.appraiser_unit_name = a_unit.name if a_unit else ""
    else:
        skp.appraiser_position_name = ""
        skp.appraiser_unit_name = ""


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


def previous_year_plan(employee_id, year: int):
    """Last year's plan to start from: its approved revision, else its newest."""
    return (Skp.approved_for(employee_id, year - 1) or Skp.latest_for(employee_id, year - 1))


def create_plan(employee, year, approach: str, actor, copy_previous: bool = False):
    """Revision 1 of an employee's SKP for the year, optionally filled from last year's."""
    if Skp.select().where((Skp.employee == employee.id) & (Skp.year == year.year)).exists():
        raise PlanError(f"SKP tahun {year.year} sudah ada.")
    if not year.is_open:
        raise PlanError(f"Tahun kinerja {year.year} sudah ditutup.")
    source = previous_year_plan(employee.id, year.year) if copy_previous else None
    if copy_previous and source is None:
        raise PlanError(f"Tidak ada SKP tahun {year.year - 1} untuk disalin.")
    start, end = rules.default_period(year.year)
    with db.atomic():
        skp = Skp(employee=employee.id, year=year.year, revision=1, status="draft",
                  approach=source.approach if source else approach, period_start=start, period_end=end)
        _snapshot_identity(skp, employee)
        skp.save()
        if source is not None:
            _copy_content(source, skp, keep_links=False)
        _decision(skp, "created", actor, f"Disalin dari SKP {year.year - 1}" if source else "")
        _audit(actor, "create", skp, f"SKP {year.year} {employee.full_name} dibuat"
               + (f" dari SKP {year.year - 1}" if source else ""),
               after=snapshot(skp, SKP_AUDIT_FIELDS))
    return skp


def open_revision(skp, actor, note: str):
    """Copy the approved revision into a new draft revision; the approved one stays in force."""
    with db.atomic():
        new = Skp(employee=skp.employee_id, year=skp.year_id, revision=skp.revision + 1,
                  previous=skp.id, status="draft", approach=skp.approach,
                  period_start=skp.period_start, period_end=skp.period_end, change_note=note)
        _snapshot_identity(new, Employee.get_by_id(skp.employee_id))
        new.save()
        _copy_content(skp, new, keep_links=True)
        _decision(new, "revision_opened", actor, note)
        _audit(actor, "revise", new, f"Revisi {new.revision} SKP {skp.year_id} dibuka: {note}"[:255],
               before=snapshot(skp, SKP_AUDIT_FIELDS), after=snapshot(new, SKP_AUDIT_FIELDS))
        owner = Employee.get_by_id(skp.employee_id)
        if actor.employee_id == owner.id:
            notify(skp.appraiser_id, f"{owner.full_name} membuka revisi {new.revision} SKP {skp.year_id}: "
                   f"{note}", skp_link(new.id))
        else:
            notify(owner.id, f"Revisi {new.revision} SKP {skp.year_id} Anda dibuka: {note}", skp_link(new.id))
    return new


def touch(skp) -> None:
    Skp.update(updated_at=utcnow()).where(Skp.id == skp.id).execute()


def set_approach(skp, approach: str, actor) -> None:
    with db.atomic():
        before = snapshot(skp, SKP_AUDIT_FIELDS)
        skp.approach = approach
        skp.updated_at = utcnow()
        skp.save(only=[Skp.approach, Skp.updated_at])
        _audit(actor, "update", skp, f"Pendekatan SKP diubah menjadi {skp.approach_label}",
               before=before, after=snapshot(skp, SKP_AUDIT_FIELDS))


def save_rhk(skp, rhk, kind: str, text: str, parent_id, indicators: list[dict], actor):
    """Create (rhk None) or update an RHK with its indicators, keeping indicator ids stable."""
    is_head = skp.appraiser_id is None
    with db.atomic():
        before = snapshot(rhk, RHK_AUDIT_FIELDS) if rhk is not None else None
        if rhk is None:
            last = (Rhk.select(fn.MAX(Rhk.order)).where((Rhk.skp == skp.id) & (Rhk.kind == kind)).scalar())
            rhk = Rhk(skp=skp.id, kind=kind, order=(last or 0) + 1)
        rhk.text = text.strip()
        if kind == "utama":
            rhk.parent = None if is_head else parent_id
            rhk.org_goal = parent_id if is_head else None
        else:
            rhk.parent = rhk.org_goal = None
        rhk.save()
        existing = list(Indicator.select().where(Indicator.rhk == rhk.id).order_by(Indicator.order, Indicator.id))
        for index, data in enumerate(indicators):
            row = existing[index] if index < len(existing) else Indicator(rhk=rhk.id)
            for name, value in data.items():
                setattr(row, name, value)
            row.order = index + 1
            row.save()
        if len(existing) > len(indicators):
            Indicator.delete().where(Indicator.id.in_([i.id for i in existing[len(indicators):]])).execute()
        touch(skp)
        AuditLog.record(actor, "update" if before else "create", "rhk", rhk.id,
                        f"RHK {rhk.kind_label} SKP {skp.year_id}: {rhk.text}"[:255],
                        before=before, after=dict(snapshot(rhk, RHK_AUDIT_FIELDS), indicators=[
                            {k: str(v) for k, v in d.items()} for d in indicators]),
                        unit=skp.unit_id)
    return rhk


def delete_rhk(skp, rhk, actor) -> None:
    with db.atomic():
        before = snapshot(rhk, RHK_AUDIT_FIELDS)
        rhk.delete_instance()
        _renumber(skp, rhk.kind)
        touch(skp)
        AuditLog.record(actor, "delete", "rhk", rhk.id, f"RHK {rhk.kind_label} dihapus: {rhk.text}"[:255],
                        before=before, unit=skp.unit_id)


def _renumber(skp, kind) -> None:
    for index, rhk_id in enumerate(Rhk.select(Rhk.id).where((Rhk.skp == skp.id) & (Rhk.kind == kind))
                                   .order_by(Rhk.order, Rhk.id).tuples(), 1):
        Rhk.update(order=index).where(Rhk.id == rhk_id[0]).execute()


def move_rhk(skp, rhk, step: int, actor) -> None:
    """Swap the RHK with its neighbour above (step -1) or below (+1) in its group."""
    ids = [r for (r,) in Rhk.select(Rhk.id).where((Rhk.skp == skp.id) & (Rhk.kind == rhk.kind))
           .order_by(Rhk.order, Rhk.id).tuples()]
    index = ids.index(rhk.id)
    other = index + step
    if not 0 <= other < len(ids):
        return
    ids[index], ids[other] = ids[other], ids[index]
    with db.atomic():
        for position, rhk_id in enumerate(ids, 1):
            Rhk.update(order=position).where(Rhk.id == rhk_id).execute()
        touch(skp)
        AuditLog.record(actor, "reorder", "rhk", rhk.id,
                        f"Urutan RHK {rhk.kind_label} diubah: {rhk.text}"[:255],
                        after={"order": ids}, unit=skp.unit_id)


def add_appendix_item(skp, section: str, text: str, actor):
    with db.atomic():
        last = (SkpAppendixItem.select(fn.MAX(SkpAppendixItem.order))
                .where((SkpAppendixItem.skp == skp.id) & (SkpAppendixItem.section == section)).scalar())
        item = SkpAppendixItem.create(skp=skp.id, section=section, text=text.strip(), order=(last or 0) + 1)
        touch(skp)
        AuditLog.record(actor, "create", "skp_appendix", item.id, f"Lampiran SKP: {item.text}"[:255],
                        after={"section": section, "text": item.text}, unit=skp.unit_id)
    return item


def delete_appendix_item(skp, item, actor) -> None:
    with db.atomic():
        item.delete_instance()
        touch(skp)
        AuditLog.record(actor, "delete", "skp_appendix", item.id, f"Lampiran SKP dihapus: {item.text}"[:255],
                        before={"section": item.section, "text": item.text}, unit=skp.unit_id)


def set_expectation(skp, value: str, text: str, actor):
    with db.atomic():
        row = BehaviourExpectation.get_or_none((BehaviourExpectation.skp == skp.id)
                                               & (BehaviourExpectation.value == value))
        before = {"special_expectation": row.special_expectation} if row else None
        if row is None:
            row = BehaviourExpectation(skp=skp.id, value=value)
        row.special_expectation = text.strip()
        row.updated_by = actor.id
        row.updated_at = utcnow()
        row.save()
        AuditLog.record(actor, "update", "skp_expectation", row.id,
                        f"Ekspektasi khusus pimpinan ({rules.CORE_VALUE_NAMES[value]}) SKP {skp.year_id}",
                        before=before, after={"special_expectation": row.special_expectation},
                        unit=skp.unit_id)
    return row


def set_appraiser(skp, appraiser, actor) -> None:
    """The admin's correction of one plan's Pejabat Penilai (None: the Kepala Daerah)."""
    with db.atomic():
        before = snapshot(skp, SKP_AUDIT_FIELDS)
        skp.appraiser = appraiser.id if appraiser else None
        position = (Position.get_or_none(Position.id == appraiser.position_id)
                    if appraiser and appraiser.position_id else None)
        unit = Unit.get_or_none(Unit.id == appraiser.unit_id) if appraiser and appraiser.unit_id else None
        skp.appraiser_position_name = position.name if position else ""
        skp.appraiser_unit_name = unit.name if unit else ""
        skp.save(only=[Skp.appraiser, Skp.appraiser_position_name, Skp.appraiser_unit_name])
        _audit(actor, "set_appraiser", skp, f"Pejabat Penilai SKP {skp.year_id} diganti: "
               f"{appraiser.full_name if appraiser else 'Kepala Daerah'}"[:255],
               before=before, after=snapshot(skp, SKP_AUDIT_FIELDS))


def submit(skp, actor) -> None:
    """Draft/Dikembalikan → Diajukan, with the Pejabat Penilai taken as they are now."""
    new_status = rules.next_status(skp.status, "submit")
    with db.atomic():
        before = snapshot(skp, SKP_AUDIT_FIELDS)
        owner = Employee.get_by_id(skp.employee_id)
        _snapshot_identity(skp, owner)
        skp.status = new_status
        skp.submitted_at = skp.updated_at = utcnow()
        skp.submitted_by = actor.id
        skp.save()
        _decision(skp, "submitted", actor)
        _audit(actor, "submit", skp, f"SKP {skp.year_id} revisi {skp.revision} diajukan",
               before=before, after=snapshot(skp, SKP_AUDIT_FIELDS))
        what = f"SKP {skp.year_id}" + (f" revisi {skp.revision}" if skp.revision > 1 else "")
        notify(skp.appraiser_id, f"{owner.full_name} mengajukan {what} untuk disetujui",
               skp_link(skp.id, review=True))


def decide(skp, actor, approve: bool, comment: str, rhk_comments: dict[int, str]) -> None:
    """Diajukan → Disetujui or Dikembalikan. Approving a revision supersedes the revision it
    replaces and moves the subordinates' links to the copies of its RHK."""
    new_status = rules.next_status(skp.status, "approve" if approve else "return")
    rhk_comments = {k: v.strip() for k, v in rhk_comments.items() if v and v.strip()}
    with db.atomic():
        before = snapshot(skp, SKP_AUDIT_FIELDS)
        skp.status = new_status
        skp.comment = comment.strip()
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
        _audit(actor, "approve" if approve else "return", skp,
               f"SKP {skp.year_id} revisi {skp.revision} {'disetujui' if approve else 'dikembalikan'}",
               before=before, after=dict(snapshot(skp, SKP_AUDIT_FIELDS),
                                         rhk_comments={str(k): v for k, v in rhk_comments.items()}))
        what = f"SKP {skp.year_id}" + (f" revisi {skp.revision}" if skp.revision > 1 else "")
        by = actor.employee.full_name if actor.employee_id else "Admin BKPSDM"
        notify(skp.employee_id, f"{what} Anda disetujui oleh {by}" if approve
               else f"{what} Anda dikembalikan oleh {by} untuk diperbaiki"
               + (f": {skp.comment}" if skp.comment else ""), skp_link(skp.id))


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


# --- Overview (the cascade is read in skp_cascade.py) ----------------------------------------

def latest_revisions(year: int):
    """Subquery: the newest revision number per employee for a year."""
    return (Skp.select(Skp.employee.alias("employee_id"), fn.MAX(Skp.revision).alias("revision"))
            .where(Skp.year == year).group_by(Skp.employee).alias("latest"))


def with_latest_plan(query, year: int):
    """Join an Employee query to each employee's newest SKP revision of the year (if any);
    the plan comes back as `employee.plan`."""
    latest = latest_revisions(year)
    Plan = Skp.alias("plan")
    return (query.switch(Employee)
            .join(latest, JOIN.LEFT_OUTER, on=(latest.c.employee_id == Employee.id))
            .switch(Employee)
            .join(Plan, JOIN.LEFT_OUTER,
                  on=((Plan.employee == Employee.id) & (Plan.year == year)
                      & (Plan.revision == latest.c.revision)), attr="plan")
            .select_extend(Plan.id, Plan.status, Plan.revision, Plan.submitted_at, Plan.decided_at)), Plan


def decision_counts(appraiser_id, year: int | None = None) -> dict:
    query = (Skp.select(Skp.status, fn.COUNT(Skp.id)).where(Skp.appraiser == appraiser_id)
             .group_by(Skp.status))
    if year is not None:
        query = query.where(Skp.year == year)
    return dict(query.tuples())
