"""A supervisor's waiting work: the plans to approve and the evaluations to rate, oldest
first; team members without progress; the team's predikat of the last period; feedback
threads waiting for an answer; and, for the Atasan Pejabat Penilai, the objections to
decide with the days left."""
import datetime
import operator
from dataclasses import dataclass, field
from functools import reduce

from peewee import SQL, Select, fn

from ... import memo
from ...models import Employee, Evaluation, Feedback, Objection, Position, ProgressEntry, Skp, db
from ...rules import evaluation as eval_rules
from ..evaluation import periods, queue
from ..follow_up import proposals as follow_up
from ..skp.overview import Inbox

# Each list shows this many, the oldest first; the count says how many there are in all.
SHOWN = 8
# A team member is "without progress" after this many days without an entry.
IDLE_DAYS = 30


@dataclass
class Waiting:
    items: list
    count: int


@dataclass
class Team:
    skps: Waiting
    evaluations: Waiting
    idle: Waiting               # (employee, last entry day or None)
    size: int
    period: eval_rules.Period | None
    predikat_counts: dict       # {predikat key: n} of the team for `period`
    threads: list               # the last message of each thread waiting for an answer
    # Follow-up proposals waiting for this Pejabat Penilai's decision (stores/follow_up).
    proposals: Waiting = field(default_factory=lambda: Waiting([], 0))


def _waiting(query, order) -> Waiting:
    return Waiting(list(query.order_by(*order).limit(SHOWN)), query.count())


def _label(evaluation):
    """The evaluation with its period's name ("Triwulan III 2026"); the year's settings are
    read once per request, so this adds no query per row."""
    evaluation.period_label = periods.period_or_annual(evaluation.year, evaluation.kind,
                                                       evaluation.number).label
    return evaluation


def _idle(members, today) -> Waiting:
    """Team members with no progress entry in the last IDLE_DAYS days, the longest silent
    first. NOT EXISTS on the (employee, day) index: the regency's progress is not scanned."""
    since = today - datetime.timedelta(days=IDLE_DAYS)
    recent = ProgressEntry.select(SQL("1")).where((ProgressEntry.employee == Employee.id)
                                                  & (ProgressEntry.day >= since))
    query = members.where(~fn.EXISTS(recent))
    last_day = (ProgressEntry.select(fn.MAX(ProgressEntry.day))
                .where(ProgressEntry.employee == Employee.id))
    rows = list(query.select_extend(last_day.alias("last_day"))
                .order_by(SQL("last_day").asc(nulls="first"), Employee.name).limit(SHOWN))
    for row in rows:
        day = getattr(row, "last_day", None)
        row.last_day = datetime.date.fromisoformat(day) if isinstance(day, str) else day
    return Waiting(rows, query.order_by().count())


def _threads(supervisor_id) -> list:
    """Threads the supervisor started whose last message is the employee's: one query for
    the last message of each, whatever the number of threads."""
    last_ids = (Feedback.select(fn.MAX(Feedback.id))
                .where(Feedback.parent.in_(Feedback.select(Feedback.id).where(
                    (Feedback.author == supervisor_id) & Feedback.parent.is_null())))
                .group_by(Feedback.parent))
    return list(Feedback.select(Feedback, Employee)
                .join(Employee, on=(Feedback.author == Employee.id))
                .where(Feedback.id.in_(last_ids) & (Feedback.author != supervisor_id))
                .order_by(Feedback.created_at).limit(SHOWN))


def has_team(employee_id, position_id) -> bool:
    """Whether this employee appraises anyone, as the team pages see it: a subordinate by the
    position tree or by override (Employee.subordinates), a plan naming them as Pejabat
    Penilai (the inbox), or an evaluation naming them as Pejabat Penilai or Atasan (the
    rating queue, objections). One query of indexed EXISTS probes, remembered for the
    request."""
    remembered = memo.remembered("home.has_team")
    if employee_id in remembered:
        return remembered[employee_id]
    others = Employee.active & (Employee.id != employee_id)
    probes = [Employee.select(SQL("1")).where((Employee.appraiser_override == employee_id) & others),
              Skp.select(SQL("1")).where(Skp.appraiser == employee_id),
              Evaluation.select(SQL("1")).where(Evaluation.appraiser == employee_id),
              Evaluation.select(SQL("1")).where(Evaluation.superior == employee_id)]
    if position_id:
        below = Position.select(Position.id).where(Position.parent == position_id)
        # COALESCE: "no override" must not pick the override index (nearly every row).
        probes.append(Employee.select(SQL("1")).where(
            Employee.position.in_(below) & (fn.COALESCE(Employee.appraiser_override, 0) == 0)
            & others))
    condition = reduce(operator.or_, (fn.EXISTS(probe) for probe in probes))
    found = bool(Select(columns=[condition]).bind(db).scalar())
    remembered[employee_id] = found
    return found


