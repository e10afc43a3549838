"""Follow-up after a predikat (domain/followup.md §1–2): what a final predikat proposes, the
states of a proposal, who may act on a coaching plan, and the reminders of its actions.
Pure functions, no Flask, no database. Kinerja proposes and records; people decide."""
import datetime
import json

from . import DomainError

# What Kinerja may propose. The last four are the next steps of an improvement period that
# did not improve; the Pejabat Penilai records them, they are never proposed by a predikat.
KINDS = {
    "reward": "Usulan penghargaan",
    "talent_pool": "Calon kelompok talenta (talent pool)",
    "practice_invite": "Undangan menulis praktik baik",
    "coaching": "Rencana pembinaan",
    "discipline_referral": "Rujukan ke proses disiplin (PP 94/2021)",
    "improvement_period": "Masa perbaikan kinerja 6 bulan (PP 30/2019 Pasal 57)",
    "competency_retest": "Uji kompetensi kembali",
    "transfer": "Pemindahan ke jabatan yang sesuai atau lebih rendah",
    "designated_position": "Penempatan pada jabatan yang ditentukan (paling lama 1 tahun)",
    "honourable_dismissal": "Pemberhentian dengan hormat",
}
MATRIX_KINDS = ("reward", "talent_pool", "practice_invite", "coaching", "discipline_referral",
                "improvement_period")
NEXT_STEPS = ("competency_retest", "transfer", "designated_position", "honourable_dismissal")

# followup.md §1, the default a regency may change (Setting MATRIX_SETTING, JSON).
DEFAULT_MATRIX = {
    "sangat_baik": ["reward", "talent_pool", "practice_invite"],
    "baik": [],
    "butuh_perbaikan": ["coaching"],
    "kurang": ["coaching", "discipline_referral"],
    "sangat_kurang": ["coaching", "improvement_period"],
}
MATRIX_SETTING = "follow_up.matrix"
# Whether admins see a coaching plan's contents, not only its status (followup.md §2: a setting).
ADMIN_NOTES_SETTING = "follow_up.admins_see_notes"

# PP 30/2019 Pasal 57: the improvement period is for JPT, Administrator and Fungsional
# (Position.kind; a position's level is known only through its kind).
IMPROVEMENT_POSITION_KINDS = ("jpt_pratama", "administrator", "fungsional")
IMPROVEMENT_MONTHS = 6

STATUSES = {"proposed": "Menunggu keputusan", "accepted": "Diterima", "changed": "Diubah",
            "dismissed": "Tidak dilanjutkan"}
STATUS_BADGES = {"proposed": "info", "accepted": "ok", "changed": "ok", "dismissed": ""}
DECISIONS = ("accepted", "changed", "dismissed")
PREDIKAT_CHANGED = "predikat berubah setelah keberatan"

PLAN_STATUSES = {"open": "Berjalan", "closed": "Selesai"}
OUTCOMES = {"membaik": "Membaik", "belum_membaik": "Belum membaik"}
ACTION_OWNERS = {"employee": "Pegawai", "appraiser": "Pejabat Penilai"}
ACTION_STATUSES = {"planned": "Direncanakan", "done": "Selesai", "dropped": "Dibatalkan"}

# How someone stands to a coaching plan.
OWNER, APPRAISER, SUPERIOR, ADMIN = "owner", "appraiser", "superior", "admin"
REMIND_DAYS = 3


def kind_label(kind) -> str:
    return KINDS.get(kind, kind or "-")


def parse_matrix(text: str | None) -> dict[str, list[str]]:
    """The regency's matrix from its setting; the default for anything unreadable, and only
    known predikat and kinds kept (a hand-edited setting must not break a final approval)."""
    try:
        raw = json.loads(text) if text else None
    except (TypeError, ValueError):
        raw = None
    if not isinstance(raw, dict):
        return {key: list(kinds) for key, kinds in DEFAULT_MATRIX.items()}
    matrix = {}
    for predikat in DEFAULT_MATRIX:
        kinds = raw.get(predikat, [])
        matrix[predikat] = [k for k in MATRIX_KINDS if isinstance(kinds, list) and k in kinds]
    return matrix


def dump_matrix(matrix: dict) -> str:
    return json.dumps(parse_matrix(json.dumps(matrix)), sort_keys=True)


