"""Figures of the SKM: the database adds up the answers, `rules.ikm` turns sums into the IKM.

Responses are never loaded into Python. Filters (a service unit, an OPD and its sub-units,
the whole regency) become a set of periods; tallies of several periods are then added up
in Python (a handful of numbers each), e.g. per OPD or per year.

Where the sums come from — not from Python code: on SQLite, three SQL triggers on
`survey_response` (survey_tally_after_insert, _after_delete and _after_update, created by
kinerja/migrations/0005_survey_public.py, which also filled the table once) keep the
table `survey_tally` (model SurveyTally): one row per (period, status) holding the number
of responses and, per element u1…u9, the sum of the answers (s1…s9) and how many answered
it (c1…c9). Responses without a single answer are left out. The triggers run inside the
transaction of every INSERT, UPDATE (of period, status or an answer) and DELETE of a
response, whoever makes it — intake.record, paper.save_paper and the import, review.decide,
a migration or a hand-written SQL statement — so the tally is never behind, and no Python
code writes it. A figure is then a few rows read however many responses there are.

On PostgreSQL one PL/pgSQL trigger (survey_tally_keep, created by
kinerja/migrations/0013_postgresql_triggers.py, which also filled the table) keeps the same
table by the same rules. On any other database there is no trigger and the table stays
empty: one aggregate query sums u1…u9 per period and status over the covering index
(period, status, u1…u9); so does a figure of one service, which the tally does not split.
"""
import datetime
import operator
from dataclasses import dataclass
from functools import cached_property, reduce

from peewee import SQL, PostgresqlDatabase, SelectBase, SqliteDatabase, fn

from ...models import (
    Service, ServiceUnit, Setting, SurveyPeriod, SurveyResponse, SurveyTally, Unit, db,
)
from ...paging import Page
from ..written_once import select as select_once
from ...rules import ikm
from ...rules.survey_periods import period_label

WEIGHT_SETTING = "ikm_weight"
QUESTION_SETTING = "skm_question_{code}"   # the regency's wording of an element's question


def current_weight() -> ikm.Weight:
    return ikm.weight_for(Setting.get_value(WEIGHT_SETTING, ikm.DEFAULT_WEIGHT))


def elements() -> tuple[ikm.Element, ...]:
    """The nine elements with the regency's wording of the questions (one query)."""
    keys = {QUESTION_SETTING.format(code=c): c for c in ikm.ELEMENT_CODES}
    rows = Setting.select().where(Setting.key.in_(list(keys)))
    return ikm.with_questions({keys[row.key]: row.value for row in rows})


# --- The aggregate -----------------------------------------------------------------

_R = SurveyResponse
_ANSWERED = reduce(operator.or_, [getattr(_R, c).is_null(False) for c in ikm.ELEMENT_CODES])
_SUMS = [agg(getattr(_R, c)) for c in ikm.ELEMENT_CODES for agg in (fn.SUM, fn.COUNT)]


def period_tallies(periods, service: Service | int | None = None) -> dict[int, ikm.Tally]:
    """{period id: Tally} for the given periods (ids, SurveyPeriod rows or a query of ids).

    Valid responses feed the sums; flagged and rejected ones are only counted. A response
    without a single answer is not a response and is left out altogether.
    """
    if not isinstance(periods, SelectBase):
        periods = [getattr(p, "id", p) for p in periods]
        if not periods:
            return {}
    if service is None and tally_is_kept():
        return _from_tally(periods)
    return _from_responses(periods, service)


def tally_is_kept() -> bool:
    """The triggers of migrations 0005 (SQLite) and 0013 (PostgreSQL) keep the tally."""
    return isinstance(db.obj, (SqliteDatabase, PostgresqlDatabase))


def _add(result: dict, period_id: int, status: str, count: int, aggregates) -> None:
    tally = result.setdefault(period_id, ikm.Tally())
    if status == "valid":
        tally.respondents += count
        for index, code in enumerate(ikm.ELEMENT_CODES):
            tally.sums[code] += aggregates[2 * index] or 0
            tally.counts[code] += aggregates[2 * index + 1] or 0
    elif status == "flagged":
        tally.flagged += count
    else:
        tally.rejected += count


_T = SurveyTally
_TALLY_COLUMNS = [getattr(_T, f"{kind}{i}") for i in range(1, 10) for kind in ("s", "c")]


def _from_tally(periods) -> dict[int, ikm.Tally]:
    result: dict[int, ikm.Tally] = {}
    query = (_T.select(_T.period, _T.status, _T.responses, *_TALLY_COLUMNS)
             .where(_T.period.in_(periods) & (_T.responses > 0)).tuples())
    for period_id, status, count, *aggregates in query:
        _add(result, period_id, status, count, aggregates)
    return result


