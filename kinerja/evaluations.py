"""Monitoring and evaluation in the database: who stands where to an employee or an evaluation,
the reads the pages need (a fixed number of queries whatever the rows) and every write, each in
one transaction with its audit row. What is allowed is decided in rules/evaluation.py."""
import datetime
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask import has_request_context, request
from peewee import JOIN, fn

from .models import (
    AuditLog, Employee, Evaluation, EvaluationFeedback, EvaluationItem, Evidence, Feedback,
    Indicator, Objection, OrgPerformance, PerformanceYear, Position, ProgressEntry,
    Rhk, Skp, Unit, db, snapshot, utcnow,
)
from .rules import evaluation as rules
from .rules.evidence import INLINE
from .notifications import evaluation_link, notify, thread_link
from .skp_store import load_rhks, target_label

EVALUATION_AUDIT_FIELDS = ["status", "result_rating", "behaviour_rating", "predikat",
                           "return_comment", "appraiser", "superior", "self_note"]
VISIBLE_STATES = ("approved", "objected", "decided")  # with a predikat in force

Appraiser = Employee.alias("appraiser_employee")
Superior = Employee.alias("superior_employee")


class EvaluationError(ValueError):
    """A write the current data does not allow; the message is for the user."""


# --- Years and periods ------------------------------------------------------------------

def year_settings(year: int) -> tuple[str, int]:
    """(evaluation cadence, objection window in days) of a performance year.

    Kept for the rest of the request: a page asks for them once per period list, form
    and deadline, and each ask was a query."""
    cache = (request.environ.setdefault("kinerja.year_settings", {}) if has_request_context()
             else {})
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


def year_periods(year: int, skp=None) -> list[rules.Period]:
    """The year's periodic periods and the annual one, clipped to the SKP's dates."""
    cadence, _ = year_settings(year)
    result = rules.periods(year, cadence) + [rules.annual_period(year)]
    if skp is not None:
        result = [p for p in (rules.clip(p, skp.period_start, skp.period_end) for p in result) if p]
    return result


KIND_SLUGS = {"periodik": rules.PERIODIC, "tahunan": rules.ANNUAL}
SLUG_OF_KIND = {v: k for k, v in KIND_SLUGS.items()}


def find_period(year: int, slug: str, number: int, skp=None) -> rules.Period | None:
    cadence, _ = year_settings(year)
    kind = KIND_SLUGS.get(slug)
    period = rules.find_period(year, cadence, kind, number) if kind else None
    if period is not None and skp is not None:
        period = rules.clip(period, skp.period_start, skp.period_end)
    return period


# --- Who stands where -----------------------------------------------------------------------

def opd_headed_by(employee) -> Unit | None:
    """The OPD this employee heads: they hold the top position of an OPD (its superior
    position, if any, lies outside the OPD, as for a camat under the sekda)."""
    if employee is None or not employee.position_id or not employee.unit_id:
        return None
    unit = Unit.get_or_none(Unit.id == employee.unit_id)
    if unit is None or unit.parent_id is not None:
        return None
    position = Position.get_or_none(Position.id == employee.position_id)
    if position is None:
        return None
    if position.parent_id:
        parent = (Position.select(Position, Unit).join(Unit)
                  .where(Position.id == position.parent_id).first())
        if parent is not None and parent.unit.path.startswith(unit.path):
            return None
    return unit


def head_of(opd: Unit) -> Employee | None:
    """The employee heading an OPD, or None when the top position is vacant."""
    for employee in (Employee.select(Employee).join(Position, on=(Employee.position == Position.id))
                     .where((Employee.unit == opd.id) & Employee.active)
                     .order_by(Position.parent.is_null(False), Employee.id)):
        if opd_headed_by(employee):
            return employee
    return None


def _admin_in_scope(user, unit_id) -> bool:
    if user.role == "admin":
        return True
    if user.role != "admin_opd" or not user.scope_unit_id or not unit_id:
        return False
    scope = Unit.get_or_none(Unit.id == user.scope_unit_id)
    unit = Unit.get_or_none(Unit.id == unit_id)
    return scope is not None and unit is not None and unit.path.startswith(scope.path)


def relation(user, employee, skp=None) -> set[str]:
    """How the user stands to an employee's progress and evidence: owner, their Pejabat
    Penilai (of the plan, or now), the Atasan, an admin whose scope holds the employee."""
    roles = set()
    me = user.employee_id
    if me is not None and me == employee.id:
        roles.add(rules.OWNER)
    elif me is not None:
        if skp is not None and skp.appraiser_id == me:
            roles.add(rules.APPRAISER)
        else:
            appraiser = employee.appraiser()
            if appraiser is not None and appraiser.id == me:
                roles.add(rules.APPRAISER)
        superior = employee.appraiser_superior()
        if superior is not None and superior.id == me:
            roles.add(rules.SUPERIOR)
    if _admin_in_scope(user, employee.unit_id):
        roles.add(rules.ADMIN)
    return roles


