"""One archive holds everything a regency needs to come back: the SQLite database (taken
with SQLite's online backup, so the server keeps serving), the uploaded evidence, and the
secret key that signs sessions, survey stamps and device cookies.

The archive carries a manifest with a SHA-256 per member; a restore checks every member
against it and runs SQLite's integrity check on the database before it touches anything,
and keeps what it replaces beside it instead of deleting it.
"""
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import clock

MANIFEST = "MANIFEST.json"
DATABASE = "kinerja.sqlite3"
SECRET_KEY = "secret_key"
UPLOADS = "uploads"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass
class Restored:
    database: Path
    uploads: int
    secret_key: bool
    kept: list[Path]
    created: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _archive_path(dest: Path) -> Path:
    if dest.is_dir():
        stamp = clock.now().strftime("%Y-%m-%d-%H%M%S")
        return dest / f"kinerja-{stamp}.tar.gz"
    if not dest.parent.is_dir():
        raise BackupError(f"Folder tujuan {dest.parent} tidak ada.")
    return dest


def _check_database(path: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
            connection.execute("SELECT count(*) FROM schema_migration").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Basis data di dalam arsip rusak atau bukan basis data Kinerja: {exc}")
    if result != "ok":
        raise BackupError(f"Pemeriksaan integritas basis data gagal: {result}")


def create(database: Path, upload_dir: Path, secret_key: Path | None, dest: Path) -> Path:
    """Write one .tar.gz; safe while the server is running."""
    if not database.exists():
        raise BackupError(f"Basis data {database} tidak ditemukan.")
    archive = _archive_path(dest)
    with tempfile.TemporaryDirectory(prefix="kinerja-backup-") as scratch:
        copy = Path(scratch) / DATABASE
        source = sqlite3.connect(database)
        target = sqlite3.connect(copy)
        try:
            # The online backup copies a consistent snapshot while writers carry on.
            source.backup(target)
        finally:
            target.close()
            source.close()
        _check_database(copy)

        members: dict[str, Path] = {DATABASE: copy}
        if secret_key is not None and secret_key.exists():
            members[SECRET_KEY] = secret_key
        if upload_dir.is_dir():
            for path in sorted(upload_dir.rglob("*")):
                if path.is_file():
                    members[f"{UPLOADS}/{path.relative_to(upload_dir).as_posix()}"] = path
        taken = clock.now()
        manifest = {
            "format": FORMAT,
            "created": taken.isoformat(timespec="seconds"),
            "files": {name: {"sha256": _sha256(path), "size": path.stat().st_size}
                      for name, path in members.items()},
        }
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(taken.timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        # A half-written archive never carries the final name.
        os.replace(partial, archive)
    return archive


def _extract_checked(archive: Path, into: Path) -> dict:
    try:
        tar = tarfile.open(archive, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"Arsip tidak dapat dibaca: {exc}")
    with tar:
        try:
            manifest_member = tar.getmember(MANIFEST)
            manifest = json.load(tar.extractfile(manifest_member))
            files = manifest["files"]
        except (KeyError, ValueError, TypeError, tarfile.TarError):
            raise BackupError("Arsip ini bukan cadangan Kinerja (MANIFEST.json tidak ada atau rusak).")
        if manifest.get("format") != FORMAT or DATABASE not in files:
            raise BackupError("Format arsip cadangan tidak dikenal.")
        names = {member.name for member in tar.getmembers()} - {MANIFEST}
        if names != set(files):
            missing = sorted(set(files) - names)
            extra = sorted(names - set(files))
            raise BackupError(f"Isi arsip tidak sesuai manifest (hilang: {missing}, lebih: {extra}).")
        # "data" refuses absolute paths, links out of the folder and device files.
        try:
            tar.extractall(into, members=[tar.getmember(name) for name in files], filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"Arsip tidak dapat dibuka: {exc}")
    for name, expected in files.items():
        if _sha256(into / name) != expected["sha256"]:
            raise BackupError(f"Berkas {name} di dalam arsip tidak cocok dengan checksum-nya.")
    _check_database(into / DATABASE)
    return manifest


def verify(archive: Path) -> dict:
    """Check an archive without restoring it; returns its manifest."""
    with tempfile.TemporaryDirectory(prefix="kinerja-verify-") as scratch:
        return _extract_checked(archive, Path(scratch))


def _set_aside(path: Path, stamp: str) -> Path | None:
    if not path.exists():
        return None
    kept = path.with_name(f"{path.name}.sebelum-pulih-{stamp}")
    os.replace(path, kept)
    return kept


def restore(archive: Path, database: Path, upload_dir: Path, secret_key: Path | None) -> Restored:
    """Replace the database, uploads and key with the archive's, after checking it whole.

    Run with the server stopped: a worker holding the old database open would keep
    writing to the file set aside.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    # Extract next to the target so the final moves are renames on one file system.
    with tempfile.TemporaryDirectory(prefix=".kinerja-restore-", dir=database.parent) as scratch:
        staged = Path(scratch)
        manifest = _extract_checked(archive, staged)
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        kept = []
        for suffix in ("-wal", "-shm"):
            stale = database.with_name(database.name + suffix)
            if stale.exists():
                kept.append(_set_aside(stale, stamp))
        kept.append(_set_aside(database, stamp))
        shutil.move(staged / DATABASE, database)
        uploads = staged / UPLOADS
        upload_count = 0
        kept.append(_set_aside(upload_dir, stamp))
        if uploads.is_dir():
            upload_count = sum(1 for p in uploads.rglob("*") if p.is_file())
            upload_dir.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(uploads, upload_dir)
        else:
            upload_dir.mkdir(parents=True, exist_ok=True)
        restored_key = False
        if secret_key is not None and (staged / SECRET_KEY).exists():
            kept.append(_set_aside(secret_key, stamp))
            shutil.move(staged / SECRET_KEY, secret_key)
            os.chmod(secret_key, 0o600)
            restored_key = True
    return Restored(database=database, uploads=upload_count, secret_key=restored_key,
                    kept=[path for path in kept if path is not None], created=manifest["created"])