def _from_responses(periods, service=None) -> dict[int, ikm.Tally]:
    where = _R.period.in_(periods) & _ANSWERED
    if service is not None:
        where &= _R.service == getattr(service, "id", service)
    query = (_R.select(_R.period, _R.status, fn.COUNT(SQL("*")), *_SUMS)
             .where(where).group_by(_R.period, _R.status).tuples())
    result: dict[int, ikm.Tally] = {}
    for period_id, status, count, *aggregates in query:
        _add(result, period_id, status, count, aggregates)
    return result


def periods_of(service_unit=None, unit: Unit | None = None, year: int | None = None):
    """A query of SurveyPeriod ids: of one service unit, of the service units of an OPD
    (or any unit) and its sub-units, or of the whole regency; optionally of one year."""
    query = SurveyPeriod.select(SurveyPeriod.id)
    if service_unit is not None:
        query = query.where(SurveyPeriod.service_unit == getattr(service_unit, "id", service_unit))
    if unit is not None:
        units = Unit.select(Unit.id).where(Unit.within(unit))
        query = query.where(SurveyPeriod.service_unit.in_(
            ServiceUnit.select(ServiceUnit.id).where(ServiceUnit.unit.in_(units))))
    if year is not None:
        query = query.where(SurveyPeriod.year == year)
    return query


def total(periods, service=None) -> ikm.Tally:
    """One tally over all the given periods (e.g. an OPD's year: periods_of(unit=…, year=…)).
    Where the tally is kept the database adds the periods' rows up: a province's current
    periods are 600, and reading their rows into Python took 40 ms."""
    if service is not None or not tally_is_kept():
        return sum(period_tallies(periods, service).values(), ikm.Tally())
    if not isinstance(periods, SelectBase):
        periods = [getattr(p, "id", p) for p in periods]
        if not periods:
            return ikm.Tally()
    return _summed(_sums(periods))


def _sums(periods):
    return (_T.select(_T.status, fn.SUM(_T.responses), *[fn.SUM(c) for c in _TALLY_COLUMNS])
            .where(_T.period.in_(periods)).group_by(_T.status).tuples())


def _current_sums(day):
    """The tally of every active unit's current period on `day`: composed once per process
    (written_once), as composing it takes peewee longer than SQLite takes to run it."""
    query, current = _current(day)
    return _sums(query.select(current.id))


def _summed(rows) -> ikm.Tally:
    summed: dict[int, ikm.Tally] = {}
    for status, count, *aggregates in rows:
        _add(summed, 0, status, int(count or 0), [int(a or 0) for a in aggregates])
    return summed.get(0, ikm.Tally())


def tallies_by_year(service_unit=None, unit: Unit | None = None) -> dict[int, ikm.Tally]:
    """{year: Tally}, for the trend of an OPD or the regency, whose units' periods differ."""
    years = dict(SurveyPeriod.select(SurveyPeriod.id, SurveyPeriod.year)
                 .where(SurveyPeriod.id.in_(periods_of(service_unit, unit))).tuples())
    result: dict[int, ikm.Tally] = {}
    for period_id, tally in period_tallies(list(years)).items():
        result[years[period_id]] = result.get(years[period_id], ikm.Tally()) + tally
    return dict(sorted(result.items()))


# --- Results of a period ---------------------------------------------------------------

@dataclass
class PeriodStats:
    period: SurveyPeriod
    tally: ikm.Tally
    weight: ikm.Weight
    elements: tuple = ikm.ELEMENTS

    @cached_property
    def result(self) -> ikm.IkmResult:
        """The IKM, worked out when shown: a province's overview holds hundreds of units and
        draws a page of them."""
        return self.tally.result(self.weight, self.elements)

    @property
    def label(self) -> str:
        return period_label(self.period.kind, self.period.year, self.period.number)

    @cached_property
    def minimum(self) -> int | None:
        """Minimum sample (Krejcie & Morgan) when the population N is known."""
        population = self.period.population
        return ikm.sample_size(population) if population and population > 0 else None

    @property
    def representative(self) -> bool | None:
        return None if self.minimum is None else self.result.respondents >= self.minimum


def current_period(periods, today: datetime.date):
    """The open period (the latest, should there be several), else the latest that has begun."""
    started = [p for p in periods if p.starts <= today]
    open_ = [p for p in periods if p.is_open]
    pool = open_ or started
    return max(pool, key=lambda p: p.starts) if pool else None


def current_periods(today: datetime.date, service_unit_ids=None):
    """Each active service unit's current period (as `current_period`), or each of the given
    units', active or not; chosen in SQL so that only one period per unit is read."""
    query, current = _current(today, service_unit_ids)
    return query.objects(current)


def _current(today: datetime.date, service_unit_ids=None):
    # From the units: the subquery then runs once per unit rather than once per period.
    best = (SurveyPeriod.select(SurveyPeriod.id)
            .where((SurveyPeriod.service_unit == ServiceUnit.id)
                   & (SurveyPeriod.is_open | (SurveyPeriod.starts <= today)))
            .order_by(SurveyPeriod.is_open.desc(), SurveyPeriod.starts.desc()).limit(1))
    current = SurveyPeriod.alias()
    query = ServiceUnit.select(current).join(current, on=(current.id == best))
    query = query.where(ServiceUnit.active if service_unit_ids is None
                        else ServiceUnit.id.in_(list(service_unit_ids)))
    return query, current


