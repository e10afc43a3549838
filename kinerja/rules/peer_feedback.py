"""360° feedback (domain/skp.md §6): who may give it, and what the Pejabat Penilai may see of
it without learning who said what. Pure functions, no Flask."""
import datetime
from collections import Counter
from dataclasses import dataclass, field

from .evaluation import RATINGS

DEFAULT_MIN_RATERS = 3
# Fewer than three and each of two raters could read off the other's answer.
MIN_RATERS_RANGE = (3, 20)

# Colleagues answer during the period and for a week after it; then the answers are fixed
# and the summary is taken once. A summary that moved with each new answer would let the
# Pejabat Penilai read off one colleague's answer by looking before and after it.
ANSWER_DAYS_AFTER_PERIOD = 7

PEER, SUBORDINATE = "peer", "subordinate"
STANDINGS = {PEER: "Rekan kerja setingkat", SUBORDINATE: "Bawahan langsung"}


def standing(rater_id, rater_appraiser_id, ratee_id, ratee_appraiser_id) -> str | None:
    """How a rater stands to the colleague they would rate: a peer of the same level (the same
    Pejabat Penilai), a direct subordinate, or nobody who may rate them (None)."""
    if rater_id is None or ratee_id is None or rater_id == ratee_id:
        return None
    if rater_appraiser_id is not None and rater_appraiser_id == ratee_id:
        return SUBORDINATE
    if rater_appraiser_id is not None and rater_appraiser_id == ratee_appraiser_id:
        return PEER
    return None


def answers_close_on(period_ends: datetime.date) -> datetime.date:
    """The last day on which answers about a period may be given or changed."""
    return period_ends + datetime.timedelta(days=ANSWER_DAYS_AFTER_PERIOD)


@dataclass
class ValueSummary:
    """What is shown of one BerAKHLAK value once enough colleagues answered it: the answers
    per level and the comments. Below the minimum nothing is shown, not even how many."""
    raters: int
    counts: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


def tally(answers) -> dict[str, dict]:
    """{value: {"counts": {level: n}, "comments": [...]}} from (value, level, comment) answers,
    one per rater and value: what a snapshot keeps. Comments come sorted by their text, so
    their order says nothing of who wrote them or when."""
    by_value: dict[str, list] = {}
    for value, level, comment in answers:
        if level in RATINGS:
            by_value.setdefault(value, []).append((level, (comment or "").strip()))
    result = {}
    for value, rows in by_value.items():
        levels = Counter(level for level, _ in rows)
        result[value] = {"counts": {level: levels.get(level, 0) for level in RATINGS},
                         "comments": sorted((c for _, c in rows if c), key=lambda c: (c.casefold(), c))}
    return result


def visible(tallies: dict[str, dict], min_raters: int) -> dict[str, ValueSummary]:
    """The values of a snapshot that enough colleagues answered; the others are left out."""
    result = {}
    for value, kept in tallies.items():
        raters = sum(kept["counts"].values())
        if raters >= min_raters:
            result[value] = ValueSummary(raters=raters, counts=dict(kept["counts"]),
                                         comments=list(kept["comments"]))
    return result
