"""Performance years with their settings (read by the SKP and evaluation areas), and each
OPD's organisation goals (Sasaran Strategis / IKU of the Perjanjian Kinerja) that the head
of the OPD cascades from."""
from peewee import fn

from ...models import AuditLog, OrgGoal, PerformanceYear, Rhk, Unit, db, snapshot
from ...rules import DomainError

YEAR_FIELDS = ["year", "skp_deadline", "evaluation_cadence", "objection_days", "peer_min_raters", "is_open"]
YEAR_SETTINGS = YEAR_FIELDS[1:]  # the year itself is the key and never changes
GOAL_FIELDS = ["unit", "year", "goal", "indicator", "target", "order"]
GOAL_IN_USE = "Sasaran ini sudah diintervensi oleh RHK kepala OPD; ubah RHK tersebut terlebih dahulu."


# --- Years ------------------------------------------------------------------------------

def all_years() -> list:
    return list(PerformanceYear.select().order_by(PerformanceYear.year.desc()))


def open_years() -> list:
    return list(PerformanceYear.select().where(PerformanceYear.is_open).order_by(PerformanceYear.year.desc()))


def get_year(year):
    return PerformanceYear.get_or_none(PerformanceYear.year == year)


def current_year(today, requested=None):
    """The year asked for, else the one today falls in, else the newest open one."""
    if requested is not None:
        year = get_year(requested)
        if year is not None:
            return year
    return PerformanceYear.for_date(today)


def open_year(settings: dict, actor):
    """A new performance year; `settings` holds the year and YEAR_SETTINGS."""
    with db.atomic():
        if get_year(settings["year"]) is not None:
            raise DomainError(f"Tahun {settings['year']} sudah dibuka.", field="year")
        year = PerformanceYear.create(**{name: settings[name] for name in YEAR_FIELDS})
        AuditLog.record(actor, "create", "performance_year", year.year,
                        f"Tahun kinerja {year.year} dibuka", after=snapshot(year, YEAR_FIELDS))
    return year


def change_year(year: int, settings: dict, actor):
    with db.atomic():
        row = get_year(year)
        if row is None:
            raise DomainError(f"Tahun kinerja {year} tidak ditemukan.")
        before = snapshot(row, YEAR_FIELDS)
        for name in YEAR_SETTINGS:
            setattr(row, name, settings[name])
        row.save()
        AuditLog.record(actor, "update", "performance_year", row.year,
                        f"Pengaturan tahun kinerja {row.year} diubah", before=before,
                        after=snapshot(row, YEAR_FIELDS))
    return row


# --- Organisation goals -----------------------------------------------------------------

def opds(scope) -> list:
    """The active OPDs within an admin's scope (None: the whole regency)."""
    query = Unit.select().where(Unit.parent.is_null() & Unit.active)
    if scope is not None:
        query = query.where(Unit.within(scope))
    return list(query.order_by(Unit.name))


def get_goal(goal_id):
    """The goal and its OPD, or (None, None)."""
    goal = OrgGoal.get_or_none(OrgGoal.id == goal_id)
    return (goal, Unit.get_by_id(goal.unit_id)) if goal else (None, None)


def goals_of(opd, year) -> tuple[list, set]:
    """The OPD's goals of the year in order, and those some RHK intervenes in."""
    goals = list(OrgGoal.select().where((OrgGoal.unit == opd.id) & (OrgGoal.year == year.year))
                 .order_by(OrgGoal.order, OrgGoal.id)) if opd and year else []
    used = set()
    if goals:
        used = {g for (g,) in Rhk.select(Rhk.org_goal).where(Rhk.org_goal.in_([g.id for g in goals]))
                .distinct().tuples()}
    return goals, used


def add_goal(opd, year: int, text: dict, actor):
    """`text` holds goal, indicator and target."""
    with db.atomic():
        last = (OrgGoal.select(fn.MAX(OrgGoal.order))
                .where((OrgGoal.unit == opd.id) & (OrgGoal.year == year)).scalar())
        goal = OrgGoal.create(unit=opd.id, year=year, goal=text["goal"].strip(),
                              indicator=text["indicator"].strip(),
                              target=(text["target"] or "").strip(), order=(last or 0) + 1)
        AuditLog.record(actor, "create", "org_goal", goal.id,
                        f"Sasaran {opd.name} {year}: {goal.goal}"[:255],
                        after=snapshot(goal, GOAL_FIELDS), unit=opd.id)
    return goal


def change_goal(goal_id, text: dict, actor):
    with db.atomic():
        goal = _goal(goal_id)
        before = snapshot(goal, GOAL_FIELDS)
        goal.goal, goal.indicator = text["goal"].strip(), text["indicator"].strip()
        goal.target = (text["target"] or "").strip()
        goal.save()
        AuditLog.record(actor, "update", "org_goal", goal.id,
                        f"Sasaran diubah: {goal.goal}"[:255], before=before,
                        after=snapshot(goal, GOAL_FIELDS), unit=goal.unit_id)
    return goal


def delete_goal(goal_id, actor) -> None:
    """Refused while an RHK intervenes in the goal: the cascade would lose its root."""
    with db.atomic():
        goal = _goal(goal_id)
        if Rhk.select().where(Rhk.org_goal == goal.id).exists():
            raise DomainError(GOAL_IN_USE)
        before = snapshot(goal, GOAL_FIELDS)
        goal.delete_instance()
        AuditLog.record(actor, "delete", "org_goal", goal_id, f"Sasaran dihapus: {goal.goal}"[:255],
                        before=before, unit=goal.unit_id)


def _goal(goal_id):
    goal = OrgGoal.get_or_none(OrgGoal.id == goal_id)
    if goal is None:
        raise DomainError("Sasaran ini sudah dihapus.")
    return goal
