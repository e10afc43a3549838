"""SKP planning rules (domain/skp.md §1–3): the workflow states, who may do what in which
state, what a plan needs before it can be submitted, the BerAKHLAK values, and the
difference between two revisions. Pure functions: no Flask, no database."""
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..formatting import angka
from . import DomainError

# --- BerAKHLAK (Perilaku Kerja) ------------------------------------------------

CORE_VALUES = [
    ("berorientasi_pelayanan", "Berorientasi Pelayanan", [
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Ramah, cekatan, solutif, dan dapat diandalkan",
        "Melakukan perbaikan tiada henti"]),
    ("akuntabel", "Akuntabel", [
        "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin dan berintegritas tinggi",
        "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
        "Tidak menyalahgunakan kewenangan jabatan"]),
    ("kompeten", "Kompeten", [
        "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
        "Membantu orang lain belajar",
        "Melaksanakan tugas dengan kualitas terbaik"]),
    ("harmonis", "Harmonis", [
        "Menghargai setiap orang apapun latar belakangnya",
        "Suka menolong orang lain",
        "Membangun lingkungan kerja yang kondusif"]),
    ("loyal", "Loyal", [
        "Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah",
        "Menjaga nama baik sesama ASN, Pimpinan, Instansi, dan Negara",
        "Menjaga rahasia jabatan dan negara"]),
    ("adaptif", "Adaptif", [
        "Cepat menyesuaikan diri menghadapi perubahan",
        "Terus berinovasi dan mengembangkan kreativitas",
        "Bertindak proaktif"]),
    ("kolaboratif", "Kolaboratif", [
        "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
        "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
        "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama"]),
]
CORE_VALUE_CODES = [code for code, _, _ in CORE_VALUES]
CORE_VALUE_NAMES = {code: name for code, name, _ in CORE_VALUES}

# --- Who may do what -------------------------------------------------------------

EDITABLE_STATES = frozenset({"draft", "returned"})
# The Pejabat Penilai may still write expectations while the plan is being drafted or reviewed.
EXPECTATION_STATES = frozenset({"draft", "submitted", "returned"})
# A revision that was in force at some time: it carries the day it was approved.
APPROVED_STATES = frozenset({"approved", "superseded"})
# The status shown in the team overview; "belum" is an employee with no plan for the year.
TEAM_STATUSES = {"belum": "Belum dibuat", "draft": "Draft", "submitted": "Diajukan",
                 "returned": "Dikembalikan", "approved": "Disetujui"}

ADMIN_ROLES = ("admin", "admin_opd")
# The performance years are the regency's settings; each OPD's goals are its admin's too.
YEAR_ADMINS = ("admin",)
GOAL_ADMINS = ADMIN_ROLES

# The people around one plan, as seen by the person acting. SYSTEM is a step no person
# takes: approving a revision supersedes the one it replaces.
OWNER, APPRAISER, ADMIN, SYSTEM = "owner", "appraiser", "admin", "system"

# action -> (states it may start from, who may take it, state it leads to)
ACTIONS = {
    "edit": (EDITABLE_STATES, {OWNER}, None),
    "submit": (EDITABLE_STATES, {OWNER}, "submitted"),
    "approve": (frozenset({"submitted"}), {APPRAISER}, "approved"),
    "return": (frozenset({"submitted"}), {APPRAISER}, "returned"),
    "expect": (EXPECTATION_STATES, {APPRAISER}, None),
    "revise": (frozenset({"approved"}), {OWNER}, None),  # opens revision n+1 as a draft
    "set_appraiser": (EXPECTATION_STATES, {ADMIN}, None),
    "supersede": (frozenset({"approved"}), {SYSTEM}, "superseded"),
}

