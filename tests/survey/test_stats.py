"""The SKM figures the database adds up equal the rules applied to the rows themselves."""
import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja.stores.survey import stats as survey_stats
from kinerja.models import (
    ServiceUnit, Setting, SurveyPeriod, SurveyResponse, SurveyTally, Unit, db,
)
from kinerja.rules import ikm

from ..support.app import TODAY
from ..support import database


def rows_of(*conditions):
    query = SurveyResponse.select().where(SurveyResponse.status == "valid", *conditions)
    return [{c: getattr(r, c) for c in ikm.ELEMENT_CODES} for r in query]


def test_demo_units_land_in_different_bands(app):
    with database(app):
        letters = {}
        for su in ServiceUnit.select():
            current = survey_stats.unit_history(su)[0]
            letters[su.code] = current.result.grade.letter
        assert set(letters.values()) >= {"A", "B", "C"}
        assert list(letters.values()).count("C") == 1


def test_period_sums_equal_the_rules_over_the_rows(app):
    with database(app):
        su = ServiceUnit.get(ServiceUnit.code == "dukcapil")
        for stats in survey_stats.unit_history(su):
            expected = ikm.tally(rows_of(SurveyResponse.period == stats.period)).result()
            assert stats.result.ikm == expected.ikm
            assert stats.result.respondents == expected.respondents
            assert [r.n for r in stats.result.elements] == [r.n for r in expected.elements]


def test_flagged_rejected_and_empty_responses_are_left_out(app):
    with database(app):
        su = ServiceUnit.get(ServiceUnit.code == "kec-sukamaju")
        period = survey_stats.unit_history(su)[0].period
        before = survey_stats.period_tallies([period])[period.id]
        base = {"service_unit": su.id, "period": period.id}
        SurveyResponse.insert_many([
            {**base, **dict.fromkeys(ikm.ELEMENT_CODES, 1), "status": "flagged"},
            {**base, **dict.fromkeys(ikm.ELEMENT_CODES, 1), "status": "rejected"},
            {**base, "status": "valid"},   # no answer at all: not a response
        ]).execute()
        after = survey_stats.period_tallies([period])[period.id]
        assert after.respondents == before.respondents
        assert after.sums == before.sums
        assert (after.flagged, after.rejected) == (before.flagged + 1, before.rejected + 1)


def test_opd_and_year_totals(app):
    with database(app):
        dinkes = Unit.get(Unit.code == "DINKES")
        units = ServiceUnit.select(ServiceUnit.id).join(Unit).where(Unit.within(dinkes))
        expected = ikm.tally(rows_of(SurveyResponse.service_unit.in_(units))).result()
        assert survey_stats.total(survey_stats.periods_of(unit=dinkes)).result().ikm == expected.ikm
        by_year = survey_stats.tallies_by_year(unit=dinkes)
        assert sorted(by_year) == [2024, 2025, 2026]
        assert sum(t.respondents for t in by_year.values()) == expected.respondents
        year_rows = rows_of(SurveyResponse.service_unit.in_(units), SurveyResponse.period.in_(
            SurveyPeriod.select(SurveyPeriod.id).where(SurveyPeriod.year == 2025)))
        assert by_year[2025].result().ikm == ikm.tally(year_rows).result().ikm


def test_service_filter(app):
    with database(app):
        su = ServiceUnit.get(ServiceUnit.code == "dukcapil")
        service = su.services.first()
        history = survey_stats.unit_history(su, service=service)
        expected = ikm.tally(rows_of(SurveyResponse.period == history[0].period,
                                     SurveyResponse.service == service)).result()
        assert history[0].result.ikm == expected.ikm


def test_overview_pools_current_periods(app):
    with database(app):
        data = survey_stats.overview(TODAY)
        current = SurveyPeriod.select(SurveyPeriod.id).where(SurveyPeriod.is_open)
        expected = ikm.tally(rows_of(SurveyResponse.period.in_(current))).result()
        assert data.result.ikm == expected.ikm
        assert data.result.respondents == expected.respondents
        assert data.flagged == SurveyResponse.select().where(
            (SurveyResponse.status == "flagged") & SurveyResponse.period.in_(current)).count()
        assert {o.opd.code for o in data.listing.items} == {"DINKES", "DISDUKCAPIL", "KEC-SUKAMAJU",
                                                   "KEC-CIBENING"}


