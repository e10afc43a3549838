"""An attendance file kept between its dry run and its confirmation: under a random name
carrying the uploader's id, outside static/, forgotten after a day."""
import re
import secrets
from pathlib import Path

from .. import kept as kept_files

KEEP_SECONDS = 24 * 3600
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{32}$"
EXTENSIONS = (".xlsx", ".csv")


def _folder(upload_dir) -> Path:
    return kept_files.folder(upload_dir, "attendance-imports")


def keep(upload_dir, owner_id: int, filename: str, content: bytes) -> str:
    folder = _folder(upload_dir)
    kept_files.forget_older_than(folder, KEEP_SECONDS)
    token = secrets.token_urlsafe(24)
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    (folder / f"{owner_id}-{token}{extension}").write_bytes(content)
    (folder / f"{owner_id}-{token}.name").write_text(filename, encoding="utf-8")
    return token


def kept(upload_dir, owner_id: int, token: str) -> tuple[Path, str] | None:
    """(path, name it was uploaded as) of this owner's kept file, or None (another person's
    token finds nothing)."""
    if not re.match(TOKEN_PATTERN, token or ""):
        return None
    stem = _folder(upload_dir) / f"{int(owner_id)}-{token}"
    for extension in EXTENSIONS:
        path = stem.with_suffix(extension)
        if path.is_file():
            try:
                filename = stem.with_suffix(".name").read_text(encoding="utf-8")
            except OSError:
                filename = path.name
            return path, filename
    return None


def discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_suffix(".name").unlink(missing_ok=True)
