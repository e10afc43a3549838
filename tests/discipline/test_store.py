"""The discipline store: proposals from attendance (idempotent, a higher threshold opens a new
one), hand-recorded violations, examination, decision into the ledger, dismissal."""
import datetime
from decimal import Decimal

import pytest

from kinerja.models import DisciplineCase, Notification, PersonnelDecision, User
from kinerja.rules import DomainError
from kinerja.rules import discipline as rules
from kinerja.stores import decisions as ledger
from kinerja.stores.discipline import access, cases, reading

from ..support.app import TODAY
from ..support.org import audit_rows, fresh
from ..support.evaluation import make_admin_opd

D = datetime.date
PDF = b"%PDF-1.4\n%%EOF\n"


def account(employee):
    return User.get(User.employee == employee.id)


def admin():
    return User.get(User.username == "admin")


def _cases(employee):
    return list(DisciplineCase.select().where(DisciplineCase.employee == employee.id)
                .order_by(DisciplineCase.id))


def test_crossing_a_threshold_opens_one_proposal_for_the_head_of_opd(cast, figures):
    figures.days[cast.worker.id] = Decimal("3.5")
    figures.days[cast.objector.id] = Decimal("2.9")
    before = Notification.select().count()
    assert cases.propose_from_attendance(admin(), [cast.worker.id, cast.objector.id], 2026, TODAY) == 1
    [case] = _cases(cast.worker)
    assert (case.status, case.level, case.kind, case.threshold) == ("diusulkan", "ringan", "teguran_lisan", 3)
    assert case.authority == rules.OPD_HEAD and case.source == rules.ATTENDANCE
    assert "3,5 hari" in case.evidence
    assert _cases(cast.objector) == []
    assert [a.action for a in audit_rows("discipline_case", case.id)] == ["create"]
    told = {n.recipient_id for n in Notification.select().order_by(Notification.id).offset(before)}
    assert told == {cast.atasan.id}  # the head of the OPD; not yet the employee
    assert access.is_authority(account(cast.atasan), case)
    assert not access.is_authority(account(cast.penilai), case)


def test_importing_again_opens_nothing_and_a_higher_threshold_opens_a_new_case(cast, figures):
    figures.days[cast.worker.id] = Decimal(4)
    assert cases.propose_from_attendance(admin(), [cast.worker.id], 2026, TODAY) == 1
    assert cases.propose_from_attendance(admin(), [cast.worker.id], 2026, TODAY) == 0
    figures.days[cast.worker.id] = Decimal(6)  # the same row of the ladder
    assert cases.propose_from_attendance(admin(), [cast.worker.id], 2026, TODAY) == 0
    figures.days[cast.worker.id] = Decimal(12)
    assert cases.propose_from_attendance(admin(), [cast.worker.id], 2026, TODAY) == 1
    assert [(c.threshold, c.level) for c in _cases(cast.worker)] == [(4, "ringan"), (11, "sedang")]
    assert cases.propose_from_attendance(admin(), [], 2026, TODAY) == 0


def test_a_dismissed_case_still_covers_its_threshold(cast, figures):
    figures.days[cast.worker.id] = Decimal(3)
    cases.propose_from_attendance(admin(), [cast.worker.id], 2026, TODAY)
    [case] = _cases(cast.worker)
    cases.dismiss(account(cast.atasan), case.id, "Data mesin presensi rusak")
    assert cases.propose_from_attendance(admin(), [cast.worker.id], 2026, TODAY) == 0


def test_heavy_levels_and_ten_days_in_a_row_go_to_the_kepala_daerah(cast, figures):
    figures.days[cast.worker.id] = Decimal(22)
    figures.runs[cast.worker.id] = 10
    assert cases.propose_from_attendance(admin(), [cast.worker.id], 2026, TODAY) == 2
    heavy, run = _cases(cast.worker)
    assert (heavy.kind, heavy.authority, heavy.consecutive) == ("penurunan_jabatan", rules.REGENT, False)
    assert (run.kind, run.authority, run.consecutive) == ("pemberhentian_disiplin", rules.REGENT, True)
    assert cases.propose_from_attendance(admin(), [cast.worker.id], 2026, TODAY) == 0
    assert access.is_authority(admin(), heavy) and not access.is_authority(account(cast.atasan), heavy)


def _proposed(cast, figures, days=5):
    figures.days[cast.worker.id] = Decimal(days)
    cases.propose_from_attendance(admin(), [cast.worker.id], 2026, TODAY)
    return _cases(cast.worker)[-1]