_NOT_YOURS = {
    "edit": "Hanya pemilik SKP yang dapat mengubah isinya.",
    "submit": "Hanya pemilik SKP yang dapat mengubah isinya.",
    "approve": "Hanya Pejabat Penilai SKP ini yang dapat menyetujui atau mengembalikannya.",
    "return": "Hanya Pejabat Penilai SKP ini yang dapat menyetujui atau mengembalikannya.",
    "expect": "Ekspektasi khusus pimpinan ditulis oleh Pejabat Penilai.",
    "revise": "Hanya pemilik SKP yang dapat membuat revisi.",
    "set_appraiser": "Hanya admin yang dapat mengganti Pejabat Penilai sebuah SKP.",
    "supersede": "Revisi SKP hanya diganti oleh persetujuan revisi berikutnya.",
}
_NOT_NOW = {"set_appraiser": "Pejabat Penilai hanya dapat diganti sebelum SKP disetujui."}
_STATE_MESSAGES = {
    "draft": "SKP ini masih draft dan belum diajukan.",
    "submitted": "SKP ini sudah diajukan dan sedang menunggu keputusan Pejabat Penilai.",
    "returned": "SKP ini dikembalikan untuk diperbaiki dan belum diajukan lagi.",
    "approved": "SKP ini sudah disetujui dan terkunci; buat revisi untuk mengubahnya.",
    "superseded": "Revisi SKP ini sudah diganti oleh revisi yang lebih baru.",
}
_ANY_STATE = "Status SKP tidak memungkinkan tindakan ini."


@dataclass(frozen=True)
class Actor:
    """Who is acting: the account's role and the employee behind it (None for system accounts)."""
    role: str
    employee_id: int | None

    @classmethod
    def of(cls, user) -> "Actor":
        return cls(user.role, user.employee_id)


@dataclass(frozen=True)
class Plan:
    """What the rules need to know about one SKP revision."""
    status: str
    owner_id: int
    appraiser_id: int | None  # None: the Kepala Daerah appraises (head of an OPD)
    is_latest: bool = True
    year_open: bool = True


def is_admin(actor: Actor) -> bool:
    return actor.role in ADMIN_ROLES


def records_for_kepala_daerah(actor: Actor) -> bool:
    """The Kepala Daerah, who appraises the heads of OPD, is not a user of Kinerja: the admin
    BKPSDM records those decisions."""
    return actor.role == "admin"


def opens_years(actor: Actor) -> bool:
    return actor.role in YEAR_ADMINS


def manages_goals(actor: Actor) -> bool:
    return actor.role in GOAL_ADMINS


def relations(actor: Actor, plan: Plan) -> set[str]:
    """How the actor stands to the plan. An owner never appraises their own plan, not even
    as admin."""
    found = set()
    if actor.employee_id is not None and actor.employee_id == plan.owner_id:
        found.add(OWNER)
    elif plan.appraiser_id is None:
        if records_for_kepala_daerah(actor):
            found.add(APPRAISER)
    elif actor.employee_id is not None and actor.employee_id == plan.appraiser_id:
        found.add(APPRAISER)
    if is_admin(actor):
        found.add(ADMIN)
    return found


def denial(action: str, actor: Actor, plan: Plan) -> str | None:
    """None when `actor` may take `action` on `plan` now, else the reason, the first thing
    to put right first."""
    if action not in ACTIONS:
        return "Tindakan tidak dikenal."
    states, who, _ = ACTIONS[action]
    if not relations(actor, plan) & who:
        return _NOT_YOURS[action]
    if action == "revise":
        if plan.status not in states:
            return "Revisi hanya dapat dibuat dari SKP yang sudah disetujui."
        if not plan.is_latest:
            return "Sudah ada revisi yang lebih baru untuk SKP ini."
    if OWNER in who:
        # The owner's steps change the plan: only its newest revision, in an open year.
        if not plan.is_latest:
            return "Ini bukan revisi terbaru SKP; ubah revisi terbaru."
        if not plan.year_open:
            return "Tahun kinerja ini sudah ditutup."
    if plan.status not in states or not plan.is_latest:
        return _NOT_NOW.get(action) or _STATE_MESSAGES.get(plan.status, _ANY_STATE)
    return None


def allowed(action: str, actor: Actor, plan: Plan) -> bool:
    return denial(action, actor, plan) is None


def transition(action: str, actor: Actor, plan: Plan) -> str:
    """The status after the action; raises DomainError with the reason when not allowed."""
    reason = denial(action, actor, plan)
    if reason:
        raise DomainError(reason)
    return ACTIONS[action][2] or plan.status


def next_status(status: str, action: str) -> str:
    """The status `action` leads to from `status`, whoever takes it (the system's steps)."""
    states, _, leads_to = ACTIONS.get(action, (frozenset(), set(), None))
    if leads_to is None or status not in states:
        raise DomainError(_STATE_MESSAGES.get(status, _ANY_STATE))
    return leads_to