def proposals(predikat: str | None, position_kind: str | None, matrix: dict) -> list[str]:
    """The kinds a final predikat proposes, in the matrix's order; the improvement period only
    for the position kinds PP 30/2019 Pasal 57 names."""
    kinds = matrix.get(predikat or "", [])
    return [k for k in MATRIX_KINDS if k in kinds
            and (k != "improvement_period" or position_kind in IMPROVEMENT_POSITION_KINDS)]


def reconcile(existing: dict[str, str], wanted: list[str]) -> tuple[list[str], list[str]]:
    """After a predikat changes (an objection decided): (kinds to propose, kinds to dismiss).
    `existing`: {kind: status} of the evaluation's proposals. Only what is still waiting is
    dismissed; a proposal someone already decided stays as it was decided."""
    new = [k for k in wanted if k not in existing]
    stale = [k for k, status in existing.items() if k not in wanted and status == "proposed"]
    return new, stale


def decision_denial(status: str, decision: str, reason: str = "", changed_to: str | None = None,
                    kind: str | None = None) -> str | None:
    """None when a waiting proposal may be decided so, else the reason."""
    if decision not in DECISIONS:
        return "Keputusan tidak dikenal."
    if status != "proposed":
        return f"Usulan ini sudah {STATUSES.get(status, status).lower()}."
    if decision == "dismissed" and not (reason or "").strip():
        return "Tuliskan alasan usulan ini tidak dilanjutkan."
    if decision == "changed":
        if changed_to not in MATRIX_KINDS:
            return "Pilih tindak lanjut penggantinya."
        if changed_to == kind:
            return "Pilih tindak lanjut yang berbeda dari usulan semula."
    return None


def settings_denial(account) -> str | None:
    """The regency's follow-up settings are the admin BKPSDM's."""
    if account.role == "admin":
        return None
    return "Pengaturan tindak lanjut diubah oleh admin BKPSDM."


def improvement_end(starts: datetime.date) -> datetime.date:
    """Six months after the start, on the same day of the month (the last day when the
    month is shorter)."""
    month = starts.month - 1 + IMPROVEMENT_MONTHS
    year, month = starts.year + month // 12, month % 12 + 1
    for day in (starts.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- Who does what on a coaching plan ----------------------------------------------------

PLAN_ACTIONS = {
    "edit": {APPRAISER},         # the gap, actions, meetings, the improvement period, closing
    "comment": {OWNER, APPRAISER},
    "acknowledge": {OWNER},
    "action_status": {OWNER, APPRAISER},
}
_DENIALS = {
    "edit": "Hanya Pejabat Penilai yang mengisi rencana pembinaan.",
    "comment": "Hanya pegawai dan Pejabat Penilai yang menulis tanggapan pada rencana pembinaan.",
    "acknowledge": "Hanya pegawai yang dibina yang menyetujui rencana pembinaannya.",
    "action_status": "Hanya pemilik tindakan atau Pejabat Penilai yang mengubah statusnya.",
}


def sees_notes(roles, admins_see: bool = False) -> bool:
    """The employee, the Pejabat Penilai and the Atasan see everything; an admin only the
    status (the notes are between the two) unless the regency lets admins see them."""
    return bool(set(roles) & {OWNER, APPRAISER, SUPERIOR}) or (admins_see and ADMIN in roles)


def plan_denial(action: str, roles, status: str, acknowledged: bool = False,
                action_owner: str | None = None) -> str | None:
    if action not in PLAN_ACTIONS:
        return "Tindakan tidak dikenal."
    if not set(roles) & PLAN_ACTIONS[action]:
        return _DENIALS[action]
    if action == "action_status" and APPRAISER not in roles and action_owner != "employee":
        return _DENIALS[action]
    if status != "open":
        return "Rencana pembinaan ini sudah ditutup."
    if action == "acknowledge" and acknowledged:
        return "Rencana pembinaan ini sudah Anda setujui."
    return None


def check_plan(action: str, roles, status: str, **facts) -> None:
    reason = plan_denial(action, roles, status, **facts)
    if reason:
        raise DomainError(reason)


def reminder_due(due: datetime.date, today: datetime.date, status: str, reminded: str) -> str | None:
    """The reminder an action needs today ("soon" within REMIND_DAYS of its due date,
    "overdue" after it), or None: each is sent once, and an overdue action that was already
    told "overdue" is not told again."""
    if status != "planned":
        return None
    if due < today:
        return None if reminded == "overdue" else "overdue"
    if (due - today).days <= REMIND_DAYS:
        return None if reminded in ("soon", "overdue") else "soon"
    return None