def test_examination_then_decision_writes_the_sanction_into_the_ledger(cast, figures, app):
    case = _proposed(cast, figures)
    head = account(cast.atasan)
    with pytest.raises(DomainError):  # decided before it was examined
        cases.decide(head, case.id, "teguran_tertulis", "800/1/2026", TODAY, None, None)
    with pytest.raises(DomainError):  # by someone without authority
        cases.examine(account(cast.penilai), case.id, TODAY, "x", TODAY)
    with pytest.raises(DomainError) as error:
        cases.examine(head, case.id, TODAY + datetime.timedelta(days=1), "x", TODAY)
    assert error.value.field == "examined_on"
    cases.examine(head, case.id, TODAY, "Pegawai hadir dan mengakui.", TODAY,
                  document=("bap.pdf", "pdf", PDF), upload_dir=app.config["UPLOAD_DIR"])
    row = fresh(case)
    assert row.status == rules.EXAMINED and row.document_name == "bap.pdf"
    assert cases.document_path(app.config["UPLOAD_DIR"], row).read_bytes() == PDF
    assert Notification.select().where(Notification.recipient == cast.worker.id,
                                       Notification.link == cases.link(case.id)).count() == 1
    with pytest.raises(DomainError):  # heavy: not the head of OPD's to give
        cases.decide(head, case.id, "penurunan_jabatan", "800/1/2026", TODAY, None, None)
    cases.decide(head, case.id, "potong_tukin_6", "800/1/2026", D(2026, 11, 20), None, None)
    row = fresh(case)
    assert row.status == rules.DECIDED and row.level == rules.MEDIUM
    entry = PersonnelDecision.get_by_id(row.decision_id)
    assert (entry.category, entry.kind, entry.status, entry.sk_number) == (
        "sanksi", "potong_tukin_6", "disetujui", "800/1/2026")
    assert entry.valid_until == D(2027, 5, 19)
    assert [d.id for d in ledger.in_force(cast.worker.id, TODAY)] == [entry.id]
    assert [a.action for a in audit_rows("discipline_case", case.id)] == ["create", "examine", "decide"]
    with pytest.raises(DomainError):
        cases.dismiss(head, case.id, "terlambat")


def test_the_admin_bkpsdm_decides_heavy_cases_for_the_kepala_daerah(cast, figures, app):
    case = _proposed(cast, figures, days=28)
    cases.examine(admin(), case.id, TODAY, "BAP", TODAY)
    cases.decide(admin(), case.id, "pemberhentian_disiplin", "800/9/2026", TODAY, None, None)
    assert fresh(case).status == rules.DECIDED


def test_a_dismissal_before_examination_is_not_told_to_the_employee(cast, figures):
    case = _proposed(cast, figures)
    cases.dismiss(account(cast.atasan), case.id, "Izin sakit terlambat diinput")
    row = fresh(case)
    assert row.status == rules.DISMISSED and row.reason.startswith("Izin")
    assert not Notification.select().where(Notification.recipient == cast.worker.id,
                                           Notification.link == cases.link(case.id)).exists()
    assert reading.listing(account(cast.worker)) == ([], [])


def test_other_violations_are_recorded_by_the_head_or_the_admin_opd(cast, app):
    case = cases.record_other(account(cast.atasan), cast.worker.id, D(2026, 11, 2),
                              "Menggunakan kendaraan dinas untuk keperluan pribadi", "Foto", "teguran_tertulis", TODAY)
    assert (case.source, case.level, case.authority) == (rules.OTHER, rules.LIGHT, rules.OPD_HEAD)
    opd_admin = User.get(User.username == make_admin_opd("DINKES", "admin.dinkes.disiplin"))
    assert cases.record_other(opd_admin, cast.worker.id, D(2026, 11, 2), "x", "", "teguran_lisan", TODAY)
    for who, field in ((account(cast.penilai), "employee"), (account(cast.worker), "employee")):
        with pytest.raises(DomainError) as error:
            cases.record_other(who, cast.worker.id, D(2026, 11, 2), "x", "", "teguran_lisan", TODAY)
        assert error.value.field == field
    with pytest.raises(DomainError) as error:
        cases.record_other(account(cast.atasan), cast.worker.id, TODAY + datetime.timedelta(days=1),
                           "x", "", "teguran_lisan", TODAY)
    assert error.value.field == "incident_date"


def test_the_demo_proposal_waits_for_the_head_of_opd(cast):
    [case] = reading.listing(account(cast.atasan))[0]
    assert case.source == rules.ATTENDANCE and case.status == rules.PROPOSED
    assert access.is_authority(account(cast.atasan), case)


def test_who_reads_which_cases(cast, figures):
    case = _proposed(cast, figures)
    assert case.id in [c.id for c in reading.listing(account(cast.atasan))[0]]
    assert case.id in [c.id for c in reading.listing(admin())[0]]
    assert reading.listing(account(cast.penilai)) == ([], [])
    assert reading.listing(account(cast.worker)) == ([], [])  # a proposal is not yet theirs
    cases.examine(account(cast.atasan), case.id, TODAY, "BAP", TODAY)
    assert [c.id for c in reading.listing(account(cast.worker))[0]] == [case.id]
    assert access.relations(account(cast.worker), reading.get(case.id)) == {"employee"}
    assert access.relations(account(cast.penilai), reading.get(case.id)) == set()
