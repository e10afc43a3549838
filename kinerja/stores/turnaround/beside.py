"""The period's field evidence shown beside an evaluation: the employee's attendance,
complaints handled and documents finished, and for the head of a unit what the unit did.
Each part is None when its area holds no data for the period."""
import datetime
from dataclasses import dataclass

from ...models import Employee, Position, ServiceUnit, Unit
from ..attendance.figures import period_figures
from ..complaints import figures as complaint_figures
from . import figures


@dataclass
class FieldFacts:
    attendance: object | None           # rules.attendance.Figures over imported days
    complaints: object | None           # rules.complaints.Figures of complaints acted on
    turnaround: tuple | None            # handler_figures of the employee
    unit: Unit | None                   # the unit the employee heads
    unit_complaints: list               # (ServiceUnit, rules.complaints.Figures) with complaints
    unit_turnaround: figures.UnitFigures | None

    @property
    def any(self) -> bool:
        return any((self.attendance, self.complaints, self.turnaround, self.unit_complaints,
                    self.unit_turnaround))


def unit_headed_by(employee: Employee) -> Unit | None:
    """The unit whose top position the employee holds: a structural position with no
    superior, or whose superior sits outside the position's own unit (a kepala bidang under
    the kepala dinas). Two queries at most."""
    if employee is None or not employee.position_id:
        return None
    position = (Position.select(Position, Unit).join(Unit, on=(Position.unit == Unit.id))
                .where(Position.id == employee.position_id).first())
    if position is None or position.kind in ("fungsional", "pelaksana"):
        return None
    if position.parent_id:
        parent = Position.get_or_none(Position.id == position.parent_id)
        if parent is not None and parent.unit_id == position.unit_id:
            return None
    return position.unit


def _unit_complaints(headed: Unit, start, end) -> list:
    service_units = list(ServiceUnit.select().join(Unit)
                         .where(Unit.path.startswith(headed.path)).order_by(ServiceUnit.name))
    if not service_units:
        return []
    found = complaint_figures.units_figures([s.id for s in service_units], start, end)
    return [(s, found[s.id]) for s in service_units if found[s.id].received]


def field_facts(employee: Employee, start: datetime.date, end: datetime.date) -> FieldFacts:
    headed = unit_headed_by(employee)
    attendance = period_figures(employee.id, start, end)
    complaints = complaint_figures.handler_figures(employee.id, start, end)
    return FieldFacts(
        attendance=attendance if attendance.working_days else None,
        complaints=complaints if complaints.received else None,
        turnaround=figures.handler_figures(employee.id, start, end),
        unit=headed,
        unit_complaints=_unit_complaints(headed, start, end) if headed else [],
        unit_turnaround=figures.unit_figures(headed.id, start, end) if headed else None)
