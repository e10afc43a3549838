"""The satisfaction index (IKM) of domain/skm.md §2–§4, PermenPANRB 14/2017.

Pure: no Flask, no database. The caller brings per element the sum and the number of
answers (the database adds them up); this module turns them into NRR, IKM and mutu.

Arithmetic is exact: 1/9 has no finite decimal expansion, so the values are kept as
fractions and only the final figures are rounded (half up) into `Decimal`s. A float or a
50-digit Decimal would put 76,605 a hair below the half and round it to the wrong band.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache
from math import lcm


@dataclass(frozen=True)
class Element:
    """An unsur. Answers are stored by `code` (u1…u9), never by position on a form."""
    code: str
    name: str
    question: str
    answers: tuple[str, str, str, str]

    @property
    def label(self) -> str:
        return self.code.upper()


ELEMENTS: tuple[Element, ...] = (
    Element("u1", "Persyaratan",
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
            "pelayanannya?",
            ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Element("u2", "Sistem, Mekanisme, dan Prosedur",
            "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
            ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    Element("u3", "Waktu Penyelesaian",
            "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
            ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    Element("u4", "Biaya/Tarif",
            "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
            ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    Element("u5", "Produk Spesifikasi Jenis Pelayanan",
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
            "dalam standar pelayanan dengan hasil yang diberikan?",
            ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Element("u6", "Kompetensi Pelaksana",
            "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
            ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    Element("u7", "Perilaku Pelaksana",
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
            "dan keramahan?",
            ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
             "Sangat sopan dan ramah")),
    Element("u8", "Penanganan Pengaduan, Saran dan Masukan",
            "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
            ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
             "Dikelola dengan baik")),
    Element("u9", "Sarana dan Prasarana",
            "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
            ("Buruk", "Cukup", "Baik", "Sangat baik")),
)
ELEMENT_CODES: tuple[str, ...] = tuple(e.code for e in ELEMENTS)
ELEMENTS_BY_CODE = {e.code: e for e in ELEMENTS}
ANSWER_VALUES = (1, 2, 3, 4)


# The optional respondent profile of §1, {stored code: label}.
SEXES = {"L": "Laki-laki", "P": "Perempuan"}
EDUCATIONS = {"SD": "SD", "SMP": "SMP", "SMA": "SMA", "D1-D4": "D1–D4", "S1": "S1", "S2": "S2",
              "S3": "S3"}
OCCUPATIONS = {"PNS": "PNS", "TNI": "TNI", "POLRI": "POLRI", "Swasta": "Swasta",
               "Wirausaha": "Wirausaha", "Lainnya": "Lainnya"}
AGE_MIN, AGE_MAX = 10, 110
SUGGESTION_MAX = 2000


def with_questions(overrides: Mapping[str, str]) -> tuple[Element, ...]:
    """The elements with the regency's own wording of the questions (codes and scale stay)."""
    return tuple(Element(e.code, e.name, (overrides.get(e.code) or "").strip() or e.question,
                         e.answers) for e in ELEMENTS)


# --- Weight ----------------------------------------------------------------------

@dataclass(frozen=True)
class Weight:
    key: str
    value: Fraction
    label: str        # as printed: "1/9", "0,111"

    @property
    def description(self) -> str:
        return f"Bobot nilai rata-rata tertimbang {self.label}"


WEIGHTS: dict[str, Weight] = {
    "1/9": Weight("1/9", Fraction(1, 9), "1/9"),
    "0.111": Weight("0.111", Fraction(111, 1000), "0,111"),
    "0.11": Weight("0.11", Fraction(11, 100), "0,11"),
}
DEFAULT_WEIGHT = "1/9"
WEIGHT_CHOICES = [
    ("1/9", "1/9 — sesuai rumus (jumlah bobot / jumlah unsur); nilai sempurna 100,00"),
    ("0.111", "0,111 — dibulatkan; nilai sempurna 99,90"),
    ("0.11", "0,11 — dibulatkan; nilai sempurna 99,00"),
]


def weight_for(key: "str | Weight | None") -> Weight:
    """The weight for a stored setting ("1/9", "0.111", "0,111", …); unknown means the default."""
    if isinstance(key, Weight):
        return key
    text = (key or "").strip().replace(",", ".")
    return WEIGHTS.get(text, WEIGHTS[DEFAULT_WEIGHT])


# --- Mutu pelayanan ----------------------------------------------------------------

@dataclass(frozen=True)
class Grade:
    letter: str
    words: str
    perception: int   # nilai persepsi 1–4
    lower: Decimal    # lowest converted value (IKM scale) in this band

    @property
    def label(self) -> str:
        return f"{self.letter} ({self.words})"


# Bands of §3 on the converted (IKM) scale, applied after rounding to 2 decimals.
GRADES = (
    Grade("A", "Sangat Baik", 4, Decimal("88.31")),
    Grade("B", "Baik", 3, Decimal("76.61")),
    Grade("C", "Kurang Baik", 2, Decimal("65.00")),
    Grade("D", "Tidak Baik", 1, Decimal("0")),
)


def grade_for(value: Decimal) -> Grade:
    """Mutu of a converted value already rounded to 2 decimals."""
    for grade in GRADES:
        if value >= grade.lower:
            return grade
    return GRADES[-1]


def round_half_up(value: Fraction, places: int) -> Decimal:
    return _round_ratio(value.numerator, value.denominator, places)