def evaluation_relation(user, evaluation) -> set[str]:
    """How the user stands to one evaluation. The Kepala Daerah, Pejabat Penilai of the heads of
    OPD and Atasan of their direct reports, is not a user: an admin BKPSDM records for them."""
    roles = set()
    me = user.employee_id
    if me is not None and me == evaluation.employee_id:
        return {rules.OWNER}
    if evaluation.appraiser_id is not None:
        if me is not None and me == evaluation.appraiser_id:
            roles.add(rules.APPRAISER)
    elif user.role == "admin":
        roles.add(rules.APPRAISER)
    if evaluation.superior_id is not None:
        if me is not None and me == evaluation.superior_id:
            roles.add(rules.SUPERIOR)
    elif user.role == "admin":
        roles.add(rules.SUPERIOR)
    if _admin_in_scope(user, evaluation.unit_id):
        roles.add(rules.ADMIN)
    return roles


def evaluation_people(employee, skp) -> tuple[int | None, int | None]:
    """(Pejabat Penilai id, Atasan id) for an evaluation of this plan."""
    appraiser_id = skp.appraiser_id
    if employee.appraiser_superior_override_id:
        return appraiser_id, employee.appraiser_superior_override_id
    if appraiser_id is None:
        return None, None
    appraiser = Employee.get_or_none(Employee.id == appraiser_id)
    above = appraiser.appraiser() if appraiser else None
    return appraiser_id, above.id if above else None


def rules_context(evaluation, today, **extra) -> rules.Context:
    _, days = year_settings(evaluation.year)
    approved_on = evaluation.approved_at.date() if evaluation.approved_at else None
    return rules.Context(today=today, approved_on=approved_on, objection_days=days,
                         acknowledged=evaluation.acknowledged_at is not None,
                         result_rating=extra.get("result_rating", evaluation.result_rating),
                         behaviour_rating=extra.get("behaviour_rating", evaluation.behaviour_rating),
                         comment=extra.get("comment", ""))


# --- Indicators across revisions and the progress they gathered ----------------------------

def indicator_lineage(skp) -> dict[int, int]:
    """{indicator id in this or an earlier revision: the indicator of this revision}, so the
    progress recorded under an earlier approved revision counts for the revised plan."""
    rows = list(Indicator.select(Indicator.id, Indicator.origin, Rhk.skp)
                .join(Rhk).join(Skp)
                .where((Skp.employee == skp.employee_id) & (Skp.year == skp.year_id)).tuples())
    origin = {ind_id: origin_id for ind_id, origin_id, _ in rows}
    lineage = {}
    for ind_id, _, skp_id in rows:
        if skp_id != skp.id:
            continue
        current, seen = ind_id, set()
        while current is not None and current not in seen:
            seen.add(current)
            lineage[current] = ind_id
            current = origin.get(current)
    return lineage


def progress_values(employee_id, lineage: dict, starts=None, ends=None) -> dict[int, list]:
    """{current indicator id: [(day, quantity)]} of the employee's entries in the range."""
    query = (ProgressEntry.select(ProgressEntry.indicator, ProgressEntry.day, ProgressEntry.quantity)
             .where((ProgressEntry.employee == employee_id)
                    & ProgressEntry.indicator.in_(list(lineage) or [0])))
    if starts:
        query = query.where(ProgressEntry.day >= starts)
    if ends:
        query = query.where(ProgressEntry.day <= ends)
    values = {}
    for indicator_id, day, quantity in query.tuples():
        values.setdefault(lineage[indicator_id], []).append((day, quantity))
    return values


@dataclass
class IndicatorProgress:
    indicator: Indicator
    rhk: Rhk
    target: str
    target_number: object
    quantitative: bool
    entries: int = 0
    realised: object = None
    # In a periodic evaluation: the period's share of the target, and the year so far.
    period_target: object = None
    cumulative: object = None

    @property
    def achievement(self):
        return rules.achievement(self.realised, self.target_number) if self.quantitative else None

    @property
    def period_achievement(self):
        return rules.achievement(self.realised, self.period_target) if self.quantitative else None

    @property
    def cumulative_achievement(self):
        return rules.achievement(self.cumulative, self.target_number) if self.quantitative else None


