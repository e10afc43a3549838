"""The nine-box talent map (domain/followup.md §6, PermenPANRB 3/2020): the performance level
from the last two annual predikat, the potential level, the box, the talent pool, and the
rows of a potential-score import. Pure functions, no Flask, no database."""
import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .evaluation import PREDIKATS, predikat_label
from .nip import normalise as normalise_nip

PERFORMANCE = {"below": "Di Bawah Ekspektasi", "meets": "Sesuai Ekspektasi",
               "above": "Di Atas Ekspektasi"}
POTENTIAL = {"rendah": "Rendah", "menengah": "Menengah", "tinggi": "Tinggi"}
PERFORMANCE_ORDER = ("below", "meets", "above")
POTENTIAL_ORDER = ("rendah", "menengah", "tinggi")

# (performance, potential) -> box, numbered as followup.md §6.
BOXES = {
    ("below", "rendah"): 1, ("below", "menengah"): 2, ("meets", "rendah"): 3,
    ("below", "tinggi"): 4, ("meets", "menengah"): 5, ("above", "rendah"): 6,
    ("meets", "tinggi"): 7, ("above", "menengah"): 8, ("above", "tinggi"): 9,
}
PLACE_OF_BOX = {box: place for place, box in BOXES.items()}
TALENT_POOL = frozenset({7, 8, 9})
COACHING_BOX = 1

# An assessment describes a person for this many years from the year it was made; the map of
# a year also takes one made the year after (the talent committee meets early in the next
# year), never a later one.
POTENTIAL_YEARS = 3


def potential_window(year: int) -> tuple[int, int]:
    """(first, last) year of the assessments that may give the potential of `year`'s map."""
    return year - POTENTIAL_YEARS + 1, year + 1


def potential_in_force(year: int, levels: dict[int, str]) -> str | None:
    """The level of the latest assessment in the window of `year`, from {year: level}."""
    first, last = potential_window(year)
    in_window = [y for y in levels if first <= y <= last]
    return levels[max(in_window)] if in_window else None


def standing_years(predikat_years, assessment_years) -> set[int]:
    """The map years that a person's annual predikat and assessments can reach: a predikat
    counts on the map of its year and of the next, an assessment on the maps of its window."""
    years = set()
    for year in predikat_years:
        years.update((year, year + 1))
    for made in assessment_years:
        years.update(range(made - 1, made + POTENTIAL_YEARS))
    return years


# The labels most regencies publish; a regency replaces them through the setting
# LABELS_SETTING (JSON {"1": "..."}), so they are read with box_labels().
DEFAULT_BOX_LABELS = {
    1: "Kinerja di bawah ekspektasi dan potensial rendah",
    2: "Kinerja di bawah ekspektasi dan potensial menengah",
    3: "Kinerja sesuai ekspektasi dan potensial rendah",
    4: "Kinerja di bawah ekspektasi dan potensial tinggi",
    5: "Kinerja sesuai ekspektasi dan potensial menengah",
    6: "Kinerja di atas ekspektasi dan potensial rendah",
    7: "Kinerja sesuai ekspektasi dan potensial tinggi",
    8: "Kinerja di atas ekspektasi dan potensial menengah",
    9: "Kinerja di atas ekspektasi dan potensial tinggi",
}
LABELS_SETTING = "talent.box_labels"
OWN_BOX_SETTING = "talent.own_box_visible"

# A predikat below Baik in either year means the employee did not meet expectations; both
# years Sangat Baik means they consistently exceeded them; anything else meets them.
_BELOW_BAIK = frozenset({"butuh_perbaikan", "kurang", "sangat_kurang"})


def box_labels(overrides: dict | None = None) -> dict[int, str]:
    """The default labels with the regency's own where it set one."""
    labels = dict(DEFAULT_BOX_LABELS)
    for key, text in (overrides or {}).items():
        try:
            box = int(key)
        except (TypeError, ValueError):
            continue
        if box in labels and isinstance(text, str) and text.strip():
            labels[box] = text.strip()[:120]
    return labels


def performance_level(year: int, predikats: dict) -> tuple[str | None, str]:
    """(level, reason): the performance of the map year `year` from the annual predikat of
    `year - 1` and `year` (`predikats`: {year: predikat key}). Not placed (None) when either
    year has no annual predikat in force, with the reason a reader sees."""
    missing = [y for y in (year - 1, year) if predikats.get(y) not in PREDIKATS]
    if missing:
        years = " dan ".join(str(y) for y in missing)
        return None, f"Predikat tahunan {years} belum ada"
    pair = (predikats[year - 1], predikats[year])
    if any(p in _BELOW_BAIK for p in pair):
        level = "below"
    elif all(p == "sangat_baik" for p in pair):
        level = "above"
    else:
        level = "meets"
    return level, f"{year - 1}: {predikat_label(pair[0])}; {year}: {predikat_label(pair[1])}"


def box(performance: str, potential: str) -> int:
    return BOXES[(performance, potential)]


# A score (0–100, as assessment centres report a job-fit percentage) gives the level.
SCORE_HIGH = Decimal(80)
SCORE_MEDIUM = Decimal(60)


