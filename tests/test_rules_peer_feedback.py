"""360° feedback rules: who may answer about whom, and that the summary never shows fewer
answers than the minimum nor an order that could tell raters apart."""
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.evaluation import RATINGS
from kinerja.rules.peer_feedback import PEER, SUBORDINATE, standing, summarise

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


@given(ANSWERS, st.integers(min_value=3, max_value=6))
def test_a_value_is_shown_only_with_enough_answers(answers, least):
    for value, summary in summarise(answers, least).items():
        answered = [a for a in answers if a[0] == value]
        assert summary.raters == len(answered)
        assert summary.shown == (len(answered) >= least)
        if summary.shown:
            assert sum(summary.counts.values()) == len(answered)
            assert set(summary.counts) == set(RATINGS)
        else:
            assert summary.counts == {} and summary.comments == []


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
    assert summarise(answers[:2], 3)["akuntabel"].shown is False
