"""Fixtures of the follow-up tests."""
import pytest

from ..support.evaluation import demo_cast


@pytest.fixture
def cast(app):
    return demo_cast()