def supervisor_work(user, employee, today: datetime.date, year: int) -> Team:
    work = _supervisor_work(user, employee, today, year)
    if work.size or work.skps.count or work.evaluations.count:
        work.proposals = Waiting(*follow_up.waiting(user, SHOWN))
    return work


def _supervisor_work(user, employee, today: datetime.date, year: int) -> Team:
    for_kepala_daerah = eval_rules.records_for_kepala_daerah(user)
    if not for_kepala_daerah and (employee is None or not has_team(employee.id, employee.position_id)):
        return Team(Waiting([], 0), Waiting([], 0), Waiting([], 0), 0, None, {}, [])
    inbox = Inbox(employee.id if employee else None, for_kepala_daerah)
    skps = Waiting([], 0)
    if inbox.decides_anything:
        skps = _waiting(Skp.select(Skp, Employee).join(Employee, on=(Skp.employee == Employee.id))
                        .where(inbox.condition & (Skp.status == "submitted")),
                        (Skp.submitted_at, Skp.id))
    pending = queue.pending_query(user)
    evaluations = Waiting([], 0)
    if pending is not None:
        evaluations = _waiting(queue.evaluations_with_people()
                               .where(Evaluation.id.in_(pending.select(Evaluation.id))),
                               (Evaluation.submitted_at, Evaluation.id))
        evaluations.items = [_label(e) for e in evaluations.items]
    if employee is None:
        return Team(skps, evaluations, Waiting([], 0), 0, None, {}, [])
    members = queue.team_members(employee, year)
    size = members.order_by().count()
    kind, number = periods.chosen_period(None, year, today)
    period = periods.period_or_annual(year, kind, number)
    counts = dict(Evaluation.select(Evaluation.predikat, fn.COUNT(Evaluation.id))
                  .where(Evaluation.employee.in_(members.select(Employee.id))
                         & (Evaluation.year == period.year) & (Evaluation.kind == period.kind)
                         & (Evaluation.number == period.number)
                         & Evaluation.status.in_(eval_rules.WITH_PREDIKAT)
                         & Evaluation.predikat.is_null(False))
                  .group_by(Evaluation.predikat).tuples()) if size else {}
    return Team(skps, evaluations, _idle(members, today) if size else Waiting([], 0), size,
                period if period.ends < today else None, counts, _threads(employee.id))


@dataclass
class ObjectionItem:
    evaluation: Evaluation
    filed_on: datetime.date
    decide_by: datetime.date
    days_left: int


def objections_to_decide(user, today: datetime.date) -> list[ObjectionItem]:
    """Objections waiting for this Atasan Pejabat Penilai (for the admin BKPSDM, also those
    the Kepala Daerah decides), the nearest deadline first. The decision window is the
    year's objection window counted from the filing (domain/skp.md §4 gives no other)."""
    query = queue.objections_query(user)
    if query is None:
        return []
    rows = list(query.select_extend(Objection).switch(Evaluation)
                .join(Objection, on=(Objection.evaluation == Evaluation.id), attr="open_objection")
                .where(Objection.status == "open").order_by(Objection.filed_at, Evaluation.id))
    items = []
    for evaluation in rows:
        filed = evaluation.open_objection.filed_at
        filed_on = filed.date() if isinstance(filed, datetime.datetime) else \
            datetime.datetime.fromisoformat(str(filed)).date()
        _, days = periods.year_settings(evaluation.year)
        decide_by = filed_on + datetime.timedelta(days=days)
        items.append(ObjectionItem(_label(evaluation), filed_on, decide_by, (decide_by - today).days))
    return items
