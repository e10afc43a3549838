"""The good-practice library (praktik baik, followup.md §5): its themes, the life of a practice
from draft to publication, who reviews it and who may read, change or answer it."""
import re

from . import DomainError

THEMES = {
    "pelayanan-publik": "Pelayanan publik",
    "digitalisasi": "Digitalisasi dan arsip elektronik",
    "kesehatan": "Kesehatan",
    "pendidikan": "Pendidikan",
    "lingkungan": "Lingkungan hidup",
    "efisiensi-anggaran": "Efisiensi anggaran",
    "kolaborasi": "Kolaborasi dan kemitraan",
    "pengaduan": "Penanganan pengaduan",
    "sdm-aparatur": "Pengembangan SDM aparatur",
    "tata-kelola": "Tata kelola dan akuntabilitas",
}
MAX_THEMES = 3

DRAFT, SUBMITTED, PUBLISHED, RETURNED = "draft", "submitted", "published", "returned"
STATES = {DRAFT: "Draf", SUBMITTED: "Diajukan", PUBLISHED: "Diterbitkan",
          RETURNED: "Dikembalikan"}
# The writer may change a practice until it is submitted, and again once it is returned.
EDITABLE = (DRAFT, RETURNED)

PUBLISH, RETURN = "publish", "return"
DECISIONS = {PUBLISH: "Terbitkan", RETURN: "Kembalikan untuk diperbaiki"}

NOT_FOUND = "Praktik baik tidak ditemukan."
NOT_EDITABLE = "Praktik baik ini sudah diajukan atau diterbitkan; tidak dapat diubah lagi."
NOT_AUTHOR = "Hanya penulis utama yang dapat mengubah atau mengajukan praktik baik ini."
NOT_REVIEWER = ("Praktik baik ini ditinjau oleh kepala unit kerjanya; Anda bukan peninjaunya.")
NOT_SUBMITTED = "Praktik baik ini tidak sedang menunggu tinjauan."
NOTE_NEEDED = "Tuliskan catatan: apa yang perlu diperbaiki penulis."
NOT_PUBLISHED = "Praktik baik ini belum diterbitkan."
NOT_AN_AUTHOR = "Hanya penulis praktik baik ini yang dapat menjawab pertanyaan."
NO_EMPLOYEE = "Akun ini tidak terhubung dengan data pegawai; praktik baik ditulis oleh pegawai."

# Results are meant to be measured: "waktu layanan turun dari 3 hari menjadi 1 hari".
_DIGIT = re.compile(r"\d")
_NIP = re.compile(r"\d{18}")
_SEPARATORS = re.compile(r"[\s,;]+")


def theme_label(slug: str) -> str:
    return THEMES.get(slug, slug)


def check_themes(slugs) -> list[str]:
    """The chosen themes in the list's order, each once; DomainError when none, too many or
    one not on the list."""
    chosen = set(slugs or ())
    if not chosen:
        raise DomainError("Pilih sedikitnya satu tema.", field="themes")
    if chosen - set(THEMES):
        raise DomainError("Tema tidak dikenal.", field="themes")
    if len(chosen) > MAX_THEMES:
        raise DomainError(f"Pilih paling banyak {MAX_THEMES} tema.", field="themes")
    return [slug for slug in THEMES if slug in chosen]


def parse_nips(text: str) -> list[str]:
    """The co-authors' NIPs as typed (separated by spaces, commas or lines), each once in the
    order given; DomainError naming the first that is not 18 digits."""
    nips = []
    for part in _SEPARATORS.split((text or "").strip()):
        if not part:
            continue
        if not _NIP.fullmatch(part):
            raise DomainError(f"“{part[:30]}” bukan NIP 18 angka.", field="coauthors")
        if part not in nips:
            nips.append(part)
    if len(nips) > 10:
        raise DomainError("Paling banyak 10 penulis pendamping.", field="coauthors")
    return nips


def submission_problems(title: str, problem: str, action: str, results: str,
                        themes) -> dict[str, str]:
    """{field: message} of what a practice still lacks before it can be submitted for review;
    a draft may be saved with only its title."""
    problems = {}
    for name, value, message in (
            ("title", title, "Tuliskan judul praktik baik."),
            ("problem", problem, "Tuliskan masalah yang dihadapi."),
            ("action", action, "Tuliskan apa yang dilakukan."),
            ("results", results, "Tuliskan hasilnya.")):
        if not (value or "").strip():
            problems[name] = message
    if "results" not in problems and not _DIGIT.search(results):
        problems["results"] = ("Sertakan hasil dalam angka, misalnya waktu layanan turun dari "
                               "3 hari menjadi 1 hari.")
    if not themes:
        problems["themes"] = "Pilih sedikitnya satu tema."
    return problems


def reviewer_for(chain, author_ids) -> int | None:
    """The Pejabat who reviews a practice: the head of its unit, or — when that post is vacant
    or the head wrote it — the head of the next unit up. `chain` is [(unit id, head employee
    id or None)] from the practice's unit up to its OPD. None: nobody in the OPD can, and the
    admin BKPSDM reviews."""
    authors = set(author_ids)
    for _, head_id in chain:
        if head_id is not None and head_id not in authors:
            return head_id
    return None


def may_read(state: str, viewer_employee_id, author_ids, reviewer_id, is_admin: bool) -> bool:
    """Published practices are for everyone signed in; before that, for their authors, their
    reviewer, and — for one with no reviewer in its OPD — the admin BKPSDM."""
    if state == PUBLISHED:
        return True
    if viewer_employee_id is not None and viewer_employee_id in set(author_ids):
        return True
    if state == DRAFT:
        return False
    if reviewer_id is not None:
        return viewer_employee_id is not None and viewer_employee_id == reviewer_id
    return is_admin


def edit_refusal(state: str, viewer_employee_id, main_author_id) -> str | None:
    if viewer_employee_id is None or viewer_employee_id != main_author_id:
        return NOT_AUTHOR
    if state not in EDITABLE:
        return NOT_EDITABLE
    return None


def review_refusal(state: str, viewer_employee_id, reviewer_id, is_admin: bool) -> str | None:
    if reviewer_id is None:
        allowed = is_admin
    else:
        allowed = viewer_employee_id is not None and viewer_employee_id == reviewer_id
    if not allowed:
        return NOT_REVIEWER
    if state != SUBMITTED:
        return NOT_SUBMITTED
    return None


def decide(state: str, decision: str, note: str) -> str:
    """The state a review leaves the practice in; DomainError when it cannot be taken."""
    if state != SUBMITTED:
        raise DomainError(NOT_SUBMITTED)
    if decision not in DECISIONS:
        raise DomainError("Pilih terbitkan atau kembalikan.", field="decision")
    if decision == RETURN and not (note or "").strip():
        raise DomainError(NOTE_NEEDED, field="note")
    return PUBLISHED if decision == PUBLISH else RETURNED


def search_words(text: str, limit: int = 6) -> list[str]:
    """The words of a search, each once, at most `limit` of them (each narrows the list)."""
    words = []
    for word in (text or "").split():
        word = word.strip()[:40]
        if word and word.lower() not in (w.lower() for w in words):
            words.append(word)
    return words[:limit]
