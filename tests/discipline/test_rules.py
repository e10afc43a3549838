"""The PP 94/2021 ladder, the authority to decide, and the steps of a case."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import DomainError
from kinerja.rules import decisions as ledger
from kinerja.rules import discipline as rules


@pytest.mark.parametrize("days, level, kind", [
    (0, None, None), (2, None, None), ("2.99", None, None),
    (3, "ringan", "teguran_lisan"), (4, "ringan", "teguran_tertulis"), (6, "ringan", "teguran_tertulis"),
    (7, "ringan", "tidak_puas"), (10, "ringan", "tidak_puas"),
    (11, "sedang", "potong_tukin_6"), (13, "sedang", "potong_tukin_6"),
    (14, "sedang", "potong_tukin_9"), (16, "sedang", "potong_tukin_9"),
    (17, "sedang", "potong_tukin_12"), (20, "sedang", "potong_tukin_12"),
    (21, "berat", "penurunan_jabatan"), (24, "berat", "penurunan_jabatan"),
    (25, "berat", "pembebasan_jabatan"), (27, "berat", "pembebasan_jabatan"),
    (28, "berat", "pemberhentian_disiplin"), (200, "berat", "pemberhentian_disiplin"),
])
def test_the_ladder_is_the_table_of_the_regulation(days, level, kind):
    step = rules.step_for(Decimal(str(days)))
    assert (step.level if step else None, step.kind if step else None) == (level, kind)


def test_every_sanction_is_a_sanction_of_the_ledger():
    for kind in rules.LEVEL_OF:
        assert ledger.KINDS[kind].category == ledger.SANCTION
    assert {step.kind for step in rules.LADDER} <= set(rules.LEVEL_OF)


def test_ten_consecutive_working_days_call_for_dismissal():
    assert rules.consecutive_step(9) is None
    assert rules.consecutive_step(10).kind == "pemberhentian_disiplin"
    assert rules.consecutive_step(10).level == rules.HEAVY


@given(st.decimals(min_value=0, max_value=400, places=2), st.decimals(min_value=0, max_value=400, places=2))
def test_more_days_never_call_for_a_lighter_sanction(a, b):
    low, high = sorted((a, b))
    s_low, s_high = rules.step_for(low), rules.step_for(high)
    if s_low is not None:
        assert s_high is not None
        assert rules.LEVEL_RANK[s_high.level] >= rules.LEVEL_RANK[s_low.level]
        assert s_high.days >= s_low.days


@given(st.decimals(min_value=0, max_value=400, places=2), st.one_of(st.none(), st.integers(0, 40)))
def test_a_threshold_already_covered_opens_nothing(days, covered):
    step = rules.step_for(days)
    if rules.needs_proposal(step, covered):
        assert covered is None or step.days > covered
    elif step is not None:
        assert covered is not None and covered >= step.days


def test_authority_heavy_sanctions_and_heads_of_opd_go_to_the_kepala_daerah():
    assert rules.authority_for(rules.LIGHT, False) == rules.OPD_HEAD
    assert rules.authority_for(rules.MEDIUM, False) == rules.OPD_HEAD
    assert rules.authority_for(rules.HEAVY, False) == rules.REGENT
    assert rules.authority_for(rules.LIGHT, True) == rules.REGENT


def test_the_steps_of_a_case():
    assert rules.examine_denial(True, False, rules.PROPOSED) is None
    assert rules.examine_denial(False, False, rules.PROPOSED) == rules.NOT_AUTHORITY
    assert rules.examine_denial(True, True, rules.PROPOSED) == rules.OWN_CASE
    assert rules.examine_denial(True, False, rules.EXAMINED) == rules.NOT_PROPOSED
    assert rules.examine_denial(True, False, rules.DECIDED) == rules.NOT_OPEN
    assert rules.decide_denial(True, False, rules.PROPOSED, rules.OPD_HEAD, "teguran_lisan") == rules.NOT_EXAMINED
    assert rules.decide_denial(True, False, rules.EXAMINED, rules.OPD_HEAD, "teguran_lisan") is None
    with pytest.raises(DomainError):
        rules.decide_denial(True, False, rules.EXAMINED, rules.OPD_HEAD, "penurunan_jabatan")
    with pytest.raises(DomainError):
        rules.decide_denial(True, False, rules.EXAMINED, rules.OPD_HEAD, "piagam")
    assert rules.decide_denial(True, False, rules.EXAMINED, rules.REGENT, "penurunan_jabatan") is None
