"""Look-ups and steps shared by the ledger tests."""
from kinerja.models import Employee, Evaluation, Unit, User
from kinerja.rules.evaluation import WITH_PREDIKAT


APPROVE = {"sk_number": "800.1.12/77/BKPSDM/2026", "sk_date": "2026-11-20", "valid_from": "2026-11-20"}


def account(employee) -> User:
    return User.get(User.employee == employee.id)


def admin() -> User:
    return User.get(User.username == "admin")


def rated(employee) -> Evaluation:
    """An evaluation of the employee with its predikat in force."""
    return (Evaluation.select().where((Evaluation.employee == employee.id)
                                      & Evaluation.status.in_(WITH_PREDIKAT))
            .order_by(Evaluation.id.desc()).first())


def outsider() -> Employee:
    """Someone in another OPD: neither the demo Pejabat Penilai nor the Kepala Dinas Kesehatan
    may propose for them."""
    return (Employee.select().join(Unit, on=(Employee.unit == Unit.id))
            .where(Unit.code == "DISDIK").order_by(Employee.id).first())


def prefixed(decision, data: dict) -> dict:
    return {f"d{decision.id}-{key}": value for key, value in data.items()}
