import datetime
import io
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from kinerja.rules import curve, evaluation as ev
from kinerja.rules.evidence import check_file, check_link, clean_filename

from ..support import zip_bomb
from kinerja.rules import DomainError

# --- Predikat matrix ------------------------------------------------------------

MATRIX = [
    ("above", "below", "Kurang/Misconduct"),
    ("above", "meets", "Baik"),
    ("above", "above", "Sangat Baik"),
    ("meets", "below", "Kurang/Misconduct"),
    ("meets", "meets", "Baik"),
    ("meets", "above", "Baik"),
    ("below", "below", "Sangat Kurang"),
    ("below", "meets", "Butuh Perbaikan"),
    ("below", "above", "Butuh Perbaikan"),
]


@pytest.mark.parametrize("result, behaviour, expected", MATRIX)
def test_predikat_matrix_all_nine_combinations(result, behaviour, expected):
    assert ev.predikat_label(ev.predikat(result, behaviour)) == expected


def test_matrix_covers_exactly_the_nine_combinations():
    assert set(ev.PREDIKAT_MATRIX) == {(r, b) for r in ev.RATINGS for b in ev.RATINGS}


@given(st.one_of(st.none(), st.text(max_size=12), st.sampled_from(list(ev.RATINGS))),
       st.one_of(st.none(), st.text(max_size=12), st.sampled_from(list(ev.RATINGS))))
def test_predikat_exists_exactly_when_both_ratings_are_valid(result, behaviour):
    value = ev.predikat(result, behaviour)
    assert (value is not None) == (result in ev.RATINGS and behaviour in ev.RATINGS)
    assert value is None or value in ev.PREDIKATS


@given(st.sampled_from(list(ev.RATINGS)))
def test_behaviour_below_expectation_never_gives_baik_or_better(result):
    assert ev.predikat(result, "below") in ("kurang", "sangat_kurang")


def test_every_rating_has_guidance_for_both_ratings():
    assert set(ev.RESULT_GUIDANCE) == set(ev.BEHAVIOUR_GUIDANCE) == set(ev.RATINGS)
    assert ev.RATINGS["above"] == "Di Atas Ekspektasi"
    assert "Utama" in ev.RESULT_GUIDANCE["above"]


def test_head_of_unit_result_rating_follows_the_organisation_predikat():
    assert ev.head_result_rating("istimewa") == "above"
    assert ev.head_result_rating("baik") == "meets"
    for key in ("butuh_perbaikan", "kurang", "sangat_kurang"):
        assert ev.head_result_rating(key) == "below"
    assert ev.head_result_rating(None) is None


# --- States and who may act -----------------------------------------------------

O, P, S, A = ev.OWNER, ev.APPRAISER, ev.SUPERIOR, ev.ADMIN
RATED = ev.Context(result_rating="meets", behaviour_rating="above", comment="perbaiki bukti")
WINDOW = ev.Context(today=datetime.date(2026, 4, 10), approved_on=datetime.date(2026, 4, 1),
                    objection_days=14)

TRANSITIONS = [
    ("submit", "draft", O, ev.Context(), "submitted"),
    ("submit", "returned", O, ev.Context(), "submitted"),
    ("rate", "submitted", P, ev.Context(), "submitted"),
    ("approve", "submitted", P, RATED, "approved"),
    ("return", "submitted", P, RATED, "returned"),
    ("acknowledge", "approved", O, ev.Context(), "approved"),
    ("object", "approved", O, WINDOW, "objected"),
    ("decide", "objected", S, RATED, "decided"),
    ("edit", "draft", O, ev.Context(), "draft"),
    ("edit", "returned", O, ev.Context(), "returned"),
]


@pytest.mark.parametrize("action, state, role, ctx, after", TRANSITIONS)
def test_every_allowed_transition(action, state, role, ctx, after):
    assert ev.transition(action, state, {role}, ctx) == after


