"""The ledger's store: proposing with the standing re-checked, BKPSDM's decision with its
audit row and notices, withdrawal, what is in force, and the honour roll."""
import datetime

import pytest

from kinerja.models import AuditLog, Notification, PersonnelDecision
from kinerja.rules import DomainError
from kinerja.rules import decisions as rules
from kinerja.stores import decisions as store

from ..support.app import TODAY
from ..support.org import audit_rows, fresh
from .support import account, admin, outsider, rated

D = datetime.date


def _propose(cast, kind="piagam", category="penghargaan", **extra):
    return store.propose(account(cast.penilai), cast.worker.id, category, kind,
                         "Predikat Sangat Baik", **extra)


def test_the_pejabat_penilai_and_the_head_of_the_opd_may_propose(cast):
    assert store.proposer_relations(account(cast.penilai), cast.worker) == {rules.APPRAISER}
    assert store.proposer_relations(account(cast.atasan), cast.worker) == {rules.OPD_HEAD}
    assert store.proposer_relations(account(cast.penilai), outsider()) == set()
    assert store.proposer_relations(admin(), cast.worker) == set()
    team = {e.id for e in store.proposable_employees(account(cast.penilai))}
    assert cast.worker.id in team and cast.penilai.id not in team
    assert cast.worker.id in {e.id for e in store.proposable_employees(account(cast.atasan))}
    assert store.proposable_employees(account(cast.planless)) == []


def test_a_proposal_is_recorded_with_its_audit_row_and_waits(cast):
    evaluation = rated(cast.worker)
    decision = _propose(cast, evaluation_id=evaluation.id, public=True)
    row = fresh(decision)
    assert row.status == rules.PROPOSED and row.proposer_id == account(cast.penilai).id
    assert row.unit_id == cast.worker.unit_id and row.evaluation_id == evaluation.id and row.public
    assert [a.action for a in audit_rows("personnel_decision", decision.id)] == ["create"]
    assert store.in_force(cast.worker.id, TODAY) == []


@pytest.mark.parametrize("who, employee, field", [
    ("planless", "worker", "employee"),     # a colleague, not their Pejabat Penilai
    ("penilai", "outsider", "employee"),    # the Pejabat Penilai of someone else
    ("atasan", "atasan", "employee"),       # nobody proposes for themselves
])
def test_a_proposal_by_someone_without_standing_is_refused(cast, who, employee, field):
    target = outsider() if employee == "outsider" else getattr(cast, employee)
    with pytest.raises(DomainError) as error:
        store.propose(account(getattr(cast, who)), target.id, "penghargaan", "piagam", "x")
    assert error.value.field == field
    assert not PersonnelDecision.select().where(PersonnelDecision.employee == target.id,
                                                PersonnelDecision.basis == "x").exists()


def test_a_proposal_resting_on_someone_elses_evaluation_is_refused(cast):
    with pytest.raises(DomainError):
        _propose(cast, evaluation_id=rated(cast.objector).id)
    with pytest.raises(DomainError):
        _propose(cast, kind="teguran_lisan")  # a sanction under the reward category


def test_approval_records_the_sk_audits_and_tells_the_proposer_and_employee(cast):
    decision = _propose(cast)
    before = Notification.select().count()
    store.approve(admin(), decision.id, "800/1/2026", D(2026, 11, 20), D(2026, 11, 20), None,
                  public=True)
    row = fresh(decision)
    assert row.status == rules.APPROVED and row.sk_number == "800/1/2026" and row.public
    assert row.decided_by_id == admin().id
    assert [a.action for a in audit_rows("personnel_decision", decision.id)] == ["create", "approve"]
    told = {n.recipient_id for n in Notification.select().order_by(Notification.id).offset(before)}
    assert told == {cast.penilai.id, cast.worker.id}
    assert [d.id for d in store.in_force(cast.worker.id, TODAY)] == [decision.id]
    assert decision.id in [d.id for d in store.ledger_for(cast.worker.id)]
    assert decision.id in [d.id for d in store.honour_roll(TODAY.year)]
    with pytest.raises(DomainError):  # decided once: a second decision is refused
        store.reject(admin(), decision.id, "terlambat")


def test_a_fixed_sanction_is_in_force_only_for_its_months(cast):
    decision = _propose(cast, kind="potong_tukin_6", category="sanksi")
    store.approve(admin(), decision.id, "862/5/2026", D(2026, 6, 1), D(2026, 6, 1), None,
                  public=True)
    row = fresh(decision)
    assert row.valid_until == D(2026, 11, 30) and not row.public  # never published
    assert [d.id for d in store.in_force(cast.worker.id, D(2026, 11, 30))] == [decision.id]
    assert store.in_force(cast.worker.id, D(2026, 12, 1)) == []
    assert decision.id not in [d.id for d in store.honour_roll(2026)]


def test_only_bkpsdm_decides(cast):
    decision = _propose(cast)
    for actor in (account(cast.atasan), account(cast.penilai)):
        with pytest.raises(DomainError):
            store.approve(actor, decision.id, "1", TODAY, None, None)
        with pytest.raises(DomainError):
            store.reject(actor, decision.id, "tidak")
    assert fresh(decision).status == rules.PROPOSED


def test_a_refused_approval_leaves_no_document_behind(cast, tmp_path):
    decision = _propose(cast)
    with pytest.raises(DomainError):
        store.approve(admin(), decision.id, "1", TODAY, D(2026, 12, 1), D(2026, 1, 1),
                      document=("sk.pdf", b"%PDF-1.4"), upload_dir=str(tmp_path))
    assert list((tmp_path / "decisions").iterdir()) == []
    assert fresh(decision).status == rules.PROPOSED


def test_rejection_and_withdrawal(cast):
    first, second = _propose(cast), _propose(cast, kind="usulan_promosi")
    store.reject(admin(), first.id, "Belum memenuhi syarat")
    assert fresh(first).status == rules.REJECTED and fresh(first).reason == "Belum memenuhi syarat"
    with pytest.raises(DomainError):
        store.withdraw(account(cast.atasan), second.id)  # not the proposer
    store.withdraw(account(cast.penilai), second.id)
    assert fresh(second).status == rules.WITHDRAWN
    assert AuditLog.select().where(AuditLog.entity == "personnel_decision",
                                   AuditLog.action == "withdraw").count() == 1
    assert store.in_force(cast.worker.id, TODAY) == []


def test_the_ledger_each_role_reads(cast):
    mine = _propose(cast)
    waiting, done = store.listing(admin())
    assert mine.id in [d.id for d in waiting]
    assert waiting == sorted(waiting, key=lambda d: (d.proposed_at, d.id))
    assert mine.id in [d.id for d in store.listing(account(cast.penilai))[0]]
    # The employee reads nothing until BKPSDM decides; a colleague never.
    assert mine.id not in [d.id for d in store.listing(account(cast.worker))[0]]
    store.approve(admin(), mine.id, "1/2026", TODAY, None, None)
    assert mine.id in [d.id for d in store.listing(account(cast.worker))[1]]
    assert mine.id not in [d.id for d in store.listing(account(cast.objector))[1]]


def test_the_honour_page_setting_is_audited(cast):
    assert store.honour_page_on()  # the demo regency has it on
    store.set_honour_page(admin(), False)
    assert not store.honour_page_on()
    assert audit_rows("setting")[-1].after_dict() == {store.HONOUR_SETTING: False}
