"""The figures of complaints per unit and per handler over a period, and the short anonymised
list of complaints followed up, for the evaluation panel and the citizen-voice page.

Flagged complaints not yet reviewed are left out, as flagged SKM responses are."""
import datetime

from peewee import JOIN

from ... import clock
from ...models import Complaint, ComplaintDesk, ComplaintEvent, ServiceUnit, User
from ...rules import complaints as rules
from ..calendar import calendars_for_units

_FIELDS = (Complaint.received_on, Complaint.first_response_on, Complaint.resolved_on,
           ComplaintDesk.first_response_days, ComplaintDesk.resolution_days, ServiceUnit.unit,
           Complaint.service_unit, Complaint.id)


def _rows_of(tuples, start: datetime.date, end: datetime.date) -> list[tuple]:
    """The rules' rows, each with its unit's working calendar (three queries for all)."""
    tuples = list(tuples)
    cals = calendars_for_units({r[5] for r in tuples}, start.year,
                               years=list(range(start.year, end.year + 2)))
    return [(r[0], r[1], r[2], r[3] or rules.DEFAULT_FIRST_RESPONSE_DAYS,
             r[4] or rules.DEFAULT_RESOLUTION_DAYS, cals.get(r[5], cals[None])) for r in tuples]


def _base(start: datetime.date, end: datetime.date):
    return (Complaint.select(*_FIELDS)
            .join(ServiceUnit, on=(Complaint.service_unit == ServiceUnit.id))
            .switch(Complaint)
            .join(ComplaintDesk, join_type=JOIN.LEFT_OUTER,
                  on=(ComplaintDesk.service_unit == Complaint.service_unit))
            .where((Complaint.received_on >= start) & (Complaint.received_on <= end)
                   & ~Complaint.flagged))


def unit_figures(unit_id, start: datetime.date, end: datetime.date) -> rules.Figures:
    """Figures of the complaints a service unit received (or was forwarded) in [start, end]."""
    return units_figures([unit_id], start, end)[unit_id]


def units_figures(unit_ids, start: datetime.date, end: datetime.date) -> dict:
    """{service unit id: Figures} for several units, in four queries whatever their number."""
    by_unit = {unit_id: [] for unit_id in unit_ids}
    query = _base(start, end).where(Complaint.service_unit.in_(list(unit_ids) or [0]))
    rows = list(query.tuples())
    for row, raw in zip(_rows_of(rows, start, end), rows):
        by_unit.setdefault(raw[6], []).append(row)
    today = clock.today()
    return {unit_id: rules.figures(found, today) for unit_id, found in by_unit.items()}


def handler_figures(employee_id, start: datetime.date, end: datetime.date) -> rules.Figures:
    """Figures of the complaints a handler acted on: those with a step taken by their account."""
    return handlers_figures([employee_id], start, end)[employee_id]


def handlers_figures(employee_ids, start: datetime.date, end: datetime.date) -> dict:
    """{employee id: Figures} for several handlers, in five queries whatever their number."""
    acted = list(ComplaintEvent.select(ComplaintEvent.complaint, User.employee).distinct()
                 .join(User, on=(ComplaintEvent.actor == User.id))
                 .where(User.employee.in_(list(employee_ids) or [0])).tuples())
    complaint_ids = {complaint_id for complaint_id, _ in acted}
    rows = list(_base(start, end).where(Complaint.id.in_(list(complaint_ids) or [0])).tuples())
    by_id = {raw[7]: row for row, raw in zip(_rows_of(rows, start, end), rows)}
    by_handler = {employee_id: [] for employee_id in employee_ids}
    for complaint_id, employee_id in acted:
        if complaint_id in by_id:
            by_handler[employee_id].append(by_id[complaint_id])
    today = clock.today()
    return {employee_id: rules.figures(found, today) for employee_id, found in by_handler.items()}


def followed_up(unit_id, limit: int = 10) -> list[dict]:
    """Answered or closed complaints of a service unit, newest first, without any name or
    contact: what was complained about (shortened), when, and what the unit answered."""
    rows = (Complaint.select(Complaint.what, Complaint.received_on, Complaint.resolved_on,
                             Complaint.answer, Complaint.state, ServiceUnit.name.alias("unit"))
            .join(ServiceUnit, on=(Complaint.service_unit == ServiceUnit.id))
            .where((Complaint.service_unit == unit_id) & Complaint.state.in_(("dijawab", "selesai"))
                   & ~Complaint.flagged)
            .order_by(Complaint.resolved_on.desc(), Complaint.id.desc()).limit(limit).dicts())
    return [dict(what=_short(r["what"]), received_on=r["received_on"], resolved_on=r["resolved_on"],
                 answer=_short(r["answer"], 200), state=r["state"], unit=r["unit"]) for r in rows]


def _short(text: str, limit: int = 120) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"
