"""Fixtures of the complaint tests: the demo Puskesmas Sukamaju desk and its handler."""
import pytest

from kinerja.models import ComplaintDesk, Employee, ServiceUnit, User

from ..support import database
from ..support.app import login


@pytest.fixture
def desk(app):
    """Names of the demo desk: service unit code and id, the handler's username."""
    with database(app):
        su = ServiceUnit.get(ServiceUnit.code == "pkm-sukamaju")
        d = ComplaintDesk.get(ComplaintDesk.service_unit == su)
        handler = User.get(User.employee == d.handler_id)
        return {"code": su.code, "id": su.id, "handler": handler.username,
                "handler_employee": d.handler_id}


@pytest.fixture
def as_user(app):
    """A new client signed in as `username` (several people can act in one test)."""
    def sign_in(username):
        client = app.test_client()
        assert login(client, username).status_code == 302
        return client
    return sign_in


@pytest.fixture
def admin_client(app, accounts):
    client = app.test_client()
    assert login(client, accounts["admin"]).status_code == 302
    return client


def other_employee_username(unit_code: str) -> str:
    """An account of an employee of that unit who handles no complaints."""
    handlers = ComplaintDesk.select(ComplaintDesk.handler).where(ComplaintDesk.handler.is_null(False))
    from kinerja.models import Unit
    return (User.select(User).join(Employee).join(Unit)
            .where((Unit.code == unit_code) & ~(Employee.id.in_(handlers)) & (User.role == "pegawai"))
            .order_by(User.id).first().username)
