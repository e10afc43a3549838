"""360° feedback rules: who may answer about whom, until when, and that the summary never shows
a value with fewer answers than the minimum (not even how many) nor an order that could tell
raters apart."""
import datetime

from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.evaluation import RATINGS
from kinerja.rules.peer_feedback import PEER, SUBORDINATE, answers_close_on, standing, tally, visible

LEVELS = st.sampled_from(list(RATINGS))
VALUES = st.sampled_from(["berorientasi_pelayanan", "akuntabel", "kompeten"])
ANSWERS = st.lists(st.tuples(VALUES, LEVELS, st.text(max_size=30)), max_size=25)


def test_standing_of_peers_subordinates_and_strangers():
    assert standing(2, 1, 3, 1) == PEER              # same Pejabat Penilai
    assert standing(2, 1, 1, 9) == SUBORDINATE       # rater's Pejabat Penilai is the ratee
    assert standing(2, 1, 2, 1) is None              # oneself
    assert standing(2, 1, 3, 4) is None              # another team
    assert standing(2, None, 3, None) is None        # both appraised by the Kepala Daerah
    assert standing(1, 9, 2, 1) is None              # one's own subordinate: the Pejabat Penilai rates them


def summarise(answers, least):
    return visible(tally(answers), least)


def test_answering_closes_a_week_after_the_period():
    assert answers_close_on(datetime.date(2026, 9, 30)) == datetime.date(2026, 10, 7)
    assert answers_close_on(datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 7)


@given(ANSWERS, st.integers(min_value=3, max_value=6))
def test_a_value_is_shown_only_with_enough_answers(answers, least):
    shown = summarise(answers, least)
    for value in {a[0] for a in answers}:
        answered = [a for a in answers if a[0] == value]
        if len(answered) >= least:
            assert shown[value].raters == len(answered)
            assert sum(shown[value].counts.values()) == len(answered)
            assert set(shown[value].counts) == set(RATINGS)
        else:
            assert value not in shown  # neither answers nor their number


@given(ANSWERS, st.randoms())
def test_the_order_of_answers_changes_nothing_shown(answers, rnd):
    shuffled = list(answers)
    rnd.shuffle(shuffled)
    assert summarise(answers, 3) == summarise(shuffled, 3)


def test_comments_come_sorted_and_blank_ones_are_dropped():
    answers = [("akuntabel", "meets", "zaman"), ("akuntabel", "above", "  "), ("akuntabel", "below", "Bagus"),
               ("akuntabel", "meets", "adil")]
    summary = summarise(answers, 3)["akuntabel"]
    assert summary.comments == ["adil", "Bagus", "zaman"]
    assert summary.counts == {"above": 1, "meets": 2, "below": 1}
    assert "akuntabel" not in summarise(answers[:2], 3)
