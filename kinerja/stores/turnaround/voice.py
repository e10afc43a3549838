"""Citizen voice: what a service unit did with the suggestions citizens left in the SKM and
with their complaints, for the public page "Anda menyampaikan, kami menindaklanjuti"."""
import datetime
from dataclasses import dataclass

from ...models import SuggestionFollowUp, SurveyResponse
from ...rules import ikm
from ...rules import turnaround as rules
from ..complaints import figures as complaint_figures


@dataclass(frozen=True)
class FollowedUp:
    done_on: datetime.date | None
    element: str          # "U5 Waktu penyelesaian", or "" when staff gave none
    said: str             # the citizen's words, anonymised and short
    done: str             # what the unit did, short


def followed_up_suggestions(service_unit_id: int, limit: int = 12) -> list[FollowedUp]:
    """The unit's settled follow-ups that say what was done, the newest first; one query."""
    rows = (SuggestionFollowUp.select(SuggestionFollowUp, SurveyResponse)
            .join(SurveyResponse)
            .where((SurveyResponse.service_unit == service_unit_id)
                   & (SurveyResponse.status == "valid")
                   & (SuggestionFollowUp.status == "selesai") & (SuggestionFollowUp.action != ""))
            .order_by(SuggestionFollowUp.done_on.desc(nulls="LAST"), SuggestionFollowUp.id.desc())
            .limit(limit))
    result = []
    for row in rows:
        element = ikm.ELEMENTS_BY_CODE.get(row.element or "")
        result.append(FollowedUp(
            done_on=row.done_on,
            element=f"{element.label} {element.name}" if element else "",
            said=rules.anonymised(row.response.suggestion),
            done=rules.anonymised(row.action, 240)))
    return result


def followed_up_complaints(service_unit_id: int, limit: int = 10) -> list[dict]:
    """The unit's answered complaints (stores/complaints), with numbers and addresses a
    citizen typed hidden as in the suggestions."""
    return [dict(row, what=rules.anonymised(row["what"], 120),
                 answer=rules.anonymised(row["answer"], 240))
            for row in complaint_figures.followed_up(service_unit_id, limit)]
