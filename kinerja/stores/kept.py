"""Files kept for a while under the upload directory (an import waiting for its confirmation,
a finished export): their folder, outside static/ and readable by the app alone, and the
clearing of those older than a day."""
import time
from pathlib import Path


def folder(upload_dir, name: str) -> Path:
    path = Path(upload_dir) / name
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def forget_older_than(path: Path, seconds: int) -> None:
    limit = time.time() - seconds
    for item in path.iterdir():
        try:
            if item.stat().st_mtime < limit:
                item.unlink()
        except OSError:
            pass  # another request removed it first