def unit_history(service_unit: ServiceUnit, weight: ikm.Weight | None = None,
                 elements_: tuple[ikm.Element, ...] = ikm.ELEMENTS,
                 service=None) -> list[PeriodStats]:
    """Every period of a service unit, newest first, with its figures: two queries."""
    weight = weight or current_weight()
    periods = list(SurveyPeriod.select().where(SurveyPeriod.service_unit == service_unit)
                   .order_by(SurveyPeriod.starts.desc()))
    tallies = period_tallies(periods, service)
    history = []
    for period in periods:
        tally = tallies.get(period.id, ikm.Tally())
        history.append(PeriodStats(period, tally, weight, elements_))
    return history


# --- The regency overview ---------------------------------------------------------------

@dataclass
class UnitRow:
    service_unit: ServiceUnit
    stats: PeriodStats | None     # None: no period has begun yet


@dataclass
class OpdRow:
    opd: tuple              # the OPD's id, code and name
    rows: list[UnitRow]
    tally: ikm.Tally
    weight: ikm.Weight

    @cached_property
    def result(self) -> ikm.IkmResult:
        """The OPD's IKM over its units' responses pooled (worked out when shown)."""
        return self.tally.result(self.weight)


@dataclass
class Overview:
    listing: Page           # a page of OPDs, each an OpdRow
    result: ikm.IkmResult   # every active unit's current period, pooled
    weight: ikm.Weight
    flagged: int
    units: int              # active service units


def overview(today: datetime.date, weight: ikm.Weight | None = None, page: int = 1,
             per_page: int = 20) -> Overview:
    """The regency's (or province's) IKM over every active service unit in its current
    period, pooled, and one page of OPDs with their units' and their own IKM. Only the
    page's units are read whole: a province has hundreds of OPDs and 600 units, and
    building every one of them took most of this page's time. A fixed number of queries."""
    weight = weight or current_weight()
    placed = list(ServiceUnit.select(ServiceUnit.id, Unit.id, Unit.path).join(Unit)
                  .where(ServiceUnit.active).tuples())
    by_opd: dict[int, list[int]] = {}
    for su_id, unit_id, path in placed:
        # As Unit.opd_id, from the path: no unit row is built.
        by_opd.setdefault((Unit.path_ids(path) or [unit_id])[0], []).append(su_id)
    opds = {row.id: row for row in Unit.select(Unit.id, Unit.code, Unit.name)
            .where(Unit.id.in_(list(by_opd))).namedtuples()} if by_opd else {}
    order = sorted(by_opd, key=lambda opd_id: opds[opd_id].name)
    # A regency's OPDs fit on one page: the page reads every active unit, and the
    # regency's IKM pools what it shows.
    one_page = len(order) <= per_page
    listing = Page.of_keys(order, page, per_page, lambda shown: _opd_rows(
        shown, opds, None if one_page else by_opd, today, weight))
    if one_page:
        regency = sum((row.tally for row in listing.items), ikm.Tally())
    elif tally_is_kept():
        regency = _summed(select_once(_current_sums, today))
    else:
        query, current = _current(today)
        regency = total(query.select(current.id))
    return Overview(listing, regency.result(weight), weight, regency.flagged, len(placed))


def _opd_rows(opd_ids: list[int], opds: dict, by_opd: dict | None, today: datetime.date,
              weight: ikm.Weight) -> list[OpdRow]:
    """The OPDs' rows: of their units in `by_opd`, or of every active unit when None."""
    if by_opd is None:
        su_ids, shown = None, ServiceUnit.active
    else:
        su_ids = [su_id for opd_id in opd_ids for su_id in by_opd[opd_id]]
        shown = ServiceUnit.id.in_(su_ids)
    if not opd_ids:
        return []
    current = {p.service_unit_id: p for p in current_periods(today, su_ids)}
    tallies = period_tallies(list(current.values()))
    grouped: dict[int, list[UnitRow]] = {}
    for su in (ServiceUnit.select(ServiceUnit, Unit).join(Unit).where(shown)
               .order_by(ServiceUnit.name)):
        period = current.get(su.id)
        stats = None
        if period is not None:
            stats = PeriodStats(period, tallies.get(period.id, ikm.Tally()), weight)
        grouped.setdefault(su.unit.opd_id, []).append(UnitRow(su, stats))
    rows = []
    for opd_id in opd_ids:
        unit_rows = grouped.get(opd_id, [])
        opd_tally = sum((r.stats.tally for r in unit_rows if r.stats), ikm.Tally())
        rows.append(OpdRow(opds[opd_id], unit_rows, opd_tally, weight))
    return rows
