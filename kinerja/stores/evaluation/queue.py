"""The supervisor's side: the team with its recent progress, the evaluations waiting for a
rating, and the objections waiting for a decision."""
from peewee import JOIN, fn

from ...models import Employee, Evaluation, Position, ProgressEntry, Indicator, Rhk, Skp, Unit
from ...rules import evaluation as rules
from .progress import attach_evidence_and_threads, paging

Appraiser = Employee.alias("appraiser_employee")
Superior = Employee.alias("superior_employee")


def with_people(query):
    """An evaluation query joined to its employee, Pejabat Penilai, Atasan and unit."""
    return (query.join(Employee, on=(Evaluation.employee == Employee.id))
            .switch(Evaluation).join(Appraiser, JOIN.LEFT_OUTER,
                                     on=(Evaluation.appraiser == Appraiser.id), attr="appraiser")
            .switch(Evaluation).join(Superior, JOIN.LEFT_OUTER,
                                     on=(Evaluation.superior == Superior.id), attr="superior")
            .switch(Evaluation).join(Unit, JOIN.LEFT_OUTER, on=(Evaluation.unit == Unit.id)))


def evaluations_with_people():
    return with_people(Evaluation.select(Evaluation, Employee, Appraiser, Superior, Unit))


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


def team_page(supervisor, year: int, number: int, per_page: int) -> tuple[list, dict]:
    """One page of the team, and where it stands among the pages."""
    if supervisor is None:
        return [], paging(0, 1, per_page)
    query = team_members(supervisor, year)
    page = paging(query.count(), number, per_page)
    return list(query.paginate(page["number"], per_page)), page


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


def evaluations_of(employee_ids, year: int) -> dict[int, list]:
    result = {}
    for ev in (Evaluation.select().where(Evaluation.employee.in_(list(employee_ids) or [0])
                                         & (Evaluation.year == year))
               .order_by(Evaluation.kind.desc(), Evaluation.number)):
        result.setdefault(ev.employee_id, []).append(ev)
    return result


# --- What waits for this user ---------------------------------------------------------------

def _theirs(user, column):
    """The condition "`column` names this user", with the rows naming nobody (the Kepala
    Daerah) for an admin BKPSDM; None when the user can be named by no evaluation."""
    for_kepala_daerah = rules.records_for_kepala_daerah(user)
    if user.employee_id is not None:
        mine = column == user.employee_id
        return mine | column.is_null() if for_kepala_daerah else mine
    return column.is_null() if for_kepala_daerah else None


def pending_query(user):
    """Evaluations waiting for this user's rating (None when the user rates nobody)."""
    theirs = _theirs(user, Evaluation.appraiser)
    if theirs is None:
        return None
    condition = (Evaluation.status == "submitted") & theirs
    if user.employee_id is not None:
        condition &= Evaluation.employee != user.employee_id
    return Evaluation.select().where(condition)


def pending_for(user) -> list:
    """Evaluations waiting for this user's rating with their people, oldest submission first."""
    query = pending_query(user)
    if query is None:
        return []
    return list(evaluations_with_people()
                .where(Evaluation.id.in_(query.select(Evaluation.id)))
                .order_by(Evaluation.submitted_at, Evaluation.id))


def pending_count(user) -> int:
    query = pending_query(user)
    return query.count() if query is not None else 0


def objections_query(user):
    """Evaluations under objection that this user decides (None when the user decides none)."""
    theirs = _theirs(user, Evaluation.superior)
    if theirs is None:
        return None
    return (evaluations_with_people()
            .where((Evaluation.status == "objected") & theirs
                   & (Evaluation.employee != (user.employee_id or 0))))


def objections_for(user) -> list:
    query = objections_query(user)
    return [] if query is None else list(query.order_by(Evaluation.updated_at, Evaluation.id))