@given(st.sampled_from(list(ev.ACTIONS)), st.sampled_from(list(ev.STATES)),
       st.sets(st.sampled_from([O, P, S, A])))
def test_only_the_listed_role_in_the_listed_state_may_act(action, state, roles):
    states, who, _ = ev.ACTIONS[action]
    ctx = ev.Context(today=datetime.date(2026, 4, 2), approved_on=datetime.date(2026, 4, 1),
                     result_rating="meets", behaviour_rating="meets", comment="x")
    if roles & who and state in states:
        assert ev.transition(action, state, roles, ctx) in ev.STATES
    else:
        with pytest.raises(DomainError) as info:
            ev.transition(action, state, roles, ctx)
        assert str(info.value)


@pytest.mark.parametrize("action, state, role, message", [
    ("submit", "draft", P, "Hanya pegawai yang dinilai"),
    ("submit", "submitted", O, "berstatus Diajukan"),
    ("submit", "approved", O, "berstatus Ditetapkan"),
    ("edit", "submitted", O, "berstatus Diajukan"),
    ("approve", "submitted", O, "Hanya Pejabat Penilai Kinerja"),
    ("approve", "submitted", S, "Hanya Pejabat Penilai Kinerja"),
    ("approve", "submitted", A, "Hanya Pejabat Penilai Kinerja"),
    ("approve", "draft", P, "berstatus Draft"),
    ("approve", "approved", P, "berstatus Ditetapkan"),
    ("return", "returned", P, "berstatus Dikembalikan"),
    ("rate", "approved", P, "berstatus Ditetapkan"),
    ("object", "submitted", O, "berstatus Diajukan"),
    ("object", "approved", P, "Hanya pegawai yang dinilai"),
    ("decide", "objected", P, "Hanya Atasan Pejabat Penilai Kinerja"),
    ("decide", "objected", O, "Hanya Atasan Pejabat Penilai Kinerja"),
    ("decide", "decided", S, "berstatus Diputuskan"),
    ("decide", "approved", S, "berstatus Ditetapkan"),
    ("acknowledge", "submitted", O, "berstatus Diajukan"),
])
def test_denials_name_who_or_which_state(action, state, role, message):
    with pytest.raises(DomainError, match=message):
        ev.transition(action, state, {role}, RATED)


def test_approve_needs_both_ratings():
    with pytest.raises(DomainError, match="Pilih Rating Hasil Kerja"):
        ev.transition("approve", "submitted", {P}, ev.Context(result_rating="meets"))


def test_return_needs_a_comment():
    with pytest.raises(DomainError, match="alasan pengembalian"):
        ev.transition("return", "submitted", {P}, ev.Context(comment="   "))


def test_decide_needs_both_ratings():
    with pytest.raises(DomainError, match="Keputusan harus memuat"):
        ev.transition("decide", "objected", {S}, ev.Context(behaviour_rating="meets"))


def test_objection_window_is_inclusive_of_the_last_day():
    approved = datetime.date(2026, 4, 1)
    last = ev.Context(today=datetime.date(2026, 4, 15), approved_on=approved, objection_days=14)
    late = ev.Context(today=datetime.date(2026, 4, 16), approved_on=approved, objection_days=14)
    assert ev.transition("object", "approved", {O}, last) == "objected"
    with pytest.raises(DomainError, match="berakhir pada 15 April 2026"):
        ev.transition("object", "approved", {O}, late)


def test_objection_after_acknowledging_is_refused():
    ctx = ev.Context(today=datetime.date(2026, 4, 2), approved_on=datetime.date(2026, 4, 1),
                     acknowledged=True)
    with pytest.raises(DomainError, match="sudah Anda terima"):
        ev.transition("object", "approved", {O}, ctx)
    with pytest.raises(DomainError, match="sudah Anda terima"):
        ev.transition("acknowledge", "approved", {O}, ctx)


