"""An employee's own work: the SKP of the year and its next step, the evaluations open now,
the objection window, 360° requests, the last progress, the predikat history."""
import datetime
from dataclasses import dataclass

from peewee import fn

from ...models import (
    Complaint, ComplaintDesk, Evaluation, Notification, PerformanceYear, ProgressEntry, Rhk, Skp,
)
from ...rules import evaluation as eval_rules
from ...rules import peer_feedback as peer_rules
from ...rules import skp as skp_rules
from .. import peer_feedback as peers
from ..evaluation import periods
from ..follow_up.plans import open_plan_of

# The predikat history shows this many past years.
HISTORY_YEARS = 5


@dataclass
class Plan:
    year: int
    skp: Skp | None
    deadline: datetime.date | None
    deadline_label: str
    notes: int = 0              # per-RHK notes of the last return


@dataclass
class Window:
    """An evaluation the employee may fill in now, or one waiting for their answer."""
    period: eval_rules.Period
    evaluation: Evaluation | None
    step: str                   # what the employee does next, in Indonesian
    until: datetime.date | None = None


@dataclass
class Own:
    plan: Plan
    windows: list
    peer_waiting: int
    peer_closes_on: datetime.date | None
    peer_period: eval_rules.Period | None
    last_progress: datetime.date | None
    days_without_progress: int | None
    history: list               # (evaluation, period label) with a predikat, newest first
    unread: list                # the newest unread notifications
    unread_count: int
    coaching: object = None     # the employee's open coaching plan (stores/follow_up)
    complaints: int = 0         # open complaints of the service units this employee handles


def _plan(employee, year_row, today) -> Plan:
    year = year_row.year if year_row else today.year
    skp = Skp.latest_for(employee.id, year)
    deadline = year_row.skp_deadline if year_row else None
    approved_on = skp.decided_at.date() if skp is not None and skp.status == "approved" and skp.decided_at else None
    label = skp_rules.deadline_label(deadline, today, approved_on) if deadline else ""
    notes = 0
    if skp is not None and skp.status == "returned":
        notes = Rhk.select().where((Rhk.skp == skp.id) & (Rhk.review_comment != "")).count()
    return Plan(year, skp, deadline, label, notes)


def _windows(employee, plan: Plan, today) -> list[Window]:
    """The periods whose evaluation can be filled in now and is not yet decided, and the
    decided ones still inside their objection window."""
    skp = plan.skp if plan.skp is not None and plan.skp.status == "approved" else \
        Skp.approved_for(employee.id, plan.year)
    if skp is None:
        return []
    by_key = {(e.kind, e.number): e for e in Evaluation.select().where(
        (Evaluation.employee == employee.id) & (Evaluation.year == plan.year))}
    _, objection_days = periods.year_settings(plan.year)
    result = []
    for period in periods.year_periods(plan.year, skp):
        evaluation = by_key.get((period.kind, period.number))
        state = evaluation.status if evaluation is not None else "draft"
        if state in eval_rules.EDITABLE_STATES:
            if periods.fill_opens(period) > today:
                continue
            step = ("Perbaiki dan ajukan kembali" if state == "returned"
                    else "Isi realisasi dan ajukan" if evaluation is not None else "Mulai isi evaluasi")
            result.append(Window(period, evaluation, step, period.ends))
        elif state == "submitted":
            result.append(Window(period, evaluation, "Menunggu penilaian Pejabat Penilai"))
        elif state == "approved" and not evaluation.acknowledged_at and evaluation.approved_at:
            until = eval_rules.objection_deadline(evaluation.approved_at.date(), objection_days)
            if until >= today:
                result.append(Window(period, evaluation, "Terima hasilnya atau ajukan keberatan", until))
        elif state == "objected":
            result.append(Window(period, evaluation, "Keberatan menunggu keputusan Atasan Pejabat Penilai"))
    return result


def _peer(employee, year: int, today):
    """(colleagues not yet answered, the day answering closes, the period) for the period
    running now; (0, None, None) when no period runs."""
    running = [p for p in periods.year_periods(year)
               if p.kind == eval_rules.PERIODIC and p.starts <= today <= p.ends]
    if not running:
        return 0, None, None
    period = running[0]
    colleagues = peers.colleagues(employee)
    if not colleagues:
        return 0, None, period
    done = peers.answered(employee, period)
    return (sum(1 for other, _ in colleagues if other.id not in done),
            peer_rules.answers_close_on(period.ends), period)


def own_work(employee, today: datetime.date) -> Own:
    year_row = PerformanceYear.for_date(today)
    plan = _plan(employee, year_row, today)
    last = (ProgressEntry.select(fn.MAX(ProgressEntry.day))
            .where(ProgressEntry.employee == employee.id).scalar())
    if isinstance(last, str):  # SQLite hands an aggregate of dates back as text
        last = datetime.date.fromisoformat(last)
    history = [(e, periods.period_or_annual(e.year, e.kind, e.number).label) for e in Evaluation.select().where(
        (Evaluation.employee == employee.id) & Evaluation.status.in_(eval_rules.WITH_PREDIKAT)
        & Evaluation.predikat.is_null(False) & (Evaluation.year > plan.year - HISTORY_YEARS))
        .order_by(Evaluation.year.desc(), Evaluation.kind, Evaluation.number.desc())]
    unread_query = Notification.select().where(
        (Notification.recipient == employee.id) & Notification.read_at.is_null())
    waiting, closes_on, peer_period = _peer(employee, plan.year, today)
    return Own(plan=plan, windows=_windows(employee, plan, today), peer_waiting=waiting,
               peer_closes_on=closes_on, peer_period=peer_period, last_progress=last,
               days_without_progress=(today - last).days if last else None, history=history,
               unread=list(unread_query.order_by(Notification.created_at.desc()).limit(5)),
               unread_count=unread_query.count(), coaching=open_plan_of(employee.id),
               complaints=_open_complaints(employee.id))


def _open_complaints(employee_id) -> int:
    """Complaints not yet closed at the desks this employee handles: the handler is a pegawai
    whose menu does not ask (it would cost every page a query), so the Beranda tells them."""
    desks = ComplaintDesk.select(ComplaintDesk.service_unit).where(ComplaintDesk.handler == employee_id)
    return (Complaint.select().where(Complaint.service_unit.in_(desks)
                                     & Complaint.state.not_in(("selesai", "ditolak"))).count())
