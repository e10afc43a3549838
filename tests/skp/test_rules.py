"""SKP workflow rules: every transition, every denial, validation, targets and the revision diff."""
import datetime
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from kinerja.rules import skp as rules
from kinerja.rules.skp import Actor, Plan
from kinerja.rules import DomainError

OWNER, APPRAISER, OTHER = 10, 20, 30
owner = Actor("pegawai", OWNER)
appraiser = Actor("pegawai", APPRAISER)
stranger = Actor("pegawai", OTHER)
admin = Actor("admin", None)
admin_opd = Actor("admin_opd", None)


def plan(status="draft", appraiser_id=APPRAISER, **kw):
    return Plan(status=status, owner_id=OWNER, appraiser_id=appraiser_id, **kw)


# --- transitions -----------------------------------------------------------------

@pytest.mark.parametrize("status,action,result", [
    ("draft", "submit", "submitted"),
    ("returned", "submit", "submitted"),
    ("submitted", "approve", "approved"),
    ("submitted", "return", "returned"),
    ("approved", "supersede", "superseded"),
])
def test_every_allowed_transition(status, action, result):
    assert rules.next_status(status, action) == result


@pytest.mark.parametrize("status,action", [
    ("draft", "approve"), ("draft", "return"), ("submitted", "submit"), ("approved", "submit"),
    ("approved", "approve"), ("approved", "return"), ("returned", "approve"), ("superseded", "submit"),
    ("superseded", "supersede"), ("draft", "supersede"),
])
def test_every_other_transition_is_refused_with_a_message(status, action):
    with pytest.raises(DomainError) as exc:
        rules.next_status(status, action)
    assert str(exc.value)


@given(st.sampled_from(["draft", "submitted", "returned", "approved", "superseded", "x"]),
       st.text(max_size=10))
def test_next_status_is_either_a_known_state_or_a_workflow_error(status, action):
    try:
        result = rules.next_status(status, action)
    except DomainError:
        return
    assert result in {"submitted", "approved", "returned", "superseded"}


@pytest.mark.parametrize("action,who,status,result", [
    ("submit", owner, "draft", "submitted"), ("submit", owner, "returned", "submitted"),
    ("approve", appraiser, "submitted", "approved"), ("return", appraiser, "submitted", "returned"),
    ("edit", owner, "draft", "draft"), ("revise", owner, "approved", "approved"),
])
def test_transition_is_the_table_for_whoever_may_act(action, who, status, result):
    assert rules.transition(action, who, plan(status)) == result


def test_transition_refuses_with_the_denial():
    with pytest.raises(DomainError) as exc:
        rules.transition("approve", owner, plan("submitted"))
    assert exc.value.message == rules.denial("approve", owner, plan("submitted"))
    assert rules.denial("supersede", admin, plan("approved"))  # the system's step, nobody's
    assert rules.denial("publish", owner, plan("draft")) == "Tindakan tidak dikenal."


@pytest.mark.parametrize("who", [owner, appraiser, stranger, admin, admin_opd])
@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "approved", "superseded"])
def test_approving_and_returning_are_refused_alike(who, status):
    assert rules.denial("return", who, plan(status)) == rules.denial("approve", who, plan(status))


def test_only_an_admin_changes_the_appraiser_and_only_before_approval():
    for who in (admin, admin_opd):
        for status in ("draft", "submitted", "returned"):
            assert rules.allowed("set_appraiser", who, plan(status))
        for status in ("approved", "superseded"):
            assert "sebelum SKP disetujui" in rules.denial("set_appraiser", who, plan(status))
        assert "sebelum SKP disetujui" in rules.denial("set_appraiser", who, plan("draft", is_latest=False))
    for who in (owner, appraiser, stranger):
        assert "Hanya admin" in rules.denial("set_appraiser", who, plan("draft"))


# --- editing ---------------------------------------------------------------------

@pytest.mark.parametrize("status", ["draft", "returned"])
def test_owner_edits_own_draft_or_returned_plan(status):
    assert rules.allowed("edit", owner, plan(status))
    assert rules.denial("submit", owner, plan(status)) is None


