"""The demo regency is built relative to the day it is created: whatever the date, every
screen has something to show (issue: the suite and the demo must work after 31 December)."""
import datetime

import pytest

from kinerja import clock, create_app
from kinerja.schema import migrate
from kinerja.demo import seed
from kinerja.models import Evaluation, Objection, Skp, SurveyPeriod, db

from ..support.app import TODAY, config

DATES = [datetime.date(2027, 1, 15), datetime.date(2027, 7, 1), datetime.date(2030, 2, 28),
         datetime.date(2026, 12, 31), datetime.date(2028, 4, 1)]


@pytest.fixture
def seeded_on(tmp_path):
    def build(day):
        app = create_app(config(tmp_path))
        clock.travel_to(day)
        try:
            with app.app_context():
                migrate()
                seed(day)
        finally:
            clock.travel_to(TODAY)
        return app
    yield build
    if not db.is_closed():
        db.close()


@pytest.mark.parametrize("day", DATES, ids=str)
def test_the_demo_has_every_state_to_show_on_any_day(seeded_on, day):
    seeded_on(day)
    plans = Skp.select().where(Skp.year == day.year)
    assert plans.where(Skp.status == "approved").exists(), "an approved SKP this year"
    assert plans.where(Skp.status == "draft").exists(), "a draft SKP this year"
    waiting = Evaluation.select().where((Evaluation.status == "submitted") & (Evaluation.ends < day))
    assert waiting.exists(), "an evaluation of a past period waiting for its Pejabat Penilai"
    assert Objection.select().where(Objection.status == "open").exists(), "an open objection"
    assert SurveyPeriod.select().where((SurveyPeriod.starts <= day) & (SurveyPeriod.ends >= day)
                                       & SurveyPeriod.is_open).exists(), "a survey period open today"
    assert not Evaluation.select().where(Evaluation.starts > day).exists(), "nothing in the future"
