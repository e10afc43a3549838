"""Two people acting on the same thing at the same instant, on SQLite and on PostgreSQL: the
second one is refused with the reason (or queued), never a lost update, a double decision
or a duplicate. Each race runs many times; a pause between the store's re-read and its write
keeps the window wide open, so a store that decided from a stale read would be caught."""
import secrets
import threading
import time

import pytest
from peewee import fn

from kinerja.models import (
    AuditLog,
    SkpDecision,
    SurveyPeriod,
    SurveyResponse,
    SurveyTally,
    User,
)
from kinerja.rules import DomainError
from kinerja.rules.survey_fairness import Limits
from kinerja.stores.skp import workflow as skp_workflow
from kinerja.stores.survey import intake

from ..support import database
from ..support.skp import holder, ready_plan
from ..support.survey import make_unit

ROUNDS = 12


def _race(app, *actions):
    """Run the actions in threads released together; what each returned or raised."""
    start = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        with database(app):
            start.wait(5)
            try:
                results[index] = action()
            except DomainError as refused:
                results[index] = refused
            except Exception as failure:  # noqa: BLE001 - reported by the assertion below
                results[index] = failure
    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.fixture
def slow_recheck(monkeypatch):
    """The plan is re-read, then 50 ms pass before the write: both racers are inside."""
    original = skp_workflow.recheck

    def recheck(*args, **kwargs):
        found = original(*args, **kwargs)
        time.sleep(0.05)
        return found
    monkeypatch.setattr(skp_workflow, "recheck", recheck)


def test_two_decisions_on_one_submitted_plan_at_once_leave_exactly_one(app, as_role, q,
                                                                        slow_recheck):
    client = as_role("pegawai")
    skp_id = ready_plan(client, q)
    with database(app):
        appraiser = User.get(User.employee == holder("kapus-skm").id)
        owner = User.get(User.employee == q(lambda: skp_workflow.get_plan(skp_id).employee_id))
    for round_ in range(ROUNDS):
        last = round_ == ROUNDS - 1
        results = _race(app, *[lambda last=last: skp_workflow.decide(skp_id, appraiser, last, "Periksa target.", {})
                               for _ in range(2)])
        refusals = [r for r in results if isinstance(r, DomainError)]
        assert len(refusals) == 1, results
        # The one refused is told why: the plan was just decided (returned, or approved).
        assert refusals[0].message.startswith(("SKP ini dikembalikan", "SKP ini sudah disetujui")), \
            refusals[0].message
        assert not [r for r in results if isinstance(r, Exception) and r not in refusals], results
        if not last:
            with database(app):
                skp_workflow.submit(skp_id, owner)
    with database(app):
        decisions = [d.action for d in SkpDecision.select().where(SkpDecision.skp == skp_id)]
        audits = [a.action for a in AuditLog.select().where((AuditLog.entity == "skp")
                                                              & (AuditLog.entity_id == skp_id))]
        assert skp_workflow.get_plan(skp_id).status == "approved"
    assert decisions.count("returned") == ROUNDS - 1 and decisions.count("approved") == 1
    assert audits.count("return") == ROUNDS - 1 and audits.count("approve") == 1


def test_citizens_sending_to_one_unit_at_once_are_all_counted_once(app):
    with database(app):
        su = make_unit("serentak", "PKM-SUKAMAJU")
        period = SurveyPeriod.get(SurveyPeriod.service_unit == su.id)
    answers = {f"u{i}": 3 + i % 2 for i in range(1, 10)}
    issued = intake.utcnow().replace(microsecond=0)
    tokens = []
    for round_ in range(ROUNDS):
        # Four citizens at once, two of them the same form sent twice (a double tap).
        stamps = [intake.Stamp(secrets.token_hex(8), issued) for _ in range(3)]
        stamps.append(stamps[0])
        tokens += [s.token for s in stamps[:3]]
        results = _race(app, *[
            lambda stamp=stamp, where=f"alamat-{round_}-{n}": intake.record(
                su, period, answers, stamp=stamp, honeypot="", address_hash=where,
                kiosk=False, limits=Limits(min_seconds=0))
            for n, stamp in enumerate(stamps)])
        assert results.count(intake.RECORDED) == 3 and results.count(intake.REPEAT) == 1, results
    with database(app):
        stored = SurveyResponse.select().where(SurveyResponse.service_unit == su.id)
        assert sorted(r.submission_token for r in stored) == sorted(tokens)
        tally = SurveyTally.select(fn.SUM(SurveyTally.responses), fn.SUM(SurveyTally.s1)).where(
            SurveyTally.period == period.id).tuples().first()
        assert tally == (3 * ROUNDS, sum(r.u1 for r in stored))


