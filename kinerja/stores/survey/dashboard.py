"""The staff dashboard: every service unit in scope with its current figures and what waits
for staff, in a fixed number of queries."""
import datetime
from dataclasses import dataclass

from . import stats as survey_stats
from .review import flagged_count, flagged_counts
from .suggestions import open_suggestion_counts
from .units import service_unit_ids, service_units
from ...models import ServiceUnit, Unit
from ...paging import Page
from ...rules import ikm

PER_PAGE = 50


@dataclass
class DashboardRow:
    su: ServiceUnit
    stats: survey_stats.PeriodStats | None     # of the current period
    flagged: int
    open_suggestions: int


def page(scope: Unit | None, today: datetime.date, weight: ikm.Weight, number: int,
         per_page: int = PER_PAGE) -> tuple[Page, int]:
    """(one page of the service units in scope, each with its current period and figures,
    flagged responses waiting and open suggestions; the flagged responses waiting in the
    whole scope). A fixed number of queries whatever the number of units: a province has
    hundreds; their ids are read in order, and only the page's rows are drawn and counted."""
    ids = service_unit_ids(scope)

    def shown(page_ids):
        units = list(service_units(None).where(ServiceUnit.id.in_(page_ids))) if page_ids else []
        return _rows(units, today, weight, flagged_counts(page_ids))
    return Page.of_keys(ids, number, per_page, shown), flagged_count(scope)


def rows(scope: Unit | None, today: datetime.date, weight: ikm.Weight) -> list[DashboardRow]:
    """Every service unit in scope with its figures: one OPD's few, on its head's Beranda."""
    units = list(service_units(scope))
    return _rows(units, today, weight, flagged_counts([su.id for su in units]))


def open_suggestions(scope: Unit | None) -> int:
    """The suggestions not yet done in the whole scope, without drawing a row per unit."""
    return sum(open_suggestion_counts(service_unit_ids(scope)).values())


def _rows(units: list, today: datetime.date, weight: ikm.Weight, flagged_by_unit: dict) -> list:
    ids = [su.id for su in units]
    # One period per unit, chosen in SQL: a province's units have thousands between them.
    current = {p.service_unit_id: p for p in survey_stats.current_periods(today, ids)} if ids else {}
    tallies = survey_stats.period_tallies(list(current.values()))
    open_by_unit = open_suggestion_counts(ids)
    rows = []
    for su in units:
        period = current.get(su.id)
        stats = None
        if period is not None:
            tally = tallies.get(period.id, ikm.Tally())
            stats = survey_stats.PeriodStats(period, tally, weight)
        rows.append(DashboardRow(su, stats, flagged_by_unit.get(su.id, 0),
                                 open_by_unit.get(su.id, 0)))
    return rows