def plan_progress(skp, starts=None, ends=None) -> tuple[list, dict]:
    """(RHK with `.indicator_list`, {indicator id: IndicatorProgress}) of a plan in a range."""
    rhks = load_rhks([skp.id])
    lineage = indicator_lineage(skp)
    values = progress_values(skp.employee_id, lineage, starts, ends)
    progress = {}
    for rhk in rhks:
        for ind in rhk.indicator_list:
            quantitative = skp.approach == "kuantitatif" and ind.target_min is not None
            vals = values.get(ind.id, [])
            progress[ind.id] = IndicatorProgress(
                ind, rhk, target_label(skp.approach, ind),
                ind.target_max if ind.target_max is not None else ind.target_min, quantitative,
                len(vals), rules.realisation(ind.aspect, vals) if quantitative else None)
    return rhks, progress


def indicator_choices(skp) -> list[tuple[int, str]]:
    return [(ind.id, f"{rhk.kind_label}: {rhk.text} — {ind.text} ({target_label(skp.approach, ind)})")
            for rhk in load_rhks([skp.id]) for ind in rhk.indicator_list]


# --- Progress entries and their evidence ------------------------------------------------------

def timeline(employee_id, limit: int = 50, offset: int = 0) -> list:
    """An employee's entries, newest first, with indicator, RHK, evidence and feedback counts
    (three queries). Each entry gets `.evidence_list` and `.thread`."""
    entries = list(ProgressEntry.select(ProgressEntry, Indicator, Rhk)
                   .join(Indicator).join(Rhk)
                   .where(ProgressEntry.employee == employee_id)
                   .order_by(ProgressEntry.day.desc(), ProgressEntry.id.desc())
                   .limit(limit).offset(offset))
    attach_evidence_and_threads(entries)
    return entries


def attach_evidence_and_threads(entries) -> None:
    by_id = {e.id: e for e in entries}
    for entry in entries:
        entry.evidence_list, entry.thread = [], []
    if not by_id:
        return
    for item in Evidence.select().where(Evidence.entry.in_(list(by_id))).order_by(Evidence.id):
        by_id[item.entry_id].evidence_list.append(item)
    for note in (Feedback.select(Feedback, Employee).join(Employee, on=(Feedback.author == Employee.id))
                 .where(Feedback.entry.in_(list(by_id))).order_by(Feedback.created_at, Feedback.id)):
        by_id[note.entry_id].thread.append(note)


def _store_file(upload_dir: str, ext: str, data: bytes) -> str:
    folder = Path(upload_dir) / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    with open(folder / name, "xb") as fh:
        fh.write(data)
    return name


def evidence_path(upload_dir: str, evidence) -> Path | None:
    """The stored file of an evidence row, only if it lies inside the upload folder."""
    folder = (Path(upload_dir) / "evidence").resolve()
    path = (folder / evidence.stored_name).resolve()
    if not evidence.stored_name or not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


def serve_inline(evidence) -> bool:
    return evidence.stored_name.rsplit(".", 1)[-1] in INLINE


def add_progress(employee, skp, indicator_id, day, start_time, end_time, description, quantity,
                 link="", upload=None, upload_dir=""):
    """Record an entry; `upload` is (filename shown, extension, mime, bytes) already checked."""
    stored = _store_file(upload_dir, upload[1], upload[3]) if upload else None
    try:
        with db.atomic():
            entry = ProgressEntry.create(employee=employee.id, skp=skp.id, indicator=indicator_id,
                                         day=day, start_time=start_time, end_time=end_time,
                                         description=description, quantity=quantity)
            if link:
                Evidence.create(entry=entry.id, kind="link", url=link, filename="")
            if upload:
                Evidence.create(entry=entry.id, kind="file", stored_name=stored,
                                filename=upload[0], mime=upload[2], size=len(upload[3]))
    except Exception:
        if stored:
            (Path(upload_dir) / "evidence" / stored).unlink(missing_ok=True)
        raise
    return entry


def entry_locked(entry) -> bool:
    """An entry already counted in a submitted or decided evaluation is part of the record."""
    return (Evaluation.select().where(
        (Evaluation.employee == entry.employee_id) & (Evaluation.starts <= entry.day)
        & (Evaluation.ends >= entry.day) & (Evaluation.status.not_in(["draft", "returned"])))
        .exists())


def delete_progress(entry, upload_dir: str) -> None:
    files = [e.stored_name for e in entry.evidence if e.kind == "file" and e.stored_name]
    with db.atomic():
        Feedback.delete().where(Feedback.entry == entry.id).execute()
        Evidence.delete().where(Evidence.entry == entry.id).execute()
        entry.delete_instance()
    for name in files:
        (Path(upload_dir) / "evidence" / name).unlink(missing_ok=True)


# --- Continuous feedback and notifications ---------------------------------------------------

def thread(target: str, target_id: int) -> list:
    column = Feedback.entry if target == "entry" else Feedback.rhk
    return list(Feedback.select(Feedback, Employee).join(Employee, on=(Feedback.author == Employee.id))
                .where(column == target_id).order_by(Feedback.created_at, Feedback.id))


