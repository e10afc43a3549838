"""The SKM stores decide inside their transaction, from the rows as they are then: a change
another staff member made a moment earlier (after the form was checked) is refused with its
reason, and nothing of the refused step is left behind."""
import datetime

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from peewee import fn

from kinerja.models import (AuditLog, ServiceUnit, SuggestionFollowUp, SurveyPeriod,
                            SurveyResponse, Unit, User, db)
from kinerja.rules import DomainError
from kinerja.stores.survey import paper, review, suggestions, units

from ..support import database
from ..support.survey import add_response, make_unit

CSV = "tanggal,u1,u2,u3,u4,u5,u6,u7,u8,u9\n2026-03-01,4,4,4,4,4,4,4,4,4\n"


@pytest.fixture
def setup(app):
    with database(app):
        _trail.start = AuditLog.select(fn.MAX(AuditLog.id)).scalar() or 0
        yield User.get(User.username == "admin"), make_unit("uji-sehat", "PKM-SUKAMAJU")


def _trail(entity, action=None) -> int:
    """Audit rows of this kind written since the test began (the demo has its own)."""
    query = AuditLog.select().where((AuditLog.entity == entity) & (AuditLog.id > _trail.start))
    return query.where(AuditLog.action == action).count() if action else query.count()


def test_a_code_taken_after_the_form_was_checked_is_refused_on_its_field(setup):
    admin, su = setup
    before = ServiceUnit.select().count()
    data = {"name": "Kembar", "code": su.code, "unit": su.unit_id, "period_kind": "semester",
            "active": True}
    with pytest.raises(DomainError) as refused:
        units.create_service_unit(admin, data)
    assert refused.value.field == "code" and "sudah dipakai" in refused.value.message
    assert ServiceUnit.select().count() == before and _trail("service_unit") == 0


def test_a_code_is_not_changed_once_a_response_arrived_after_the_form_was_checked(setup):
    admin, su = setup
    add_response(su)
    data = {"name": "Nama baru", "code": "kode-baru", "unit": su.unit_id,
            "period_kind": su.period_kind, "active": True}
    with pytest.raises(DomainError, match="Kode tidak dapat diubah") as refused:
        units.update_service_unit(admin, su, data)
    assert refused.value.field == "code"
    assert ServiceUnit.get_by_id(su.id).code == "uji-sehat" and _trail("service_unit") == 0
    saved = units.update_service_unit(admin, su, {**data, "code": "uji-sehat"})
    assert saved.name == "Nama baru" and _trail("service_unit", "update") == 1


def test_the_same_period_twice_is_an_overlap_not_a_crash(setup):
    admin, su = setup
    with pytest.raises(DomainError, match="Tumpang tindih") as refused:
        units.create_period(admin, su, "semester", 2026, 1, None, False)
    assert refused.value.field == "number"
    with pytest.raises(DomainError, match="Tumpang tindih"):
        units.create_period(admin, su, "triwulan", 2026, 2, None, False)
    assert len(units.periods_of(su)) == 1 and _trail("survey_period") == 0


def test_a_second_open_period_is_refused_and_nothing_changes(setup):
    admin, su = setup
    second = units.create_period(admin, su, "semester", 2026, 2, 80, False)
    with pytest.raises(DomainError, match="masih dibuka") as refused:
        units.update_period(admin, su, second, 90, True)
    assert refused.value.field == "is_open"
    again = SurveyPeriod.get_by_id(second.id)
    assert (again.population, again.is_open) == (80, False)
    assert _trail("survey_period", "update") == 0
    with pytest.raises(DomainError, match="masih dibuka"):
        units.create_period(admin, su, "semester", 2027, 1, None, True)
    assert len(units.periods_of(su)) == 2


def test_a_response_decided_by_someone_else_is_not_decided_again(setup):
    admin, su = setup
    response = review.get_response(add_response(su, status="flagged").id)
    review.decide_one(admin, response, "reject")
    with pytest.raises(DomainError, match="sudah ditinjau"):
        review.decide_one(admin, response, "accept")
    assert SurveyResponse.get_by_id(response.id).status == "rejected"
    assert _trail("survey_response") == 1


def test_a_paper_sheet_outside_every_period_is_refused_on_its_date(setup):
    admin, su = setup
    with pytest.raises(DomainError) as refused:
        paper.save_paper(admin, su, datetime.date(2025, 3, 1), {"u1": 4})
    assert refused.value.field == "answered_on"
    saved = paper.save_paper(admin, su, datetime.date(2026, 3, 1), {"u1": 4})
    assert saved.period.id == SurveyPeriod.get(SurveyPeriod.service_unit == su).id


def test_a_file_confirmed_twice_at_once_is_written_once(setup, app, tmp_path):
    admin, su = setup
    today = datetime.date(2026, 6, 1)
    run = paper.check(su, "kertas.csv", CSV.encode(), today)
    assert run.ok
    first = paper.stash(str(tmp_path), su, admin, "kertas.csv", CSV.encode())
    second = paper.stash(str(tmp_path), su, admin, "kertas.csv", CSV.encode())
    assert paper.confirm(admin, su, str(tmp_path), first, today).ok
    # The second click was checked before the first one was written.
    with pytest.raises(DomainError, match="sudah diimpor"):
        paper._commit(admin, su, run)
    assert paper.paper_count(admin, su) == 1
    assert _trail("service_unit", "import_paper") == 1
    assert paper.confirm(admin, su, str(tmp_path), second, today).duplicate is not None
    assert paper.confirm(admin, su, str(tmp_path), first, today) is None