def can_read(actor: Actor, plan: Plan, *, in_admin_scope: bool = False,
             supervises: bool = False) -> bool:
    """Owner, Pejabat Penilai, someone above the owner in the chain (`supervises`, worked out
    by the caller), or an admin whose scope holds the plan's unit."""
    if is_admin(actor) and in_admin_scope:
        return True
    if actor.employee_id is not None and actor.employee_id in (plan.owner_id, plan.appraiser_id):
        return True
    return supervises


def return_problem(comment: str, rhk_comments) -> str | None:
    """A plan goes back with its reason: an overall comment or one on an RHK to put right."""
    if (comment or "").strip() or any((text or "").strip() for text in rhk_comments):
        return None
    return "Tuliskan alasan pengembalian: catatan umum atau catatan pada RHK yang perlu diperbaiki."


def team_status(latest_status: str | None) -> str:
    """The overview status of an employee from the status of their latest revision."""
    if latest_status is None:
        return "belum"
    if latest_status == "superseded":  # never the latest revision; be safe
        return "approved"
    return latest_status


def days_remaining(deadline: datetime.date, today: datetime.date) -> int:
    """Days left until the SKP deadline (negative once it has passed)."""
    return (deadline - today).days


def deadline_label(deadline: datetime.date, today: datetime.date,
                   approved_on: datetime.date | None = None) -> str:
    """How the plan stands against its deadline; once approved, the clock has stopped."""
    if approved_on is not None:
        late = (approved_on - deadline).days
        return "disetujui tepat waktu" if late <= 0 else f"disetujui {late} hari setelah batas"
    days = days_remaining(deadline, today)
    if days > 0:
        return f"{days} hari lagi"
    if days == 0:
        return "hari ini"
    return f"lewat {-days} hari"


def default_deadline(year: int) -> datetime.date:
    """The SKP for year Y must be approved by 31 January of Y (domain/skp.md §1)."""
    return datetime.date(year, 1, 31)


def default_period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# --- Content validation -------------------------------------------------------------

_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")


def parse_number(raw) -> Decimal | None:
    """'12', '12,5', '1.250,5' → Decimal; None for blank; ValueError for anything else."""
    if raw is None:
        return None
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    text = str(raw).strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(text):  # "1.250" is one thousand two hundred and fifty in Indonesian
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("Target harus berupa angka, misalnya 12 atau 12,5.") from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValueError("Angka target tidak wajar.")
    return value


def indicator_errors(approach: str, text: str, target_min, target_max, unit: str,
                     target_text: str) -> dict[str, str]:
    """Problems of one indicator by field name: target_min/target_max are Decimal or None."""
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Indikator kinerja wajib diisi."
    if approach == "kualitatif":
        if not (target_text or "").strip():
            errors["target_text"] = "Target wajib diisi (pendekatan kualitatif: uraian target)."
        return errors
    if target_min is None:
        errors["target_min"] = "Target wajib diisi dengan angka."
    elif target_min < 0:
        errors["target_min"] = "Target tidak boleh negatif."
    if target_max is not None and target_min is not None and target_max < target_min:
        errors["target_max"] = "Batas atas target harus lebih besar dari batas bawah."
    if not (unit or "").strip():
        errors["target_unit"] = "Satuan target wajib diisi, misalnya dokumen, %, atau hari."
    return errors


def rhk_errors(kind: str, text: str, has_parent: bool, is_head: bool) -> dict[str, str]:
    """Problems of one RHK by field name (`parent` for the intervened RHK or goal)."""
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Rencana Hasil Kerja wajib diisi."
    if kind == "utama" and not has_parent:
        errors["parent"] = ("Pilih sasaran/IKU organisasi yang diintervensi." if is_head
                            else "Pilih RHK Pejabat Penilai yang diintervensi.")
    return errors