def post_feedback(author, employee, target: str, target_id: int, body: str):
    """A comment in the thread of an entry or RHK. The supervisor's comment notifies the
    employee; the employee's reply notifies whoever commented before; both open the thread."""
    link = thread_link(target, target_id)
    existing = thread(target, target_id)
    with db.atomic():
        note = Feedback.create(employee=employee.id, author=author.id, body=body,
                               entry=target_id if target == "entry" else None,
                               rhk=target_id if target == "rhk" else None,
                               parent=existing[0].id if existing else None)
        if author.id == employee.id:
            for other in {n.author_id for n in existing if n.author_id != employee.id}:
                notify(other, f"{employee.full_name} membalas umpan balik Anda", link)
        else:
            notify(employee.id, f"Umpan balik baru dari {author.full_name}", link)
    return note


def feedback_received(employee_id, limit: int = 20) -> list:
    """The latest threads about this employee (entry or RHK), newest first, each a list of
    notes; two queries."""
    roots = list(Feedback.select(Feedback.entry, Feedback.rhk, fn.MAX(Feedback.created_at).alias("last"))
                 .where(Feedback.employee == employee_id)
                 .group_by(Feedback.entry, Feedback.rhk)
                 .order_by(fn.MAX(Feedback.created_at).desc()).limit(limit).tuples())
    if not roots:
        return []
    entry_ids = [e for e, _, _ in roots if e]
    rhk_ids = [r for e, r, _ in roots if r and not e]
    notes = list(Feedback.select(Feedback, Employee, ProgressEntry, Rhk)
                 .join(Employee, on=(Feedback.author == Employee.id))
                 .switch(Feedback).join(ProgressEntry, JOIN.LEFT_OUTER)
                 .switch(Feedback).join(Rhk, JOIN.LEFT_OUTER, on=(Feedback.rhk == Rhk.id))
                 .where((Feedback.employee == employee_id)
                        & (Feedback.entry.in_(entry_ids or [0]) | Feedback.rhk.in_(rhk_ids or [0])))
                 .order_by(Feedback.created_at, Feedback.id))
    grouped = {}
    for note in notes:
        key = ("entry", note.entry_id) if note.entry_id else ("rhk", note.rhk_id)
        grouped.setdefault(key, []).append(note)
    order = [("entry", e) if e else ("rhk", r) for e, r, _ in roots]
    return [(key, grouped[key]) for key in order if key in grouped]


# --- Team -----------------------------------------------------------------------------------

def team_members(supervisor, year: int):
    """Employees this person appraises: by the position tree, by override, or named as
    Pejabat Penilai on this year's plan. One query."""
    by_plan = Skp.select(Skp.employee).where((Skp.appraiser == supervisor.id) & (Skp.year == year))
    condition = (Employee.appraiser_override == supervisor.id) | Employee.id.in_(by_plan)
    if supervisor.position_id:
        direct = Position.select(Position.id).where(Position.parent == supervisor.position_id)
        condition |= Employee.position.in_(direct) & Employee.appraiser_override.is_null()
    return (Employee.with_org().where(condition & Employee.active & (Employee.id != supervisor.id))
            .order_by(Employee.name))


def recent_entries(employee_ids, per_employee: int = 3, since=None) -> dict[int, list]:
    """The latest entries of each employee (a window function: one query whatever the team
    size), with evidence and threads attached."""
    if not employee_ids:
        return {}
    rank = fn.ROW_NUMBER().over(partition_by=[ProgressEntry.employee],
                                order_by=[ProgressEntry.day.desc(), ProgressEntry.id.desc()])
    inner = ProgressEntry.select(ProgressEntry.id, rank.alias("rn")).where(
        ProgressEntry.employee.in_(list(employee_ids)))
    if since:
        inner = inner.where(ProgressEntry.day >= since)
    ranked = inner.alias("ranked")
    entries = list(ProgressEntry.select(ProgressEntry, Indicator, Rhk)
                   .join(Indicator).join(Rhk)
                   .switch(ProgressEntry)
                   .join(ranked, on=(ProgressEntry.id == ranked.c.id))
                   .where(ranked.c.rn <= per_employee)
                   .order_by(ProgressEntry.day.desc(), ProgressEntry.id.desc()))
    attach_evidence_and_threads(entries)
    result = {}
    for entry in entries:
        result.setdefault(entry.employee_id, []).append(entry)
    return result


def _with_people(query):
    return (query.join(Employee, on=(Evaluation.employee == Employee.id))
            .switch(Evaluation).join(Appraiser, JOIN.LEFT_OUTER,
                                     on=(Evaluation.appraiser == Appraiser.id), attr="appraiser")
            .switch(Evaluation).join(Superior, JOIN.LEFT_OUTER,
                                     on=(Evaluation.superior == Superior.id), attr="superior")
            .switch(Evaluation).join(Unit, JOIN.LEFT_OUTER, on=(Evaluation.unit == Unit.id)))


