"""Zip-based documents (docx, xlsx, pptx, odt, ods) judged by what their directory declares,
before anything is decompressed: a 1 MB upload can declare a gigabyte, and reading it would
take the server's memory. zipfile never inflates a member past the size it declares, so a
declared size, checked first, bounds what a read can cost."""
import io
import zipfile

# A real document of a few MB inflates to some tens of MB; the import spreadsheets are the
# largest legitimate ones (10,000 rows ≈ 15 MB of XML).
MAX_DECLARED_BYTES = 120 * 1024 * 1024
MAX_MEMBERS = 5000


class ArchiveError(ValueError):
    """The archive is refused; the message is for the user."""


def open_archive(data: bytes, max_declared: int = MAX_DECLARED_BYTES) -> zipfile.ZipFile:
    """The zip, once its directory shows that reading it stays within bounds (zipfile's own
    errors for a damaged one)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = archive.infolist()
    declared = sum(info.file_size for info in members)
    if len(members) > MAX_MEMBERS or declared > max_declared:
        archive.close()
        raise ArchiveError(
            f"Isi berkas terlalu besar setelah dibuka ({declared // (1024 * 1024)} MB; "
            f"paling banyak {max_declared // (1024 * 1024)} MB). Simpan ulang dokumen tanpa "
            "gambar berukuran besar, atau bagi menjadi beberapa berkas.")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """A small member's bytes (None when it is missing or declares more than `limit`)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        return None
    with archive.open(info) as member:
        return member.read(limit + 1)[:limit]