def test_a_follow_up_saved_twice_stays_one_row_with_the_last_values(setup):
    admin, su = setup
    response = suggestions.suggestion(su, add_response(su, suggestion="Antrean lama").id)
    handler = suggestions.handlers(su).first()
    suggestions.save_follow_up(admin, su, response, {
        "status": "diproses", "element": None, "handler": handler.id, "action": "",
        "done_on": None})
    stale = response  # read before the first save, as by a second staff member
    saved = suggestions.save_follow_up(admin, su, stale, {
        "status": "selesai", "element": "u5", "handler": handler.id, "action": "Loket ditambah",
        "done_on": datetime.date(2026, 3, 12)})
    assert SuggestionFollowUp.select().where(SuggestionFollowUp.response == response.id).count() == 1
    assert (saved.follow_up.status, saved.follow_up.element) == ("selesai", "u5")
    assert _trail("suggestion_follow_up") == 2


def test_the_dashboard_counts_open_suggestions_and_flagged_responses_per_unit(setup):
    _, su = setup
    other = make_unit("uji-lain", "PKM-SUKAMAJU")
    answered = [add_response(su, suggestion=f"Saran {n}") for n in range(4)]
    add_response(su, suggestion="")                               # no suggestion
    add_response(su, status="flagged", suggestion="Robot?")       # waits for review instead
    add_response(other, suggestion="Antrean panjang")
    SuggestionFollowUp.create(response=answered[0], status="selesai")
    SuggestionFollowUp.create(response=answered[1], status="pujian")
    SuggestionFollowUp.create(response=answered[2], status="diproses")
    assert suggestions.open_suggestion_counts([su.id, other.id]) == {su.id: 2, other.id: 1}
    SuggestionFollowUp.create(response=answered[3], status="selesai")
    assert suggestions.open_suggestion_counts([su.id]) == {su.id: 1}
    assert review.flagged_counts([su.id, other.id]) == {su.id: 1}


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["flag", "accept", "reject"])),
                      max_size=25))
def test_flagged_counts_read_from_the_tally_equal_the_responses_waiting(app, steps):
    """The dashboard, its button and the queue's counter read the tally the triggers keep;
    after any mix of new flags and decisions they say what a count of the rows says."""
    with database(app):
        admin = User.get(User.username == "admin")
        with db.atomic() as transaction:
            opd = Unit.get(Unit.code == "PKM-SUKAMAJU")
            unit_list = [make_unit(f"uji-hit-{n}", opd.code if n < 2 else "DISDUKCAPIL-DAFDUK")
                         for n in range(3)]
            for which, step in steps:
                su = unit_list[which]
                if step == "flag":
                    add_response(su, status="flagged")
                    continue
                waiting = review.flagged(None, su).first()
                if waiting is not None:
                    review.decide(admin, [waiting], step)
            ids = [su.id for su in unit_list]
            rows = dict(SurveyResponse.select(SurveyResponse.service_unit, fn.COUNT(SurveyResponse.id))
                        .where((SurveyResponse.status == "flagged") & SurveyResponse.service_unit.in_(ids))
                        .group_by(SurveyResponse.service_unit).tuples())
            assert review.flagged_counts(ids) == rows
            for su in unit_list:
                assert review.flagged_count(None, su) == rows.get(su.id, 0)
            in_scope = SurveyResponse.select().join(ServiceUnit).join(Unit).where(
                (SurveyResponse.status == "flagged") & Unit.within(opd)).count()
            assert review.flagged_count(opd) == in_scope
            assert review.flagged_count(None) == \
                SurveyResponse.select().where(SurveyResponse.status == "flagged").count()
            transaction.rollback()


def test_the_public_reads_composed_once_give_what_peewee_gives(app):
    """find_service_unit and active_services run SQL composed once per process: for every
    unit, a retired service, a closed period, codes that need quoting and a NUL, the same
    models and joins as the query peewee composes afresh."""
    from peewee import JOIN
    from kinerja.models import Service, ServiceUnit, Unit
    from kinerja.stores.survey import intake
    with database(app):
        su = make_unit("kode'%_", "PKM-SUKAMAJU", services=("Zeta", "Alfa", "Lama"))
        Service.update(active=False).where(Service.name == "Lama").execute()
        closed = make_unit("tutup", "DISDUKCAPIL", is_open=False)
        for unit in list(ServiceUnit.select()) + [su, closed]:
            fresh = (ServiceUnit.select(ServiceUnit, Unit, SurveyPeriod).join(Unit)
                     .switch(ServiceUnit)
                     .join(SurveyPeriod, JOIN.LEFT_OUTER, attr="open_period",
                           on=(SurveyPeriod.service_unit == ServiceUnit.id) & SurveyPeriod.is_open)
                     .where(ServiceUnit.id == unit.id).order_by(SurveyPeriod.starts.desc()).first())
            found = intake.find_service_unit(unit.code)
            assert (found.id, found.unit.name, getattr(found.open_period, "id", None)) == \
                   (fresh.id, fresh.unit.name, getattr(fresh.open_period, "id", None))
            assert [s.name for s in intake.active_services(found)] == [
                s.name for s in Service.select().where((Service.service_unit == unit.id)
                                                       & Service.active).order_by(Service.name)]
        assert [s.name for s in intake.active_services(intake.find_service_unit("kode'%_"))] == ["Alfa", "Zeta"]
        assert intake.find_service_unit("tutup").open_period is None
        for missing in ("tidak-ada", "kode'%", "kode\x00", "%", "x" * 41):
            assert intake.find_service_unit(missing) is None
