"""The IKM of domain/skm.md: the examples, the band edges, and properties."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja.rules import ikm

CODES = ikm.ELEMENT_CODES


def everyone_answers(value, respondents=10):
    return ikm.tally([dict.fromkeys(CODES, value)] * respondents)


def result_of(responses, weight="1/9"):
    return ikm.tally(responses).result(weight)


def test_nine_elements_in_code_order_with_four_answers_each():
    assert CODES == ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
    assert all(len(e.answers) == 4 and e.question.endswith("?") for e in ikm.ELEMENTS)
    assert ikm.ELEMENTS_BY_CODE["u8"].name == "Penanganan Pengaduan, Saran dan Masukan"
    assert ikm.ELEMENTS_BY_CODE["u4"].answers[3] == "Gratis"


@pytest.mark.parametrize("value, weight, expected, letter", [
    (4, "1/9", "100.00", "A"),
    (4, "0.111", "99.90", "A"),
    (4, "0,111", "99.90", "A"),
    (4, "0.11", "99.00", "A"),
    (1, "1/9", "25.00", "D"),
    (3, "1/9", "75.00", "C"),
])
def test_examples_of_the_specification(value, weight, expected, letter):
    result = everyone_answers(value).result(weight)
    assert result.ikm == Decimal(expected)
    assert result.grade.letter == letter
    assert result.respondents == 10


def test_result_states_the_weight_and_reads_in_indonesian():
    result = everyone_answers(4).result("0.111")
    assert result.weight_label == "Bobot 0,111"
    assert result.text == "99,90 — A (Sangat Baik)"
    assert everyone_answers(1).result().text == "25,00 — D (Tidak Baik)"
    assert everyone_answers(3).result().grade.words == "Kurang Baik"


def test_unknown_weight_setting_falls_back_to_one_ninth():
    assert ikm.weight_for("0.5").key == "1/9"
    assert ikm.weight_for(None).label == "1/9"
    assert [key for key, _ in ikm.WEIGHT_CHOICES] == list(ikm.WEIGHTS)


@pytest.mark.parametrize("value, letter", [
    ("25.00", "D"), ("64.99", "D"), ("65.00", "C"), ("76.60", "C"), ("76.61", "B"),
    ("88.30", "B"), ("88.31", "A"), ("100.00", "A"),
])
def test_band_edges(value, letter):
    assert ikm.grade_for(Decimal(value)).letter == letter


def test_band_is_applied_after_exact_rounding_half_up():
    # Every element NRR 15321/5000 = 3,0642: IKM = 25 × 27,5778 / 9 = 76,605 exactly.
    # Half up gives 76,61 (B); a float or a finite 1/9 lands a hair below and gives 76,60 (C).
    counts = dict.fromkeys(CODES, 5000)
    result = ikm.compute(dict.fromkeys(CODES, 15321), counts)
    assert result.ikm == Decimal("76.61")
    assert result.grade.letter == "B"
    one_less = ikm.compute({**dict.fromkeys(CODES, 15321), "u9": 15320}, counts)
    assert one_less.ikm == Decimal("76.60")
    assert one_less.grade.letter == "C"


def test_per_element_nrr_converted_value_and_mutu():
    responses = [{**dict.fromkeys(CODES, 4), "u3": 2}, {**dict.fromkeys(CODES, 4), "u3": 3}]
    result = result_of(responses)
    u3 = result.elements[2]
    assert (u3.n, u3.total, u3.nrr_rounded, u3.converted) == (2, 5, Decimal("2.500"), Decimal("62.50"))
    assert u3.grade.letter == "D"
    assert result.elements[0].grade.letter == "A"
    # 25 × (8×4 + 2,5)/9 = 95,8333…
    assert result.ikm == Decimal("95.83")


def test_an_empty_answer_does_not_count_for_that_elements_n():
    responses = [dict.fromkeys(CODES, 4), {**dict.fromkeys(CODES, 4), "u4": None}]
    result = result_of(responses)
    assert result.elements[3].n == 1
    assert result.elements[0].n == 2
    assert result.respondents == 2
    assert result.ikm == Decimal("100.00")


def test_a_response_with_no_answer_is_not_a_response():
    responses = [dict.fromkeys(CODES, 3), dict.fromkeys(CODES, None), {}]
    tally = ikm.tally(responses)
    assert tally.respondents == 1
    assert tally.result().ikm == Decimal("75.00")
    empty = ikm.tally([dict.fromkeys(CODES, None)]).result()
    assert (empty.respondents, empty.ikm, empty.grade, empty.text) == (0, None, None, "—")


def test_no_index_while_an_element_has_no_answer_at_all():
    result = result_of([{**dict.fromkeys(CODES, 4), "u8": None}])
    assert result.ikm is None
    assert result.missing == ("U8",)


def test_impossible_sums_are_refused():
    with pytest.raises(ValueError):
        ikm.compute({"u1": 9}, {"u1": 2})
    with pytest.raises(ValueError):
        ikm.tally([{"u1": 5}])


@pytest.mark.parametrize("population, expected", [(10, 10), (50, 44), (300, 169), (1, 1),
                                                  (100000, 383)])
def test_sample_size_krejcie_morgan(population, expected):
    assert ikm.sample_size(population) == expected


def test_sample_size_needs_a_population():
    with pytest.raises(ValueError):
        ikm.sample_size(0)


# --- properties ---------------------------------------------------------------------

answer = st.one_of(st.none(), st.integers(1, 4))
response = st.fixed_dictionaries({c: answer for c in CODES})
full_response = st.fixed_dictionaries({c: st.integers(1, 4) for c in CODES})
responses = st.lists(full_response, min_size=1, max_size=40)
weights = st.sampled_from(list(ikm.WEIGHTS))


@given(responses)
def test_index_lies_between_25_and_100(rows):
    value = result_of(rows).ikm
    assert Decimal("25.00") <= value <= Decimal("100.00")


@given(responses, weights)
def test_rounded_weights_scale_the_range(rows, key):
    w = ikm.WEIGHTS[key].value
    value = result_of(rows, key).ikm
    assert ikm.round_half_up(25 * 9 * w, 2) <= value <= ikm.round_half_up(100 * 9 * w, 2)


@given(responses, st.data())
def test_raising_one_answer_never_lowers_the_index(rows, data):
    index = data.draw(st.integers(0, len(rows) - 1))
    code = data.draw(st.sampled_from(CODES))
    row = rows[index]
    if row[code] == 4:
        return
    raised = rows[:index] + [{**row, code: row[code] + 1}] + rows[index + 1:]
    assert result_of(raised).ikm >= result_of(rows).ikm


@settings(max_examples=50)
@given(st.lists(response, max_size=30), st.randoms(use_true_random=False), weights)
def test_order_of_responses_and_elements_is_irrelevant(rows, rnd, key):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    first, second = ikm.tally(rows), ikm.tally(shuffled)
    assert first.result(key).ikm == second.result(key).ikm
    # the same answers presented element by element in another order give the same index
    codes = list(CODES)
    rnd.shuffle(codes)
    sums = {c: first.sums[c] for c in codes}
    counts = {c: first.counts[c] for c in codes}
    assert ikm.compute(sums, counts, key, first.respondents).ikm == first.result(key).ikm


@given(st.lists(response, max_size=20), st.lists(response, max_size=20))
def test_tallies_add_up(a, b):
    assert (ikm.tally(a) + ikm.tally(b)).result().ikm == ikm.tally(a + b).result().ikm
