"""Past imports, read from the audit row each confirmed import writes."""
from peewee import JOIN

from ...models import AuditLog, Employee, User

RECENT = 10


def _imports():
    return AuditLog.select().where((AuditLog.action == "import") & (AuditLog.entity == "import"))


def recent_imports(owner_id: int | None) -> list:
    """The latest imports with who made them: everyone's (None) or one admin's."""
    query = (_imports().select_extend(User)
             .join(User, JOIN.LEFT_OUTER, on=(AuditLog.actor == User.id)))
    if owner_id is not None:
        query = query.where(AuditLog.actor == owner_id)
    return list(query.order_by(AuditLog.id.desc()).limit(RECENT))


def import_record(import_id: int, owner_id: int | None) -> AuditLog | None:
    record = _imports().where(AuditLog.id == import_id).first()
    if record is None or (owner_id is not None and record.actor_id != owner_id):
        return None
    return record


def newcomers(record: AuditLog) -> list:
    """The first employees the import created, with position and unit."""
    nips = record.after_dict().get("new_nips", [])
    if not nips:
        return []
    return list(Employee.with_org().where(Employee.nip.in_(nips)).order_by(Employee.name))
