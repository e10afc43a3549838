"""The good-practice library: writing a practice with its co-authors, themes and attachments,
its review by the head of the unit, and the library's reading, marks and questions."""
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from peewee import JOIN, IntegrityError

from ..models import (
    AuditLog, Employee, Position, Practice, PracticeAttachment, PracticeAuthor, PracticeQuestion,
    PracticeTheme, PracticeUseful, Unit, User, db, utcnow,
)
from ..paging import Page
from ..rules import DomainError
from ..rules import practices as rules
from ..rules.evidence import INLINE
from .notifications import actor_name, excerpt, notify

# A structural post heads its unit when the post above it lies in another unit (or there is
# none): a Kepala Puskesmas under the Kepala Dinas, not a Sekretaris beside them.
STRUCTURAL = ("jpt_pratama", "administrator", "pengawas")
# Practices are announced with the other follow-up of performance (models.MAIL_KINDS).
NOTICE_KIND = "followup"


def practice_link(practice_id: int) -> str:
    return f"/praktik-baik/{practice_id}"


# --- Who heads a unit ---------------------------------------------------------------------

def head_chain(unit) -> list[tuple[int, int | None]]:
    """[(unit id, its head's employee id or None)] from `unit` up to its OPD (one query)."""
    ids = list(reversed(Unit.path_ids(unit.path))) or [unit.id]
    parent = Position.alias()
    heads = {}
    for employee_id, unit_id, parent_unit in (
            Employee.select(Employee.id, Position.unit, parent.unit)
            .join(Position, on=(Employee.position == Position.id))
            .join(parent, JOIN.LEFT_OUTER, on=(Position.parent == parent.id))
            .where(Employee.active & Position.active & Position.unit.in_(ids)
                   & Position.kind.in_(STRUCTURAL))
            .order_by(Employee.id).tuples()):
        if parent_unit != unit_id:
            heads.setdefault(unit_id, employee_id)
    return [(unit_id, heads.get(unit_id)) for unit_id in ids]


# --- Reading ------------------------------------------------------------------------------

@dataclass
class Detail:
    practice: Practice
    coauthors: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    questions: list = field(default_factory=list)

    @property
    def author_ids(self) -> list[int]:
        return [self.practice.author_id] + [e.id for e in self.coauthors]


def _with_people():
    """Practices with their unit and main author, one query."""
    return (Practice.select(Practice, Unit, Employee)
            .join(Unit, on=(Practice.unit == Unit.id))
            .switch(Practice).join(Employee, on=(Practice.author == Employee.id)))


def detail(practice_id) -> Detail | None:
    """A practice with all it shows (five queries), or None."""
    practice = _with_people().where(Practice.id == practice_id).first()
    if practice is None:
        return None
    found = Detail(practice)
    found.coauthors = list(Employee.select().join(PracticeAuthor, on=(PracticeAuthor.employee == Employee.id))
                           .where(PracticeAuthor.practice == practice.id).order_by(PracticeAuthor.id))
    found.themes = [t for (t,) in PracticeTheme.select(PracticeTheme.theme)
                    .where(PracticeTheme.practice == practice.id).tuples()]
    found.themes = [slug for slug in rules.THEMES if slug in found.themes]
    found.attachments = list(PracticeAttachment.select()
                             .where(PracticeAttachment.practice == practice.id)
                             .order_by(PracticeAttachment.id))
    asker_employee = Employee.alias()
    found.questions = list(PracticeQuestion.select(PracticeQuestion, User, asker_employee)
                           .join(User, on=(PracticeQuestion.asker == User.id))
                           .join(asker_employee, JOIN.LEFT_OUTER,
                                 on=(User.employee == asker_employee.id))
                           .where(PracticeQuestion.practice == practice.id)
                           .order_by(PracticeQuestion.created_at, PracticeQuestion.id))
    return found


def marked_useful(practice_id, account_id) -> bool:
    return PracticeUseful.select().where((PracticeUseful.practice == practice_id)
                                         & (PracticeUseful.account == account_id)).exists()


def useful_count(practice_id) -> int:
    row = Practice.select(Practice.useful_count).where(Practice.id == practice_id).first()
    return row.useful_count if row else 0


def attach_themes(practices) -> None:
    """Each practice gets `.theme_list` (one query for all of them)."""
    by_id = {p.id: p for p in practices}
    for practice in practices:
        practice.theme_list = []
    if not by_id:
        return
    found = {}
    for practice_id, theme in (PracticeTheme.select(PracticeTheme.practice, PracticeTheme.theme)
                               .where(PracticeTheme.practice.in_(list(by_id))).tuples()):
        found.setdefault(practice_id, set()).add(theme)
    for practice_id, themes in found.items():
        by_id[practice_id].theme_list = [slug for slug in rules.THEMES if slug in themes]


