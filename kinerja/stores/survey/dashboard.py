"""The staff dashboard: every service unit in scope with its current figures and what waits
for staff, in a fixed number of queries."""
import datetime
from dataclasses import dataclass

from . import stats as survey_stats
from .review import flagged_counts
from .suggestions import open_suggestion_counts
from .units import service_units
from ...models import ServiceUnit, Unit
from ...rules import ikm


@dataclass
class DashboardRow:
    su: ServiceUnit
    stats: survey_stats.PeriodStats | None     # of the current period
    flagged: int
    open_suggestions: int


def rows(scope: Unit | None, today: datetime.date, weight: ikm.Weight) -> list[DashboardRow]:
    """Per service unit in scope: current period and its figures, flagged responses waiting,
    open suggestions. Six queries whatever the number of units."""
    units = list(service_units(scope))
    ids = [su.id for su in units]
    # One period per unit, chosen in SQL: a province's units have thousands between them.
    current = {p.service_unit_id: p for p in survey_stats.current_periods(today, ids)} if ids else {}
    tallies = survey_stats.period_tallies(list(current.values()))
    flagged_by_unit = flagged_counts(ids)
    open_by_unit = open_suggestion_counts(ids)
    rows = []
    for su in units:
        period = current.get(su.id)
        stats = None
        if period is not None:
            tally = tallies.get(period.id, ikm.Tally())
            stats = survey_stats.PeriodStats(period, tally, tally.result(weight))
        rows.append(DashboardRow(su, stats, flagged_by_unit.get(su.id, 0),
                                 open_by_unit.get(su.id, 0)))
    return rows
