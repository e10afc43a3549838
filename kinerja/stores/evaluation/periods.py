"""The years and periods of evaluation: a year's settings, the periods they give, and the
period a page or a parameter names."""
import datetime

from ... import memo
from ...models import PerformanceYear
from ...rules import evaluation as rules


def year_settings(year: int) -> tuple[str, int]:
    """(evaluation cadence, objection window in days) of a performance year.

    Kept for the rest of the request: a page asks for them once per period list, form
    and deadline, and each ask was a query."""
    cache = memo.remembered("year_settings")
    if year not in cache:
        row = PerformanceYear.get_or_none(PerformanceYear.year == year)
        if row is None:
            cache[year] = rules.DEFAULT_CADENCE, 14
        else:
            cadence = (row.evaluation_cadence if row.evaluation_cadence in rules.CADENCES
                       else rules.DEFAULT_CADENCE)
            cache[year] = cadence, max(0, row.objection_days)
    return cache[year]


def chosen_year(raw, today: datetime.date) -> int:
    """?tahun=… when it is a plausible year, else the current performance year."""
    try:
        year = int(raw)
        if 2000 <= year <= 2100:
            return year
    except (TypeError, ValueError):
        pass
    row = PerformanceYear.for_date(today)
    return row.year if row else today.year


def chosen_period(raw, year: int, today: datetime.date) -> tuple[str, int]:
    """(kind, number) of ?periode=…, else the last period that has ended."""
    cadence, _ = year_settings(year)
    return rules.chosen_period(raw, year, cadence, today)


def year_periods(year: int, skp=None) -> list[rules.Period]:
    """The year's periodic periods and the annual one, clipped to the SKP's dates."""
    cadence, _ = year_settings(year)
    result = rules.periods(year, cadence) + [rules.annual_period(year)]
    if skp is not None:
        result = [p for p in (rules.clip(p, skp.period_start, skp.period_end) for p in result) if p]
    return result


def period_choices(year: int) -> list[tuple[str, str]]:
    """(?periode= value, label) of every period of the year, the annual one last."""
    return [(p.param, p.label) for p in year_periods(year)]


def find_period(year: int, slug: str, number: int, skp=None) -> rules.Period | None:
    cadence, _ = year_settings(year)
    kind = rules.KIND_OF_SLUG.get(slug)
    period = rules.find_period(year, cadence, kind, number) if kind else None
    if period is not None and skp is not None:
        period = rules.clip(period, skp.period_start, skp.period_end)
    return period


def period_or_annual(year: int, kind: str, number: int) -> rules.Period:
    """The (whole) period of that kind and number, else the year's annual one."""
    cadence, _ = year_settings(year)
    return rules.find_period(year, cadence, kind, number) or rules.annual_period(year)


def fill_opens(period: rules.Period) -> datetime.date:
    """The first day the evaluation of a (whole, unclipped) period may be filled in."""
    cadence, _ = year_settings(period.year)
    return rules.fill_opens(period, cadence)


def period_of(evaluation) -> rules.Period:
    """The period of an evaluation, with its own (possibly clipped) dates."""
    found = find_period(evaluation.year, rules.SLUGS.get(evaluation.kind, ""), evaluation.number)
    label = found.label if found else str(evaluation.year)
    return rules.Period(evaluation.kind, evaluation.year, evaluation.number, evaluation.starts,
                        evaluation.ends, label)
