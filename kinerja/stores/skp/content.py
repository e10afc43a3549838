"""The owner's edits of a draft or returned plan (approach, RHK with indicators, appendix)
and the Pejabat Penilai's expectations. Each edit re-reads the plan in its transaction and
asks the rule again: a plan submitted in another tab is not changed behind its reviewer."""
from peewee import fn

from ...models import (
    AuditLog, BehaviourExpectation, Indicator, Rhk, Skp, SkpAppendixItem, db, snapshot, utcnow,
)
from ...rules import DomainError
from ...rules import skp as rules
from .plans import recheck
from .workflow import SKP_AUDIT_FIELDS, audit

RHK_AUDIT_FIELDS = ["kind", "text", "parent", "org_goal", "order"]


def _touch(skp) -> None:
    Skp.update(updated_at=utcnow()).where(Skp.id == skp.id).execute()


def _rhk(skp, rhk_id):
    rhk = Rhk.get_or_none((Rhk.id == rhk_id) & (Rhk.skp == skp.id))
    if rhk is None:
        raise DomainError("RHK ini sudah dihapus.")
    return rhk


def set_approach(skp_id, approach: str, actor):
    """Returns the plan with its approach."""
    with db.atomic():
        skp, _ = recheck(skp_id, "edit", actor)
        if approach == skp.approach:
            return skp
        before = snapshot(skp, SKP_AUDIT_FIELDS)
        skp.approach = approach
        skp.updated_at = utcnow()
        skp.save(only=[Skp.approach, Skp.updated_at])
        audit(actor, "update", skp, f"Pendekatan SKP diubah menjadi {skp.approach_label}",
              before=before, after=snapshot(skp, SKP_AUDIT_FIELDS))
    return skp


def save_rhk(skp_id, rhk_id, kind: str, text: str, parent_id, indicators: list[dict], actor):
    """Create (rhk_id None) or update an RHK with its indicators, keeping indicator ids stable."""
    with db.atomic():
        skp, _ = recheck(skp_id, "edit", actor)
        is_head = skp.appraiser_id is None
        rhk = _rhk(skp, rhk_id) if rhk_id is not None else None
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
        _touch(skp)
        AuditLog.record(actor, "update" if before else "create", "rhk", rhk.id,
                        f"RHK {rhk.kind_label} SKP {skp.year_id}: {rhk.text}"[:255],
                        before=before, after=dict(snapshot(rhk, RHK_AUDIT_FIELDS), indicators=[
                            {k: str(v) for k, v in d.items()} for d in indicators]),
                        unit=skp.unit_id)
    return rhk


def delete_rhk(skp_id, rhk_id, actor) -> None:
    with db.atomic():
        skp, _ = recheck(skp_id, "edit", actor)
        rhk = _rhk(skp, rhk_id)
        before = snapshot(rhk, RHK_AUDIT_FIELDS)
        rhk.delete_instance()
        _renumber(skp, rhk.kind)
        _touch(skp)
        AuditLog.record(actor, "delete", "rhk", rhk.id, f"RHK {rhk.kind_label} dihapus: {rhk.text}"[:255],
                        before=before, unit=skp.unit_id)


def _renumber(skp, kind) -> None:
    for index, rhk_id in enumerate(Rhk.select(Rhk.id).where((Rhk.skp == skp.id) & (Rhk.kind == kind))
                                   .order_by(Rhk.order, Rhk.id).tuples(), 1):
        Rhk.update(order=index).where(Rhk.id == rhk_id[0]).execute()


def move_rhk(skp_id, rhk_id, step: int, actor) -> None:
    """Swap the RHK with its neighbour above (step -1) or below (+1) in its group."""
    with db.atomic():
        skp, _ = recheck(skp_id, "edit", actor)
        rhk = _rhk(skp, rhk_id)
        ids = [r for (r,) in Rhk.select(Rhk.id).where((Rhk.skp == skp.id) & (Rhk.kind == rhk.kind))
               .order_by(Rhk.order, Rhk.id).tuples()]
        index = ids.index(rhk.id)
        other = index + step
        if not 0 <= other < len(ids):
            return
        ids[index], ids[other] = ids[other], ids[index]
        for position, moved_id in enumerate(ids, 1):
            Rhk.update(order=position).where(Rhk.id == moved_id).execute()
        _touch(skp)
        AuditLog.record(actor, "reorder", "rhk", rhk.id,
                        f"Urutan RHK {rhk.kind_label} diubah: {rhk.text}"[:255],
                        after={"order": ids}, unit=skp.unit_id)


def add_appendix_item(skp_id, section: str, text: str, actor):
    with db.atomic():
        skp, _ = recheck(skp_id, "edit", actor)
        last = (SkpAppendixItem.select(fn.MAX(SkpAppendixItem.order))
                .where((SkpAppendixItem.skp == skp.id) & (SkpAppendixItem.section == section)).scalar())
        item = SkpAppendixItem.create(skp=skp.id, section=section, text=text.strip(), order=(last or 0) + 1)
        _touch(skp)
        AuditLog.record(actor, "create", "skp_appendix", item.id, f"Lampiran SKP: {item.text}"[:255],
                        after={"section": section, "text": item.text}, unit=skp.unit_id)
    return item


def delete_appendix_item(skp_id, item_id, actor) -> None:
    with db.atomic():
        skp, _ = recheck(skp_id, "edit", actor)
        item = SkpAppendixItem.get_or_none((SkpAppendixItem.id == item_id) & (SkpAppendixItem.skp == skp.id))
        if item is None:
            raise DomainError("Lampiran ini sudah dihapus.")
        item.delete_instance()
        _touch(skp)
        AuditLog.record(actor, "delete", "skp_appendix", item.id, f"Lampiran SKP dihapus: {item.text}"[:255],
                        before={"section": item.section, "text": item.text}, unit=skp.unit_id)


def set_expectation(skp_id, value: str, text: str, actor):
    with db.atomic():
        skp, _ = recheck(skp_id, "expect", actor)
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
