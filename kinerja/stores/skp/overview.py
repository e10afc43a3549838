"""The team overview (the status of every employee's plan per unit) and the Pejabat
Penilai's approval inbox: counted in SQL before display, a fixed number of queries per
page whatever the number of rows."""
from peewee import JOIN, fn

from ...models import Employee, PerformanceYear, Skp, Unit
from ...paging import Page
from ...rules import skp as rules

# --- Team overview ----------------------------------------------------------------------


def admin_team(scope):
    """Employees an admin overviews and the units to filter on; `scope` None: the regency."""
    employees = Employee.with_org().where(Employee.active)
    units = Unit.select().where(Unit.active)
    if scope is not None:
        employees = employees.where(Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(scope))))
        units = units.where(Unit.within(scope))
    return employees, list(units.order_by(Unit.name))


def supervisor_team(employee_id):
    """A supervisor's subordinates and their units; (None, []) for nobody to overview."""
    if not employee_id:
        return None, []
    base = Employee.get_by_id(employee_id).subordinates()
    units = list(Unit.select().where(Unit.id.in_(base.select(Employee.unit))).order_by(Unit.name))
    if not units:
        return None, []
    return base, units


def latest_revisions(year: int):
    """Subquery: the newest revision number per employee for a year."""
    return (Skp.select(Skp.employee.alias("employee_id"), fn.MAX(Skp.revision).alias("revision"))
            .where(Skp.year == year).group_by(Skp.employee).alias("latest"))


def with_latest_plan(query, year: int):
    """Join an Employee query to each employee's newest SKP revision of the year (if any);
    the plan comes back as `employee.plan`."""
    latest = latest_revisions(year)
    Plan = Skp.alias("plan")
    return (query.switch(Employee)
            .join(latest, JOIN.LEFT_OUTER, on=(latest.c.employee_id == Employee.id))
            .switch(Employee)
            .join(Plan, JOIN.LEFT_OUTER,
                  on=((Plan.employee == Employee.id) & (Plan.year == year)
                      & (Plan.revision == latest.c.revision)), attr="plan")
            .select_extend(Plan.id, Plan.status, Plan.revision, Plan.submitted_at, Plan.decided_at)), Plan


def team_overview(base, year: int, *, unit=None, status: str = "", q: str = "", page: int = 1,
                  per_page: int = 100):
    """(counts {unit id: {status: n}}, totals {status: n}, Page) of the employees of `base`
    within `unit`, matching `q` (NIP prefix or part of the name), listed for one status
    ("" for all)."""
    if unit is not None:
        base = base.where(Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(unit))))
    base = Employee.search(q, base)
    joined, plan = with_latest_plan(base, year)
    overview_status = fn.COALESCE(plan.status, "belum")
    counts = {}
    for unit_key, label, count in (joined.select(Unit.id, overview_status, fn.COUNT(Employee.id))
                                   .group_by(Unit.id, plan.status).order_by().tuples()):
        per_unit = counts.setdefault(unit_key, {})
        key = rules.team_status(None if label == "belum" else label)
        per_unit[key] = per_unit.get(key, 0) + count
    totals = {key: sum(c.get(key, 0) for c in counts.values()) for key in rules.TEAM_STATUSES}
    if status == "belum":
        joined = joined.where(plan.id.is_null())
    elif status:
        joined = joined.where(plan.status == status)
    # The counts above already hold the number of rows: no second pass over the joins.
    listing = Page(joined.order_by(Unit.name, Employee.name, Employee.id), page, per_page,
                   total=totals[status] if status else sum(totals.values()))
    return counts, totals, listing


# --- Approval inbox ---------------------------------------------------------------------

class Inbox:
    """The plans one account decides: those whose Pejabat Penilai it is, and for the admin
    BKPSDM those of the heads of OPD (the Kepala Daerah appraises them)."""

    def __init__(self, employee_id, for_kepala_daerah: bool):
        self.employee_id, self.for_kepala_daerah = employee_id, for_kepala_daerah
        condition = None
        if employee_id:
            condition = Skp.appraiser == employee_id
        if for_kepala_daerah:
            heads = Skp.appraiser.is_null()
            condition = heads if condition is None else (condition | heads)
        self.condition = condition

    @property
    def decides_anything(self) -> bool:
        return self.condition is not None

    def rows(self, show: str) -> list:
        """"menunggu": the plans waiting for a decision; otherwise every plan sent."""
        statuses = ["submitted"] if show == "menunggu" else ["submitted", "returned", "approved"]
        return list(Skp.select(Skp, Employee, PerformanceYear)
                    .join(Employee, on=(Skp.employee == Employee.id))
                    .switch(Skp).join(PerformanceYear)
                    .where(self.condition & Skp.status.in_(statuses))
                    .order_by(Skp.year.desc(), Employee.name, Skp.id))

    def pending_ids(self) -> list[int]:
        """The waiting plans in the order the inbox lists them."""
        return [i for (i,) in Skp.select(Skp.id).join(Employee, on=(Skp.employee == Employee.id))
                .where(self.condition & (Skp.status == "submitted"))
                .order_by(Skp.year.desc(), Employee.name, Skp.id).tuples()]

    def pending_count(self) -> int:
        if self.condition is None:
            return 0
        return Skp.select().where(self.condition & (Skp.status == "submitted")).count()

    def has_team(self, rows) -> bool:
        return bool(rows) or self.for_kepala_daerah or (
            Employee.get_by_id(self.employee_id).subordinates().exists())
