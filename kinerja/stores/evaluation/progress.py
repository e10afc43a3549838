"""Progress against a plan: the indicators across plan revisions, what their entries realise,
and the entries themselves with their evidence files."""
import math
import secrets
from dataclasses import dataclass
from pathlib import Path

from ...models import (
    AuditLog, Employee, Evaluation, Evidence, Feedback, Indicator, ProgressEntry, Rhk, Skp, db,
)
from ...rules import DomainError
from ...rules import evaluation as rules
from ...rules.evidence import INLINE
from ..skp.plans import load_rhks, target_label

LOCKED_DAY = ("Evaluasi periode tanggal ini sudah diajukan atau ditetapkan; progres tidak dapat "
              "ditambahkan lagi.")
LOCKED_ENTRY = "Progres ini sudah masuk evaluasi yang diajukan atau ditetapkan; tidak dapat dihapus."


def paging(total: int, number: int, per_page: int) -> dict:
    """The page asked for, kept within the pages there are."""
    pages = max(1, math.ceil(total / per_page))
    return {"number": min(max(1, number), pages), "pages": pages, "total": total}


# --- Indicators across revisions and the progress they gathered ----------------------------

def indicator_lineage(skp) -> dict[int, int]:
    """{indicator id in this or an earlier revision: the indicator of this revision}, so the
    progress recorded under an earlier approved revision counts for the revised plan."""
    rows = list(Indicator.select(Indicator.id, Indicator.origin, Rhk.skp)
                .join(Rhk).join(Skp)
                .where((Skp.employee == skp.employee_id) & (Skp.year == skp.year_id)).tuples())
    origin = {ind_id: origin_id for ind_id, origin_id, _ in rows}
    lineage = {}
    for ind_id, _, skp_id in rows:
        if skp_id != skp.id:
            continue
        current, seen = ind_id, set()
        while current is not None and current not in seen:
            seen.add(current)
            lineage[current] = ind_id
            current = origin.get(current)
    return lineage


def progress_values(employee_id, lineage: dict, starts=None, ends=None) -> dict[int, list]:
    """{current indicator id: [(day, quantity)]} of the employee's entries in the range."""
    query = (ProgressEntry.select(ProgressEntry.indicator, ProgressEntry.day, ProgressEntry.quantity)
             .where((ProgressEntry.employee == employee_id)
                    & ProgressEntry.indicator.in_(list(lineage) or [0])))
    if starts:
        query = query.where(ProgressEntry.day >= starts)
    if ends:
        query = query.where(ProgressEntry.day <= ends)
    values = {}
    for indicator_id, day, quantity in query.tuples():
        values.setdefault(lineage[indicator_id], []).append((day, quantity))
    return values


@dataclass
class IndicatorProgress:
    indicator: Indicator
    rhk: Rhk
    target: str
    target_number: object
    quantitative: bool
    entries: int = 0
    realised: object = None
    # In a periodic evaluation: the period's share of the target, and the year so far.
    period_target: object = None
    cumulative: object = None

    @property
    def achievement(self):
        return rules.achievement(self.realised, self.target_number) if self.quantitative else None

    @property
    def period_achievement(self):
        return rules.achievement(self.realised, self.period_target) if self.quantitative else None

    @property
    def cumulative_achievement(self):
        return rules.achievement(self.cumulative, self.target_number) if self.quantitative else None


def plan_progress(skp, starts=None, ends=None) -> tuple[list, dict]:
    """(RHK with `.indicator_list`, {indicator id: IndicatorProgress}) of a plan in a range."""
    rhks = load_rhks([skp.id])
    lineage = indicator_lineage(skp)
    values = progress_values(skp.employee_id, lineage, starts, ends)
    progress = {}
    for rhk in rhks:
        for ind in rhk.indicator_list:
            quantitative = skp.approach == "kuantitatif" and ind.target_min is not None
            vals = values.get(ind.id, [])
            progress[ind.id] = IndicatorProgress(
                ind, rhk, target_label(skp.approach, ind),
                ind.target_max if ind.target_max is not None else ind.target_min, quantitative,
                len(vals), rules.realisation(ind.aspect, vals) if quantitative else None)
    return rhks, progress


def indicator_choices(skp) -> list[tuple[int, str]]:
    return [(ind.id, f"{rhk.kind_label}: {rhk.text} — {ind.text} ({target_label(skp.approach, ind)})")
            for rhk in load_rhks([skp.id]) for ind in rhk.indicator_list]


# --- Progress entries and their evidence ------------------------------------------------------

def timeline_page(employee_id, number: int, per_page: int) -> tuple[list, dict]:
    """One page of an employee's entries, newest first, and where it stands among the pages."""
    page = paging(ProgressEntry.select().where(ProgressEntry.employee == employee_id).count(),
                  number, per_page)
    return timeline(employee_id, per_page, (page["number"] - 1) * per_page), page


