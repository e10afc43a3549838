"""Paper questionnaires: typed one by one, or imported from a spreadsheet in two steps.

The import is checked in full first (a dry run listing every bad row); the uploaded file
waits in the upload folder (passed in by the caller) under a random name until staff
confirm, then it is checked again and every row is written in one transaction or none is.
Every row written passes the `survey_tally` triggers (see stats.py) in that transaction.
"""
import datetime
import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from ...models import AuditLog, Service, ServiceUnit, SurveyPeriod, SurveyResponse, db
from ...rules import DomainError, ikm
from ...rules.survey_entry import COLUMNS, check_headers, normalise_name, parse_row
from ...rules.survey_periods import period_for
from ...spreadsheets import SpreadsheetError, read_rows, xlsx_bytes
from .. import kept
from ..chunks import chunks

MAX_ROWS = 20000
PENDING = "skm-import"
PENDING_HOURS = 24
TOKEN = re.compile(r"^[0-9a-f]{32}$")
CHUNK = 300  # rows per INSERT: 27 columns × 300 stays far below SQLite's variable limit


def paper_moment(day: datetime.date) -> datetime.datetime:
    """A questionnaire's date as a stored (UTC) time: 05.00 UTC, noon in WIB and the
    afternoon in WITA and WIT, so that the date reads the same in UTC and in every zone."""
    return datetime.datetime(day.year, day.month, day.day, 5, 0)


OUTSIDE_PERIODS = ("Tanggal ini di luar semua periode survei unit ini; buat periodenya "
                   "terlebih dahulu.")


def save_paper(actor, su: ServiceUnit, day: datetime.date, values: dict) -> SurveyResponse:
    """One questionnaire typed by staff: valid at once (staff saw the paper), source paper,
    in the period its date falls in (DomainError on `answered_on` when there is none)."""
    # Found before the transaction (see units.py on reading before writing): a period's
    # dates never change once it exists.
    period = period_for(day, SurveyPeriod.select().where(SurveyPeriod.service_unit == su))
    if period is None:
        raise DomainError(OUTSIDE_PERIODS, field="answered_on")
    with db.atomic():
        return SurveyResponse.create(service_unit=su, period=period, submitted_at=paper_moment(day),
                                     source="paper", status="valid", entered_by=actor.id,
                                     **values)


def paper_count(actor, su: ServiceUnit) -> int:
    return (SurveyResponse.select().where((SurveyResponse.service_unit == su)
                                          & (SurveyResponse.entered_by == actor.id)
                                          & (SurveyResponse.source == "paper")).count())


# --- Import -------------------------------------------------------------------------------

@dataclass
class DryRun:
    filename: str
    problems: list = field(default_factory=list)   # the file as a whole
    good: list = field(default_factory=list)       # ParsedRow without errors
    bad: list = field(default_factory=list)        # ParsedRow with errors
    duplicate: AuditLog | None = None
    sha256: str = ""
    token: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not self.bad and bool(self.good) and self.duplicate is None

    @property
    def tally(self) -> ikm.Tally:
        return ikm.tally(row.values for row in self.good)


def check(su: ServiceUnit, filename: str, data: bytes, today: datetime.date) -> DryRun:
    """Read and check every row; nothing is written."""
    run = DryRun(filename=filename, sha256=hashlib.sha256(data).hexdigest())
    try:
        headers, rows = read_rows(filename, data, max_rows=MAX_ROWS)
    except SpreadsheetError as exc:
        run.problems.append(str(exc))
        return run
    run.problems.extend(check_headers(headers))
    if run.problems:
        return run
    if not rows:
        run.problems.append("Berkas tidak memuat baris data di bawah baris judul kolom.")
        return run
    services = {normalise_name(s.name): s.id
                for s in Service.select().where(Service.service_unit == su)}
    periods = list(SurveyPeriod.select().where(SurveyPeriod.service_unit == su))
    for row in rows:
        parsed = parse_row(row.line, row.cells, services=services, periods=periods, today=today)
        if row.problem:
            parsed.errors.append(row.problem)
        (run.bad if parsed.errors else run.good).append(parsed)
    run.duplicate = _duplicate(su, run.sha256)
    return run


def _duplicate(su: ServiceUnit, sha256: str) -> AuditLog | None:
    """The audit row of an earlier import of the same file into this unit."""
    return (AuditLog.select().where(
        (AuditLog.action == "import_paper") & (AuditLog.entity == "service_unit")
        & (AuditLog.entity_id == su.id) & AuditLog.after.contains(sha256)).first())


