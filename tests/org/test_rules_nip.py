"""NIP structure: birth date, TMT CPNS, sex, sequence (domain/skp.md §8)."""
import datetime

from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.nip import nip_errors, normalise, parse_nip

TODAY = datetime.date(2026, 11, 24)
PARTS = {"birth": "tanggal lahir", "tmt": "TMT CPNS", "sex": "jenis kelamin", "seq": "nomor urut"}


@st.composite
def valid_nips(draw):
    birth = draw(st.dates(datetime.date(1940, 1, 1), datetime.date(TODAY.year - 18, TODAY.month, 1)))
    earliest = (birth.year + 18) * 12 + birth.month - 1
    latest = TODAY.year * 12 + TODAY.month - 1
    tmt = draw(st.integers(earliest, latest))
    sex = draw(st.sampled_from("12"))
    seq = draw(st.integers(1, 999))
    return f"{birth:%Y%m%d}{tmt // 12:04d}{tmt % 12 + 1:02d}{sex}{seq:03d}"


def _only_error(nip: str) -> str:
    errors = nip_errors(nip, TODAY)
    assert len(errors) == 1, errors
    return errors[0]


def test_a_demo_style_nip_is_valid_and_parsed():
    info = parse_nip("198503122010011003", TODAY)
    assert info.birth_date == datetime.date(1985, 3, 12)
    assert (info.tmt_year, info.tmt_month, info.sex) == (2010, 1, "L")
    assert nip_errors("198503122010011003", TODAY) == []


def test_birth_month_13_names_the_birth_date():
    message = _only_error("199013012015011001")
    assert "tanggal lahir" in message and "19901301" in message


def test_birth_in_the_future_is_out_of_range():
    assert "tanggal lahir" in _only_error("202712012015011001")


def test_tmt_before_age_18_names_both_parts():
    message = _only_error("200001012010011001")
    assert "TMT CPNS" in message and "usia 18" in message


def test_tmt_far_in_the_future():
    assert "jauh di masa depan" in _only_error("199001012030011001")


def test_sex_digit_must_be_1_or_2():
    assert "jenis kelamin" in _only_error("199001012015013001")


def test_sequence_000_is_refused():
    assert "nomor urut" in _only_error("199001012015011000")


def test_length_and_characters():
    assert nip_errors("", TODAY) == ["NIP wajib diisi."]
    assert "18 digit" in _only_error("1990010120150110")
    assert "angka" in _only_error("19900101201501100A")
    assert "angka" in _only_error("１９９００１０１２０１５０１１００１")  # full-width digits


def test_several_wrong_parts_are_all_reported():
    errors = nip_errors("199013012015133000", TODAY)
    joined = " ".join(errors)
    for name in ("tanggal lahir", "TMT CPNS", "jenis kelamin", "nomor urut"):
        assert name in joined


def test_normalise_keeps_digits_of_spaced_dotted_and_float_nips():
    assert normalise("19900101 201501 1 001") == "199001012015011001"
    assert normalise("19900101.201501.1.001") == "199001012015011001"
    assert normalise("199001012015011001.0") == "199001012015011001"  # a spreadsheet cell read as text
    assert normalise(None) == ""


@given(valid_nips())
def test_every_valid_generated_nip_passes(nip):
    assert nip_errors(nip, TODAY) == []
    assert parse_nip(nip, TODAY).sex in ("L", "P")


@given(valid_nips(), st.sampled_from(["00", *[f"{m}" for m in range(13, 100)]]))
def test_a_corrupted_birth_month_is_named(nip, month):
    assert PARTS["birth"] in _only_error(nip[:4] + month + nip[6:])


@given(valid_nips(), st.sampled_from(["00", "32", "45", "99"]))
def test_a_corrupted_birth_day_is_named(nip, day):
    assert PARTS["birth"] in _only_error(nip[:6] + day + nip[8:])


@given(valid_nips(), st.sampled_from(["00", *[f"{m}" for m in range(13, 100)]]))
def test_a_corrupted_tmt_month_is_named(nip, month):
    message = _only_error(nip[:12] + month + nip[14:])
    assert PARTS["tmt"] in message and PARTS["birth"] not in message


@given(valid_nips(), st.sampled_from("03456789"))
def test_a_corrupted_sex_digit_is_named(nip, digit):
    assert PARTS["sex"] in _only_error(nip[:14] + digit + nip[15:])


@given(valid_nips())
def test_a_zero_sequence_is_named(nip):
    assert PARTS["seq"] in _only_error(nip[:15] + "000")


# --- NI PPPK (skp.md §8): the year of first appointment and a two-digit code, not a month ---

REAL_PPPK = "199009132025242014"  # the example of skp.md §8: code 24 (PPPK paruh waktu)


def test_a_real_ni_pppk_is_valid_for_a_pppk_and_names_the_month_for_a_pns():
    assert nip_errors(REAL_PPPK, TODAY, "pppk") == []
    assert "bulan yang tidak sah" in " ".join(nip_errors(REAL_PPPK, TODAY, "pns"))


def test_without_a_known_status_either_pattern_is_accepted():
    assert nip_errors(REAL_PPPK, TODAY, None) == []
    assert nip_errors("198503122010011003", TODAY, None) == []
    assert "tanggal lahir" in " ".join(nip_errors("199013012025211001", TODAY, None))


@given(valid_nips(), st.integers(min_value=0, max_value=99))
def test_a_pppk_code_is_any_two_digits(nip, code):
    pppk = nip[:12] + f"{code:02d}" + nip[14:]  # the TMT year read as the appointment year
    assert nip_errors(pppk, TODAY, "pppk") == []


def test_a_pppk_appointment_year_is_checked_against_birth_and_today():
    assert "tahun pengangkatan PPPK" in " ".join(nip_errors("199009132005212014", TODAY, "pppk"))
    assert "jauh di masa depan" in " ".join(nip_errors("199009132031212014", TODAY, "pppk"))
    assert nip_errors("19900913202521201", TODAY, "pppk") == ["NI PPPK harus 18 digit (yang diisi 17 digit)."]
