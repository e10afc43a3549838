"""Files kept for a while under the upload directory (an import waiting for its confirmation,
a finished export): their folder, outside static/ and readable by the app alone, and the
clearing of those older than a day."""
import os
import re
import secrets
import tempfile
from pathlib import Path

KEEP_SECONDS = 24 * 3600
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{32}$"


def folder(upload_dir, name: str) -> Path:
    path = Path(upload_dir) / name
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def forget_older_than(path: Path, seconds: int) -> None:
    """Remove what was written into `path` more than `seconds` ago. Ages are measured by the
    file system's own clock, not this host's: on an upload directory shared over NFS by
    several app servers the server stamps the files, and a host whose clock ran a day ahead
    would otherwise remove an upload the moment it was kept. "Now" is the time stamped on a
    write into the folder (a touch would take the host's time); an empty folder, the usual
    state the admin's Beranda finds the imports in, is left without writing anything."""
    if next(path.iterdir(), None) is None:
        return
    with tempfile.NamedTemporaryFile(dir=path, prefix=".sekarang-") as marker:
        marker.write(b"1")
        marker.flush()
        limit = os.fstat(marker.fileno()).st_mtime - seconds
        for item in path.iterdir():
            try:
                if item.stat().st_mtime < limit:
                    item.unlink()
            except OSError:
                pass  # another request removed it first


class Spreadsheets:
    """Spreadsheets kept between an import's dry run and its confirmation, a folder per kind
    of import: under a random name carrying the uploader's id (another person's token finds
    nothing), with the name it was uploaded as, forgotten after a day."""
    EXTENSIONS = (".xlsx", ".csv")

    def __init__(self, name: str):
        self.name = name

    def keep(self, upload_dir, owner_id: int, filename: str, content: bytes) -> str:
        path = folder(upload_dir, self.name)
        forget_older_than(path, KEEP_SECONDS)
        token = secrets.token_urlsafe(24)
        extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
        (path / f"{owner_id}-{token}{extension}").write_bytes(content)
        (path / f"{owner_id}-{token}.name").write_text(filename, encoding="utf-8")
        return token

    def kept(self, upload_dir, owner_id: int, token: str) -> tuple[Path, str] | None:
        """(path, name it was uploaded as) of this owner's kept file, or None."""
        if not re.match(TOKEN_PATTERN, token or ""):
            return None
        stem = folder(upload_dir, self.name) / f"{int(owner_id)}-{token}"
        for extension in self.EXTENSIONS:
            path = stem.with_suffix(extension)
            if path.is_file():
                try:
                    filename = stem.with_suffix(".name").read_text(encoding="utf-8")
                except OSError:
                    filename = path.name
                return path, filename
        return None

    @staticmethod
    def discard(path: Path) -> None:
        path.unlink(missing_ok=True)
        path.with_suffix(".name").unlink(missing_ok=True)
