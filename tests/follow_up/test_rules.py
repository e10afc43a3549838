"""Follow-up rules: predikat → proposals, re-proposing after an objection, decisions, the
coaching plan's roles, the improvement period and the reminders."""
import datetime
import json

import pytest
from hypothesis import given, strategies as st

from kinerja.rules import DomainError
from kinerja.rules import evaluation as ev
from kinerja.rules import follow_up as rules

POSITION_KINDS = ["jpt_pratama", "administrator", "pengawas", "fungsional", "pelaksana", None]
matrix = rules.DEFAULT_MATRIX


@pytest.mark.parametrize("predikat, kind, expected", [
    ("sangat_baik", "pelaksana", ["reward", "talent_pool", "practice_invite"]),
    ("baik", "fungsional", []),
    ("butuh_perbaikan", "pelaksana", ["coaching"]),
    ("kurang", "pengawas", ["coaching", "discipline_referral"]),
    ("sangat_kurang", "fungsional", ["coaching", "improvement_period"]),
    ("sangat_kurang", "administrator", ["coaching", "improvement_period"]),
    ("sangat_kurang", "jpt_pratama", ["coaching", "improvement_period"]),
    ("sangat_kurang", "pelaksana", ["coaching"]),
    ("sangat_kurang", "pengawas", ["coaching"]),
    (None, "fungsional", []),
])
def test_the_default_matrix_of_followup_md(predikat, kind, expected):
    assert rules.proposals(predikat, kind, matrix) == expected


@given(st.sampled_from([*ev.PREDIKATS, None, "x"]), st.sampled_from(POSITION_KINDS),
       st.dictionaries(st.sampled_from(list(ev.PREDIKATS)),
                       st.lists(st.sampled_from(rules.MATRIX_KINDS), unique=True)))
def test_proposals_come_from_the_matrix_and_improvement_only_for_eligible_positions(predikat, kind, m):
    result = rules.proposals(predikat, kind, m)
    assert set(result) <= set(m.get(predikat or "", []))
    assert len(result) == len(set(result))
    if kind not in rules.IMPROVEMENT_POSITION_KINDS:
        assert "improvement_period" not in result


@given(st.text(max_size=200))
def test_any_setting_text_gives_a_valid_matrix(text):
    parsed = rules.parse_matrix(text)
    assert set(parsed) == set(rules.DEFAULT_MATRIX)
    assert all(set(kinds) <= set(rules.MATRIX_KINDS) for kinds in parsed.values())


def test_a_matrix_round_trips_and_drops_unknown_kinds():
    changed = {"sangat_baik": ["reward", "bogus"], "baik": ["coaching"]}
    parsed = rules.parse_matrix(rules.dump_matrix(changed))
    assert parsed["sangat_baik"] == ["reward"] and parsed["baik"] == ["coaching"]
    assert parsed["kurang"] == []
    assert rules.parse_matrix(json.dumps(["not", "a", "dict"])) == rules.DEFAULT_MATRIX


@given(st.dictionaries(st.sampled_from(rules.MATRIX_KINDS), st.sampled_from(list(rules.STATUSES))),
       st.lists(st.sampled_from(rules.MATRIX_KINDS), unique=True))
def test_reconcile_never_proposes_twice_and_dismisses_only_waiting(existing, wanted):
    new, stale = rules.reconcile(existing, wanted)
    assert not set(new) & set(existing)
    assert set(new) | (set(wanted) & set(existing)) == set(wanted)
    assert all(existing[k] == "proposed" and k not in wanted for k in stale)
    # Running it again on the result changes nothing more.
    after = {**{k: s for k, s in existing.items()}, **{k: "proposed" for k in new},
             **{k: "dismissed" for k in stale}}
    assert rules.reconcile(after, wanted) == ([], [])


def test_decisions():
    assert rules.decision_denial("proposed", "accepted") is None
    assert "alasan" in rules.decision_denial("proposed", "dismissed", "  ")
    assert rules.decision_denial("proposed", "dismissed", "Sudah dibina") is None
    assert rules.decision_denial("proposed", "changed", changed_to="coaching", kind="coaching")
    assert rules.decision_denial("proposed", "changed", changed_to="nope", kind="coaching")
    assert rules.decision_denial("proposed", "changed", changed_to="reward", kind="coaching") is None
    assert "sudah diterima" in rules.decision_denial("accepted", "dismissed", "x")
    assert rules.decision_denial("proposed", "whatever")


@given(st.dates(datetime.date(2000, 1, 1), datetime.date(2090, 12, 31)))
def test_the_improvement_period_lasts_six_months(day):
    end = rules.improvement_end(day)
    months = (end.year - day.year) * 12 + end.month - day.month
    assert months == 6 and end.day <= day.day
    assert 181 - 3 <= (end - day).days <= 184


def test_plan_roles():
    open_ = "open"
    assert rules.plan_denial("edit", {rules.APPRAISER}, open_) is None
    for roles in ({rules.OWNER}, {rules.SUPERIOR}, {rules.ADMIN}):
        assert rules.plan_denial("edit", roles, open_)
    assert rules.plan_denial("acknowledge", {rules.OWNER}, open_) is None
    assert rules.plan_denial("acknowledge", {rules.OWNER}, open_, acknowledged=True)
    assert rules.plan_denial("acknowledge", {rules.APPRAISER}, open_)
    assert rules.plan_denial("comment", {rules.SUPERIOR}, open_)
    assert rules.plan_denial("edit", {rules.APPRAISER}, "closed")
    assert rules.plan_denial("action_status", {rules.OWNER}, open_, action_owner="employee") is None
    assert rules.plan_denial("action_status", {rules.OWNER}, open_, action_owner="appraiser")
    with pytest.raises(DomainError):
        rules.check_plan("edit", {rules.OWNER}, open_)
    assert rules.sees_notes({rules.SUPERIOR}) and not rules.sees_notes({rules.ADMIN})
    assert rules.sees_notes({rules.ADMIN}, admins_see=True) and not rules.sees_notes(set(), admins_see=True)


def test_only_the_admin_bkpsdm_changes_the_settings():
    class Account:
        def __init__(self, role):
            self.role = role
    assert rules.settings_denial(Account("admin")) is None
    assert rules.settings_denial(Account("admin_opd")) and rules.settings_denial(Account("pegawai"))


TODAY = datetime.date(2026, 11, 24)


@pytest.mark.parametrize("days, reminded, expected", [
    (10, "", None), (3, "", "soon"), (0, "", "soon"), (3, "soon", None),
    (-1, "", "overdue"), (-1, "soon", "overdue"), (-5, "overdue", None),
])
def test_reminders(days, reminded, expected):
    due = TODAY + datetime.timedelta(days=days)
    assert rules.reminder_due(due, TODAY, "planned", reminded) == expected
    assert rules.reminder_due(due, TODAY, "done", reminded) is None


@given(st.integers(-60, 60), st.sampled_from(["", "soon", "overdue"]))
def test_a_reminder_is_never_sent_twice(days, reminded):
    due = TODAY + datetime.timedelta(days=days)
    stage = rules.reminder_due(due, TODAY, "planned", reminded)
    if stage is not None:
        assert rules.reminder_due(due, TODAY, "planned", stage) is None
