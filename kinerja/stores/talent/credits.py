"""Angka kredit of functional staff: each evaluated period and year of an employee, the
running total against the next pangkat, for one person or a list (constant queries)."""
from dataclasses import dataclass
from decimal import Decimal


from ...models import Employee, Evaluation, Position, Setting, Unit
from ...rules import credits as rules
from ...rules.evaluation import ANNUAL, WITH_PREDIKAT
from ...rules.evaluation import periods as year_periods, annual_period

FUNCTIONAL = "fungsional"


def tables() -> tuple[dict, dict]:
    """(coefficients, requirements) per jenjang: the defaults with the regency's settings."""
    return (rules.table(rules.DEFAULT_COEFFICIENTS, Setting.get_value(rules.COEFFICIENT_SETTING)),
            rules.table(rules.DEFAULT_REQUIREMENTS, Setting.get_value(rules.REQUIREMENT_SETTING)))


@dataclass
class Credit:
    employee: Employee
    jenjang: str | None
    coefficient: Decimal | None
    standing: rules.Standing | None

    @property
    def jenjang_label(self) -> str:
        return rules.JENJANGS.get(self.jenjang, "Jenjang tidak dikenali")


def _label(ev) -> str:
    if ev.kind == ANNUAL:
        return annual_period(ev.year).label
    for period in year_periods(ev.year, _cadence_of(ev)):
        if period.number == ev.number and period.starts == ev.starts:
            return period.label
    return f"{ev.starts:%d-%m-%Y} s.d. {ev.ends:%d-%m-%Y}"


def _cadence_of(ev) -> str:
    months = (ev.ends.year - ev.starts.year) * 12 + ev.ends.month - ev.starts.month + 1
    return {1: "bulanan", 3: "triwulanan", 6: "semesteran"}.get(months, "triwulanan")


def credits_for(employees: list) -> list[Credit]:
    """The angka kredit of each employee (with their position loaded), in their order."""
    coefficients, requirements = tables()
    evaluations = {}
    if employees:
        for ev in (Evaluation.select(Evaluation.employee, Evaluation.year, Evaluation.kind,
                                     Evaluation.number, Evaluation.starts, Evaluation.ends,
                                     Evaluation.predikat)
                   .where(Evaluation.employee.in_([e.id for e in employees])
                          & Evaluation.status.in_(WITH_PREDIKAT))
                   .order_by(Evaluation.year, Evaluation.kind, Evaluation.number)):
            evaluations.setdefault(ev.employee_id, []).append(ev)
    result = []
    for employee in employees:
        jenjang = rules.jenjang_of(employee.position.name if employee.position_id else "")
        if jenjang is None:
            result.append(Credit(employee, None, None, None))
            continue
        coefficient = coefficients[jenjang]
        rows = [row for row in (rules.earned(coefficient, ev.year, ev.kind, ev.number, _label(ev),
                                             ev.starts, ev.ends, ev.predikat)
                                for ev in evaluations.get(employee.id, [])) if row]
        result.append(Credit(employee, jenjang, coefficient,
                             rules.standing(rows, requirements[jenjang])))
    return result


def functional_query():
    return (Employee.with_org().where(Employee.active & (Position.kind == FUNCTIONAL))
            .order_by(Employee.name, Employee.id))


def in_unit(unit: Unit | None):
    """Functional employees of a unit and its sub-units (the regency when None)."""
    query = functional_query()
    return query if unit is None else query.where(Unit.path.startswith(unit.path))


def team_of(appraiser: Employee) -> list[Employee]:
    """The functional employees whose Pejabat Penilai is `appraiser`."""
    return [e for e in appraiser.subordinates() if e.position_id and e.position.kind == FUNCTIONAL]


def employee_with_org(employee_id: int) -> Employee | None:
    return Employee.with_org().where(Employee.id == employee_id).first()


