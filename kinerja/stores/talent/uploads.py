"""An uploaded potential-score file kept between its dry run and its confirmation: under a
random name carrying the uploader's id, outside static/, forgotten after a day."""
import re
import secrets
from pathlib import Path

from .. import kept as kept_files

KEEP_SECONDS = 24 * 3600
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{32}$"


def _folder(upload_dir) -> Path:
    return kept_files.folder(upload_dir, "talent")


def keep(upload_dir, owner_id: int, filename: str, content: bytes) -> str:
    folder = _folder(upload_dir)
    kept_files.forget_older_than(folder, KEEP_SECONDS)
    token = secrets.token_urlsafe(24)
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    (folder / f"{int(owner_id)}-{token}{extension}").write_bytes(content)
    return token


def kept(upload_dir, owner_id: int, token: str) -> Path | None:
    if not re.match(TOKEN_PATTERN, token or ""):
        return None
    for extension in (".xlsx", ".csv"):
        path = _folder(upload_dir) / f"{int(owner_id)}-{token}{extension}"
        if path.exists():
            return path
    return None


def discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass  # another request removed it first
