"""The one clock: the regency's time zone decides today, deadlines and every time shown."""
import datetime

import pytest
from hypothesis import given, strategies as st

from kinerja import clock
from kinerja.formatting import waktu

from ..support.app import TODAY, make_app


@pytest.fixture
def zone():
    def use(name):
        clock.configure(name)
    yield use
    clock.configure(clock.DEFAULT_ZONE)


def test_the_suite_runs_on_its_own_day_whatever_the_machine_says():
    assert clock.today() == TODAY
    assert abs(clock.utcnow() - (clock.now().astimezone(datetime.timezone.utc).replace(tzinfo=None))) \
        < datetime.timedelta(seconds=1)


@pytest.mark.parametrize("name, label, hour", [("Asia/Jakarta", "WIB", "14.05"),
                                               ("Asia/Makassar", "WITA", "15.05"),
                                               ("Asia/Jayapura", "WIT", "16.05")])
def test_a_stored_time_is_shown_in_the_regencys_zone_with_its_name(zone, name, label, hour):
    zone(name)
    assert waktu(datetime.datetime(2026, 11, 22, 7, 5)) == f"22 November 2026 {hour} {label}"


def test_late_evening_in_jakarta_is_already_tomorrow_in_papua(zone):
    clock.travel_to(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=clock.zone()))
    try:
        assert clock.today() == datetime.date(2026, 12, 31)
        zone("Asia/Jayapura")
        assert clock.today() == datetime.date(2027, 1, 1)
    finally:
        clock.travel_to(TODAY)


@given(st.datetimes(datetime.datetime(2000, 1, 1), datetime.datetime(2100, 1, 1)))
def test_travel_lands_on_the_moment_asked(moment):
    try:
        clock.travel_to(moment)
        assert abs(clock.now().replace(tzinfo=None) - moment) < datetime.timedelta(seconds=1)
    finally:
        clock.travel_to(TODAY)


def test_the_audit_trail_shows_times_in_wita_when_the_regency_is_set_so(tmp_path):
    app = make_app(tmp_path, TIMEZONE="Asia/Makassar")
    try:
        client = app.test_client()
        assert client.post("/masuk", data={"username": "admin", "password": "Kinerja2026!"}).status_code == 302
        page = client.get("/audit/").get_data(as_text=True)
        assert " WITA" in page and " WIB<" not in page
    finally:
        clock.configure(clock.DEFAULT_ZONE)
