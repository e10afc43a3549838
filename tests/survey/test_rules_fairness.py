"""Fair counting (domain/skm.md §5): why a response is flagged, when an address is refused."""
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.survey_fairness import Limits, flag_reasons, flag_text, refused

LIMITS = Limits(min_seconds=10, window_minutes=60, per_address=3, per_unit=100, hard_per_address=9)


def reasons(**overrides):
    values = dict(honeypot="", fill_seconds=60, address_count=0, unit_count=0)
    values.update(overrides)
    return flag_reasons(LIMITS, **values)


def test_an_ordinary_response_is_valid():
    assert reasons() == []


def test_each_rule_names_its_reason():
    assert reasons(honeypot="x") == ["Isian tersembunyi (jebakan robot) terisi"]
    assert reasons(fill_seconds=4) == ["Diisi terlalu cepat (4 detik)"]
    assert reasons(fill_seconds=10) == []
    assert reasons(address_count=2) == []
    assert reasons(address_count=3) == ["Lebih dari 3 tanggapan dari satu alamat dalam 60 menit"]
    assert reasons(unit_count=100) == ["Lebih dari 100 tanggapan untuk unit ini dalam 60 menit"]


def test_a_kiosk_is_exempt_from_the_address_limit_only():
    assert reasons(address_count=None) == []
    assert len(reasons(address_count=None, fill_seconds=1, unit_count=500)) == 2


def test_refused_only_far_beyond_the_address_limit():
    assert not refused(LIMITS, 8)
    assert refused(LIMITS, 9)
    assert not refused(LIMITS, None)


def test_flag_text_fits_the_column():
    assert flag_text([]) is None
    assert flag_text(["a", "b"]) == "a; b"
    assert len(flag_text(["x" * 150, "y" * 150])) == 200


@given(st.integers(-5, 100), st.integers(0, 20), st.integers(0, 300),
       st.integers(0, 30), st.integers(0, 5), st.integers(0, 50))
def test_more_suspicion_never_clears_a_flag(seconds, address, unit, faster, more_address, more_unit):
    flagged = bool(reasons(fill_seconds=seconds, address_count=address, unit_count=unit))
    worse = bool(reasons(fill_seconds=seconds - faster, address_count=address + more_address,
                         unit_count=unit + more_unit))
    assert worse or not flagged
