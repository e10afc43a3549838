"""Long work done by the worker instead of in a request: downloads (the whole regency's
recap) built as a file kept under a random name for a day, downloaded only by its owner; and
writes (a large import confirmed after its dry run) that end on the page of their result.
Started by its owner, run by a job that reports its progress.

A build either finishes or leaves nothing: the file is written beside its final name and
renamed into place only when complete; a failure keeps the reason for the page, which
offers to try again."""
import json
import logging
import os
import secrets
from pathlib import Path

from ..models import AuditLog, ExportJob, db, utcnow
from . import kept

log = logging.getLogger("kinerja.exports")
KEEP_SECONDS = 24 * 3600
# {kind: builder(params, progress) -> (bytes, filename) or Outcome}, registered by the module
# that builds each (the regency recap, a unit's SKP documents, the SIASN import) when it is
# imported: the app imports every area when it is created, in the worker as in the web process.
BUILDERS: dict = {}


class Outcome:
    """What a job that writes returns: the page of its result and one sentence about it."""

    def __init__(self, link: str, note: str):
        self.link, self.note = link, note


class Refused(Exception):
    """A job that found it must not write (the data changed since the dry run, bad rows the
    user did not choose to skip): the reason as the user reads it and where to check again.
    Trying again cannot help, so the page offers that link instead."""

    def __init__(self, message: str, link: str):
        super().__init__(message)
        self.message, self.link = message, link


def requester(params: dict, allowed, link: str):
    """The account that asked for a job, checked again when the worker runs it: a job queued
    just before its requester was deactivated or lost the role must not make the file."""
    from ..models import User
    actor = User.get_or_none(User.id == params.get("owner"))
    if actor is None or not actor.active:
        raise Refused("Akun yang meminta berkas ini tidak lagi aktif.", link)
    if not allowed(actor):
        raise Refused("Akun yang meminta berkas ini tidak lagi berhak atasnya.", link)
    return actor


def builder(kind: str):
    def register(build):
        BUILDERS[kind] = build
        return build
    return register


def _folder(upload_dir) -> Path:
    return kept.folder(upload_dir, "exports")


def start(actor, kind: str, params: dict, title: str) -> ExportJob:
    """A new job for `actor`; the caller queues it once this has committed."""
    if kind not in BUILDERS:
        raise ValueError(f"unknown export {kind!r}")
    with db.atomic():
        job = ExportJob.create(owner=actor.id, kind=kind, params=json.dumps(params), title=title[:200])
        AuditLog.record(actor, "export", "export_job", job.id, f"Meminta {title}"[:255])
    return job


def of_owner(owner_id, job_id) -> ExportJob | None:
    return ExportJob.get_or_none((ExportJob.id == job_id) & (ExportJob.owner == owner_id))


def retry(owner_id, job_id) -> ExportJob | None:
    """A failed job set to run again (None when it is not this owner's failed job, or one
    that refused to write: running it again would refuse again)."""
    with db.atomic():
        changed = (ExportJob.update(state="queued", progress=0, error="", finished_at=None)
                   .where((ExportJob.id == job_id) & (ExportJob.owner == owner_id)
                          & (ExportJob.state == "failed") & (ExportJob.link == "")).execute())
    return of_owner(owner_id, job_id) if changed else None


def file_of(job: ExportJob, upload_dir) -> Path | None:
    if job.state != "done" or not job.stored_name:
        return None
    path = _folder(upload_dir) / job.stored_name
    return path if path.exists() else None


def run(job_id: int, upload_dir) -> None:
    """Build the job's file (the worker's side). Claimed with a conditional update, so a job
    queued twice is built once."""
    claimed = (ExportJob.update(state="running", progress=0)
               .where((ExportJob.id == job_id) & (ExportJob.state == "queued")).execute())
    if not claimed:
        return
    job = ExportJob.get_by_id(job_id)
    folder = _folder(upload_dir)
    kept.forget_older_than(folder, KEEP_SECONDS)
    stored = f"{secrets.token_urlsafe(24)}.bin"
    partial = folder / f"{stored}.part"

    def progress(done: int, total: int) -> None:
        percent = min(99, int(done * 100 / total)) if total else 0
        ExportJob.update(progress=percent).where(ExportJob.id == job_id).execute()

    try:
        outcome = BUILDERS[job.kind](json.loads(job.params), progress)
        if isinstance(outcome, Outcome):
            ExportJob.update(state="done", progress=100, link=outcome.link[:300], note=outcome.note[:500],
                             finished_at=utcnow()).where(ExportJob.id == job_id).execute()
            return
        data, filename = outcome
        partial.write_bytes(data)
        os.replace(partial, folder / stored)
    except Refused as refusal:
        ExportJob.update(state="failed", error=refusal.message[:500], link=refusal.link[:300],
                         finished_at=utcnow()).where(ExportJob.id == job_id).execute()
        return
    except Exception as exc:  # noqa: BLE001 - whatever failed, the owner sees why and may retry
        log.exception("Ekspor %s gagal", job_id)
        partial.unlink(missing_ok=True)
        ExportJob.update(state="failed", error=f"{type(exc).__name__}: {exc}"[:500],
                         finished_at=utcnow()).where(ExportJob.id == job_id).execute()
        return
    ExportJob.update(state="done", progress=100, stored_name=stored, filename=filename[:150],
                     finished_at=utcnow()).where(ExportJob.id == job_id).execute()