def timeline(employee_id, limit: int = 50, offset: int = 0) -> list:
    """An employee's entries, newest first, with indicator, RHK, evidence and feedback counts
    (three queries). Each entry gets `.evidence_list` and `.thread`."""
    entries = list(ProgressEntry.select(ProgressEntry, Indicator, Rhk)
                   .join(Indicator).join(Rhk)
                   .where(ProgressEntry.employee == employee_id)
                   .order_by(ProgressEntry.day.desc(), ProgressEntry.id.desc())
                   .limit(limit).offset(offset))
    attach_evidence_and_threads(entries)
    return entries


def attach_evidence_and_threads(entries) -> None:
    by_id = {e.id: e for e in entries}
    for entry in entries:
        entry.evidence_list, entry.thread = [], []
    if not by_id:
        return
    for item in Evidence.select().where(Evidence.entry.in_(list(by_id))).order_by(Evidence.id):
        by_id[item.entry_id].evidence_list.append(item)
    for note in (Feedback.select(Feedback, Employee).join(Employee, on=(Feedback.author == Employee.id))
                 .where(Feedback.entry.in_(list(by_id))).order_by(Feedback.created_at, Feedback.id)):
        by_id[note.entry_id].thread.append(note)


def day_locked(employee_id, day) -> bool:
    """A day inside a period whose evaluation is submitted or decided belongs to the record."""
    return (Evaluation.select().where(
        (Evaluation.employee == employee_id) & (Evaluation.starts <= day)
        & (Evaluation.ends >= day) & (Evaluation.status.not_in(rules.EDITABLE_STATES)))
        .exists())


def entry_locked(entry) -> bool:
    """An entry already counted in a submitted or decided evaluation is part of the record."""
    return day_locked(entry.employee_id, entry.day)


def _evidence_folder(upload_dir: str) -> Path:
    return Path(upload_dir) / "evidence"


def _store_file(upload_dir: str, ext: str, data: bytes) -> str:
    folder = _evidence_folder(upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    with open(folder / name, "xb") as fh:
        fh.write(data)
    return name


def _said(entry) -> dict:
    """What the audit row keeps of an entry."""
    return {"day": entry.day, "indicator": entry.indicator_id, "description": entry.description,
            "quantity": entry.quantity}


def add_progress(actor, employee, skp, indicator_id, day, start_time, end_time, description,
                 quantity, link="", upload=None, upload_dir=""):
    """Record an entry, audited with it; `upload` is (filename shown, extension, mime, bytes)
    already checked. The file is written first and removed again when the entry is refused
    or not saved."""
    stored = _store_file(upload_dir, upload[1], upload[3]) if upload else None
    try:
        with db.atomic():
            if day_locked(employee.id, day):
                raise DomainError(LOCKED_DAY, field="day")
            entry = ProgressEntry.create(employee=employee.id, skp=skp.id, indicator=indicator_id,
                                         day=day, start_time=start_time, end_time=end_time,
                                         description=description, quantity=quantity)
            if link:
                Evidence.create(entry=entry.id, kind="link", url=link, filename="")
            if upload:
                Evidence.create(entry=entry.id, kind="file", stored_name=stored,
                                filename=upload[0], mime=upload[2], size=len(upload[3]))
            AuditLog.record(actor, "create", "progress_entry", entry.id,
                            f"Progres {day.isoformat()} dicatat: {description}",
                            after=_said(entry), unit=employee.unit_id)
    except Exception:
        if stored:
            (_evidence_folder(upload_dir) / stored).unlink(missing_ok=True)
        raise
    return entry


def delete_progress(actor, entry_id, upload_dir: str) -> None:
    """Remove an entry with its evidence and feedback, unless an evaluation has counted it;
    the audit row keeps what the entry said."""
    with db.atomic():
        entry = ProgressEntry.get_or_none(ProgressEntry.id == entry_id)
        if entry is None:
            return
        if entry_locked(entry):
            raise DomainError(LOCKED_ENTRY)
        files = [e.stored_name for e in entry.evidence if e.kind == "file" and e.stored_name]
        Feedback.delete().where(Feedback.entry == entry.id).execute()
        Evidence.delete().where(Evidence.entry == entry.id).execute()
        AuditLog.record(actor, "delete", "progress_entry", entry.id,
                        f"Progres {entry.day.isoformat()} dihapus: {entry.description}",
                        before=_said(entry), unit=entry.employee.unit_id)
        entry.delete_instance()
    for name in files:
        (_evidence_folder(upload_dir) / name).unlink(missing_ok=True)


def evidence_file(evidence_id):
    """An uploaded evidence row with its entry (None for a link or an unknown id)."""
    return (Evidence.select(Evidence, ProgressEntry).join(ProgressEntry)
            .where((Evidence.id == evidence_id) & (Evidence.kind == "file")).first())


def evidence_path(upload_dir: str, evidence) -> Path | None:
    """The stored file of an evidence row, only if it lies inside the upload folder."""
    folder = _evidence_folder(upload_dir).resolve()
    path = (folder / evidence.stored_name).resolve()
    if not evidence.stored_name or not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


def serve_inline(evidence) -> bool:
    return evidence.stored_name.rsplit(".", 1)[-1] in INLINE
