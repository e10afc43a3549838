"""The nine-box placement, the potential import rows, and angka kredit: pure rules."""
import datetime
from decimal import Decimal

from hypothesis import given, strategies as st

from kinerja.rules import credits, talent
from kinerja.rules.evaluation import PREDIKATS

TODAY = datetime.date(2026, 11, 24)
NIP = "198501012010011001"
predikats = st.sampled_from(list(PREDIKATS))
RANK = {"sangat_kurang": 0, "kurang": 1, "butuh_perbaikan": 2, "baik": 3, "sangat_baik": 4}


def test_box_numbering_follows_the_specification():
    assert talent.box("below", "rendah") == 1
    assert talent.box("below", "menengah") == 2
    assert talent.box("meets", "rendah") == 3
    assert talent.box("below", "tinggi") == 4
    assert talent.box("meets", "menengah") == 5
    assert talent.box("above", "rendah") == 6
    assert talent.box("meets", "tinggi") == 7
    assert talent.box("above", "menengah") == 8
    assert talent.box("above", "tinggi") == 9
    assert talent.TALENT_POOL == {7, 8, 9} and talent.COACHING_BOX == 1


def test_two_years_combine():
    assert talent.performance_level(2025, {2024: "sangat_baik", 2025: "sangat_baik"})[0] == "above"
    assert talent.performance_level(2025, {2024: "baik", 2025: "sangat_baik"})[0] == "meets"
    assert talent.performance_level(2025, {2024: "sangat_baik", 2025: "butuh_perbaikan"})[0] == "below"


def test_a_missing_year_is_not_placed_with_its_reason():
    level, reason = talent.performance_level(2025, {2025: "baik"})
    assert level is None and reason == "Predikat tahunan 2024 belum ada"
    level, reason = talent.performance_level(2025, {2023: "baik", 2025: None})
    assert level is None and "2024 dan 2025" in reason


@given(predikats, predikats, st.sampled_from(talent.POTENTIAL_ORDER))
def test_every_combination_lands_in_exactly_one_box(first, second, potential):
    level, _ = talent.performance_level(2025, {2024: first, 2025: second})
    boxes = [n for (perf, pot), n in talent.BOXES.items() if perf == level and pot == potential]
    assert len(boxes) == 1 and talent.box(level, potential) == boxes[0]


@given(predikats, predikats, predikats)
def test_a_better_predikat_never_lowers_the_level(first, second, better):
    order = talent.PERFORMANCE_ORDER
    before, _ = talent.performance_level(2025, {2024: first, 2025: second})
    if RANK[better] >= RANK[second]:
        after, _ = talent.performance_level(2025, {2024: first, 2025: better})
        assert order.index(after) >= order.index(before)
    if RANK[better] >= RANK[first]:
        after, _ = talent.performance_level(2025, {2024: better, 2025: second})
        assert order.index(after) >= order.index(before)


@given(st.sampled_from(talent.PERFORMANCE_ORDER), st.sampled_from(talent.POTENTIAL_ORDER))
def test_a_higher_potential_is_never_a_lower_box_row(performance, potential):
    higher = talent.POTENTIAL_ORDER[min(talent.POTENTIAL_ORDER.index(potential) + 1, 2)]
    assert talent.box(performance, higher) >= talent.box(performance, potential)


def test_score_levels():
    assert talent.potential_from_score(Decimal("80")) == "tinggi"
    assert talent.potential_from_score(Decimal("79.99")) == "menengah"
    assert talent.potential_from_score(Decimal("59.99")) == "rendah"
    assert talent.parse_score("82,5") == Decimal("82.50")
    assert talent.parse_score("101") is None and talent.parse_score("NaN") is None
    assert talent.parse_score(True) is None


def test_labels_setting_overrides_only_good_values():
    labels = talent.box_labels({"9": "Bintang", "10": "x", "a": "y", "1": 5})
    assert labels[9] == "Bintang" and labels[1] == talent.DEFAULT_BOX_LABELS[1] and 10 not in labels


def _row(**cells):
    base = {"nip": NIP, "potensial": "tinggi", "skor": None, "tanggal": "2026-03-15",
            "sumber": "Assessment Center"}
    base.update(cells)
    return base


def test_a_good_row():
    row, errors = talent.check_row(2, _row(), TODAY, {NIP})
    assert errors == [] and row.level == "tinggi" and row.assessed_on == datetime.date(2026, 3, 15)


