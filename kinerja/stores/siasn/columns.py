"""The columns of a SIASN export as Kinerja reads them, and the downloadable template."""
from dataclasses import dataclass

from ...spreadsheets import SpreadsheetError, normalise_header


@dataclass(frozen=True)
class Column:
    field: str
    header: str            # as SIASN writes it, and as the template has it
    aliases: tuple         # other spellings, compared after normalise_header
    required: bool
    example: str
    help: str


COLUMNS = [
    Column("nip", "NIP_BARU", ("nip baru", "nip", "nip 18 digit", "nipbaru"), True,
           "199203152019032005", "NIP 18 digit; spasi dan titik diabaikan."),
    Column("name", "NAMA", ("nama", "nama pegawai", "nama lengkap", "nama asn"), True,
           "Rina Lestari", "Nama tanpa gelar."),
    Column("title_front", "GELAR_DEPAN", ("gelar depan",), False, "", "Misalnya dr. atau Drs."),
    Column("title_back", "GELAR_BELAKANG", ("gelar belakang",), False, "S.Kep., Ns.",
           "Misalnya S.Kep., Ns."),
    Column("employment", "JENIS_PEGAWAI",
           ("jenis pegawai", "jenis pegawai nama", "status pegawai", "status kepegawaian",
            "jenis asn"), True, "PNS", "PNS (juga CPNS, \u201cPNS Daerah\u2026\u201d) atau PPPK."),
    Column("grade", "GOL_AKHIR_NAMA",
           ("gol akhir nama", "gol akhir", "golongan akhir", "golongan", "gol", "gol ruang",
            "golongan ruang"), False, "III/b",
           "PNS: I/a sampai IV/e; PPPK: I sampai XVII."),
    Column("rank", "PANGKAT", ("pangkat", "pangkat akhir", "pangkat nama", "pangkat akhir nama"),
           False, "Penata Muda Tingkat I", "Bila kosong, diturunkan dari golongan PNS."),
    Column("position_name", "JABATAN_NAMA", ("jabatan nama", "jabatan", "nama jabatan"), True,
           "Perawat Ahli Pertama", "Nama jabatan."),
    Column("position_kind", "JENIS_JABATAN_NAMA", ("jenis jabatan nama", "jenis jabatan"), True,
           "Fungsional",
           "JPT Pratama, Administrator, Pengawas, Fungsional (Tertentu), Pelaksana "
           "(atau Fungsional Umum), atau Struktural dengan ESELON."),
    Column("eselon", "ESELON", ("eselon", "eselon nama"), False, "",
           "II, III, atau IV (misalnya III.a); dipakai bila jenis jabatan hanya \u201cStruktural\u201d."),
    Column("unit_code", "UNOR_ID", ("unor id", "kode unor", "unor kode", "kode unit", "unit kode",
                                    "kode unit kerja"), False, "PKM-SUKAMAJU",
           "Kode unit kerja; bila kosong, unit dicari dari namanya."),
    Column("unit_name", "UNOR_NAMA", ("unor nama", "unor", "nama unor", "unit kerja",
                                      "nama unit kerja", "unit organisasi"), True,
           "UPTD Puskesmas Sukamaju", "Unit kerja tempat jabatan berada."),
    Column("opd_code", "UNOR_INDUK_ID", ("unor induk id", "kode unor induk", "kode opd", "opd kode",
                                         "kode induk"), False, "DINKES", "Kode OPD/unit induk."),
    Column("opd_name", "UNOR_INDUK_NAMA", ("unor induk nama", "unor induk", "opd", "nama opd",
                                           "perangkat daerah", "unit induk"), False,
           "Dinas Kesehatan", "OPD/unit induk; dipakai untuk menempatkan unit baru."),
    Column("atasan", "NIP_ATASAN", ("nip atasan", "atasan nip", "nip atasan langsung",
                                    "nip pejabat penilai", "nip atasan langsung baru"), False,
           "197805122005011003", "NIP atasan langsung; membentuk pohon jabatan."),
    Column("email", "EMAIL", ("email", "e mail", "alamat email", "email pegawai", "surel"), False,
           "rina.lestari@example.go.id",
           "Alamat email untuk pemberitahuan; hanya mengisi akun yang belum punya email, dan "
           "baru dipakai setelah pegawai memverifikasinya."),
]
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}

LIMITS = {"name": 150, "title_front": 50, "title_back": 80, "rank": 60, "grade": 10,
          "position_name": 200, "unit_name": 200, "opd_name": 200, "unit_code": 32, "opd_code": 32}
FIELD_LABELS = {"name": "nama", "title_front": "gelar depan", "title_back": "gelar belakang",
                "rank": "pangkat", "grade": "golongan", "employment_type": "jenis pegawai",
                "position": "jabatan", "unit": "unit kerja", "active": "status aktif"}
EMPLOYEE_FIELDS = ("nip", "name", "title_front", "title_back", "rank", "grade",
                   "employment_type", "position", "unit", "active")


def template_sheet() -> tuple[list[str], list[list[str]]]:
    """Headers and one example row, for the downloadable template."""
    return [c.header for c in COLUMNS], [[c.example for c in COLUMNS]]


def _key(text) -> str:
    """Header comparison: case, spaces, underscores and punctuation do not matter."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in normalise_header(text))
    return " ".join(cleaned.split())


def map_columns(headers: list[str]) -> dict[str, str]:
    """{field: header as in Row.cells}; a missing required column stops the import."""
    by_key = {}
    for header in headers:
        if header:
            by_key.setdefault(_key(header), header)
    mapping = {}
    for column in COLUMNS:
        for alias in (_key(column.header),) + column.aliases:
            if alias in by_key:
                mapping[column.field] = by_key[alias]
                break
    missing = [c.header for c in COLUMNS if c.required and c.field not in mapping]
    if missing:
        raise SpreadsheetError(
            "Kolom wajib tidak ditemukan: " + ", ".join(missing) + ". Baris pertama berkas harus "
            "berisi judul kolom seperti pada templat; unduh templat untuk melihat nama kolom "
            "yang diterima.")
    return mapping

