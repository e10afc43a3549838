"""What the SKM report, the raw-data export and the poster show, gathered in a fixed
number of grouped queries (never one per response or per element)."""
import base64
import io
from dataclasses import dataclass, field

import segno
from peewee import JOIN, SQL, fn

from ... import clock
from . import stats as survey_stats
from ...models import (
    RESPONSE_SOURCES, RESPONSE_STATUSES, Employee, Service, ServiceUnit,
    SuggestionFollowUp, SurveyPeriod, SurveyResponse,
)
from ...rules import ikm
from ...rules.survey_entry import AGE_BANDS, NOT_FILLED, age_band, lowest_element
from ...rules.survey_periods import period_label
from .suggestions import HAS_SUGGESTION
from .units import response_counts

# --- Poster ---------------------------------------------------------------------------


def qr_png(url: str) -> bytes:
    """The QR code of the survey address, made here (no outside service). Error level M
    survives a poster that is creased or a little dirty."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=12, border=4)
    return out.getvalue()


def qr_data_uri(url: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")


# --- The report ---------------------------------------------------------------------------

@dataclass
class SuggestionItem:
    response: SurveyResponse
    follow_up: SuggestionFollowUp | None
    element: str | None
    assigned: bool           # True when staff chose the element, False when inferred


@dataclass
class Report:
    su: ServiceUnit
    period: SurveyPeriod
    label: str
    result: ikm.IkmResult
    weight: ikm.Weight
    minimum: int | None
    flagged: int
    rejected: int
    profile: dict = field(default_factory=dict)       # title -> [(label, count, percent)]
    suggestions: list = field(default_factory=list)   # [(group key, [SuggestionItem])], see below

    @property
    def excluded(self) -> int:
        return self.flagged + self.rejected

    @property
    def representative(self) -> bool | None:
        return None if self.minimum is None else self.result.respondents >= self.minimum


def _distribution(column, period, labels: dict | None = None, band=None):
    """[(label, count, percent)] of valid responses of the period by one profile column."""
    rows = (SurveyResponse.select(column, fn.COUNT(SQL("*")))
            .where((SurveyResponse.period == period) & (SurveyResponse.status == "valid"))
            .group_by(column).tuples())
    counts: dict = {}
    for value, count in rows:
        if band is not None:
            key = band(value)
        else:
            key = labels.get(value, value) if value not in (None, "") else NOT_FILLED
        counts[key] = counts.get(key, 0) + count
    total = sum(counts.values())
    order = ([label for *_, label in AGE_BANDS] if band is not None else list(labels.values()))
    order.append(NOT_FILLED)
    return [(label, counts[label], 100 * counts[label] / total)
            for label in order if counts.get(label)]


# Groups after u1…u9: suggestions whose element staff have not set (each shows the guess, the
# element the respondent rated lowest, as a guess only: the text may be about anything), then
# compliments, which need no follow-up.
UNASSIGNED, PRAISE = "unassigned", "praise"


def suggestion_groups(su, period) -> list:
    """Suggestions of valid responses grouped by the element staff set, u1…u9 in order, then
    those not yet set, then the compliments."""
    query = (SurveyResponse.select(SurveyResponse, SuggestionFollowUp, Employee)
             .join(SuggestionFollowUp, JOIN.LEFT_OUTER,
                   on=(SuggestionFollowUp.response == SurveyResponse.id), attr="follow_up")
             .join(Employee, JOIN.LEFT_OUTER, on=(SuggestionFollowUp.handler == Employee.id),
                   attr="handler_employee")
             .where((SurveyResponse.service_unit == su) & (SurveyResponse.period == period)
                    & (SurveyResponse.status == "valid") & HAS_SUGGESTION)
             .order_by(SurveyResponse.submitted_at, SurveyResponse.id))
    groups: dict = {}
    for response in query:
        follow_up = response.follow_up if response.follow_up and response.follow_up.id else None
        assigned = follow_up.element if follow_up and follow_up.element else None
        element = assigned or lowest_element({c: getattr(response, c) for c in ikm.ELEMENT_CODES})
        key = (PRAISE if follow_up and follow_up.status == "pujian" else assigned or UNASSIGNED)
        groups.setdefault(key, []).append(SuggestionItem(response, follow_up, element, assigned is not None))
    return [(key, groups[key]) for key in (*ikm.ELEMENT_CODES, UNASSIGNED, PRAISE) if key in groups]


def build_report(su: ServiceUnit, period: SurveyPeriod) -> Report:
    weight = survey_stats.current_weight()
    tally = survey_stats.period_tallies([period]).get(period.id, ikm.Tally())
    result = tally.result(weight, survey_stats.elements())
    counts = response_counts([period.id]).get(period.id, {})
    report = Report(
        su=su, period=period, label=period_label(period.kind, period.year, period.number),
        result=result, weight=weight,
        minimum=ikm.sample_size(period.population) if period.population else None,
        flagged=counts.get("flagged", 0), rejected=counts.get("rejected", 0))
    report.profile = {
        "Umur": _distribution(SurveyResponse.age, period, band=age_band),
        "Jenis kelamin": _distribution(SurveyResponse.sex, period, ikm.SEXES),
        "Pendidikan": _distribution(SurveyResponse.education, period, ikm.EDUCATIONS),
        "Pekerjaan": _distribution(SurveyResponse.occupation, period, ikm.OCCUPATIONS),
    }
    report.suggestions = suggestion_groups(su, period)
    return report


# --- Raw responses export ---------------------------------------------------------------

EXPORT_HEADERS = ["id", "tanggal", "jam_wib", "periode", "layanan", *ikm.ELEMENT_CODES, "umur",
                  "jenis_kelamin", "pendidikan", "pekerjaan", "saran", "sumber", "status",
                  "alasan_ditandai"]


def export_rows(su: ServiceUnit, period: SurveyPeriod):
    """Every response of the period (all statuses) as spreadsheet rows (made safe where they
    are written, in spreadsheets.py). A generator: one query, rows streamed."""
    label = period_label(period.kind, period.year, period.number)
    query = (SurveyResponse.select(SurveyResponse, Service.name.alias("service_name"))
             .join(Service, JOIN.LEFT_OUTER)
             .where((SurveyResponse.period == period) & (SurveyResponse.service_unit == su))
             .order_by(SurveyResponse.submitted_at, SurveyResponse.id).objects())
    for r in query:
        local = clock.to_local(r.submitted_at)
        row = [r.id, local.strftime("%Y-%m-%d"), local.strftime("%H:%M"), label,
               r.service_name, *(getattr(r, c) for c in ikm.ELEMENT_CODES), r.age, r.sex,
               r.education, r.occupation, r.suggestion,
               RESPONSE_SOURCES.get(r.source, r.source), RESPONSE_STATUSES.get(r.status, r.status),
               r.flag_reason]
        yield row