def _pending_dir(upload_dir: str) -> Path:
    path = Path(upload_dir) / PENDING
    path.mkdir(parents=True, exist_ok=True)
    return path


def stash(upload_dir: str, su: ServiceUnit, actor, filename: str, data: bytes) -> str:
    """Keep the checked file until it is confirmed; returns the token naming it."""
    folder = _pending_dir(upload_dir)
    kept.forget_older_than(folder, PENDING_HOURS * 3600)
    token = secrets.token_hex(16)
    (folder / f"{token}.bin").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps(
        {"service_unit": su.id, "user": actor.id, "filename": filename}))
    return token


def unstash(upload_dir: str, token: str, su: ServiceUnit, actor) -> tuple[str, bytes] | None:
    """(filename, data) of a pending file this user uploaded for this unit, else None."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    folder = _pending_dir(upload_dir)
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("service_unit") != su.id or meta.get("user") != actor.id:
        return None
    return meta.get("filename", "impor.csv"), data


def discard(upload_dir: str, token: str) -> None:
    if TOKEN.match(token or ""):
        folder = _pending_dir(upload_dir)
        for suffix in (".bin", ".json"):
            (folder / f"{token}{suffix}").unlink(missing_ok=True)


def confirm(actor, su: ServiceUnit, upload_dir: str, token: str,
            today: datetime.date) -> DryRun | None:
    """Write a pending file this user checked for this unit: None when there is none (gone,
    or saved already), else its run, checked again (a period or service may have changed
    since the dry run); nothing is written unless `run.ok`."""
    pending = unstash(upload_dir, token, su, actor)
    if pending is None:
        return None
    run = check(su, *pending, today)
    if run.ok:
        _commit(actor, su, run)
        discard(upload_dir, token)
    return run


def _commit(actor, su: ServiceUnit, run: DryRun) -> None:
    """Every good row of a clean dry run in one transaction, with one audit row."""
    fields = ["service_unit", "period", "service", "submitted_at", *ikm.ELEMENT_CODES, "age",
              "sex", "education", "occupation", "suggestion", "source", "status", "entered_by"]
    rows = []
    for parsed in run.good:
        values = parsed.values
        rows.append([su.id, values["period"], values["service"],
                     paper_moment(values["answered_on"]),
                     *(values[c] for c in ikm.ELEMENT_CODES), values["age"], values["sex"],
                     values["education"], values["occupation"], values["suggestion"],
                     "paper", "valid", actor.id])
    columns = [getattr(SurveyResponse, name) for name in fields]
    with db.atomic():
        for chunk in chunks(rows, CHUNK):
            SurveyResponse.insert_many(chunk, fields=columns).execute()
        # After the writes, so that a second click on "Simpan" that ran alongside sees the
        # first one's audit row (see units.py on reading before writing).
        if _duplicate(su, run.sha256) is not None:
            raise DomainError("Berkas yang sama persis sudah diimpor; tidak diimpor dua kali.")
        AuditLog.record(actor, "import_paper", "service_unit", su.id,
                        f"{len(rows)} kuesioner kertas {su.name} diimpor dari {run.filename}",
                        after={"rows": len(rows), "file": run.filename, "sha256": run.sha256},
                        unit=su.unit_id)


def template_xlsx(su: ServiceUnit) -> bytes:
    """The import template: the columns on the first sheet, the rules on a second one
    (read_rows reads only the first sheet, so the notes are never imported)."""
    services = [s.name for s in Service.select().where(
        (Service.service_unit == su) & Service.active).order_by(Service.name)]
    notes = [
        ["tanggal", "wajib", "tanggal kuesioner: 2026-07-15 atau 15/07/2026; harus di dalam "
                             "salah satu periode survei unit ini"],
        ["layanan", "boleh kosong", "salah satu: " + "; ".join(services) if services
         else "belum ada jenis layanan di unit ini"],
        *[[e.code, "boleh kosong", f"{e.label} {e.name}: 1, 2, 3 atau 4"] for e in ikm.ELEMENTS],
        ["umur", "boleh kosong", f"angka {ikm.AGE_MIN}–{ikm.AGE_MAX}"],
        ["jenis_kelamin", "boleh kosong", "L atau P"],
        ["pendidikan", "boleh kosong", ", ".join(ikm.EDUCATIONS)],
        ["pekerjaan", "boleh kosong", ", ".join(ikm.OCCUPATIONS)],
        ["saran", "boleh kosong", f"teks, paling panjang {ikm.SUGGESTION_MAX} karakter"],
    ]
    return xlsx_bytes({"Kuesioner": (COLUMNS, []),
                       "Petunjuk": (["kolom", "isian", "keterangan"], notes)})