def potential_from_score(score: Decimal) -> str:
    if score >= SCORE_HIGH:
        return "tinggi"
    if score >= SCORE_MEDIUM:
        return "menengah"
    return "rendah"


def parse_score(raw) -> Decimal | None:
    """A score as typed or read from a cell ("82,5" or 82.5); None when it is not one."""
    if raw is None or isinstance(raw, bool):
        return None
    text = str(raw).strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        return None
    return value.quantize(Decimal("0.01"))


def parse_level(raw) -> str | None:
    text = str(raw or "").strip().lower()
    return text if text in POTENTIAL else None


def parse_day(raw) -> datetime.date | None:
    """A date from a cell: a spreadsheet date, ISO 2026-03-15, or 15/03/2026."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


IMPORT_COLUMNS = ("nip", "potensial", "skor", "tanggal", "sumber")
SOURCE_MAX = 120


@dataclass(frozen=True)
class PotentialRow:
    line: int
    nip: str
    level: str
    score: Decimal | None
    assessed_on: datetime.date
    source: str


def missing_columns(headers) -> list[str]:
    """The required columns a file lacks ("potensial" or "skor" is enough)."""
    have = set(headers)
    missing = [c for c in ("nip", "tanggal", "sumber") if c not in have]
    if "potensial" not in have and "skor" not in have:
        missing.append("potensial atau skor")
    return missing


def check_row(line: int, cells: dict, today: datetime.date, known_nips,
              problem: str | None = None) -> tuple[PotentialRow | None, list[str]]:
    """One imported row: the values, or every reason it cannot be taken (`known_nips`: the
    NIPs of active employees)."""
    errors = [problem] if problem else []
    nip = normalise_nip(cells.get("nip"))
    if not nip:
        errors.append("NIP kosong.")
    elif not nip.isdigit() or len(nip) != 18:
        errors.append("NIP harus 18 angka.")
    elif nip not in known_nips:
        errors.append(f"NIP {nip} tidak terdaftar sebagai pegawai aktif.")
    raw_level, raw_score = cells.get("potensial"), cells.get("skor")
    level = parse_level(raw_level) if raw_level not in (None, "") else None
    score = parse_score(raw_score) if raw_score not in (None, "") else None
    if raw_level not in (None, "") and level is None:
        errors.append("Potensial harus rendah, menengah, atau tinggi.")
    if raw_score not in (None, "") and score is None:
        errors.append("Skor harus angka 0 sampai 100.")
    if raw_level in (None, "") and raw_score in (None, ""):
        errors.append("Isi potensial atau skor.")
    if level and score is not None and potential_from_score(score) != level:
        errors.append(f"Skor {score} berarti potensial {POTENTIAL[potential_from_score(score)].lower()}, "
                      f"bukan {POTENTIAL[level].lower()}.")
    day = parse_day(cells.get("tanggal"))
    if day is None:
        errors.append("Tanggal asesmen tidak terbaca (tulis 2026-03-15 atau 15/03/2026).")
    elif day > today:
        errors.append("Tanggal asesmen tidak boleh setelah hari ini.")
    elif day.year < 2000:
        errors.append("Tanggal asesmen terlalu lama.")
    source = str(cells.get("sumber") or "").strip()
    if not source:
        errors.append("Sumber asesmen kosong (mis. Assessment Center, Uji Kompetensi).")
    elif len(source) > SOURCE_MAX:
        errors.append(f"Sumber asesmen maksimal {SOURCE_MAX} karakter.")
    if errors:
        return None, errors
    return PotentialRow(line, nip, level or potential_from_score(score), score, day, source), []


@dataclass(frozen=True)
class BadRow:
    line: int
    nip: str
    errors: list


def check_rows(rows, today: datetime.date, known_nips) -> tuple[list[PotentialRow], list[BadRow]]:
    """Every row of an import (`rows`: (line, cells, problem)), with a NIP that appears twice
    refused on its later lines: one assessment per person per import."""
    good, bad, first_line = [], [], {}
    for line, cells, problem in rows:
        row, errors = check_row(line, cells, today, known_nips, problem)
        nip = row.nip if row else normalise_nip(cells.get("nip"))
        if row is not None and nip in first_line:
            errors, row = [f"NIP ini sudah ada pada baris {first_line[nip]}."], None
        if row is None:
            bad.append(BadRow(line, nip[:24], errors))
        else:
            first_line[nip] = line
            good.append(row)
    return good, bad


# --- Who sees which map (followup.md §6) ---------------------------------------------
# BKPSDM sees the regency, the head of an OPD their OPD's people; an admin OPD keeps the
# staff records of an OPD but takes no talent decisions, so does not see the map; a pegawai
# sees their own box only when the regency chose to show it.
REGENCY, OPD, OWN = "regency", "opd", "own"


def map_view(role: str, heads_opd: bool, own_box_visible: bool) -> tuple[str | None, str]:
    """(what the user sees, the reason when nothing)."""
    if role == "admin":
        return REGENCY, ""
    if heads_opd:
        return OPD, ""
    if role == "admin_opd":
        return None, ("Peta talenta hanya untuk BKPSDM dan kepala OPD; Admin OPD tidak "
                      "melihatnya.")
    if own_box_visible:
        return OWN, ""
    return None, "Kabupaten belum membuka peta talenta untuk pegawai."
