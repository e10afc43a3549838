"""Service units and responses made directly in the database for the SKM tests."""
import datetime

from kinerja.models import Service, ServiceUnit, SurveyPeriod, SurveyResponse, Unit
from kinerja.rules.survey_periods import period_dates


def make_unit(code, unit_code, services=("Layanan A",), period=("semester", 2026, 1),
              is_open=True, population=50):
    """A service unit with services and one period (Semester I 2026 by default)."""
    su = ServiceUnit.create(code=code, name=f"Unit {code}",
                            unit=Unit.get(Unit.code == unit_code))
    for name in services:
        Service.create(service_unit=su, name=name)
    kind, year, number = period
    starts, ends = period_dates(kind, year, number)
    SurveyPeriod.create(service_unit=su, kind=kind, year=year, number=number, starts=starts,
                        ends=ends, population=population, is_open=is_open)
    return su


def add_response(su, answers=4, status="valid", suggestion=None, **extra):
    period = SurveyPeriod.select().where(SurveyPeriod.service_unit == su).first()
    values = dict.fromkeys([f"u{i}" for i in range(1, 10)], answers) \
        if not isinstance(answers, dict) else answers
    return SurveyResponse.create(service_unit=su, period=period, status=status,
                                 suggestion=suggestion,
                                 submitted_at=datetime.datetime(2026, 3, 10, 3, 0),
                                 flag_reason="Diisi terlalu cepat (3 detik)"
                                 if status == "flagged" else None, **values, **extra)
