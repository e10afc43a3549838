"""Fixtures of the notification tests: the demo cast of the evaluation tests."""
import pytest

from ..support import database
from ..support.evaluation import demo_cast


@pytest.fixture
def cast(app):
    with database(app):
        return demo_cast()