@pytest.mark.parametrize("status", ["submitted", "approved", "superseded"])
def test_owner_cannot_edit_a_submitted_or_locked_plan(status):
    reason = rules.denial("edit", owner, plan(status))
    assert reason and "SKP" in reason
    assert rules.denial("submit", owner, plan(status)) == reason


@pytest.mark.parametrize("who", [appraiser, stranger, admin, admin_opd])
def test_nobody_but_the_owner_edits(who):
    assert rules.denial("edit", who, plan("draft")) == "Hanya pemilik SKP yang dapat mengubah isinya."


def test_an_older_revision_or_a_closed_year_cannot_be_edited():
    assert "revisi terbaru" in rules.denial("edit", owner, plan("draft", is_latest=False))
    assert "ditutup" in rules.denial("edit", owner, plan("draft", year_open=False))


# --- deciding --------------------------------------------------------------------

def test_only_the_appraiser_decides_a_submitted_plan():
    assert rules.allowed("approve", appraiser, plan("submitted"))
    for who in (owner, stranger, admin, admin_opd):
        assert "Hanya Pejabat Penilai" in rules.denial("approve", who, plan("submitted"))


@pytest.mark.parametrize("status", ["draft", "returned", "approved", "superseded"])
def test_the_appraiser_cannot_decide_outside_submitted(status):
    reason = rules.denial("approve", appraiser, plan(status))
    assert reason and "Hanya Pejabat Penilai" not in reason


def test_an_older_revision_cannot_be_decided():
    assert rules.denial("approve", appraiser, plan("submitted", is_latest=False))


def test_the_admin_decides_for_the_kepala_daerah_on_a_head_of_opd():
    head_plan = plan("submitted", appraiser_id=None)
    assert rules.allowed("approve", admin, head_plan)
    assert not rules.allowed("approve", admin_opd, head_plan)
    assert not rules.allowed("approve", Actor("pegawai", OTHER), head_plan)


def test_an_owner_never_decides_their_own_plan_even_as_admin():
    own_admin = Actor("admin", OWNER)
    assert not rules.allowed("approve", own_admin, plan("submitted", appraiser_id=None))
    assert not rules.allowed("approve", Actor("pegawai", OWNER), Plan("submitted", OWNER, OWNER))


# --- expectations, revisions, reading ----------------------------------------------

@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_appraiser_writes_expectations_before_approval(status):
    assert rules.allowed("expect", appraiser, plan(status))


@pytest.mark.parametrize("status", ["approved", "superseded"])
def test_expectations_are_locked_after_approval(status):
    assert rules.denial("expect", appraiser, plan(status))


@pytest.mark.parametrize("who", [owner, stranger, admin_opd])
def test_only_the_appraiser_writes_expectations(who):
    assert "Pejabat Penilai" in rules.denial("expect", who, plan("draft"))


def test_revision_only_from_the_latest_approved_plan_by_its_owner():
    assert rules.allowed("revise", owner, plan("approved"))
    assert "pemilik" in rules.denial("revise", appraiser, plan("approved"))
    for status in ("draft", "submitted", "returned", "superseded"):
        assert "sudah disetujui" in rules.denial("revise", owner, plan(status))
    assert "lebih baru" in rules.denial("revise", owner, plan("approved", is_latest=False))
    assert "ditutup" in rules.denial("revise", owner, plan("approved", year_open=False))


def test_who_reads_a_plan():
    p = plan("draft")
    assert rules.can_read(owner, p)
    assert rules.can_read(appraiser, p)
    assert not rules.can_read(stranger, p)
    assert rules.can_read(stranger, p, supervises=True)
    assert rules.can_read(admin, p, in_admin_scope=True)
    assert not rules.can_read(admin_opd, p, in_admin_scope=False)
    # a pegawai gains nothing from a scope flag meant for admins
    assert not rules.can_read(stranger, p, in_admin_scope=True)


def test_team_status_maps_missing_and_superseded():
    assert rules.team_status(None) == "belum"
    assert rules.team_status("returned") == "returned"
    assert rules.team_status("superseded") == "approved"


