"""The good-practice library's rules: themes, co-authors, what submission needs, who reviews,
who reads, changes and reviews, and the review's outcome."""
import pytest
from hypothesis import given, strategies as st

from kinerja.rules import DomainError
from kinerja.rules import practices as rules

NIP = "198501012010012001"


def test_themes_keep_the_list_order_each_once():
    assert rules.check_themes(["kesehatan", "pelayanan-publik", "kesehatan"]) == [
        "pelayanan-publik", "kesehatan"]


@pytest.mark.parametrize("chosen, message", [
    ([], "sedikitnya satu"), (["bukan-tema"], "tidak dikenal"),
    (list(rules.THEMES)[:rules.MAX_THEMES + 1], "paling banyak")])
def test_themes_refused(chosen, message):
    with pytest.raises(DomainError, match=message) as caught:
        rules.check_themes(chosen)
    assert caught.value.field == "themes"


def test_coauthor_nips_split_on_commas_spaces_and_lines():
    other = "199001012015031002"
    assert rules.parse_nips(f" {NIP},{other}\n{NIP} ") == [NIP, other]
    assert rules.parse_nips("") == []


@pytest.mark.parametrize("text", ["12345", "19850101201001200X", "a" * 18, NIP + "1"])
def test_a_nip_that_is_not_18_digits_is_refused(text):
    with pytest.raises(DomainError, match="bukan NIP") as caught:
        rules.parse_nips(f"{NIP}, {text}")
    assert caught.value.field == "coauthors"


def test_at_most_ten_coauthors():
    nips = [f"1985010120100120{i:02d}" for i in range(11)]
    with pytest.raises(DomainError, match="10"):
        rules.parse_nips(" ".join(nips))


def test_submission_needs_every_part_and_results_in_numbers():
    problems = rules.submission_problems("Judul", "", " ", "Pelayanan lebih cepat", [])
    assert set(problems) == {"problem", "action", "results", "themes"}
    assert "angka" in problems["results"]
    assert rules.submission_problems("Judul", "Masalah", "Tindakan",
                                     "Turun dari 5 hari menjadi 2 hari", ["kesehatan"]) == {}


def test_the_head_of_the_unit_reviews():
    assert rules.reviewer_for([(4, 40), (1, 10)], [7]) == 40


def test_a_vacant_or_writing_head_passes_the_review_up():
    assert rules.reviewer_for([(4, None), (1, 10)], [7]) == 10
    assert rules.reviewer_for([(4, 40), (1, 10)], [40, 7]) == 10
    assert rules.reviewer_for([(1, 10)], [10]) is None


@given(st.lists(st.tuples(st.integers(1, 50), st.one_of(st.none(), st.integers(1, 30))),
                max_size=5),
       st.lists(st.integers(1, 30), min_size=1, max_size=4))
def test_the_reviewer_is_never_an_author_and_is_a_head_of_the_chain(chain, authors):
    reviewer = rules.reviewer_for(chain, authors)
    assert reviewer not in authors
    heads = [head for _, head in chain if head is not None]
    if reviewer is None:
        assert all(head in authors for head in heads)
    else:
        assert reviewer == next(head for head in heads if head not in authors)


def test_who_reads_a_practice():
    authors = [7, 8]
    assert rules.may_read("published", 99, authors, 40, False)
    assert rules.may_read("published", None, authors, 40, False)
    assert rules.may_read("draft", 8, authors, None, False)
    assert not rules.may_read("draft", 40, authors, 40, False)
    assert not rules.may_read("draft", None, authors, None, True)
    assert rules.may_read("submitted", 40, authors, 40, False)
    assert not rules.may_read("submitted", 41, authors, 40, True)
    assert rules.may_read("submitted", None, authors, None, True)
    assert not rules.may_read("returned", 99, authors, 40, False)


@given(st.sampled_from(list(rules.STATES)), st.one_of(st.none(), st.integers(1, 9)),
       st.integers(1, 9), st.one_of(st.none(), st.integers(1, 9)), st.booleans())
def test_published_is_for_everyone_and_authors_read_their_own(state, viewer, author, reviewer,
                                                              admin):
    if state == "published" or viewer == author:
        assert rules.may_read(state, viewer, [author], reviewer, admin)


def test_only_the_main_author_changes_and_only_before_submission():
    assert rules.edit_refusal("draft", 7, 7) is None
    assert rules.edit_refusal("returned", 7, 7) is None
    assert rules.edit_refusal("draft", 8, 7) == rules.NOT_AUTHOR
    assert rules.edit_refusal("draft", None, 7) == rules.NOT_AUTHOR
    assert rules.edit_refusal("submitted", 7, 7) == rules.NOT_EDITABLE
    assert rules.edit_refusal("published", 7, 7) == rules.NOT_EDITABLE


def test_only_the_reviewer_reviews_and_only_a_submitted_practice():
    assert rules.review_refusal("submitted", 40, 40, False) is None
    assert rules.review_refusal("submitted", 41, 40, True) == rules.NOT_REVIEWER
    assert rules.review_refusal("submitted", None, None, True) is None
    assert rules.review_refusal("submitted", 40, None, False) == rules.NOT_REVIEWER
    assert rules.review_refusal("draft", 40, 40, False) == rules.NOT_SUBMITTED


def test_the_review_outcome():
    assert rules.decide("submitted", "publish", "") == "published"
    assert rules.decide("submitted", "return", "Lengkapi angka") == "returned"
    with pytest.raises(DomainError) as caught:
        rules.decide("submitted", "return", "  ")
    assert caught.value.field == "note"
    with pytest.raises(DomainError):
        rules.decide("published", "publish", "")
    with pytest.raises(DomainError):
        rules.decide("submitted", "hapus", "")


@given(st.text(max_size=300))
def test_search_words_are_few_distinct_and_short(text):
    words = rules.search_words(text)
    assert len(words) <= 6
    assert all(0 < len(w) <= 40 and not any(c.isspace() for c in w) for w in words)
    assert len({w.lower() for w in words}) == len(words)