def test_every_problem_of_a_bad_row_is_listed():
    row, errors = talent.check_row(2, _row(nip="123", potensial="hebat", skor="abc",
                                          tanggal="kemarin", sumber=""), TODAY, {NIP})
    assert row is None and len(errors) == 5


def test_score_and_level_must_agree_and_future_dates_are_refused():
    assert talent.check_row(2, _row(skor="50"), TODAY, {NIP})[1]
    assert talent.check_row(2, _row(tanggal="2027-01-01"), TODAY, {NIP})[1]
    assert talent.check_row(2, _row(nip="198501012010011002"), TODAY, {NIP})[1] == [
        "NIP 198501012010011002 tidak terdaftar sebagai pegawai aktif."]
    row, _ = talent.check_row(2, _row(potensial=None, skor="65"), TODAY, {NIP})
    assert row.level == "menengah"


def test_a_nip_twice_is_refused_on_its_later_line():
    good, bad = talent.check_rows([(2, _row(), None), (3, _row(), None)], TODAY, {NIP})
    assert len(good) == 1 and bad[0].line == 3 and "baris 2" in bad[0].errors[0]


@given(st.dictionaries(st.sampled_from(talent.IMPORT_COLUMNS),
                       st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats(),
                                 st.dates())))
def test_no_cell_breaks_the_check(cells):
    row, errors = talent.check_row(2, cells, TODAY, {NIP})
    assert (row is None) == bool(errors)


def test_map_view_by_role():
    assert talent.map_view("admin", False, False)[0] == talent.REGENCY
    assert talent.map_view("pegawai", True, False)[0] == talent.OPD
    assert talent.map_view("admin_opd", False, True)[0] is None
    assert talent.map_view("pegawai", False, False)[0] is None
    assert talent.map_view("pegawai", False, True)[0] == talent.OWN


def test_jenjang_from_the_position_name():
    assert credits.jenjang_of("Perawat Ahli Pertama") == "ahli_pertama"
    assert credits.jenjang_of("Bidan Terampil") == "terampil"
    assert credits.jenjang_of("Pengawas Sekolah Ahli Madya") == "ahli_madya"
    assert credits.jenjang_of("Pengadministrasi Perkantoran") is None


def test_settings_table_ignores_nonsense():
    table = credits.table(credits.DEFAULT_COEFFICIENTS, '{"terampil": 6, "mahir": -1, "x": 3}')
    assert table["terampil"] == Decimal(6) and table["mahir"] == Decimal("12.5") and "x" not in table
    assert credits.table(credits.DEFAULT_COEFFICIENTS, "[1]") == credits.DEFAULT_COEFFICIENTS
    assert credits.table(credits.DEFAULT_COEFFICIENTS, "{bad") == credits.DEFAULT_COEFFICIENTS


def _earned(year, kind, number, starts, ends, predikat, coefficient=Decimal("12.5")):
    return credits.earned(coefficient, year, kind, number, "x", starts, ends, predikat)


def test_a_year_with_its_annual_predikat_counts_the_annual_credit_only():
    rows = [_earned(2025, "periodic", 1, datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), "baik"),
            _earned(2025, "annual", 1, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31),
                    "sangat_baik"),
            _earned(2026, "periodic", 1, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), "baik")]
    standing = credits.standing(rows, Decimal(50))
    assert standing.total == Decimal("18.750") + Decimal("3.125")
    assert standing.months == 15
    # 21.875 in 15 months: 28.125 more needs 20 more months after March 2026.
    assert standing.expected == datetime.date(2027, 11, 1)


def test_no_pace_no_month_and_reached_is_next_month():
    assert credits.standing([], Decimal(50)).expected is None
    rows = [_earned(2025, "annual", 1, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31),
                    "sangat_baik", Decimal(50))]
    assert credits.standing(rows, Decimal(50)).expected == datetime.date(2026, 1, 1)


@given(st.lists(st.tuples(st.integers(1, 4), predikats), min_size=1, max_size=4),
       st.integers(1, 500))
def test_the_total_is_the_sum_and_the_month_never_precedes_the_last_period(quarters, needed):
    rows = []
    for number, predikat in quarters:
        starts = datetime.date(2026, 3 * number - 2, 1)
        ends = datetime.date(2026, 3 * number, 28)
        rows.append(_earned(2026, "periodic", number, starts, ends, predikat))
    standing = credits.standing(rows, Decimal(needed))
    assert standing.total == sum(r.credit for r in rows)
    assert standing.expected is None or standing.expected > standing.last_end