def test_objection_needs_the_approval_date():
    with pytest.raises(DomainError):
        ev.transition("object", "approved", {O}, ev.Context(today=datetime.date(2026, 4, 2)))


def test_unknown_action_is_denied():
    with pytest.raises(DomainError):
        ev.transition("delete", "draft", {O, P, S, A})


def test_allowed_actions_per_role_and_state():
    assert ev.allowed_actions("draft", {O}) == ["edit", "submit"]
    assert ev.allowed_actions("submitted", {P}) == ["rate", "approve", "return"]
    assert ev.allowed_actions("approved", {O}, WINDOW) == ["acknowledge", "object"]
    assert ev.allowed_actions("objected", {S}) == ["decide"]
    assert ev.allowed_actions("submitted", {O}) == []
    assert ev.allowed_actions("decided", {O, P, S, A}) == []


# --- Periods --------------------------------------------------------------------

@pytest.mark.parametrize("cadence, count", [("bulanan", 12), ("triwulanan", 4), ("semesteran", 2)])
def test_periods_cover_the_year_without_gaps(cadence, count):
    year = ev.periods(2028, cadence)
    assert len(year) == count
    assert year[0].starts == datetime.date(2028, 1, 1)
    assert year[-1].ends == datetime.date(2028, 12, 31)
    for before, after in zip(year, year[1:]):
        assert after.starts - before.ends == datetime.timedelta(days=1)


def test_period_labels_and_ranges():
    quarters = ev.periods(2026, "triwulanan")
    assert quarters[1].label == "Triwulan II 2026"
    assert (quarters[1].starts, quarters[1].ends) == (datetime.date(2026, 4, 1),
                                                      datetime.date(2026, 6, 30))
    assert ev.periods(2028, "bulanan")[1].ends == datetime.date(2028, 2, 29)
    assert ev.periods(2026, "bulanan")[1].label == "Februari 2026"
    assert ev.periods(2026, "semesteran")[1].label == "Semester II 2026"
    assert ev.annual_period(2026).label == "Tahunan 2026"


def test_unknown_cadence_is_an_error():
    with pytest.raises(ValueError):
        ev.periods(2026, "mingguan")


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)),
       st.sampled_from(list(ev.CADENCES)))
def test_every_day_falls_in_exactly_one_period(day, cadence):
    matching = [p for p in ev.periods(day.year, cadence) if p.contains(day)]
    assert len(matching) == 1
    assert ev.period_of(day, cadence) == matching[0]


def test_find_period():
    assert ev.find_period(2026, "triwulanan", "periodic", 3).label == "Triwulan III 2026"
    assert ev.find_period(2026, "triwulanan", "periodic", 5) is None
    assert ev.find_period(2026, "triwulanan", "annual", 1).kind == "annual"
    assert ev.find_period(2026, "triwulanan", "annual", 2) is None
    assert ev.find_period(2026, "triwulanan", "other", 1) is None


def test_clip_to_the_part_of_the_year_in_the_position():
    q2 = ev.periods(2026, "triwulanan")[1]
    clipped = ev.clip(q2, datetime.date(2026, 5, 10), datetime.date(2026, 12, 31))
    assert clipped.starts == datetime.date(2026, 5, 10) and clipped.ends == q2.ends
    assert ev.clip(q2, datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)) is None


def test_achievement_is_information_only():
    assert ev.achievement(9, 12) == Decimal("75.0")
    assert ev.achievement(None, 12) is None
    assert ev.achievement(5, 0) is None


# --- Distribution curve -----------------------------------------------------------

counts_strategy = st.dictionaries(st.sampled_from(list(ev.PREDIKATS)),
                                  st.integers(min_value=0, max_value=500))


@given(counts_strategy, st.sampled_from(list(ev.ORG_PREDIKATS)))
def test_curve_warnings_never_fail_and_are_sentences(counts, org):
    warnings = curve.curve_warnings(counts, org)
    assert all(isinstance(w, str) and w.endswith(".") for w in warnings)
    if not sum(counts.values()):
        assert warnings == []


