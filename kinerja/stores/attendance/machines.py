"""The attendance machine's user ids mapped once to NIPs, for tap imports."""
from peewee import JOIN

from ...models import AuditLog, Employee, MachineUser, Unit, db
from ...rules import DomainError


def machine_users(scope) -> list:
    """The mapped ids of the admin's employees (everyone's for BKPSDM), with the employee."""
    query = (MachineUser.select(MachineUser, Employee)
             .join(Employee).join(Unit, JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
             .order_by(MachineUser.machine_id))
    if scope is not None:
        query = query.where(Unit.within(scope))
    return list(query)


def add_machine_user(actor, machine_id: str, nip: str, scope) -> MachineUser:
    with db.atomic():
        employee = (Employee.select(Employee, Unit).join(Unit, JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
                    .where(Employee.nip == nip).first())
        if employee is None:
            raise DomainError(f"NIP {nip} tidak terdaftar di Kinerja.", field="nip")
        if scope is not None and not (employee.unit_id and employee.unit.path.startswith(scope.path)):
            raise DomainError(f"NIP {nip} bukan pegawai {scope.name}.", field="nip")
        if MachineUser.get_or_none(MachineUser.machine_id == machine_id) is not None:
            raise DomainError(f"ID mesin {machine_id} sudah dipetakan.", field="machine_id")
        row = MachineUser.create(machine_id=machine_id, employee=employee.id, created_by=actor.id)
        AuditLog.record(actor, "create", "machine_user", row.id,
                        f"ID mesin {machine_id} → NIP {nip}",
                        after={"machine_id": machine_id, "employee": employee.id},
                        unit=employee.unit_id)
    return row


def remove_machine_user(actor, row_id: int, scope) -> None:
    with db.atomic():
        row = (MachineUser.select(MachineUser, Employee, Unit).join(Employee)
               .join(Unit, JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
               .where(MachineUser.id == row_id).first())
        if row is None or (scope is not None and not (
                row.employee.unit_id and row.employee.unit.path.startswith(scope.path))):
            raise DomainError("Pemetaan ID mesin ini tidak ditemukan.")
        row.delete_instance()
        AuditLog.record(actor, "delete", "machine_user", row_id,
                        f"ID mesin {row.machine_id} dihapus",
                        before={"machine_id": row.machine_id, "employee": row.employee_id},
                        unit=row.employee.unit_id)