def library(words, theme: str, opd_id, number: int, per_page: int = 20) -> Page:
    """One page of the published practices, newest first, matching every word in the title
    or the text, the theme and the OPD (three queries whatever the page holds)."""
    query = _with_people().where(Practice.status == rules.PUBLISHED)
    for word in words:
        query = query.where(Practice.title.contains(word) | Practice.problem.contains(word)
                            | Practice.action.contains(word) | Practice.results.contains(word))
    if theme in rules.THEMES:
        query = query.where(Practice.id.in_(PracticeTheme.select(PracticeTheme.practice)
                                            .where(PracticeTheme.theme == theme)))
    if opd_id:
        query = query.where(Unit.path.startswith(f"/{int(opd_id)}/"))
    page = Page(query.order_by(Practice.published_at.desc(), Practice.id.desc()), number, per_page)
    attach_themes(page.items)
    return page


def opd_choices() -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in Unit.opds()]


def written_by(employee_id) -> list:
    """The practices the employee wrote or co-wrote, newest change first (two queries)."""
    coauthored = PracticeAuthor.select(PracticeAuthor.practice).where(
        PracticeAuthor.employee == employee_id)
    items = list(_with_people().where((Practice.author == employee_id)
                                      | Practice.id.in_(coauthored))
                 .order_by(Practice.updated_at.desc(), Practice.id.desc()))
    attach_themes(items)
    return items


def waiting_for(employee_id, is_admin: bool) -> list:
    """The submitted practices this person reviews: theirs as head of the unit, and for the
    admin BKPSDM those with no head to review them (two queries)."""
    condition = Practice.reviewer == employee_id if employee_id else None
    if is_admin:
        orphan = Practice.reviewer.is_null()
        condition = orphan if condition is None else (condition | orphan)
    if condition is None:
        return []
    items = list(_with_people().where((Practice.status == rules.SUBMITTED) & condition)
                 .order_by(Practice.submitted_at, Practice.id))
    attach_themes(items)
    return items


# --- Writing ------------------------------------------------------------------------------

@dataclass
class Draft:
    """What the writer typed, already checked by the form."""
    title: str
    problem: str
    action: str
    results: str
    themes: list
    coauthor_nips: list


def _coauthor_ids(nips: list[str], main_author_id: int) -> list[int]:
    if not nips:
        return []
    found = dict(Employee.select(Employee.nip, Employee.id)
                 .where(Employee.nip.in_(nips) & Employee.active).tuples())
    for nip in nips:
        if nip not in found:
            raise DomainError(f"NIP {nip} tidak ditemukan di antara pegawai aktif.",
                              field="coauthors")
    return [found[nip] for nip in nips if found[nip] != main_author_id]


def _said(practice, draft: Draft) -> dict:
    return {"title": practice.title, "status": practice.status, "themes": draft.themes,
            "coauthors": draft.coauthor_nips}


def _attachments_folder(upload_dir: str) -> Path:
    return Path(upload_dir) / "practices"