def test_deadline_and_period_defaults():
    assert rules.default_deadline(2027) == datetime.date(2027, 1, 31)
    assert rules.default_period(2027) == (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
    deadline = datetime.date(2027, 1, 31)
    assert rules.days_remaining(deadline, datetime.date(2027, 1, 21)) == 10
    assert rules.deadline_label(deadline, datetime.date(2027, 1, 21)) == "10 hari lagi"
    assert rules.deadline_label(deadline, deadline) == "hari ini"
    assert rules.deadline_label(deadline, datetime.date(2027, 2, 3)) == "lewat 3 hari"
    # Once approved the clock stops: months later it does not read as overdue.
    late_in_year = datetime.date(2027, 11, 24)
    assert rules.deadline_label(deadline, late_in_year, datetime.date(2027, 1, 20)) == "disetujui tepat waktu"
    assert rules.deadline_label(deadline, late_in_year, datetime.date(2027, 2, 4)) == "disetujui 4 hari setelah batas"


# --- content validation -------------------------------------------------------------

def test_rhk_errors_name_the_field():
    assert rules.rhk_errors("utama", "  ", True, False) == {"text": "Rencana Hasil Kerja wajib diisi."}
    assert "RHK Pejabat Penilai" in rules.rhk_errors("utama", "RHK", False, False)["parent"]
    assert "sasaran/IKU" in rules.rhk_errors("utama", "RHK", False, True)["parent"]
    assert rules.rhk_errors("tambahan", "RHK", False, False) == {}


def test_quantitative_indicator_needs_a_number_and_a_unit():
    errors = rules.indicator_errors("kuantitatif", "Jumlah laporan", Decimal(12), None, "", "")
    assert set(errors) == {"target_unit"}
    errors = rules.indicator_errors("kuantitatif", "", None, None, "dokumen", "")
    assert set(errors) == {"text", "target_min"}
    errors = rules.indicator_errors("kuantitatif", "x", Decimal(10), Decimal(5), "%", "")
    assert set(errors) == {"target_max"}
    assert "negatif" in rules.indicator_errors("kuantitatif", "x", Decimal(-1), None, "%", "")["target_min"]
    assert rules.indicator_errors("kuantitatif", "x", Decimal(90), Decimal(100), "%", "") == {}


def test_qualitative_indicator_needs_a_narrative_target():
    assert set(rules.indicator_errors("kualitatif", "x", None, None, "", "")) == {"target_text"}
    assert rules.indicator_errors("kualitatif", "x", None, None, "", "Laporan diterima pimpinan") == {}


def _rhk(kind="utama", text="RHK", has_parent=True, indicators=None):
    return {"kind": kind, "text": text, "has_parent": has_parent, "indicators": indicators if indicators is not None else [
        {"text": "Jumlah", "target_min": Decimal(1), "target_max": None, "target_unit": "dokumen", "target_text": ""}]}


def test_submission_needs_an_utama_rhk_with_parent_and_indicators():
    assert rules.submission_problems("kuantitatif", [], False) == [
        "SKP harus memiliki paling sedikit satu RHK Utama."]
    assert rules.submission_problems("kuantitatif", [_rhk()], False) == []
    problems = rules.submission_problems("kuantitatif", [_rhk(), _rhk(has_parent=False), _rhk("tambahan", indicators=[])], False)
    assert problems == ["RHK Utama 2: Pilih RHK Pejabat Penilai yang diintervensi.",
                        "RHK Tambahan 1: tambahkan paling sedikit satu indikator kinerja."]
    bad_target = _rhk(indicators=[{"text": "x", "target_min": None, "target_max": None, "target_unit": "", "target_text": ""}])
    assert rules.submission_problems("kuantitatif", [bad_target], False) == [
        "RHK Utama 1, indikator 1: Target wajib diisi dengan angka.",
        "RHK Utama 1, indikator 1: Satuan target wajib diisi, misalnya dokumen, %, atau hari."]


# --- numbers and targets -----------------------------------------------------------------

@pytest.mark.parametrize("raw,value", [
    ("12", Decimal(12)), ("12,5", Decimal("12.5")), ("1.250", Decimal(1250)), ("1.250,75", Decimal("1250.75")),
    ("2.5", Decimal("2.5")), ("0.125", Decimal("0.125")), (" 90 ", Decimal(90)), ("", None), (None, None)])
def test_parse_number_reads_indonesian_numbers(raw, value):
    assert rules.parse_number(raw) == value


@pytest.mark.parametrize("raw", ["dua belas", "12a", "1,2,3", "NaN", "Infinity", "1e20"])
def test_parse_number_refuses_non_numbers(raw):
    with pytest.raises(ValueError):
        rules.parse_number(raw)


@given(st.decimals(min_value=0, max_value=10 ** 9, places=2, allow_nan=False, allow_infinity=False))
def test_a_stored_target_reads_back_as_typed(value):
    assert rules.parse_number(rules.number_input(value)) == value


@given(st.text(max_size=30))
def test_parse_number_never_fails_other_than_valueerror(raw):
    try:
        rules.parse_number(raw)
    except ValueError:
        pass


def test_format_target():
    assert rules.format_target("kuantitatif", Decimal(12), None, "dokumen", "") == "12 dokumen"
    assert rules.format_target("kuantitatif", Decimal(90), Decimal(100), "%", "") == "90–100 %"
    assert rules.format_target("kuantitatif", Decimal("68.5"), None, "poin", "") == "68,5 poin"
    assert rules.format_target("kuantitatif", Decimal(18000), None, "kunjungan", "") == "18.000 kunjungan"
    assert rules.format_target("kualitatif", None, None, "", "Diterima pimpinan") == "Diterima pimpinan"
    assert rules.format_target("kuantitatif", None, None, "", "") == "-"


def test_core_values_are_the_seven_berakhlak_values_with_three_guides():
    assert [name for _, name, _ in rules.CORE_VALUES] == [
        "Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"]
    assert all(len(guides) == 3 for _, _, guides in rules.CORE_VALUES)


# --- revision diff --------------------------------------------------------------------------

def _shape(rhks, approach="Kuantitatif", appendix=None, expectations=None):
    return {"approach": approach, "rhks": rhks, "appendix": appendix or {}, "expectations": expectations or {}}


def test_revision_diff_lists_added_removed_and_changed():
    old = _shape([{"key": 1, "kind": "utama", "text": "A", "parent": "P", "indicators": ["x (1 dokumen)"]},
                  {"key": 2, "kind": "utama", "text": "B", "parent": "P", "indicators": []}],
                 appendix={"Konsekuensi": ["TPP"]})
    new = _shape([{"key": 1, "kind": "utama", "text": "A2", "parent": "P", "indicators": ["x (2 dokumen)"]},
                  {"key": None, "kind": "tambahan", "text": "C", "parent": "", "indicators": []}],
                 approach="Kualitatif", appendix={"Konsekuensi": ["TPP", "Karier"]},
                 expectations={"Akuntabel": "Lapor tepat waktu"})
    changes = rules.revision_diff(old, new)
    summary = [(c.kind, c.what, c.before, c.after) for c in changes]
    assert ("changed", "Pendekatan", "Kuantitatif", "Kualitatif") in summary
    assert ("changed", "RHK Utama — uraian", "A", "A2") in summary
    assert ("changed", "RHK Utama — indikator: A2", "x (1 dokumen)", "x (2 dokumen)") in summary
    assert ("added", "RHK Tambahan", "", "C") in summary
    assert ("removed", "RHK Utama", "B", "") in summary
    assert ("changed", "Lampiran — Konsekuensi", "TPP", "TPP; Karier") in summary
    assert ("changed", "Ekspektasi — Akuntabel", "", "Lapor tepat waktu") in summary


def test_revision_diff_of_an_unchanged_copy_is_empty():
    rhks = [{"key": 1, "kind": "utama", "text": "A", "parent": "P", "indicators": ["x"]}]
    assert rules.revision_diff(_shape(rhks), _shape([dict(rhks[0])])) == []


def test_a_plan_goes_back_with_a_reason():
    assert "alasan pengembalian" in rules.return_problem("", [])
    assert "alasan pengembalian" in rules.return_problem("  ", ["", " \n"])
    assert rules.return_problem("Perbaiki target.", []) is None
    assert rules.return_problem("", ["", "Target terlalu rendah."]) is None