def pending_query(user):
    """Evaluations waiting for this user's rating (None when the user rates nobody)."""
    condition = Evaluation.status == "submitted"
    if user.employee_id is not None:
        mine = Evaluation.appraiser == user.employee_id
        if user.role == "admin":
            mine |= Evaluation.appraiser.is_null()
        condition &= mine & (Evaluation.employee != user.employee_id)
    elif user.role == "admin":
        condition &= Evaluation.appraiser.is_null()
    else:
        return None
    return Evaluation.select().where(condition)


def pending_for(user) -> list:
    """Evaluations waiting for this user's rating with their people, oldest submission first."""
    query = pending_query(user)
    if query is None:
        return []
    return list(_with_people(Evaluation.select(Evaluation, Employee, Appraiser, Superior, Unit))
                .where(Evaluation.id.in_(query.select(Evaluation.id)))
                .order_by(Evaluation.submitted_at, Evaluation.id))


def pending_count(user) -> int:
    query = pending_query(user)
    return query.count() if query is not None else 0


def objections_for(user) -> list:
    """Evaluations under objection that this user decides."""
    query = _with_people(Evaluation.select(Evaluation, Employee, Appraiser, Superior, Unit))
    if user.employee_id is not None:
        mine = Evaluation.superior == user.employee_id
        if user.role == "admin":
            mine |= Evaluation.superior.is_null()
    elif user.role == "admin":
        mine = Evaluation.superior.is_null()
    else:
        return []
    return list(query.where((Evaluation.status == "objected") & mine
                            & (Evaluation.employee != (user.employee_id or 0)))
                .order_by(Evaluation.updated_at, Evaluation.id))


def evaluations_of(employee_ids, year: int) -> dict[int, list]:
    result = {}
    for ev in (Evaluation.select().where(Evaluation.employee.in_(list(employee_ids) or [0])
                                         & (Evaluation.year == year))
               .order_by(Evaluation.kind.desc(), Evaluation.number)):
        result.setdefault(ev.employee_id, []).append(ev)
    return result


# --- One evaluation --------------------------------------------------------------------------

def get_evaluation(evaluation_id):
    return (_with_people(Evaluation.select(Evaluation, Employee, Appraiser, Superior, Unit))
            .where(Evaluation.id == evaluation_id).first())


def get_own(employee_id, year: int, kind: str, number: int):
    return (_with_people(Evaluation.select(Evaluation, Employee, Appraiser, Superior, Unit))
            .where((Evaluation.employee == employee_id) & (Evaluation.year == year)
                   & (Evaluation.kind == kind) & (Evaluation.number == number)).first())


def org_predikat(unit_id, year: int) -> OrgPerformance | None:
    """The organisation predikat of the OPD holding this unit."""
    if not unit_id:
        return None
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        return None
    opd_id = int(unit.path.strip("/").split("/")[0])
    return OrgPerformance.get_or_none((OrgPerformance.unit == opd_id) & (OrgPerformance.year == year))


@dataclass
class EvaluationPage:
    """Everything shown about one evaluation (or a period not yet started), fixed queries."""
    employee: Employee
    skp: Skp
    period: rules.Period
    evaluation: Evaluation | None
    rhks: list = field(default_factory=list)
    progress: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    rhk_feedback: dict = field(default_factory=dict)
    value_feedback: dict = field(default_factory=dict)
    entries: list = field(default_factory=list)
    objection: Objection | None = None
    org: OrgPerformance | None = None
    heads_opd: bool = False
    periodic_results: list = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.evaluation.status if self.evaluation else "draft"


def load_page(employee, skp, period, evaluation=None) -> EvaluationPage:
    page = EvaluationPage(employee, skp, period, evaluation)
    page.rhks, page.progress = plan_progress(skp, period.starts, period.ends)
    lineage = indicator_lineage(skp)
    if period.kind == rules.PERIODIC:
        _add_period_targets(page.progress, skp, period, lineage)
    page.entries = list(ProgressEntry.select(ProgressEntry, Indicator).join(Indicator)
                        .where((ProgressEntry.employee == employee.id)
                               & ProgressEntry.indicator.in_(list(lineage) or [0])
                               & (ProgressEntry.day >= period.starts) & (ProgressEntry.day <= period.ends))
                        .order_by(ProgressEntry.day, ProgressEntry.id))
    attach_evidence_and_threads(page.entries)
    for entry in page.entries:
        entry.current_indicator_id = lineage.get(entry.indicator_id)
    if evaluation is not None:
        page.items = {i.indicator_id: i for i in EvaluationItem.select()
                      .where(EvaluationItem.evaluation == evaluation.id)}
        for fb in EvaluationFeedback.select().where(EvaluationFeedback.evaluation == evaluation.id):
            if fb.rhk_id:
                page.rhk_feedback[fb.rhk_id] = fb.text
            else:
                page.value_feedback[fb.value] = fb.text
        page.objection = Objection.get_or_none(Objection.evaluation == evaluation.id)
    page.org = org_predikat(employee.unit_id, period.year)
    page.heads_opd = skp.appraiser_id is None or opd_headed_by(employee) is not None
    if period.kind == rules.ANNUAL:
        page.periodic_results = list(Evaluation.select().where(
            (Evaluation.employee == employee.id) & (Evaluation.year == period.year)
            & (Evaluation.kind == rules.PERIODIC)).order_by(Evaluation.number))
    return page


