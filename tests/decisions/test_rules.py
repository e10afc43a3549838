"""Rules of the rewards and sanctions ledger: kinds with their legal basis, who proposes and
decides, validity, and the honour roll."""
import datetime

import pytest
from hypothesis import given, strategies as st

from kinerja.rules import DomainError
from kinerja.rules import decisions as rules

D = datetime.date


def test_every_kind_names_its_category_and_legal_basis():
    for kind in rules.KINDS.values():
        assert kind.category in rules.CATEGORIES and kind.basis and kind.label
    sanctions = dict(rules.kind_choices(rules.SANCTION))
    assert "Teguran lisan" in sanctions.values()
    assert rules.KINDS["potong_tukin_9"].months == 9
    assert "PP 94/2021" in rules.KINDS["pembebasan_jabatan"].basis
    assert "PP 30/2019 Pasal 56" in rules.KINDS["pemindahan_kinerja"].basis
    assert {k for k, _ in rules.kind_choices(rules.REWARD)} == {
        "piagam", "finansial", "prioritas_pengembangan", "usulan_promosi"}


@pytest.mark.parametrize("category, kind, ok", [
    ("penghargaan", "piagam", True), ("sanksi", "teguran_lisan", True),
    ("penghargaan", "teguran_lisan", False), ("sanksi", "piagam", False),
    ("lainnya", "piagam", False), ("sanksi", "hukuman_mati", False)])
def test_kind_must_belong_to_the_category(category, kind, ok):
    assert (rules.kind_denial(category, kind) is None) is ok


def test_only_the_appraiser_or_head_of_opd_proposes_and_never_for_themselves():
    assert rules.propose_denial({rules.APPRAISER}, False) is None
    assert rules.propose_denial({rules.OPD_HEAD}, False) is None
    assert rules.propose_denial(set(), False) == rules.NOT_A_PROPOSER
    assert rules.propose_denial({rules.OPD_HEAD}, True) == rules.OWN_DECISION


def test_only_bkpsdm_decides_a_waiting_proposal():
    assert rules.decide_denial("admin", rules.PROPOSED) is None
    assert rules.decide_denial("admin_opd", rules.PROPOSED) == rules.NOT_BKPSDM
    assert rules.decide_denial("pegawai", rules.PROPOSED) == rules.NOT_BKPSDM
    for status in (rules.APPROVED, rules.REJECTED, rules.WITHDRAWN):
        assert rules.decide_denial("admin", status) == rules.NOT_WAITING


def test_only_the_proposer_withdraws_while_it_waits():
    assert rules.withdraw_denial(True, rules.PROPOSED) is None
    assert rules.withdraw_denial(False, rules.PROPOSED) == rules.NOT_PROPOSER
    assert rules.withdraw_denial(True, rules.APPROVED) == rules.NOT_WAITING


def test_a_fixed_length_sanction_ends_by_itself():
    assert rules.validity("potong_tukin_6", D(2026, 1, 31), None) == (D(2026, 1, 31), D(2026, 7, 30))
    assert rules.validity("penurunan_jabatan", D(2026, 3, 1), None) == (D(2026, 3, 1), D(2027, 2, 28))
    assert rules.validity("piagam", D(2026, 3, 1), None) == (D(2026, 3, 1), None)
    assert rules.validity("potong_tukin_6", D(2026, 1, 1), D(2026, 2, 1)) == (D(2026, 1, 1), D(2026, 2, 1))


def test_validity_refuses_an_end_before_the_start_or_without_one():
    with pytest.raises(DomainError) as error:
        rules.validity("piagam", D(2026, 3, 1), D(2026, 2, 1))
    assert error.value.field == "valid_until"
    with pytest.raises(DomainError) as error:
        rules.validity("piagam", None, D(2026, 2, 1))
    assert error.value.field == "valid_from"


def test_in_force_only_when_approved_and_within_its_period():
    today = D(2026, 11, 24)
    assert rules.in_force(rules.APPROVED, None, None, today)
    assert rules.in_force(rules.APPROVED, today, today, today)
    assert not rules.in_force(rules.APPROVED, today + datetime.timedelta(days=1), None, today)
    assert not rules.in_force(rules.APPROVED, None, today - datetime.timedelta(days=1), today)
    assert not rules.in_force(rules.PROPOSED, None, None, today)


def test_the_honour_roll_holds_this_years_public_approved_rewards():
    assert rules.on_honour_roll(rules.REWARD, rules.APPROVED, True, D(2026, 5, 1), 2026)
    assert not rules.on_honour_roll(rules.REWARD, rules.APPROVED, False, D(2026, 5, 1), 2026)
    assert not rules.on_honour_roll(rules.REWARD, rules.APPROVED, True, D(2025, 5, 1), 2026)
    assert not rules.on_honour_roll(rules.SANCTION, rules.APPROVED, True, D(2026, 5, 1), 2026)
    assert not rules.on_honour_roll(rules.REWARD, rules.PROPOSED, True, D(2026, 5, 1), 2026)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.sampled_from(sorted(rules.KINDS)))
def test_a_computed_end_lies_after_the_start_within_the_months(start, kind):
    valid_from, valid_until = rules.validity(kind, start, None)
    months = rules.KINDS[kind].months
    if months is None:
        assert valid_until is None
    else:
        assert start < valid_until < start + datetime.timedelta(days=31 * months)
        assert rules.in_force(rules.APPROVED, valid_from, valid_until, valid_until)
        assert not rules.in_force(rules.APPROVED, valid_from, valid_until,
                                  valid_until + datetime.timedelta(days=1))


@given(st.dates(), st.integers(min_value=0, max_value=240))
def test_add_months_keeps_the_day_where_the_month_has_it(day, months):
    later = rules.add_months(day, months) if day.year < 9000 else None
    if later is not None:
        assert (later.year - day.year) * 12 + later.month - day.month == months
        assert later.day == day.day or later.day < day.day
