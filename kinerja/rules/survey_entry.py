"""Paper questionnaires typed or imported by staff: reading one row, reason by reason.

Pure: the caller brings the unit's services and periods and the profile choices. Every
problem of a row is reported in Indonesian, naming the column, so staff can fix the
spreadsheet before anything is written.
"""
import datetime
from dataclasses import dataclass, field

from .ikm import AGE_MAX, AGE_MIN, EDUCATIONS, ELEMENT_CODES, OCCUPATIONS, SUGGESTION_MAX

# The columns of the import file, in the order of the template.
COLUMNS = ["tanggal", "layanan", *ELEMENT_CODES, "umur", "jenis_kelamin", "pendidikan",
           "pekerjaan", "saran"]
REQUIRED_COLUMNS = ["tanggal", *ELEMENT_CODES]
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
SEX_WORDS = {"l": "L", "laki-laki": "L", "laki laki": "L", "pria": "L",
             "p": "P", "perempuan": "P", "wanita": "P"}
# Paper forms and spreadsheets name the diploma they hold; the questionnaire groups them.
EDUCATION_ALIASES = {"d1": "D1-D4", "d2": "D1-D4", "d3": "D1-D4", "d4": "D1-D4",
                     "diploma": "D1-D4", "slta": "SMA", "smk": "SMA", "sltp": "SMP"}


def header_key(column: str) -> str:
    """The key spreadsheets.read_rows gives a column ('jenis_kelamin' -> 'jenis kelamin')."""
    return " ".join(column.lower().replace("_", " ").split())


def check_headers(headers: list[str]) -> list[str]:
    """File-level problems with the header row (missing or unknown columns)."""
    known = {header_key(c) for c in COLUMNS}
    present = {h for h in headers if h}
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if header_key(c) not in present]
    if missing:
        problems.append(f"Kolom wajib tidak ada: {', '.join(missing)}.")
    unknown = sorted(present - known)
    if unknown:
        problems.append(f"Kolom tidak dikenal: {', '.join(unknown)}. "
                        f"Gunakan kolom templat: {', '.join(COLUMNS)}.")
    return problems


def parse_date(value) -> datetime.date | None:
    """A cell as a date: Excel dates, ISO text or day/month/year; None when unreadable."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_answer(value) -> int | None | str:
    """1–4 as an int, None when empty, the original text when it is something else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if 1 <= value <= 4 else str(value)
    text = str(value).strip()
    return int(text) if text in ("1", "2", "3", "4") else text


def _show(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _choice(value, choices: dict, aliases: dict) -> str | None:
    """Match a cell against {code: label} by code, label or alias, case and spacing ignored."""
    wanted = " ".join(str(value).lower().replace("–", "-").split())
    if wanted in aliases:
        return aliases[wanted]
    for code, label in choices.items():
        for candidate in (code, label):
            if wanted == " ".join(str(candidate).lower().replace("–", "-").split()):
                return code
    return None


@dataclass
class ParsedRow:
    line: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)


def parse_row(line: int, cells: dict, *, services: dict, periods: list,
              today: datetime.date) -> ParsedRow:
    """One spreadsheet row as SurveyResponse values, or the reasons it cannot be imported.

    services: {normalised name: service id}; periods: objects with .id, .starts, .ends.
    """
    row = ParsedRow(line)
    errors = row.errors

    raw_date = cells.get("tanggal")
    day = None
    if raw_date is None:
        errors.append("tanggal wajib diisi")
    else:
        day = parse_date(raw_date)
        if day is None:
            errors.append(f"tanggal '{_show(raw_date)}' tidak terbaca "
                          "(gunakan 2026-07-15 atau 15/07/2026)")
        elif day > today:
            errors.append(f"tanggal {day:%d/%m/%Y} di masa depan")
        else:
            period = next((p for p in periods if p.starts <= day <= p.ends), None)
            if period is None:
                errors.append(f"tanggal {day:%d/%m/%Y} di luar semua periode survei unit ini")
            else:
                row.values["period"] = period.id
                row.values["answered_on"] = day

    raw_service = cells.get("layanan")
    row.values["service"] = None
    if raw_service is not None:
        service_id = services.get(normalise_name(raw_service))
        if service_id is None:
            errors.append(f"jenis layanan '{_show(raw_service)}' tidak dikenal di unit ini")
        row.values["service"] = service_id

    filled = 0
    for code in ELEMENT_CODES:
        answer = parse_answer(cells.get(code))
        if answer is not None:
            filled += 1
        if isinstance(answer, str):
            errors.append(f"jawaban {code.upper()} harus 1–4 (tertulis '{_show(answer)}')")
            answer = None
        row.values[code] = answer
    if filled == 0:
        errors.append("tidak ada satu jawaban pun (U1–U9 kosong)")

    row.values["age"] = None
    raw_age = cells.get("umur")
    if raw_age is not None:
        age = parse_answer_int(raw_age)
        if age is None or not AGE_MIN <= age <= AGE_MAX:
            errors.append(f"umur '{_show(raw_age)}' tidak sah ({AGE_MIN}–{AGE_MAX} tahun)")
        else:
            row.values["age"] = age

    row.values["sex"] = None
    raw_sex = cells.get("jenis kelamin")
    if raw_sex is not None:
        sex = SEX_WORDS.get(" ".join(str(raw_sex).lower().split()))
        if sex is None:
            errors.append(f"jenis kelamin '{_show(raw_sex)}' tidak sah (L atau P)")
        row.values["sex"] = sex

    for column, key, choices, aliases in (
            ("pendidikan", "education", EDUCATIONS, EDUCATION_ALIASES),
            ("pekerjaan", "occupation", OCCUPATIONS, {})):
        row.values[key] = None
        raw = cells.get(column)
        if raw is not None:
            code = _choice(raw, choices, aliases)
            if code is None:
                errors.append(f"{column} '{_show(raw)}' tidak sah "
                              f"(pilihan: {', '.join(choices)})")
            row.values[key] = code

    raw_suggestion = cells.get("saran")
    text = None if raw_suggestion is None else str(raw_suggestion).strip() or None
    if text is not None and len(text) > SUGGESTION_MAX:
        errors.append(f"saran lebih dari {SUGGESTION_MAX} karakter")
    row.values["suggestion"] = text
    return row


def parse_answer_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() else None


def normalise_name(value) -> str:
    """Service names compared without case or repeated spaces."""
    return " ".join(str(value).lower().split())


# --- Report helpers ----------------------------------------------------------------------

AGE_BANDS = [(None, 19, "< 20 tahun"), (20, 29, "20–29 tahun"), (30, 39, "30–39 tahun"),
             (40, 49, "40–49 tahun"), (50, 59, "50–59 tahun"), (60, None, "≥ 60 tahun")]
NOT_FILLED = "Tidak diisi"


def age_band(age: int | None) -> str:
    if age is None:
        return NOT_FILLED
    for low, high, label in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return label
    return NOT_FILLED


def lowest_element(answers: dict) -> str | None:
    """The element the respondent rated lowest (the first of ties): where a suggestion most
    likely belongs until staff assign it."""
    rated = [(value, code) for code, value in answers.items() if value is not None]
    if not rated:
        return None
    lowest = min(value for value, _ in rated)
    return next(code for code in ELEMENT_CODES if answers.get(code) == lowest)