@given(counts_strategy)
def test_istimewa_warns_exactly_when_sangat_baik_exceeds_seventy_percent(counts):
    total = sum(counts.values())
    breaks = total > 0 and counts.get("sangat_baik", 0) * 100 > 70 * total
    assert bool(curve.curve_warnings(counts, "istimewa")) == breaks


@given(counts_strategy)
def test_baik_needs_at_least_one_below_baik(counts):
    total = sum(counts.values())
    low = counts.get("butuh_perbaikan", 0) + counts.get("kurang", 0)
    warnings = curve.curve_warnings(counts, "baik")
    assert any("paling sedikit 1 pegawai" in w for w in warnings) == (total > 0 and low == 0)


@given(counts_strategy, st.sampled_from(list(ev.ORG_PREDIKATS)), st.integers(2, 5))
def test_percentage_caps_do_not_depend_on_unit_size(counts, org, factor):
    # Only the count rule of "Baik" can change when every count is multiplied.
    scaled = {k: v * factor for k, v in counts.items()}
    def pct(ws):
        return [w.split(" (")[0] for w in ws if "%" in w]
    assert pct(curve.curve_warnings(counts, org)) == pct(curve.curve_warnings(scaled, org))


def test_sangat_kurang_allows_no_sangat_baik():
    warnings = curve.curve_warnings({"sangat_baik": 1, "sangat_kurang": 99}, "sangat_kurang")
    assert warnings == ["Predikat Sangat Baik 1,0 % (1 dari 100 pegawai) melebihi batas paling "
                        "banyak 0 % untuk predikat organisasi Sangat Kurang."]


def test_curve_within_caps_gives_no_warning():
    assert curve.curve_warnings({"sangat_baik": 2, "baik": 6, "butuh_perbaikan": 2}, "baik") == []
    assert curve.curve_warnings({"kurang": 7, "butuh_perbaikan": 2, "sangat_baik": 1}, "kurang") == []


def test_unknown_org_predikat_gives_no_warning():
    assert curve.curve_warnings({"baik": 3}, None) == []


@given(st.dictionaries(st.sampled_from(list(ev.ORG_PREDIKATS)),
                       st.lists(st.builds(lambda names, bound, pct: curve.Cap(names, bound, Decimal(pct)),
                                          st.lists(st.sampled_from(list(ev.PREDIKATS)), min_size=1,
                                                   max_size=3, unique=True).map(tuple),
                                          st.sampled_from(["max", "min"]),
                                          st.integers(0, 100)), max_size=3).map(tuple)))
def test_caps_setting_round_trips(caps):
    assert curve.caps_from_json(curve.caps_to_json(caps)) == caps


@pytest.mark.parametrize("text", [None, "", "{", "[]", '{"istimewa": [{"predikat": ["x"], "bound": "max", "percent": 5}]}',
                                  '{"baru": []}', '{"baik": [{"predikat": ["baik"], "bound": "max"}]}',
                                  '{"baik": [{"predikat": ["baik"], "bound": "max", "percent": 150}]}'])
def test_unreadable_caps_setting_falls_back_to_the_defaults(text):
    assert curve.caps_from_json(text) == curve.DEFAULT_CAPS


def test_describe_caps():
    assert curve.describe_caps(curve.DEFAULT_CAPS["baik"]) == [
        "Baik: paling banyak 70 %", "Butuh Perbaikan atau Kurang/Misconduct: paling sedikit 1 pegawai"]


# --- Angka kredit -----------------------------------------------------------------

@pytest.mark.parametrize("key, expected", [("sangat_baik", "18.750"), ("baik", "12.500"),
                                           ("butuh_perbaikan", "9.375"), ("kurang", "6.250"),
                                           ("sangat_kurang", "3.125")])