def _store_file(upload_dir: str, ext: str, data: bytes) -> str:
    folder = _attachments_folder(upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    with open(folder / name, "xb") as fh:
        fh.write(data)
    return name


def _submit_inside(actor, practice, author_ids) -> None:
    """Submit for review inside the caller's transaction: the head is found now, told, and
    kept on the practice as its reviewer."""
    problems = rules.submission_problems(practice.title, practice.problem, practice.action,
                                         practice.results, practice.theme_slugs)
    if problems:
        name, message = next(iter(problems.items()))
        raise DomainError(message, field=name)
    reviewer = rules.reviewer_for(head_chain(practice.unit), author_ids)
    now = utcnow()
    practice.status, practice.reviewer, practice.submitted_at = rules.SUBMITTED, reviewer, now
    practice.save()
    if reviewer:
        notify(reviewer, f"{practice.author.full_name} mengajukan praktik baik “"
               f"{excerpt(practice.title, 120)}” untuk Anda tinjau.",
               practice_link(practice.id), kind=NOTICE_KIND)


def save(actor, author, draft: Draft, *, practice_id=None, submit=False, upload=None,
         upload_dir="") -> Practice:
    """Create (no `practice_id`) or change a practice, optionally adding one checked file
    `upload` = (filename shown, extension, mime, bytes), and submit it when asked. The file is
    written first and removed again when the change is refused."""
    stored = _store_file(upload_dir, upload[1], upload[3]) if upload else None
    try:
        with db.atomic():
            if practice_id is None:
                practice = Practice(unit=author.unit_id, author=author.id)
                before = None
            else:
                practice = (Practice.select(Practice, Employee)
                            .join(Employee, on=(Practice.author == Employee.id))
                            .where(Practice.id == practice_id).first())
                if practice is None:
                    raise DomainError(rules.NOT_FOUND)
                refusal = rules.edit_refusal(practice.status, author.id, practice.author_id)
                if refusal:
                    raise DomainError(refusal)
                before = {"title": practice.title, "status": practice.status}
            if practice.unit_id is None:
                raise DomainError("Data pegawai Anda belum memiliki unit kerja; hubungi admin "
                                  "kepegawaian.")
            coauthors = _coauthor_ids(draft.coauthor_nips, author.id)
            practice.title, practice.problem = draft.title, draft.problem
            practice.action, practice.results = draft.action, draft.results
            practice.updated_at = utcnow()
            if practice.status == rules.RETURNED:
                practice.status = rules.DRAFT
            practice.save()
            PracticeTheme.delete().where(PracticeTheme.practice == practice.id).execute()
            for theme in draft.themes:
                PracticeTheme.create(practice=practice.id, theme=theme)
            PracticeAuthor.delete().where(PracticeAuthor.practice == practice.id).execute()
            for employee_id in coauthors:
                PracticeAuthor.create(practice=practice.id, employee=employee_id)
            if upload:
                PracticeAttachment.create(practice=practice.id, stored_name=stored,
                                          filename=upload[0], mime=upload[2], size=len(upload[3]))
            practice.theme_slugs = draft.themes
            if submit:
                _submit_inside(actor, practice, [author.id, *coauthors])
            AuditLog.record(actor, "create" if before is None else "update", "practice",
                            practice.id, f"Praktik baik “{practice.title}” "
                            f"{'diajukan' if submit else 'disimpan'}",
                            before=before, after=_said(practice, draft), unit=practice.unit_id)
    except Exception:
        if stored:
            (_attachments_folder(upload_dir) / stored).unlink(missing_ok=True)
        raise
    return practice


def delete_attachment(actor, attachment_id, upload_dir: str) -> Practice:
    """Remove a file from a practice its main author may still change."""
    with db.atomic():
        item = (PracticeAttachment.select(PracticeAttachment, Practice).join(Practice)
                .where(PracticeAttachment.id == attachment_id).first())
        if item is None:
            raise DomainError("Lampiran tidak ditemukan.")
        refusal = rules.edit_refusal(item.practice.status, actor.employee_id,
                                     item.practice.author_id)
        if refusal:
            raise DomainError(refusal)
        AuditLog.record(actor, "delete", "practice_attachment", item.id,
                        f"Lampiran “{item.filename}” dihapus dari praktik baik",
                        before={"practice": item.practice_id, "filename": item.filename},
                        unit=item.practice.unit_id)
        item.delete_instance()
    (_attachments_folder(upload_dir) / item.stored_name).unlink(missing_ok=True)
    return item.practice


def attachment(attachment_id):
    return (PracticeAttachment.select(PracticeAttachment, Practice).join(Practice)
            .where(PracticeAttachment.id == attachment_id).first())


def attachment_path(upload_dir: str, item) -> Path | None:
    """The stored file, only if it lies inside the upload folder."""
    folder = _attachments_folder(upload_dir).resolve()
    path = (folder / item.stored_name).resolve()
    if not item.stored_name or not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


def serve_inline(item) -> bool:
    return item.stored_name.rsplit(".", 1)[-1] in INLINE


def _authors_of(practice) -> list[int]:
    return [practice.author_id] + [e for (e,) in PracticeAuthor.select(PracticeAuthor.employee)
                                   .where(PracticeAuthor.practice == practice.id).tuples()]


# --- Review -------------------------------------------------------------------------------

def review(actor, practice_id, decision: str, note: str) -> Practice:
    """Publish a submitted practice or return it with a note; the authors are told."""
    with db.atomic():
        practice = Practice.get_or_none(Practice.id == practice_id)
        if practice is None:
            raise DomainError(rules.NOT_FOUND)
        refusal = rules.review_refusal(practice.status, actor.employee_id, practice.reviewer_id,
                                       actor.role == "admin")
        if refusal:
            raise DomainError(refusal)
        before = practice.status
        practice.status = rules.decide(practice.status, decision, note)
        now = utcnow()
        practice.review_note = (note or "").strip()
        practice.reviewed_at = now
        if practice.reviewer_id is None and actor.employee_id:
            practice.reviewer = actor.employee_id
        if practice.status == rules.PUBLISHED:
            practice.published_at = now
        practice.save()
        title = excerpt(practice.title, 120)
        text = (f"Praktik baik “{title}” diterbitkan dan kini dapat dibaca seluruh pegawai."
                if practice.status == rules.PUBLISHED else
                f"Praktik baik “{title}” dikembalikan untuk diperbaiki: {excerpt(note, 80)}")
        for author_id in _authors_of(practice):
            notify(author_id, text, practice_link(practice.id), kind=NOTICE_KIND)
        AuditLog.record(actor, "publish" if practice.status == rules.PUBLISHED else "return",
                        "practice", practice.id, f"Praktik baik “{practice.title}” "
                        f"{practice.status_label.lower()}",
                        before={"status": before},
                        after={"status": practice.status, "note": practice.review_note},
                        unit=practice.unit_id)
    return practice


# --- Marks and questions ------------------------------------------------------------------

def _published(practice_id) -> Practice:
    practice = Practice.get_or_none(Practice.id == practice_id)
    if practice is None:
        raise DomainError(rules.NOT_FOUND)
    if practice.status != rules.PUBLISHED:
        raise DomainError(rules.NOT_PUBLISHED)
    return practice


def toggle_useful(actor, practice_id) -> tuple[bool, int]:
    """Mark a published practice useful, or take the mark back: (marked now, the count)."""
    with db.atomic():
        practice = _published(practice_id)
        mark = PracticeUseful.get_or_none((PracticeUseful.practice == practice.id)
                                          & (PracticeUseful.account == actor.id))
        if mark is None:
            try:
                with db.atomic():
                    PracticeUseful.create(practice=practice.id, account=actor.id)
            except IntegrityError:  # the same account marked it in another tab meanwhile
                return True, useful_count(practice.id)
            change, action = 1, "mark"
        else:
            mark.delete_instance()
            change, action = -1, "unmark"
        Practice.update(useful_count=Practice.useful_count + change).where(
            Practice.id == practice.id).execute()
        AuditLog.record(actor, f"useful_{action}", "practice", practice.id,
                        f"Praktik baik “{practice.title}” "
                        f"{'ditandai' if change > 0 else 'batal ditandai'} bermanfaat",
                        unit=practice.unit_id)
        return change > 0, useful_count(practice.id)


def ask(actor, practice_id, text: str) -> PracticeQuestion:
    """A question to the authors of a published practice; each author is told."""
    with db.atomic():
        practice = _published(practice_id)
        question = PracticeQuestion.create(practice=practice.id, asker=actor.id, text=text)
        who = actor_name(actor)
        for author_id in _authors_of(practice):
            if author_id != actor.employee_id:
                notify(author_id, f"{who} bertanya tentang praktik baik “"
                       f"{excerpt(practice.title, 80)}”: {excerpt(text, 80)}",
                       practice_link(practice.id), kind=NOTICE_KIND)
        AuditLog.record(actor, "ask", "practice", practice.id,
                        f"Pertanyaan tentang praktik baik “{practice.title}”",
                        after={"question": question.id, "text": text}, unit=practice.unit_id)
    return question


def answer(actor, question_id, text: str) -> PracticeQuestion:
    """An author's answer (a later one replaces it); the asker is told."""
    with db.atomic():
        question = (PracticeQuestion.select(PracticeQuestion, Practice).join(Practice)
                    .where(PracticeQuestion.id == question_id).first())
        if question is None:
            raise DomainError("Pertanyaan tidak ditemukan.")
        if actor.employee_id not in _authors_of(question.practice):
            raise DomainError(rules.NOT_AN_AUTHOR)
        before = question.answer
        question.answer, question.answered_by, question.answered_at = text, actor.employee_id, utcnow()
        question.save()
        asker = User.get_by_id(question.asker_id)
        notify(asker.employee_id if asker.employee_id != actor.employee_id else None, f"{actor.employee.full_name} menjawab pertanyaan Anda tentang "
               f"praktik baik “{excerpt(question.practice.title, 80)}”.",
               practice_link(question.practice_id), kind=NOTICE_KIND)
        AuditLog.record(actor, "answer", "practice_question", question.id,
                        f"Jawaban atas pertanyaan tentang praktik baik “{question.practice.title}”",
                        before={"answer": before} if before else None, after={"answer": text},
                        unit=question.practice.unit_id)
    return question


def question_with_asker(question_id):
    asker_employee = Employee.alias()
    return (PracticeQuestion.select(PracticeQuestion, User, asker_employee)
            .join(User, on=(PracticeQuestion.asker == User.id))
            .join(asker_employee, JOIN.LEFT_OUTER, on=(User.employee == asker_employee.id))
            .where(PracticeQuestion.id == question_id).first())
