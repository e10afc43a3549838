"""Reading one row of the file: its values, and its own problems (those that need no other row)."""
import datetime

from ...rules.mail import address_problem, normalise_address
from ...rules.nip import nip_errors, normalise as normalise_nip
from ...rules.org import grade_problem, normalise_grade
from ...rules.siasn import employment_type, position_kind, rank_for_grade
from ...spreadsheets import Row
from .columns import COLUMN_BY_FIELD, LIMITS
from .plan import Entry


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _nip_cell(value) -> tuple[str, str | None]:
    """(NIP, problem). Excel keeps 15 significant digits: a NIP typed as a number is damaged."""
    if isinstance(value, float):
        return _text(value), ("NIP tersimpan sebagai angka sehingga digit terakhirnya berubah; "
                              "ubah format kolom NIP menjadi Teks lalu isi ulang NIP-nya.")
    return normalise_nip(_text(value)), None

def read_entry(row: Row, mapping: dict, today: datetime.date) -> tuple[Entry, dict]:
    """The row's values and its own problems (those that need no other row)."""
    raw = {f: row.cells.get(h) for f, h in mapping.items()}
    text = {f: _text(v) for f, v in raw.items()}
    nip, nip_problem = _nip_cell(raw.get("nip"))
    entry = Entry(row.line, nip, text.get("name", ""), {})
    reasons = entry.reasons
    if row.problem:
        reasons.append(row.problem)
    if nip_problem:
        reasons.append(nip_problem)
    else:
        # The row's status decides the pattern; an unknown status is reported below.
        errors = nip_errors(nip, today, employment_type(text.get("employment")))
        if errors:
            reasons.append("NIP tidak sah: " + " ".join(errors) if nip else errors[0])
    if not entry.name:
        reasons.append("Nama wajib diisi.")
    for name, limit in LIMITS.items():
        if len(text.get(name, "")) > limit:
            label = COLUMN_BY_FIELD[name].header if name in COLUMN_BY_FIELD else name
            reasons.append(f"Isian {label} terlalu panjang (maksimal {limit} karakter).")

    kind_of_employee = employment_type(text.get("employment"))
    if not text.get("employment"):
        reasons.append("Jenis pegawai wajib diisi (PNS atau PPPK).")
    elif kind_of_employee is None:
        reasons.append(f"Jenis pegawai \u201c{text['employment']}\u201d tidak dikenal; isi PNS atau PPPK.")
    values = {"name": entry.name, "employment_type": kind_of_employee or "pns"}
    for name in ("title_front", "title_back"):
        if name in mapping:
            values[name] = text.get(name, "")
    grade = normalise_grade(text.get("grade", ""))
    if kind_of_employee:
        problem = grade_problem(grade, kind_of_employee)
        if problem:
            reasons.append(problem)
    if "grade" in mapping:
        values["grade"] = grade
    if text.get("rank"):
        values["rank"] = text["rank"]
    elif "grade" in mapping:
        values["rank"] = rank_for_grade(grade) if kind_of_employee == "pns" else ""
    elif "rank" in mapping:
        values["rank"] = ""
    entry.values = values

    entry.position_name = text.get("position_name", "")
    if not entry.position_name:
        reasons.append("Nama jabatan (JABATAN_NAMA) wajib diisi.")
    kind_text = text.get("position_kind", "")
    entry.kind = position_kind(kind_text, text.get("eselon"))
    if not kind_text:
        reasons.append("Jenis jabatan wajib diisi (JPT Pratama, Administrator, Pengawas, "
                       "Fungsional, atau Pelaksana).")
    elif entry.kind is None and "STRUKTURAL" in kind_text.upper():
        reasons.append("Jenis jabatan \u201cStruktural\u201d memerlukan kolom ESELON (II, III, atau IV); "
                       "atau tulis JPT Pratama, Administrator, atau Pengawas.")
    elif entry.kind is None:
        reasons.append(f"Jenis jabatan \u201c{kind_text}\u201d tidak dikenal; isi JPT Pratama, "
                       "Administrator, Pengawas, Fungsional, atau Pelaksana.")
    if not text.get("unit_name") and not text.get("unit_code"):
        reasons.append("Unit kerja (UNOR_NAMA) wajib diisi.")

    if text.get("email"):
        entry.email = normalise_address(text["email"])
        problem = address_problem(entry.email)
        if problem:
            reasons.append(f"EMAIL \u201c{text['email']}\u201d: {problem} Perbaiki atau kosongkan kolomnya.")

    atasan, atasan_problem = _nip_cell(raw.get("atasan"))
    entry.atasan = atasan
    if atasan:
        errors = [atasan_problem] if atasan_problem else nip_errors(atasan, today, None)
        if errors:
            reasons.append(f"NIP atasan {atasan} tidak sah: " + " ".join(errors))
        elif atasan == nip:
            reasons.append("NIP atasan sama dengan NIP pegawai ini sendiri.")
    return entry, text