def test_overview_pools_the_same_responses_however_its_opds_are_paged(app):
    """One page (a regency) pools what it shows; several pages (a province) sum the tally of
    every current period in SQL: the same IKM, respondents and flagged count either way."""
    with database(app):
        whole = survey_stats.overview(TODAY, per_page=100)
        paged = survey_stats.overview(TODAY, per_page=1)
        assert whole.listing.pages == 1 and paged.listing.pages == len(whole.listing.items) > 1
        for figure in ("ikm", "respondents"):
            assert getattr(paged.result, figure) == getattr(whole.result, figure)
        assert paged.flagged == whole.flagged and paged.units == whole.units
        assert [o.opd.code for o in paged.listing.items] == [whole.listing.items[0].opd.code]


def test_weight_comes_from_the_setting(app):
    with database(app):
        assert survey_stats.current_weight().key == "1/9"
        Setting.create(key="ikm_weight", value="0.111")
        assert survey_stats.current_weight().label == "0,111"


def test_questions_can_be_reworded_by_the_regency(app):
    with database(app):
        Setting.create(key="skm_question_u3", value="Apakah pelayanan selesai tepat waktu?")
        elements = survey_stats.elements()
        assert elements[2].question == "Apakah pelayanan selesai tepat waktu?"
        assert elements[2].code == "u3" and elements[0].question == ikm.ELEMENTS[0].question


def test_current_period_prefers_the_open_one(app):
    with database(app):
        periods = list(SurveyPeriod.select().where(
            SurveyPeriod.service_unit == ServiceUnit.get(ServiceUnit.code == "dukcapil")))
        current = survey_stats.current_period(periods, TODAY)
        assert (current.year, current.number) == (2026, 2)
        for p in periods:
            p.is_open = False
        latest = survey_stats.current_period(periods, datetime.date(2026, 3, 1))
        assert (latest.year, latest.number) == (2026, 1)
        assert survey_stats.current_period(periods, datetime.date(2020, 1, 1)) is None


def test_the_kept_tally_equals_the_sums_over_the_responses(app):
    with database(app):
        assert survey_stats.tally_is_kept()
        periods = SurveyPeriod.select(SurveyPeriod.id)
        assert survey_stats._from_tally(periods) == survey_stats._from_responses(periods)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(
    st.sampled_from(["insert", "status", "answer", "move", "delete", "clear"]),
    st.sampled_from(["valid", "flagged", "rejected"]),
    st.sampled_from(ikm.ELEMENT_CODES), st.one_of(st.none(), st.integers(1, 4)),
    st.integers(0, 10 ** 6)), min_size=1, max_size=25))
def test_tally_follows_every_insert_update_and_delete(app, operations):
    """Whatever staff or citizens do to responses, the tally kept by the triggers
    stays equal to summing the responses."""
    with database(app):
        su = ServiceUnit.get(ServiceUnit.code == "kec-cibening")
        periods = list(SurveyPeriod.select().where(SurveyPeriod.service_unit == su))
        with db.atomic() as transaction:
            for action, status, code, value, pick in operations:
                rows = list(SurveyResponse.select(SurveyResponse.id).where(
                    SurveyResponse.service_unit == su).order_by(SurveyResponse.id.desc()).limit(50))
                target = SurveyResponse.id == rows[pick % len(rows)].id
                if action == "insert":
                    SurveyResponse.create(service_unit=su, period=periods[pick % len(periods)],
                                          status=status, **{code: value})
                elif action == "status":
                    SurveyResponse.update(status=status).where(target).execute()
                elif action == "answer":
                    SurveyResponse.update({code: value}).where(target).execute()
                elif action == "move":
                    SurveyResponse.update(period=periods[pick % len(periods)]).where(target).execute()
                elif action == "delete":
                    SurveyResponse.delete().where(target).execute()
                else:
                    SurveyResponse.update(dict.fromkeys(ikm.ELEMENT_CODES)).where(target).execute()
            ids = [p.id for p in periods]
            assert survey_stats._from_tally(ids) == survey_stats._from_responses(ids)
            transaction.rollback()


def test_deleting_a_period_takes_its_tally_along(app):
    with database(app):
        period = SurveyPeriod.select().first()
        period.delete_instance()
        periods = SurveyPeriod.select(SurveyPeriod.id)
        assert survey_stats._from_tally(periods) == survey_stats._from_responses(periods)
        assert not SurveyTally.select().where(SurveyTally.period == period.id).exists()
