"""How the values of a SIASN export are read: jenis pegawai, jenis jabatan, eselon, and the
pangkat that belongs to a PNS golongan (PP 99/2000). Golongan themselves: `rules.org`."""
import re

# Pangkat of each PNS golongan/ruang.
PNS_RANKS = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina", "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya", "IV/e": "Pembina Utama",
}
_ROMAN = ["I", "II", "III", "IV", "V"]
_STRUCTURAL_BY_ESELON = {"II": "jpt_pratama", "III": "administrator", "IV": "pengawas"}
_ESELON = re.compile(r"^(?:(IV|III|II|I|V)|([1-5]))(?:[.\-/]?[AB])?$")


def _upper(text) -> str:
    return " ".join(str(text or "").upper().split())


def employment_type(text) -> str | None:
    """"pns" or "pppk" from the many ways SIASN and people write it; None if unknown."""
    value = _upper(text)
    if not value:
        return None
    if "PPPK" in value or "P3K" in value or "PERJANJIAN KERJA" in value:
        return "pppk"
    if "PNS" in value or "PEGAWAI NEGERI SIPIL" in value:  # also CPNS, "PNS Daerah …"
        return "pns"
    return None


def eselon_level(text) -> str | None:
    """The roman level of an eselon ("II.a" → "II", "3b" → "III"); None if not an eselon."""
    value = _upper(text).replace(" ", "")
    if not value or value in ("-", "NONESELON", "NON-ESELON"):
        return None
    match = _ESELON.match(value)
    if not match:
        return None
    return match.group(1) or _ROMAN[int(match.group(2)) - 1]


def position_kind(text, eselon=None) -> str | None:
    """Position.kind from JENIS JABATAN (and ESELON for a bare "Struktural"); None if unknown."""
    value = _upper(text)
    if not value:
        return None
    if "JPT" in value or "PIMPINAN TINGGI" in value:
        return "jpt_pratama"
    if "ADMINISTRATOR" in value:
        return "administrator"
    if "PENGAWAS" in value:
        return "pengawas"
    # "Jabatan Fungsional Umum" is the old name of what is now a pelaksana position.
    if "PELAKSANA" in value or "FUNGSIONAL UMUM" in value or value == "JFU":
        return "pelaksana"
    if "FUNGSIONAL" in value or value in ("JFT", "JF"):
        return "fungsional"
    if "STRUKTURAL" in value:
        return _STRUCTURAL_BY_ESELON.get(eselon_level(eselon))
    return None


def rank_for_grade(grade: str) -> str:
    """The pangkat of a (normalised) PNS golongan; PPPK golongan carry none ("")."""
    return PNS_RANKS.get(grade, "")


def import_owner(actor_role: str, actor_id: int) -> int | None:
    """Whose imports an admin may look back on: the BKPSDM admin everyone's (None), an admin
    OPD only their own."""
    return None if actor_role == "admin" else actor_id