def _round_ratio(numerator: int, denominator: int, places: int) -> Decimal:
    """numerator/denominator (denominator > 0) rounded half up, in integers only."""
    scaled = numerator * 10 ** places
    if scaled >= 0:
        whole = (2 * scaled + denominator) // (2 * denominator)
    else:
        whole = -((-2 * scaled + denominator) // (2 * denominator))
    return Decimal(whole).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def decimal_comma(value: Decimal) -> str:
    return str(value).replace(".", ",")


# --- The index -----------------------------------------------------------------------

@dataclass(frozen=True)
class ElementResult:
    element: Element
    n: int           # answers to this element (an empty answer does not count)
    total: int       # sum of those answers

    @property
    def nrr(self) -> Fraction | None:
        return Fraction(self.total, self.n) if self.n else None

    @cached_property
    def nrr_rounded(self) -> Decimal | None:
        """NRR to 3 decimals, as the regulation's tables print it."""
        return _round_ratio(self.total, self.n, 3) if self.n else None

    @cached_property
    def converted(self) -> Decimal | None:
        """NRR × 25: the element on the IKM scale, for its own mutu."""
        return _round_ratio(25 * self.total, self.n, 2) if self.n else None

    @property
    def grade(self) -> Grade | None:
        return grade_for(self.converted) if self.n else None


@dataclass(frozen=True)
class IkmResult:
    elements: tuple[ElementResult, ...]
    respondents: int
    weight: Weight
    ikm: Decimal | None       # None without respondents, or while an element has no answer
    grade: Grade | None

    @property
    def missing(self) -> tuple[str, ...]:
        """Element labels nobody answered (the IKM is not computed while there are any)."""
        return tuple(r.element.label for r in self.elements if r.n == 0) if self.respondents else ()

    @property
    def text(self) -> str:
        """'91,48 — A (Sangat Baik)', or a dash when there is no index."""
        if self.ikm is None:
            return "—"
        return f"{decimal_comma(self.ikm)} — {self.grade.label}"

    @property
    def weight_label(self) -> str:
        return f"Bobot {self.weight.label}"


def compute(sums: Mapping[str, int], counts: Mapping[str, int],
            weight: "str | Weight | None" = DEFAULT_WEIGHT,
            respondents: int | None = None, elements: tuple[Element, ...] = ELEMENTS) -> IkmResult:
    """IKM = 25 × Σ_u (NRR_u × w), NRR_u = sum_u / n_u, over the elements u1…u9.

    `sums` and `counts` are by element code (missing codes mean no answers).
    `respondents` is the number of responses with at least one answer; without it the
    largest element count stands in (every respondent answered at least one element).
    """
    w = weight_for(weight)
    results = []
    for element in elements:
        n = int(counts.get(element.code) or 0)
        total = int(sums.get(element.code) or 0)
        if n < 0 or not n <= total <= 4 * n:
            raise ValueError(f"{element.label}: jumlah {total} tidak mungkin untuk {n} jawaban")
        results.append(ElementResult(element, n, total))
    if respondents is None:
        respondents = max((r.n for r in results), default=0)
    ikm = grade = None
    if respondents and all(r.n for r in results):
        # 25 × w × Σ total_u / n_u over a common denominator, in integers: exact and quick.
        common = lcm(*(r.n for r in results))
        numerator = 25 * w.value.numerator * sum(r.total * (common // r.n) for r in results)
        ikm = _round_ratio(numerator, w.value.denominator * common, 2)
        grade = grade_for(ikm)
    return IkmResult(tuple(results), respondents, w, ikm, grade)


@dataclass
class Tally:
    """Per element sums and counts of valid responses, their number, and how many
    responses were left out: flagged (awaiting review) and rejected (after review)."""
    sums: dict = field(default_factory=lambda: dict.fromkeys(ELEMENT_CODES, 0))
    counts: dict = field(default_factory=lambda: dict.fromkeys(ELEMENT_CODES, 0))
    respondents: int = 0
    flagged: int = 0
    rejected: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally({c: self.sums[c] + other.sums[c] for c in ELEMENT_CODES},
                     {c: self.counts[c] + other.counts[c] for c in ELEMENT_CODES},
                     self.respondents + other.respondents, self.flagged + other.flagged,
                     self.rejected + other.rejected)

    def result(self, weight: "str | Weight | None" = DEFAULT_WEIGHT,
               elements: tuple[Element, ...] = ELEMENTS) -> IkmResult:
        return compute(self.sums, self.counts, weight, self.respondents, elements)


def tally(responses: Iterable[Mapping[str, int | None]]) -> Tally:
    """Add up answers held in memory (tests, a file being imported): the same sums the
    database computes. A response with no answer at all is not a response."""
    result = Tally()
    for response in responses:
        answered = [(c, response.get(c)) for c in ELEMENT_CODES if response.get(c) is not None]
        if not answered:
            continue
        result.respondents += 1
        for code, value in answered:
            if value not in ANSWER_VALUES:
                raise ValueError(f"{code.upper()}: jawaban harus 1–4, bukan {value!r}")
            result.sums[code] += value
            result.counts[code] += 1
    return result


# --- Sample size -----------------------------------------------------------------------

_CHI2 = Fraction(3841, 1000)
_P = Fraction(1, 2)
_D = Fraction(5, 100)


@lru_cache(maxsize=4096)  # exact fractions cost ~20 µs; the overview asks for every unit
def sample_size(population: int) -> int:
    """Krejcie & Morgan (§4): the minimum number of respondents for a population N."""
    if population is None or population < 1:
        raise ValueError("Populasi harus bilangan bulat positif")
    n = Fraction(population)
    s = _CHI2 * n * _P * (1 - _P) / (_D ** 2 * (n - 1) + _CHI2 * _P * (1 - _P))
    return int(round_half_up(s, 0))
