"""360° feedback (domain/skp.md §6): colleagues of the same level and direct subordinates
answer per BerAKHLAK value; the Pejabat Penilai sees the answers only in aggregate.

Not audited row by row: an audit entry names its actor, and who answered about whom is
exactly what must not be shown to anyone. The answers never change an evaluation by
themselves; the Pejabat Penilai's rating, which is audited, does."""
import datetime
import json
from dataclasses import dataclass, field

from peewee import IntegrityError

from ..formatting import tanggal
from ..models import (Employee, Evaluation, PeerFeedback, PeerFeedbackSnapshot, PerformanceYear, Position,
                      Unit, db, utcnow)
from ..rules import DomainError
from ..rules import evaluation as eval_rules
from ..rules import peer_feedback as rules
from .evaluation.periods import year_settings

# The heads of OPD share a Pejabat Penilai who is not in the system, the Kepala Daerah:
# this stands for them, so that they are each other's colleagues of the same level.
KEPALA_DAERAH = 0
# A top position of another kind without a superior is missing data, not a head of OPD.
HEAD_KINDS = ("jpt_pratama", "administrator")


def heads_of_opd():
    """The active holders of the top positions of the OPDs (no superior position), who are
    appraised by the Kepala Daerah, by name."""
    return (Employee.with_org()
            .where(Employee.active & Employee.position.is_null(False) & Employee.unit.is_null(False)
                   & Position.active & Position.kind.in_(HEAD_KINDS) & Position.parent.is_null()
                   & Unit.parent.is_null() & Employee.appraiser_override.is_null())
            .order_by(Employee.name))


def _heads_an_opd(employee) -> bool:
    return heads_of_opd().where(Employee.id == employee.id).exists()


def colleagues(employee) -> list[tuple[Employee, str]]:
    """(colleague, standing) pairs the employee may give feedback to: their own Pejabat
    Penilai, then the colleagues who share that Pejabat Penilai, by name. A head of OPD
    has the other heads of OPD."""
    appraiser = employee.appraiser()
    if appraiser is not None:
        peers = [(other, rules.PEER) for other in appraiser.subordinates() if other.id != employee.id]
        return [(appraiser, rules.SUBORDINATE)] + peers
    if _heads_an_opd(employee):
        return [(other, rules.PEER) for other in heads_of_opd() if other.id != employee.id]
    return []


def _appraiser_key(employee) -> int | None:
    appraiser = employee.appraiser()
    if appraiser is not None:
        return appraiser.id
    return KEPALA_DAERAH if _heads_an_opd(employee) else None


def standing(rater, ratee) -> str | None:
    return rules.standing(rater.id, _appraiser_key(rater), ratee.id, _appraiser_key(ratee))


def closed_reason(ratee, period: eval_rules.Period, today: datetime.date) -> str | None:
    """Why feedback for this period can no longer (or not yet) be given, or None."""
    if today < period.starts:
        return f"Periode {period.label} belum dimulai."
    closes_on = rules.answers_close_on(period.ends)
    if today > closes_on:
        return (f"Umpan balik 360° untuk {period.label} ditutup pada {tanggal(closes_on)}; jawaban tidak "
                "dapat diubah lagi.")
    evaluation = Evaluation.get_or_none((Evaluation.employee == ratee.id) & (Evaluation.year == period.year)
                                        & (Evaluation.kind == period.kind)
                                        & (Evaluation.number == period.number))
    # Once the evaluation of the period is decided the answers can no longer be input for it.
    if evaluation is not None and evaluation.status in eval_rules.WITH_PREDIKAT:
        return (f"Evaluasi {period.label} {ratee.full_name} sudah ditetapkan; umpan balik tidak "
                "dapat diubah lagi.")
    return None


def _of_period(period):
    return ((PeerFeedback.year == period.year) & (PeerFeedback.kind == period.kind)
            & (PeerFeedback.number == period.number))


