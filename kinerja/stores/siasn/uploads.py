"""The uploaded file, kept between the dry run and its confirmation: under a random name that
carries the uploader's id, in a folder outside static/, forgotten after a day."""
import json
import os
import re
import secrets
from pathlib import Path

from .. import kept as kept_files

# An uploaded file waits this long for its confirmation.
KEEP_SECONDS = 24 * 3600
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{32}$"


def _folder(upload_dir) -> Path:
    return kept_files.folder(upload_dir, "imports")


def keep(upload_dir, owner_id: int, filename: str, content: bytes) -> str:
    """Keep the file for its owner; returns the token that finds it again."""
    folder = _folder(upload_dir)
    kept_files.forget_older_than(folder, KEEP_SECONDS)
    token = secrets.token_urlsafe(24)
    stem = folder / f"{owner_id}-{token}"
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    stem.with_suffix(extension).write_bytes(content)
    stem.with_suffix(".json").write_text(json.dumps({"filename": filename}), encoding="utf-8")
    return token


def kept(upload_dir, owner_id: int, token: str) -> tuple[Path, str] | None:
    """(path, original name) of this owner's upload, or None."""
    if not re.match(TOKEN_PATTERN, token or ""):
        return None
    stem = _folder(upload_dir) / f"{owner_id}-{token}"
    try:
        filename = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))["filename"]
    except (OSError, ValueError, KeyError):
        return None
    for extension in (".xlsx", ".csv"):
        if stem.with_suffix(extension).exists():
            return stem.with_suffix(extension), filename
    return None


def waiting(upload_dir, owner_id: int) -> list[tuple[str, str, float]]:
    """(token, original name, time kept) of this owner's uploads still waiting for their
    confirmation, the newest first."""
    folder = _folder(upload_dir)
    kept_files.forget_older_than(folder, KEEP_SECONDS)
    found = []
    for meta in folder.glob(f"{int(owner_id)}-*.json"):
        token = meta.stem.split("-", 1)[1]
        try:
            filename = json.loads(meta.read_text(encoding="utf-8"))["filename"]
            when = meta.stat().st_mtime
        except (OSError, ValueError, KeyError):
            continue
        if re.match(TOKEN_PATTERN, token):
            found.append((token, filename, when))
    return sorted(found, key=lambda item: -item[2])


def discard(path: Path) -> None:
    for item in (path, path.with_suffix(".json")):
        try:
            os.unlink(item)
        except OSError:
            pass