def submission_problems(approach: str, rhks: list[dict], is_head: bool) -> list[str]:
    """Everything that keeps a plan from being submitted, in Indonesian.
    rhks: [{"kind", "text", "has_parent", "indicators": [{"text", "target_min", "target_max",
    "target_unit", "target_text"}]}] in display order."""
    problems = []
    if not any(r["kind"] == "utama" for r in rhks):
        problems.append("SKP harus memiliki paling sedikit satu RHK Utama.")
    numbers = {"utama": 0, "tambahan": 0}
    for rhk in rhks:
        numbers[rhk["kind"]] = numbers.get(rhk["kind"], 0) + 1
        name = f"RHK {'Utama' if rhk['kind'] == 'utama' else 'Tambahan'} {numbers[rhk['kind']]}"
        for message in rhk_errors(rhk["kind"], rhk["text"], rhk["has_parent"], is_head).values():
            problems.append(f"{name}: {message}")
        if not rhk["indicators"]:
            problems.append(f"{name}: tambahkan paling sedikit satu indikator kinerja.")
        for i, ind in enumerate(rhk["indicators"], 1):
            for message in indicator_errors(approach, ind["text"], ind["target_min"], ind["target_max"],
                                            ind["target_unit"], ind["target_text"]).values():
                problems.append(f"{name}, indikator {i}: {message}")
    return problems


def number_input(value) -> str:
    """A stored target as the user would type it back: Decimal('12.50') → '12,5'."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def _number(value) -> str:
    """12 → '12', 68.50 → '68,5', 18000 → '18.000'."""
    value = Decimal(value)
    places = max(0, -value.normalize().as_tuple().exponent)
    return angka(value, min(places, 2))


def format_target(approach: str, target_min, target_max, unit: str, target_text: str) -> str:
    """'12 dokumen', '90–100 %', or the narrative target."""
    if approach == "kualitatif":
        return (target_text or "").strip() or "-"
    if target_min is None:
        return "-"
    number = _number(target_min)
    if target_max is not None and Decimal(target_max) != Decimal(target_min):
        number = f"{number}–{_number(target_max)}"
    return f"{number} {unit}".strip()


# --- Revision diff -----------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, changed
    what: str  # a short Indonesian label of the item
    before: str = ""
    after: str = ""


def revision_diff(old: dict, new: dict) -> list[Change]:
    """What changed from one revision to the next.
    Each side: {"approach": str, "rhks": [{"key", "kind", "text", "parent", "indicators": [str]}],
    "appendix": {section label: [str]}, "expectations": {value name: str}}. An RHK of the new
    revision carries as key the id of the RHK it was copied from (None when added); an RHK of
    the old revision carries its own id."""
    changes = []
    if old.get("approach") != new.get("approach"):
        changes.append(Change("changed", "Pendekatan", old.get("approach", ""), new.get("approach", "")))
    old_rhks = {r["key"]: r for r in old.get("rhks", [])}
    kept = set()
    for rhk in new.get("rhks", []):
        label = f"RHK {rhk['kind'].capitalize()}"
        before = old_rhks.get(rhk["key"]) if rhk["key"] is not None else None
        if before is None:
            changes.append(Change("added", label, "", rhk["text"]))
            continue
        kept.add(rhk["key"])
        for field, name in (("kind", "jenis"), ("text", "uraian"), ("parent", "RHK atasan yang diintervensi")):
            if before[field] != rhk[field]:
                changes.append(Change("changed", f"{label} — {name}",
                                      str(before[field] or "-"), str(rhk[field] or "-")))
        if list(before["indicators"]) != list(rhk["indicators"]):
            changes.append(Change("changed", f"{label} — indikator: {rhk['text']}",
                                  "; ".join(before["indicators"]), "; ".join(rhk["indicators"])))
    for key, rhk in old_rhks.items():
        if key not in kept:
            changes.append(Change("removed", f"RHK {rhk['kind'].capitalize()}", rhk["text"], ""))
    for section in sorted(set(old.get("appendix", {})) | set(new.get("appendix", {}))):
        before, after = old.get("appendix", {}).get(section, []), new.get("appendix", {}).get(section, [])
        if list(before) != list(after):
            changes.append(Change("changed", f"Lampiran — {section}", "; ".join(before), "; ".join(after)))
    for value in sorted(set(old.get("expectations", {})) | set(new.get("expectations", {}))):
        before = old.get("expectations", {}).get(value, "")
        after = new.get("expectations", {}).get(value, "")
        if before != after:
            changes.append(Change("changed", f"Ekspektasi — {value}", before, after))
    return changes
