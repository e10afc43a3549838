"""Look-ups into the demo regency shared by the organisation tests.

The models reconnect on their own, so tests read the database between requests directly.
"""
from kinerja.models import AuditLog, Employee, Position, Unit

from . import HX  # noqa: F401  (the org tests take it from here)


def unit(code: str) -> Unit:
    return Unit.get(Unit.code == code)


def position(name: str, unit_code: str | None = None) -> Position:
    query = Position.select().join(Unit).where(Position.name == name)
    if unit_code:
        query = query.where(Unit.code == unit_code)
    return query.get()


def holder(position_name: str, index: int = 0, unit_code: str | None = None) -> Employee:
    # Not .get(): it pages to the first row and would drop the offset.
    return (Employee.select().where(Employee.position == position(position_name, unit_code))
            .order_by(Employee.id))[index]


def fresh(instance):
    return type(instance).get_by_id(instance.id)


def audit_rows(entity: str, entity_id=None, action: str | None = None) -> list[AuditLog]:
    query = AuditLog.select().where(AuditLog.entity == entity)
    if entity_id is not None:
        query = query.where(AuditLog.entity_id == entity_id)
    if action:
        query = query.where(AuditLog.action == action)
    return list(query.order_by(AuditLog.id))


