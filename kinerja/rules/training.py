"""Competency development: training records and the 20 JP a year.

Every PNS has the right to at least 20 JP (jam pelajaran) of competency development a year
(PP 11/2017 Pasal 203 as amended by PP 17/2020). A training counts in the year it ended: a
course from 28 December to 5 January belongs to the new year, when its certificate is issued.
"""
import datetime
import math
import re

from . import DomainError
from .evidence import DEFAULT_MAX_BYTES, check_file

YEARLY_JP = 20
# No single course runs longer than this: the longest leadership trainings (PKN, PKA) stay
# well below it, so a larger figure is a typing error.
MAX_JP = 1000

KINDS = {
    "klasikal": "Pelatihan klasikal",
    "non_klasikal": "Pelatihan non-klasikal",
    "coaching": "Coaching",
    "mentoring": "Mentoring",
    "e_learning": "E-learning",
    "seminar": "Seminar",
}
PRIORITIES = {"tinggi": "Tinggi", "sedang": "Sedang", "rendah": "Rendah"}
SOURCES = {"manual": "Dicatat pegawai", "impor": "Impor BKPSDM/OPD"}

# Certificates are documents people scan or download: PDF or a photo of the paper.
CERTIFICATE_TYPES = ("pdf", "png", "jpg", "jpeg")
CERTIFICATE_ACCEPT = ".pdf,.png,.jpg,.jpeg"
CERTIFICATE_MAX_BYTES = DEFAULT_MAX_BYTES


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)


def counted_year(ends: datetime.date) -> int:
    """The year whose 20 JP a training counts toward: the year it ended."""
    return ends.year


def shortfall(total: int) -> int:
    """JP still missing to reach the yearly 20."""
    return max(0, YEARLY_JP - total)


def meets(total: int) -> bool:
    return total >= YEARLY_JP


def below_first(rows, total=lambda row: row[1], name=lambda row: row[0]):
    """Rows ordered for a supervisor: those furthest below 20 JP first, then by name."""
    return sorted(rows, key=lambda row: (meets(total(row)), total(row), name(row)))


def editable_by_owner(source: str) -> bool:
    """An employee changes what they recorded; what BKPSDM or the OPD imported stays theirs."""
    return source == "manual"


def period_problem(starts: datetime.date, ends: datetime.date, today: datetime.date) -> str | None:
    """Why the dates of a finished training cannot be right, or None."""
    if ends < starts:
        return "Tanggal selesai tidak boleh sebelum tanggal mulai."
    if ends > today:
        return "Pelatihan yang dicatat harus sudah selesai; tanggal selesai tidak boleh di masa depan."
    if (ends - starts).days > 366:
        return "Satu pelatihan paling lama satu tahun; periksa kembali tanggalnya."
    return None


def check_certificate(filename: str, data: bytes,
                      max_bytes: int = CERTIFICATE_MAX_BYTES) -> tuple[str, str]:
    """(extension, mime) of an acceptable certificate: a PDF or a PNG/JPEG image, decided by
    its bytes like an evidence file; DomainError otherwise."""
    name = (filename or "").rsplit(".", 1)
    if len(name) < 2 or name[1].lower() not in CERTIFICATE_TYPES:
        raise DomainError("Sertifikat harus berupa PDF atau gambar (PNG/JPEG).")
    return check_file(filename, data, max_bytes)


# --- Reading spreadsheet cells (the import) -------------------------------------------------

_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), (3, 2, 1)),
)
_MONTHS = {"januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
           "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12}


def parse_date(value) -> datetime.date:
    """A date from a cell: a spreadsheet date, 2026-03-01, 01/03/2026 (day first, as written
    in Indonesia) or 1 Maret 2026; ValueError with the reason otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        raise ValueError("kosong")
    for pattern, (y, m, d) in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
            except ValueError:
                raise ValueError(f"“{text}” bukan tanggal yang ada") from None
    parts = text.lower().split()
    if len(parts) == 3 and parts[0].isdigit() and parts[1] in _MONTHS and parts[2].isdigit():
        try:
            return datetime.date(int(parts[2]), _MONTHS[parts[1]], int(parts[0]))
        except ValueError:
            raise ValueError(f"“{text}” bukan tanggal yang ada") from None
    raise ValueError(f"“{text}” tidak terbaca sebagai tanggal (tulis misalnya 2026-03-01)")


def parse_jp(value) -> int:
    """JP from a cell: a whole number from 1 to MAX_JP; ValueError with the reason otherwise."""
    if isinstance(value, bool):
        raise ValueError("bukan angka")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise ValueError("harus bilangan bulat")
        number = int(value)
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError("kosong")
        text = re.sub(r"[.,]0+$", "", text)
        if not re.fullmatch(r"-?\d{1,7}", text):
            raise ValueError(f"“{text[:20]}” bukan bilangan bulat")
        number = int(text)
    if number < 1:
        raise ValueError("harus lebih dari 0")
    if number > MAX_JP:
        raise ValueError(f"paling banyak {MAX_JP} JP untuk satu pelatihan")
    return number


def parse_kind(value) -> str:
    """The kind's code from a cell holding its code or its label, in any case."""
    text = " ".join(str(value or "").strip().lower().replace("_", " ").replace("-", " ").split())
    if not text:
        raise ValueError("kosong")
    for code, label in KINDS.items():
        names = {code.replace("_", " "), label.lower().replace("-", " "),
                 label.lower().replace("pelatihan ", "").replace("-", " ")}
        if text in names or text.replace(" ", "") in {n.replace(" ", "") for n in names}:
            return code
    raise ValueError(f"“{str(value)[:40]}” tidak dikenal; pilih salah satu: "
                     + ", ".join(KINDS.values()))
