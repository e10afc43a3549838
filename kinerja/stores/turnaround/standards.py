"""A unit's service standard: the SOP days of each kind of document it issues."""
from ...models import AuditLog, ServiceStandard, db, utcnow
from ...rules import DomainError
from ...rules import turnaround as rules


def standards_of(unit_id: int) -> list[ServiceStandard]:
    return list(ServiceStandard.select().where(ServiceStandard.unit == unit_id)
                .order_by(ServiceStandard.kind))


def save_standard(actor, unit, kind: str, sop_days: int) -> ServiceStandard:
    """Adds a kind, or changes its SOP days when the kind (in any letter case) is known."""
    try:
        kind = rules.parse_kind(kind)
    except ValueError as exc:
        raise DomainError(f"Jenis dokumen {exc}.", field="kind") from None
    if not 0 <= sop_days <= rules.MAX_SOP_DAYS:
        raise DomainError(f"Standar harus antara 0 dan {rules.MAX_SOP_DAYS} hari kerja.",
                          field="sop_days")
    with db.atomic():
        existing = {s.kind.lower(): s for s in standards_of(unit.id)}
        standard = existing.get(kind.lower())
        before = {"kind": standard.kind, "sop_days": standard.sop_days} if standard else None
        if standard is None:
            standard = ServiceStandard.create(unit=unit.id, kind=kind, sop_days=sop_days,
                                              updated_by=actor.id, updated_at=utcnow())
        else:
            standard.sop_days, standard.updated_by, standard.updated_at = \
                sop_days, actor.id, utcnow()
            standard.save()
        AuditLog.record(actor, "update" if before else "create", "service_standard", standard.id,
                        f"Standar pelayanan {unit.name}: {standard.kind} {sop_days} hari kerja",
                        before=before, after={"kind": standard.kind, "sop_days": sop_days},
                        unit=unit.id)
    return standard
