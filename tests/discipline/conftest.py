"""Fixtures of the discipline tests: the demo cast and attendance figures set by the test."""
import sys
import types
from decimal import Decimal

import pytest

from ..support.evaluation import demo_cast


@pytest.fixture
def cast(app):
    return demo_cast()


@pytest.fixture
def figures(monkeypatch):
    """The attendance figures propose_from_attendance reads, as the test sets them:
    `figures.days[employee_id] = Decimal`, `figures.runs[employee_id] = int`."""
    fake = types.SimpleNamespace(days={}, runs={})
    module = types.ModuleType("kinerja.stores.attendance.figures")
    module.unexcused_days = lambda year, ids, today=None: {i: Decimal(fake.days[i]) for i in ids if i in fake.days}
    module.longest_absent_run = lambda year, ids, today=None: {i: fake.runs[i] for i in ids if i in fake.runs}
    package = sys.modules.get("kinerja.stores.attendance")
    if package is None:
        package = types.ModuleType("kinerja.stores.attendance")
        monkeypatch.setitem(sys.modules, "kinerja.stores.attendance", package)
    monkeypatch.setattr(package, "figures", module, raising=False)
    monkeypatch.setitem(sys.modules, "kinerja.stores.attendance.figures", module)
    return fake
