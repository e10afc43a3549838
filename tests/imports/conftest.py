"""Fixtures of the SIASN import tests."""
import pytest

from kinerja.models import Employee, Position, Unit
from kinerja.spreadsheets import read_rows
from kinerja.stores.siasn.plan import Scope
from kinerja.stores.siasn.planner import plan_import
from kinerja.stores.siasn.writer import load_snapshot

from ..support.app import TODAY
from ..support.siasn import counts


@pytest.fixture
def planner(in_db):
    def run(data: bytes, filename="pegawai.csv", scope=None):
        def plan():
            headers, rows = read_rows(filename, data)
            return plan_import(headers, rows, load_snapshot(), scope, today=TODAY)
        return in_db(plan)
    return run


@pytest.fixture
def demo(in_db):
    """A few demo facts: the head of Puskesmas Sukamaju and the DINKES scope."""
    def facts():
        head = (Employee.select().join(Position, on=(Employee.position == Position.id))
                .where(Position.name == "Kepala UPTD Puskesmas Sukamaju").get())
        yankes = (Employee.select().join(Position, on=(Employee.position == Position.id))
                  .where(Position.name == "Kepala Bidang Pelayanan Kesehatan").get())
        dinkes = Unit.get(Unit.code == "DINKES")
        return {"head": head.nip, "yankes_head": yankes.nip, "yankes_position": yankes.position_id,
                "scope": Scope(dinkes.path, dinkes.name), "counts": counts()}
    return in_db(facts)