@pytest.fixture
def slow_counts(monkeypatch):
    """Each submission's address count is taken, then 50 ms pass before it writes: every
    racer has counted before the first one stored anything, unless the count waits for the
    write lock."""
    from kinerja.stores.complaints import intake as complaint_intake
    for module in (intake, complaint_intake):
        def counted(*args, _original=module._recent, **kwargs):
            found = _original(*args, **kwargs)
            time.sleep(0.05)
            return found
        monkeypatch.setattr(module, "_recent", counted)


def test_one_address_at_its_limit_gets_exactly_one_more_answer_in(app, slow_counts):
    with database(app):
        su = make_unit("batas", "PKM-SUKAMAJU")
        period = SurveyPeriod.get(SurveyPeriod.service_unit == su.id)
    answers = {f"u{i}": 4 for i in range(1, 10)}
    limits = Limits(min_seconds=0, hard_per_address=2)
    issued = intake.utcnow().replace(microsecond=0)
    for round_ in range(4):
        address = f"satu-alamat-{round_}"
        first = intake.record(su, period, answers, stamp=intake.Stamp(secrets.token_hex(8), issued),
                              honeypot="", address_hash=address, kiosk=False, limits=limits)
        assert first == intake.RECORDED
        results = _race(app, *[
            lambda stamp=intake.Stamp(secrets.token_hex(8), issued): intake.record(
                su, period, answers, stamp=stamp, honeypot="", address_hash=address,
                kiosk=False, limits=limits)
            for _ in range(4)])
        assert sorted(results) == sorted([intake.RECORDED] + [intake.REFUSED] * 3), results
        with database(app):
            assert SurveyResponse.select().where(SurveyResponse.client_hash == address).count() == 2


def test_one_address_at_its_complaint_limit_gets_exactly_one_more_in(app, slow_counts, tmp_path):
    from kinerja.models import Complaint, ServiceUnit
    from kinerja.stores.complaints import intake as complaint_intake
    with database(app):
        su = ServiceUnit.get(ServiceUnit.code == "pkm-sukamaju")
    limits = Limits(min_seconds=0, hard_per_address=1)
    issued = intake.utcnow().replace(microsecond=0)
    details = {"what": "Antrean tidak dipanggil sesuai nomor urut."}
    for round_ in range(3):
        address = f"pelapor-{round_}"
        results = _race(app, *[
            lambda stamp=intake.Stamp(secrets.token_hex(8), issued): complaint_intake.record(
                su, details, [], stamp=stamp, honeypot="", address_hash=address, limits=limits,
                upload_dir=str(tmp_path))[0]
            for _ in range(3)])
        assert sorted(results) == sorted([complaint_intake.RECORDED] + [complaint_intake.REFUSED] * 2), results
        with database(app):
            assert Complaint.select().where(Complaint.client_hash == address).count() == 1


def test_a_double_tap_on_the_last_answer_allowed_is_a_repeat_not_a_refusal(app, slow_counts,
                                                                          tmp_path):
    from kinerja.models import ServiceUnit
    from kinerja.stores.complaints import intake as complaint_intake
    with database(app):
        su = make_unit("ketuk", "PKM-SUKAMAJU")
        period = SurveyPeriod.get(SurveyPeriod.service_unit == su.id)
        desk = ServiceUnit.get(ServiceUnit.code == "pkm-sukamaju")
    answers = {f"u{i}": 4 for i in range(1, 10)}
    issued = intake.utcnow().replace(microsecond=0)
    for round_ in range(3):
        stamp = intake.Stamp(secrets.token_hex(8), issued)
        results = _race(app, *[lambda: intake.record(
            su, period, answers, stamp=stamp, honeypot="", address_hash=f"ketuk-{round_}",
            kiosk=False, limits=Limits(min_seconds=0, hard_per_address=1))] * 2)
        assert sorted(results) == [intake.RECORDED, intake.REPEAT], results
        # The complaint form: both copies end on the same tracking code.
        stamp = intake.Stamp(secrets.token_hex(8), issued)
        codes = _race(app, *[lambda: complaint_intake.record(
            desk, {"what": "Loket tutup sebelum jam layanan berakhir."}, [], stamp=stamp,
            honeypot="", address_hash=f"ketuk-{round_}", limits=Limits(min_seconds=0, hard_per_address=1),
            upload_dir=str(tmp_path))] * 2)
        assert sorted(outcome for outcome, _ in codes) == ["recorded", "repeat"], codes
        assert codes[0][1] == codes[1][1] is not None