def _add_period_targets(progress: dict, skp, period, lineage: dict) -> None:
    """Each quantitative indicator's share of its yearly target for the period, and what the
    year has realised up to the period's end (one query for all of them)."""
    plan_days = (skp.period_end - skp.period_start).days + 1
    period_days = (min(period.ends, skp.period_end) - max(period.starts, skp.period_start)).days + 1
    so_far = progress_values(skp.employee_id, lineage, skp.period_start, period.ends)
    for indicator_id, p in progress.items():
        if not p.quantitative:
            continue
        p.period_target = rules.period_target(p.indicator.aspect, p.target_number, period_days, plan_days)
        p.cumulative = rules.realisation(p.indicator.aspect, so_far.get(indicator_id, []))


def _audit(actor, action, evaluation, summary, before=None, after=None):
    AuditLog.record(actor, action, "evaluation", evaluation.id, summary, before=before,
                    after=after, unit=evaluation.unit_id)


def _label(evaluation, employee) -> str:
    period = find_period(evaluation.year, SLUG_OF_KIND.get(evaluation.kind, ""), evaluation.number)
    return f"evaluasi {period.label if period else evaluation.year} {employee.full_name}"


def save_own(user, employee, skp, period, values: dict, self_note: str, submit: bool, today):
    """Create or update the employee's evaluation of a period and, when asked, submit it.
    values: {indicator id: (prefilled, realisation, text, reason)}."""
    with db.atomic():
        evaluation = Evaluation.get_or_none(
            (Evaluation.employee == employee.id) & (Evaluation.year == period.year)
            & (Evaluation.kind == period.kind) & (Evaluation.number == period.number))
        created = evaluation is None
        if created:
            appraiser_id, superior_id = evaluation_people(employee, skp)
            evaluation = Evaluation.create(
                employee=employee.id, skp=skp.id, year=period.year, kind=period.kind,
                number=period.number, starts=period.starts, ends=period.ends,
                unit=employee.unit_id, appraiser=appraiser_id, superior=superior_id)
        before = snapshot(evaluation, EVALUATION_AUDIT_FIELDS)
        roles = {rules.OWNER}
        state = rules.transition("submit" if submit else "edit", evaluation.status, roles)
        evaluation.self_note = self_note
        evaluation.skp = skp.id
        if submit:
            evaluation.appraiser, evaluation.superior = evaluation_people(employee, skp)
            evaluation.unit = employee.unit_id
            evaluation.submitted_at = utcnow()
        evaluation.status = state
        evaluation.updated_at = utcnow()
        evaluation.save()
        EvaluationItem.delete().where(EvaluationItem.evaluation == evaluation.id).execute()
        rows = [{"evaluation": evaluation.id, "indicator": ind_id, "prefilled": pre,
                 "realisation": real, "realisation_text": text or "", "adjustment_reason": reason or ""}
                for ind_id, (pre, real, text, reason) in values.items()]
        if rows:
            EvaluationItem.insert_many(rows).execute()
        label = _label(evaluation, employee)
        _audit(user, "create" if created and not submit else ("submit" if submit else "update"),
               evaluation, f"{'Mengajukan' if submit else 'Menyimpan'} {label}",
               before=None if created else before,
               after=snapshot(evaluation, EVALUATION_AUDIT_FIELDS))
        if submit:
            notify(evaluation.appraiser_id, f"{employee.full_name} mengajukan {label[9:]}",
                   evaluation_link(evaluation.id))
    return evaluation