def test_credit_points_per_predikat(key, expected):
    assert ev.credit_points("12.5", key) == Decimal(expected)


def test_periodic_credit_points_are_a_share_of_the_year():
    assert ev.credit_points(12, "baik", months=3) == Decimal("3.000")
    assert ev.credit_points(12, "baik", months=13) is None
    assert ev.credit_points(12, "luar_biasa") is None


# --- Evidence -----------------------------------------------------------------------

def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_accepted_evidence_types():
    assert check_file("laporan.pdf", b"%PDF-1.4 x") == ("pdf", "application/pdf")
    assert check_file("foto.JPG", b"\xff\xd8\xff\xe0 x")[0] == "jpg"
    assert check_file("notulen.docx", _docx())[0] == "docx"


@pytest.mark.parametrize("name, data, message", [
    ("skrip.html", b"<script>", "Jenis berkas tidak diterima"),
    ("tanpa-ekstensi", b"%PDF-1.4", "Jenis berkas tidak diterima"),
    ("palsu.pdf", b"<html>", "bukan PDF yang sah"),
    ("palsu.docx", b"PK\x03\x04rusak", "bukan Word yang sah"),
    ("kosong.pdf", b"", "Berkas kosong"),
])
def test_refused_evidence(name, data, message):
    with pytest.raises(DomainError, match=message):
        check_file(name, data)


@pytest.mark.parametrize("kind", ["odt", "ods", "docx", "xlsx"])
def test_a_zip_document_declaring_more_than_it_may_inflate_to_is_refused_unread(kind):
    bomb = zip_bomb(kind, declared_mb=100)
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(DomainError, match="Isi berkas terlalu besar setelah dibuka"):
            check_file(f"laporan.{kind}", bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024


def test_an_odt_whose_mimetype_member_is_large_is_not_read_in_full():
    """Within the archive's bounds, the mimetype member is still read only as far as needed."""
    bomb = zip_bomb("odt", declared_mb=20)
    with pytest.raises(DomainError, match="bukan OpenDocument teks yang sah"):
        check_file("laporan.odt", bomb)


def test_evidence_size_limit():
    with pytest.raises(DomainError, match="melebihi 1 MB"):
        check_file("besar.pdf", b"%PDF-" + b"0" * (1024 * 1024), max_bytes=1024 * 1024)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.id/a", "https://", "data:text/html,x",
                                 "https://a b.id", "/relatif"])
def test_refused_links(url):
    with pytest.raises(DomainError):
        check_link(url)


def test_clean_filename_keeps_a_readable_name():
    assert clean_filename("C:\\Users\\a\\Laporan \"Q1\".pdf") == "Laporan Q1.pdf"
    assert clean_filename("") == "bukti"
    assert check_link(" https://drive.example.id/berkas ") == "https://drive.example.id/berkas"


# --- Realisation from progress and when a period opens ---------------------------------

D = datetime.date


def test_quantity_indicators_add_up_and_levels_take_the_latest():
    values = [(D(2026, 1, 5), Decimal(3)), (D(2026, 2, 1), None), (D(2026, 1, 20), Decimal("2.5"))]
    assert ev.realisation("kuantitas", values) == Decimal("5.5")
    assert ev.realisation("kualitas", values) == Decimal("2.5")
    assert ev.realisation("waktu", []) is None
    assert ev.realisation("kuantitas", [(D(2026, 1, 1), None)]) is None


@given(st.lists(st.tuples(st.dates(), st.decimals(min_value=0, max_value=10 ** 6, places=2,
                                                  allow_nan=False)), min_size=1))
def test_sum_of_quantities_does_not_depend_on_order(values):
    assert ev.realisation("kuantitas", values) == ev.realisation("kuantitas", list(reversed(values)))
    assert ev.realisation("kualitas", values) in {q for _, q in values}


