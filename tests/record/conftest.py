"""The people of the record tests: the demo cast of the evaluation tests and a few more."""
from dataclasses import dataclass

import pytest

from kinerja.models import Employee, Unit

from ..support import database
from ..support.evaluation import Cast, demo_cast
from ..support.org import holder


@dataclass
class People:
    cast: Cast
    head_bkpsdm: Employee       # heads another OPD
    outsider: Employee          # someone of Dinas Pendidikan


@pytest.fixture
def people(app):
    with database(app):
        outsider = (Employee.select().join(Unit, on=(Employee.unit == Unit.id))
                    .where(Unit.code == "DISDIK").order_by(Employee.id).first())
        return People(demo_cast(), holder("Kepala BKPSDM"), outsider)