def rate(user, evaluation, roles, action: str, result, behaviour, rhk_feedback: dict,
         value_feedback: dict, comment: str, today):
    """The Pejabat Penilai saves feedback and ratings ("rate"), approves or returns."""
    ctx = rules_context(evaluation, today, result_rating=result, behaviour_rating=behaviour,
                        comment=comment)
    with db.atomic():
        fresh = Evaluation.get_by_id(evaluation.id)  # the state as it is now, not as loaded
        state = rules.transition(action, fresh.status, roles, ctx)
        before = snapshot(fresh, EVALUATION_AUDIT_FIELDS)
        EvaluationFeedback.delete().where(EvaluationFeedback.evaluation == fresh.id).execute()
        rows = [{"evaluation": fresh.id, "rhk": rhk_id, "value": "", "text": text}
                for rhk_id, text in rhk_feedback.items() if text]
        rows += [{"evaluation": fresh.id, "rhk": None, "value": code, "text": text}
                 for code, text in value_feedback.items() if text]
        if rows:
            EvaluationFeedback.insert_many(rows).execute()
        fresh.result_rating, fresh.behaviour_rating = result or None, behaviour or None
        fresh.predikat = rules.predikat(fresh.result_rating, fresh.behaviour_rating)
        fresh.status = state
        if action == "return":
            fresh.return_comment = comment
        if action == "approve":
            fresh.approved_at, fresh.approved_by = utcnow(), user.id
            fresh.return_comment = ""
        fresh.updated_at = utcnow()
        fresh.save()
        employee = Employee.get_by_id(fresh.employee_id)
        label = _label(fresh, employee)
        verbs = {"rate": "Menyimpan penilaian", "approve": "Menetapkan", "return": "Mengembalikan"}
        after = snapshot(fresh, EVALUATION_AUDIT_FIELDS)
        if action != "rate" or before != after:
            _audit(user, action, fresh, f"{verbs[action]} {label}", before=before, after=after)
        link = evaluation_link(fresh.id)
        if action == "approve":
            notify(fresh.employee_id, f"Evaluasi Anda ditetapkan: predikat "
                                      f"{rules.predikat_label(fresh.predikat)}", link)
        elif action == "return":
            notify(fresh.employee_id, "Evaluasi Anda dikembalikan untuk diperbaiki", link)
    return fresh


def acknowledge(user, evaluation, today):
    with db.atomic():
        fresh = Evaluation.get_by_id(evaluation.id)
        rules.transition("acknowledge", fresh.status, {rules.OWNER}, rules_context(fresh, today))
        before = snapshot(fresh, ["acknowledged_at"])
        fresh.acknowledged_at = utcnow()
        fresh.save()
        _audit(user, "acknowledge", fresh, "Pegawai menerima hasil evaluasi",
               before=before, after=snapshot(fresh, ["acknowledged_at"]))
    return fresh


def file_objection(user, evaluation, reasons: str, today):
    with db.atomic():
        fresh = Evaluation.get_by_id(evaluation.id)
        state = rules.transition("object", fresh.status, {rules.OWNER}, rules_context(fresh, today))
        before = snapshot(fresh, EVALUATION_AUDIT_FIELDS)
        Objection.create(evaluation=fresh.id, reasons=reasons, result_before=fresh.result_rating,
                         behaviour_before=fresh.behaviour_rating, predikat_before=fresh.predikat)
        fresh.status = state
        fresh.updated_at = utcnow()
        fresh.save()
        employee = Employee.get_by_id(fresh.employee_id)
        _audit(user, "object", fresh, f"Keberatan atas {_label(fresh, employee)}", before=before,
               after={**snapshot(fresh, EVALUATION_AUDIT_FIELDS), "reasons": reasons})
        link = evaluation_link(fresh.id)
        notify(fresh.superior_id, f"{employee.full_name} mengajukan keberatan atas evaluasinya", link)
    return fresh


def decide_objection(user, evaluation, roles, result, behaviour, decision: str, today):
    """The Atasan's final decision; the ratings may change, the ones before are kept."""
    ctx = rules_context(evaluation, today, result_rating=result, behaviour_rating=behaviour)
    with db.atomic():
        fresh = Evaluation.get_by_id(evaluation.id)
        state = rules.transition("decide", fresh.status, roles, ctx)
        objection = Objection.get(Objection.evaluation == fresh.id)
        before = snapshot(fresh, EVALUATION_AUDIT_FIELDS)
        fresh.result_rating, fresh.behaviour_rating = result, behaviour
        fresh.predikat = rules.predikat(result, behaviour)
        fresh.status = state
        fresh.updated_at = utcnow()
        fresh.save()
        objection.status = "decided"
        objection.result_after, objection.behaviour_after = result, behaviour
        objection.predikat_after = fresh.predikat
        objection.decision = decision
        objection.decided_at, objection.decided_by = utcnow(), user.id
        objection.save()
        employee = Employee.get_by_id(fresh.employee_id)
        changed = before["predikat"] != fresh.predikat or before["result_rating"] != result \
            or before["behaviour_rating"] != behaviour
        _audit(user, "decide", fresh,
               f"Keputusan keberatan {_label(fresh, employee)}"
               + (" (rating diubah)" if changed else " (rating tetap)"),
               before=before, after={**snapshot(fresh, EVALUATION_AUDIT_FIELDS), "decision": decision})
        link = evaluation_link(fresh.id)
        notify(fresh.employee_id, f"Keberatan Anda diputuskan: predikat "
                                  f"{rules.predikat_label(fresh.predikat)}", link)
        notify(fresh.appraiser_id, f"Keberatan {employee.full_name} telah diputuskan", link)
    return fresh