def test_annual_evaluation_opens_in_the_last_period():
    year = ev.annual_period(2026)
    assert ev.fill_opens(year, "triwulanan") == D(2026, 10, 1)
    assert ev.fill_opens(year, "bulanan") == D(2026, 12, 1)
    assert ev.fill_opens(ev.periods(2026, "triwulanan")[1], "triwulanan") == D(2026, 4, 1)


# --- A period's share of a yearly target ---------------------------------------------

def test_a_quarter_of_a_yearly_count_is_its_share_of_the_days():
    assert ev.period_target("kuantitas", 100, 90, 365) == Decimal("24.66")
    assert ev.period_target("kuantitas", 100, 365, 365) == Decimal(100)
    assert ev.period_target("kualitas", "90", 90, 365) == Decimal(90)  # a level is not split
    assert ev.period_target("kuantitas", None, 90, 365) is None
    # 25 patients in the first quarter of a yearly 100 is on track, not a quarter done.
    assert ev.achievement(25, ev.period_target("kuantitas", 100, 90, 365)) > 100


@given(st.integers(1, 10**6), st.integers(1, 366), st.integers(1, 366))
def test_a_period_never_asks_more_than_the_year(target, period_days, plan_days):
    share = ev.period_target("kuantitas", target, period_days, plan_days)
    assert 0 <= share <= target


# --- Periods as the URLs name them -----------------------------------------------------

def test_periods_spell_their_url_slug_and_parameter():
    quarter, annual = ev.periods(2026, "triwulanan")[1], ev.annual_period(2026)
    assert (quarter.slug, quarter.param) == ("periodik", "periodik-2")
    assert (annual.slug, annual.param) == ("tahunan", "tahunan")
    assert ev.KIND_OF_SLUG[quarter.slug] == ev.PERIODIC and ev.KIND_OF_SLUG[annual.slug] == ev.ANNUAL


def test_a_period_parameter_or_the_last_period_ended():
    assert ev.chosen_period("periodik-3", 2026, "triwulanan", D(2026, 5, 1)) == (ev.PERIODIC, 3)
    assert ev.chosen_period("", 2026, "triwulanan", D(2026, 5, 1)) == (ev.PERIODIC, 1)
    assert ev.chosen_period("periodik-99", 2026, "triwulanan", D(2027, 1, 5)) == (ev.ANNUAL, 1)
    assert ev.chosen_period(None, 2026, "triwulanan", D(2026, 2, 1)) == (ev.ANNUAL, 1)
    # Asked for by name mid-year (the recap's download), the annual one is what was asked.
    assert ev.chosen_period("tahunan", 2026, "triwulanan", D(2026, 5, 1)) == (ev.ANNUAL, 1)


# --- Who may write feedback, and what admins see --------------------------------------

def test_the_appraiser_opens_a_thread_and_the_employee_replies():
    assert ev.feedback_denial({ev.APPRAISER}, False) is None
    assert ev.feedback_denial({ev.OWNER}, True) is None
    assert "Pejabat Penilai" in ev.feedback_denial({ev.OWNER}, False)
    assert ev.feedback_denial({ev.SUPERIOR, ev.ADMIN}, True)


def test_admin_accounts_and_what_they_see():
    from types import SimpleNamespace as Account
    admin, opd_admin, employee = Account(role="admin"), Account(role="admin_opd"), Account(role="pegawai")
    assert ev.records_for_kepala_daerah(admin) and not ev.records_for_kepala_daerah(opd_admin)
    assert ev.admin_sees(admin, None, None)
    assert ev.admin_sees(opd_admin, "/1/", "/1/4/") and not ev.admin_sees(opd_admin, "/1/", "/2/")
    assert not ev.admin_sees(opd_admin, None, "/1/") and not ev.admin_sees(employee, "/1/", "/1/")
    assert ev.reports_by_admin_scope(opd_admin) and not ev.reports_by_admin_scope(employee)
    assert ev.org_predikat_denial(admin) is None and ev.org_predikat_denial(opd_admin)