def own_answers(rater, ratee, period) -> dict[str, tuple[str, str]]:
    """{value: (level, comment)} the rater gave this colleague for the period."""
    rows = PeerFeedback.select().where(_of_period(period) & (PeerFeedback.rater == rater.id)
                                       & (PeerFeedback.ratee == ratee.id))
    return {row.value: (row.level, row.comment) for row in rows}


def answered(rater, period) -> set[int]:
    """The colleagues the rater has answered about for the period."""
    rows = (PeerFeedback.select(PeerFeedback.ratee).distinct()
            .where(_of_period(period) & (PeerFeedback.rater == rater.id)))
    return {row.ratee_id for row in rows}


def save(rater, ratee, period, answers: dict[str, tuple[str, str]], today: datetime.date) -> int:
    """Replace the rater's answers about the colleague for the period: {value: (level, comment)},
    unless answering has closed in the meantime."""
    now = utcnow()
    rows = [{"ratee": ratee.id, "rater": rater.id, "year": period.year, "kind": period.kind,
             "number": period.number, "value": value, "level": level, "comment": comment,
             "updated_at": now}
            for value, (level, comment) in answers.items() if level]
    with db.atomic():
        closed = closed_reason(ratee, period, today)
        if closed:
            raise DomainError(closed)
        PeerFeedback.delete().where(_of_period(period) & (PeerFeedback.rater == rater.id)
                                    & (PeerFeedback.ratee == ratee.id)).execute()
        if rows:
            PeerFeedback.insert_many(rows).execute()
    return len(rows)


def min_raters(year: int) -> int:
    row = PerformanceYear.get_or_none(PerformanceYear.year == year)
    return row.peer_min_raters if row else rules.DEFAULT_MIN_RATERS


@dataclass
class Summary:
    """What the Pejabat Penilai (and the Atasan deciding an objection) may see of the
    colleagues' answers for one evaluation: nothing while answering is open, then the values
    that enough colleagues answered, as they stood when it closed."""
    closes_on: datetime.date
    min_raters: int
    values: dict = field(default_factory=dict)  # {value: rules.ValueSummary}; None while open

    @property
    def open(self) -> bool:
        return self.values is None

    def get(self, value):
        return None if self.values is None else self.values.get(value)


def _period_ends(evaluation) -> datetime.date:
    """The last day of the evaluation's whole period (not clipped to a transfer's SKP)."""
    cadence, _ = year_settings(evaluation.year)
    period = eval_rules.find_period(evaluation.year, cadence, evaluation.kind, evaluation.number)
    return period.ends if period else evaluation.ends


def _snapshot(evaluation) -> dict:
    """The period's tallies, taken on the first look after answering closed and kept."""
    key = ((PeerFeedbackSnapshot.ratee == evaluation.employee_id) & (PeerFeedbackSnapshot.year == evaluation.year)
           & (PeerFeedbackSnapshot.kind == evaluation.kind) & (PeerFeedbackSnapshot.number == evaluation.number))
    kept = PeerFeedbackSnapshot.get_or_none(key)
    if kept is None:
        rows = (PeerFeedback.select(PeerFeedback.value, PeerFeedback.level, PeerFeedback.comment)
                .where((PeerFeedback.ratee == evaluation.employee_id) & (PeerFeedback.year == evaluation.year)
                       & (PeerFeedback.kind == evaluation.kind) & (PeerFeedback.number == evaluation.number))
                .tuples())
        try:
            with db.atomic():
                kept = PeerFeedbackSnapshot.create(
                    ratee=evaluation.employee_id, year=evaluation.year, kind=evaluation.kind,
                    number=evaluation.number, tallies=json.dumps(rules.tally(rows)))
        except IntegrityError:  # another request took it first: theirs is the one kept
            kept = PeerFeedbackSnapshot.get(key)
    return json.loads(kept.tallies)


def summary_for(evaluation, today: datetime.date) -> Summary:
    least = min_raters(evaluation.year)
    closes_on = rules.answers_close_on(_period_ends(evaluation))
    if today <= closes_on:
        return Summary(closes_on, least, None)
    return Summary(closes_on, least, rules.visible(_snapshot(evaluation), least))