# --- Organisation predikat, the curve and the recap ---------------------------------------------

def set_org_predikat(user, opd, year: int, predikat: str, note: str):
    with db.atomic():
        row = OrgPerformance.get_or_none((OrgPerformance.unit == opd.id) & (OrgPerformance.year == year))
        before = snapshot(row, ["predikat", "note"]) if row else None
        if row is None:
            row = OrgPerformance(unit=opd.id, year=year)
        row.predikat, row.note, row.set_by, row.set_at = predikat, note, user.id, utcnow()
        row.save()
        AuditLog.record(user, "update" if before else "create", "org_performance", row.id,
                        f"Predikat organisasi {opd.name} {year}: {rules.ORG_PREDIKATS[predikat]}",
                        before=before, after=snapshot(row, ["predikat", "note"]), unit=opd.id)
    return row


def distribution(opd, year: int, kind: str, number: int) -> dict[str, int]:
    """Counts of employee predikat in force in an OPD for a period; one aggregate query."""
    rows = (Evaluation.select(Evaluation.predikat, fn.COUNT(Evaluation.id))
            .join(Unit, on=(Evaluation.unit == Unit.id))
            .where(Unit.within(opd) & (Evaluation.year == year) & (Evaluation.kind == kind)
                   & (Evaluation.number == number) & Evaluation.status.in_(VISIBLE_STATES)
                   & Evaluation.predikat.is_null(False))
            .group_by(Evaluation.predikat).tuples())
    counts = {key: 0 for key in rules.PREDIKATS}
    for key, n in rows:
        if key in counts:
            counts[key] = n
    return counts


def opd_overview(year: int, kind: str, number: int, scope=None) -> list:
    """Per OPD: the organisation predikat and the employee predikat counts."""
    opds = list(Unit.opds() if scope is None else Unit.select().where(
        (Unit.id == scope.id) & Unit.active))
    orgs = {o.unit_id: o for o in OrgPerformance.select().where(OrgPerformance.year == year)}
    # Grouped by unit, then folded into OPDs through the unit paths: portable SQL, and
    # three queries whatever the number of units.
    opd_of = {uid: int(path.strip("/").split("/")[0])
              for uid, path in Unit.select(Unit.id, Unit.path).tuples() if path.strip("/")}
    counts = {}
    for unit_id, key, n in (Evaluation.select(Evaluation.unit, Evaluation.predikat,
                                              fn.COUNT(Evaluation.id))
                            .where((Evaluation.year == year) & (Evaluation.kind == kind)
                                   & (Evaluation.number == number)
                                   & Evaluation.status.in_(VISIBLE_STATES)
                                   & Evaluation.predikat.is_null(False))
                            .group_by(Evaluation.unit, Evaluation.predikat).tuples()):
        opd_counts = counts.setdefault(opd_of.get(unit_id), {})
        opd_counts[key] = opd_counts.get(key, 0) + n
    return [(opd, orgs.get(opd.id), counts.get(opd.id, {})) for opd in opds]


def recap_rows(unit, year: int, kind: str, number: int) -> list:
    """Every active employee of the unit (and sub-units) with their evaluation of the period:
    plain tuples (nip, full name, position, unit, status, result, behaviour, predikat,
    approved_at), since a large OPD has thousands of rows."""
    ev = Evaluation.alias("ev")
    query = (Employee.select(Employee.nip, Employee.name, Employee.title_front, Employee.title_back,
                             Position.name, Unit.name, ev.status, ev.result_rating,
                             ev.behaviour_rating, ev.predikat, ev.approved_at)
             .join(Position, JOIN.LEFT_OUTER, on=(Employee.position == Position.id))
             .switch(Employee).join(Unit, on=(Employee.unit == Unit.id))
             .switch(Employee).join(ev, JOIN.LEFT_OUTER, on=(
                 (ev.employee == Employee.id) & (ev.year == year) & (ev.kind == kind)
                 & (ev.number == number)))
             .where(Unit.within(unit) & Employee.active)
             .order_by(Unit.path, Employee.name))
    return [(nip, Employee(name=name, title_front=front, title_back=back).full_name, position or "",
             unit_name, *rest) for nip, name, front, back, position, unit_name, *rest in query.tuples()]
