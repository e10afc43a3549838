"""Bukti dukung: which uploaded files are accepted and which links. The type is decided by
the file's own bytes, not by the name or the browser's claim, so a renamed script is refused."""
import zipfile
from urllib.parse import urlsplit

from . import DomainError
from .archives import ArchiveError, open_archive, read_member

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# What a document may declare once unzipped: an evidence file of 5 MB with its XML inflated.
MAX_DECLARED_BYTES = 60 * 1024 * 1024

# extension -> (mime type served back, a short description)
TYPES = {
    "pdf": ("application/pdf", "PDF"),
    "png": ("image/png", "gambar PNG"),
    "jpg": ("image/jpeg", "gambar JPEG"),
    "jpeg": ("image/jpeg", "gambar JPEG"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             "PowerPoint"),
    "doc": ("application/msword", "Word 97-2003"),
    "xls": ("application/vnd.ms-excel", "Excel 97-2003"),
    "ppt": ("application/vnd.ms-powerpoint", "PowerPoint 97-2003"),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument teks"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument lembar kerja"),
}
# Served inline (the browser shows them); everything else is a download.
INLINE = {"pdf", "png", "jpg", "jpeg"}
ACCEPT = ",".join(f".{ext}" for ext in TYPES)
_OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_ODF_MIME = {"odt": b"application/vnd.oasis.opendocument.text",
             "ods": b"application/vnd.oasis.opendocument.spreadsheet"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _extension(filename: str) -> str:
    name = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _content_matches(ext: str, data: bytes) -> bool:
    """Whether the bytes are the type the name says; ArchiveError for a zip too big to open."""
    if ext == "pdf":
        return data.startswith(b"%PDF-")
    if ext == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext in ("doc", "xls", "ppt"):
        return data.startswith(_OLE)
    if ext in _OOXML_PART or ext in _ODF_MIME:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with open_archive(data, MAX_DECLARED_BYTES) as archive:
                if ext in _ODF_MIME:
                    mimetype = read_member(archive, "mimetype", 100)
                    return mimetype is not None and mimetype.strip() == _ODF_MIME[ext]
                names = archive.namelist()
                return "[Content_Types].xml" in names and any(
                    n.startswith(_OOXML_PART[ext]) for n in names)
        # zipfile raises NotImplementedError for a compression method it cannot read, and
        # RuntimeError for an encrypted member: either way not a document we accept.
        except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
            return False
    return False


def check_file(filename: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """(extension, mime type) of an acceptable evidence file; DomainError otherwise."""
    if not data:
        raise DomainError("Berkas kosong.")
    if len(data) > max_bytes:
        raise DomainError(f"Ukuran berkas melebihi {max_bytes // (1024 * 1024)} MB.")
    ext = _extension(filename)
    if ext not in TYPES:
        raise DomainError("Jenis berkas tidak diterima. Unggah PDF, gambar (PNG/JPEG), "
                            "atau dokumen perkantoran (Word, Excel, PowerPoint, OpenDocument).")
    try:
        matches = _content_matches(ext, data)
    except ArchiveError as exc:
        raise DomainError(str(exc)) from None
    if not matches:
        raise DomainError(f"Isi berkas bukan {TYPES[ext][1]} yang sah, walaupun namanya "
                            f"berakhiran .{ext}.")
    return ext, TYPES[ext][0]


def clean_filename(filename: str) -> str:
    """The name shown to users (the file itself is stored under a random name)."""
    name = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')
    return name.strip()[:150] or "bukti"


def check_link(url: str) -> str:
    """An http(s) address with a host; anything else (javascript:, data:, files) is refused."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(url) > 500 \
            or any(ch.isspace() for ch in url):
        raise DomainError("Tautan harus berupa alamat lengkap yang diawali http:// atau https://.")
    return url
