"""Discipline under PP 94/2021: the ladder of unexcused absence (Pasal 9–11), the levels and
their sanctions (Pasal 8), who has authority to decide (Pasal 18–21), and the steps of a case.
Kinerja proposes and records; only the official with authority examines and decides."""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from . import DomainError
from .decisions import KINDS

LIGHT, MEDIUM, HEAVY = "ringan", "sedang", "berat"
LEVELS = {LIGHT: "Ringan", MEDIUM: "Sedang", HEAVY: "Berat"}
LEVEL_RANK = {LIGHT: 1, MEDIUM: 2, HEAVY: 3}

# The sanctions of each level, lightest first; the keys are the ledger's kinds
# (rules/decisions.py), so a decided case writes its sanction there unchanged.
SANCTIONS = {
    LIGHT: ("teguran_lisan", "teguran_tertulis", "tidak_puas"),
    MEDIUM: ("potong_tukin_6", "potong_tukin_9", "potong_tukin_12"),
    HEAVY: ("penurunan_jabatan", "pembebasan_jabatan", "pemberhentian_disiplin"),
}
LEVEL_OF = {kind: level for level, kinds in SANCTIONS.items() for kind in kinds}


@dataclass(frozen=True)
class Step:
    days: int
    level: str
    kind: str
    basis: str


# Cumulative unexcused days within one calendar year: the first day of each row is the
# threshold that, once reached, calls for that row's sanction.
LADDER = (
    Step(3, LIGHT, "teguran_lisan", "PP 94/2021 Pasal 9"),
    Step(4, LIGHT, "teguran_tertulis", "PP 94/2021 Pasal 9"),
    Step(7, LIGHT, "tidak_puas", "PP 94/2021 Pasal 9"),
    Step(11, MEDIUM, "potong_tukin_6", "PP 94/2021 Pasal 10"),
    Step(14, MEDIUM, "potong_tukin_9", "PP 94/2021 Pasal 10"),
    Step(17, MEDIUM, "potong_tukin_12", "PP 94/2021 Pasal 10"),
    Step(21, HEAVY, "penurunan_jabatan", "PP 94/2021 Pasal 11"),
    Step(25, HEAVY, "pembebasan_jabatan", "PP 94/2021 Pasal 11"),
    Step(28, HEAVY, "pemberhentian_disiplin", "PP 94/2021 Pasal 11"),
)
CONSECUTIVE_DAYS = 10
CONSECUTIVE = Step(CONSECUTIVE_DAYS, HEAVY, "pemberhentian_disiplin",
                   "PP 94/2021 Pasal 11 (10 hari kerja berturut-turut; gaji dihentikan "
                   "sejak bulan berikutnya)")

ATTENDANCE, OTHER = "presensi", "lainnya"
SOURCES = {ATTENDANCE: "Presensi", OTHER: "Pelanggaran lain"}

# Pasal 18–21 as the regency applies them: the head of the OPD (pejabat yang berwenang
# menghukum within the OPD) decides light and medium sanctions; heavy sanctions, and any
# sanction for the head of an OPD, are the Kepala Daerah's (the PPK), recorded by the admin
# BKPSDM as everywhere else in Kinerja.
OPD_HEAD, REGENT = "kepala_opd", "kepala_daerah"
AUTHORITIES = {OPD_HEAD: "Kepala OPD", REGENT: "Kepala Daerah (dicatat admin BKPSDM)"}

PROPOSED, EXAMINED, DECIDED, DISMISSED = "diusulkan", "diperiksa", "diputuskan", "dihentikan"
STATUSES = {PROPOSED: "Diusulkan", EXAMINED: "Diperiksa", DECIDED: "Diputuskan",
            DISMISSED: "Dihentikan"}
STATUS_BADGES = {PROPOSED: "info", EXAMINED: "warn", DECIDED: "ok", DISMISSED: ""}
OPEN = (PROPOSED, EXAMINED)

NOT_AUTHORITY = "Hanya pejabat yang berwenang menghukum yang dapat memeriksa dan memutus kasus ini."
NOT_OPEN = "Kasus ini sudah diputuskan atau dihentikan."
NOT_PROPOSED = "Kasus ini sudah diperiksa."
NOT_EXAMINED = "Kasus harus diperiksa lebih dahulu sebelum diputuskan."
OWN_CASE = "Anda tidak dapat memeriksa atau memutus kasus disiplin Anda sendiri."
HEAVY_FOR_REGENT = "Hukuman disiplin berat ditetapkan oleh Kepala Daerah (dicatat admin BKPSDM)."
NOT_A_RECORDER = "Pelanggaran hanya dapat dicatat oleh kepala OPD, admin OPD pegawai, atau admin BKPSDM."


def kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else kind


def kind_choices(levels=tuple(LEVELS)) -> list[tuple[str, str]]:
    return [(kind, f"{LEVELS[level]} — {kind_label(kind)}")
            for level in levels for kind in SANCTIONS[level]]


def days_text(days) -> str:
    """Days as a person writes them: 5, 3,5 (never 5,00)."""
    return f"{Decimal(str(days)).normalize():f}".replace(".", ",")


def step_for(days) -> Step | None:
    """The highest row of the ladder the days reach; None below the first threshold. Part
    days (lateness converted to days) count only once they add up to a whole day."""
    reached = None
    for step in LADDER:
        if Decimal(str(days)) >= step.days:
            reached = step
    return reached


def consecutive_step(run: int) -> Step | None:
    return CONSECUTIVE if run >= CONSECUTIVE_DAYS else None


def authority_for(level: str, employee_heads_opd: bool) -> str:
    if level == HEAVY or employee_heads_opd:
        return REGENT
    return OPD_HEAD


def needs_proposal(step: Step | None, covered: int | None) -> bool:
    """Whether the days reach a threshold no earlier case of the year already covers
    (`covered`: the highest threshold of this year's attendance cases, whatever became of
    them, so importing again opens nothing and only a higher row opens a new case)."""
    return step is not None and (covered is None or step.days > covered)


def act_denial(is_authority: bool, own: bool, status: str) -> str | None:
    if own:
        return OWN_CASE
    if not is_authority:
        return NOT_AUTHORITY
    if status not in OPEN:
        return NOT_OPEN
    return None


def examine_denial(is_authority: bool, own: bool, status: str) -> str | None:
    denial = act_denial(is_authority, own, status)
    if denial is None and status != PROPOSED:
        return NOT_PROPOSED
    return denial


def decide_denial(is_authority: bool, own: bool, status: str, authority: str, kind: str) -> str | None:
    denial = act_denial(is_authority, own, status)
    if denial:
        return denial
    if status != EXAMINED:
        return NOT_EXAMINED
    if kind not in LEVEL_OF:
        raise DomainError("Pilih hukuman disiplin.", field="kind")
    if LEVEL_OF[kind] == HEAVY and authority != REGENT:
        raise DomainError(HEAVY_FOR_REGENT, field="kind")
    return None


def examined_on_denial(examined_on: datetime.date, proposed_on: datetime.date,
                       today: datetime.date) -> str | None:
    if examined_on > today:
        return "Tanggal pemeriksaan tidak boleh di masa depan."
    if examined_on < proposed_on:
        return "Tanggal pemeriksaan tidak boleh sebelum kasus dibuka."
    return None
