"""Fixtures of the ledger tests: the demo cast of the evaluation tests and its accounts."""
import pytest

from ..support.evaluation import demo_cast


@pytest.fixture
def cast(app):
    return demo_cast()
