"""360° feedback (domain/skp.md §6): who may give it, and what the Pejabat Penilai may see of
it without learning who said what. Pure functions, no Flask."""
from collections import Counter
from dataclasses import dataclass, field

from .evaluation import RATINGS

DEFAULT_MIN_RATERS = 3
# Fewer than three and each of two raters could read off the other's answer.
MIN_RATERS_RANGE = (3, 20)

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


@dataclass
class ValueSummary:
    """What is shown of one BerAKHLAK value: the answers per level and the comments once
    enough colleagues answered, otherwise only how many answered."""
    raters: int
    shown: bool
    counts: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


def summarise(answers, min_raters: int) -> dict[str, ValueSummary]:
    """{value: ValueSummary} from (value, level, comment) answers, one per rater and value.
    Comments come sorted by their text, so their order says nothing of who wrote them or when."""
    by_value: dict[str, list] = {}
    for value, level, comment in answers:
        if level in RATINGS:
            by_value.setdefault(value, []).append((level, (comment or "").strip()))
    result = {}
    for value, rows in by_value.items():
        if len(rows) < min_raters:
            result[value] = ValueSummary(raters=len(rows), shown=False)
            continue
        tally = Counter(level for level, _ in rows)
        result[value] = ValueSummary(
            raters=len(rows), shown=True, counts={level: tally.get(level, 0) for level in RATINGS},
            comments=sorted((comment for _, comment in rows if comment), key=lambda c: (c.casefold(), c)))
    return result
