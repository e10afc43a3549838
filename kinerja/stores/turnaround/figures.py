"""Turnaround read from the service log: per kind, unit and handler against the standard.
A constant number of queries whatever the number of documents (the log, the standards, the
units' working calendars); the working days are counted in Python."""
import datetime
from collections import defaultdict
from dataclasses import dataclass

from ...models import Employee, ServiceRecord, ServiceStandard, Unit
from ...rules import calendar as calendar_rules
from ...rules import turnaround as rules
from ..calendar import calendars_for_units


@dataclass
class UnitFigures:
    total: rules.Figures
    by_kind: list     # (kind, SOP days, Figures)
    by_unit: list     # (Unit, Figures)
    by_handler: list  # (Employee, Figures)


def _bounds(start: datetime.date, end: datetime.date):
    return (datetime.datetime.combine(start, datetime.time()),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time()))


def _measured(query, start, end):
    """(record, days taken, SOP days) of the records finished in the period whose kind has a
    standard in its unit."""
    low, high = _bounds(start, end)
    records = list(query.where((ServiceRecord.finished_at >= low)
                               & (ServiceRecord.finished_at < high)))
    unit_ids = {r.unit_id for r in records}
    standards = {}
    if unit_ids:
        for s in ServiceStandard.select().where(ServiceStandard.unit.in_(list(unit_ids))):
            standards[(s.unit_id, s.kind.lower())] = s.sop_days
    # A document received late in the year before the period still meets that year's holidays.
    calendars = calendars_for_units(unit_ids, end.year, years=range(start.year - 1, end.year + 1)) \
        if unit_ids else {}
    measured = []
    for r in records:
        sop = standards.get((r.unit_id, r.kind.lower()))
        if sop is None:
            continue
        days = calendar_rules.working_days_between(calendars[r.unit_id], r.received_at.date(),
                                                   r.finished_at.date())
        measured.append((r, days, sop))
    return measured


def _grouped(measured, key) -> dict:
    groups = defaultdict(list)
    for record, days, sop in measured:
        groups[key(record, sop)].append((days, sop))
    return {k: rules.figures(v) for k, v in groups.items()}


def unit_figures(unit_id: int, start: datetime.date, end: datetime.date) -> UnitFigures | None:
    """The unit and its sub-units; None when no document was finished in the period."""
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        return None
    query = (ServiceRecord.select(ServiceRecord, Unit, Employee)
             .join(Unit, on=(ServiceRecord.unit == Unit.id))
             .switch(ServiceRecord).join(Employee, on=(ServiceRecord.handler == Employee.id))
             .where(Unit.path.startswith(unit.path)))
    measured = _measured(query, start, end)
    if not measured:
        return None
    units = {r.unit_id: r.unit for r, _, _ in measured}
    handlers = {r.handler_id: r.handler for r, _, _ in measured}
    by_kind = _grouped(measured, lambda r, sop: (r.kind, sop))
    by_unit = _grouped(measured, lambda r, sop: r.unit_id)
    by_handler = _grouped(measured, lambda r, sop: r.handler_id)
    return UnitFigures(
        total=rules.figures((d, s) for _, d, s in measured),
        by_kind=[(kind, sop, f) for (kind, sop), f in sorted(by_kind.items())],
        by_unit=sorted(((units[u], f) for u, f in by_unit.items()), key=lambda p: p[0].name),
        by_handler=sorted(((handlers[h], f) for h, f in by_handler.items()),
                          key=lambda p: p[0].name))


def handler_figures(employee_id: int, start: datetime.date, end: datetime.date):
    """(total, [(kind, SOP days, Figures)]) of the documents this employee finished in the
    period; None when there are none."""
    query = ServiceRecord.select().where(ServiceRecord.handler == employee_id)
    measured = _measured(query, start, end)
    if not measured:
        return None
    by_kind = _grouped(measured, lambda r, sop: (r.kind, sop))
    return (rules.figures((d, s) for _, d, s in measured),
            [(kind, sop, f) for (kind, sop), f in sorted(by_kind.items())])


def units_with_standards(scope_path: str | None) -> list[tuple]:
    """(Unit, kinds with a standard) of the units in scope that publish a standard."""
    query = (ServiceStandard.select(ServiceStandard, Unit)
             .join(Unit, on=(ServiceStandard.unit == Unit.id)))
    if scope_path is not None:
        query = query.where(Unit.path.startswith(scope_path))
    units, kinds = {}, defaultdict(int)
    for s in query:
        units[s.unit_id] = s.unit
        kinds[s.unit_id] += 1
    return sorted(((u, kinds[i]) for i, u in units.items()), key=lambda p: p[0].name)
