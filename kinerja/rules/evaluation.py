"""Evaluation rules (domain/skp.md §4, §7): ratings, the predikat matrix, the states of an
evaluation and who may act in each, the periods of a year and angka kredit. The caps of the
distribution curve (§5) are in rules/curve.py. Pure functions, no Flask."""
import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from ..formatting import tanggal
from . import DomainError
from .org import is_within

# --- Ratings and predikat (§4) -------------------------------------------------

RATINGS = {
    "above": "Di Atas Ekspektasi",
    "meets": "Sesuai Ekspektasi",
    "below": "Di Bawah Ekspektasi",
}

RESULT_GUIDANCE = {
    "above": "Sebagian besar atau seluruh hasil kerja di atas ekspektasi, dan tidak ada hasil "
             "kerja Utama yang di bawah ekspektasi.",
    "meets": "Sebagian besar atau seluruh hasil kerja sesuai ekspektasi; hanya sebagian kecil "
             "hasil kerja Utama yang di bawah ekspektasi.",
    "below": "Sebagian besar atau seluruh hasil kerja di bawah ekspektasi.",
}

BEHAVIOUR_GUIDANCE = {
    "above": "Sebagian besar atau seluruh perilaku kerja menunjukkan nilai BerAKHLAK melampaui "
             "ekspektasi pimpinan.",
    "meets": "Sebagian besar atau seluruh perilaku kerja sesuai dengan ekspektasi pimpinan.",
    "below": "Sebagian besar atau seluruh perilaku kerja di bawah ekspektasi pimpinan.",
}

PREDIKATS = {
    "sangat_baik": "Sangat Baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang/Misconduct",
    "sangat_kurang": "Sangat Kurang",
}

# (Rating Hasil Kerja, Rating Perilaku Kerja) -> predikat, exactly the table of §4.
PREDIKAT_MATRIX = {
    ("above", "below"): "kurang",
    ("above", "meets"): "baik",
    ("above", "above"): "sangat_baik",
    ("meets", "below"): "kurang",
    ("meets", "meets"): "baik",
    ("meets", "above"): "baik",
    ("below", "below"): "sangat_kurang",
    ("below", "meets"): "butuh_perbaikan",
    ("below", "above"): "butuh_perbaikan",
}


def predikat(result_rating: str | None, behaviour_rating: str | None) -> str | None:
    """The Predikat Kinerja Pegawai, or None until both ratings are valid choices."""
    return PREDIKAT_MATRIX.get((result_rating, behaviour_rating))


def rating_label(key) -> str:
    return RATINGS.get(key, "-")


def predikat_label(key) -> str:
    return PREDIKATS.get(key, "-")


ORG_PREDIKATS = {
    "istimewa": "Istimewa",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang",
    "sangat_kurang": "Sangat Kurang",
}

# For the head of a unit the unit's achievement is the Rating Hasil Kerja (§4).
_HEAD_RESULT = {"istimewa": "above", "baik": "meets", "butuh_perbaikan": "below",
                "kurang": "below", "sangat_kurang": "below"}


def head_result_rating(org_predikat: str | None) -> str | None:
    return _HEAD_RESULT.get(org_predikat)


# --- States and who may act ----------------------------------------------------

STATES = {
    "draft": "Draft",
    "submitted": "Diajukan",
    "returned": "Dikembalikan",
    "approved": "Ditetapkan",
    "objected": "Keberatan",
    "decided": "Diputuskan",
}
STATE_BADGES = {"draft": "", "submitted": "info", "returned": "warn", "approved": "ok",
                "objected": "bad", "decided": "ok"}
# The employee still fills the evaluation in; its progress entries may still change.
EDITABLE_STATES = ("draft", "returned")
# A predikat is in force: shown, counted in the curve, and the colleagues' 360° answers closed.
WITH_PREDIKAT = ("approved", "objected", "decided")

# The people around one evaluation, as seen by the person acting.
OWNER, APPRAISER, SUPERIOR, ADMIN = "owner", "appraiser", "superior", "admin"

# action -> (states it may start from, roles that may take it, state it leads to)
ACTIONS = {
    "edit": (EDITABLE_STATES, {OWNER}, None),
    "submit": (EDITABLE_STATES, {OWNER}, "submitted"),
    "rate": ({"submitted"}, {APPRAISER}, None),
    "approve": ({"submitted"}, {APPRAISER}, "approved"),
    "return": ({"submitted"}, {APPRAISER}, "returned"),
    "acknowledge": ({"approved"}, {OWNER}, None),
    "object": ({"approved"}, {OWNER}, "objected"),
    "decide": ({"objected"}, {SUPERIOR}, "decided"),
}

ACTION_LABELS = {
    "edit": "mengubah", "submit": "mengajukan", "rate": "menilai", "approve": "menetapkan",
    "return": "mengembalikan", "acknowledge": "menerima", "object": "mengajukan keberatan atas",
    "decide": "memutuskan keberatan atas",
}
_WHO = {OWNER: "pegawai yang dinilai", APPRAISER: "Pejabat Penilai Kinerja",
        SUPERIOR: "Atasan Pejabat Penilai Kinerja", ADMIN: "admin"}


@dataclass(frozen=True)
class Context:
    """Facts besides state and role that some actions depend on."""
    today: datetime.date | None = None
    approved_on: datetime.date | None = None
    objection_days: int = 14
    acknowledged: bool = False
    result_rating: str | None = None
    behaviour_rating: str | None = None
    comment: str = ""


def objection_deadline(approved_on: datetime.date, days: int) -> datetime.date:
    """The last day on which a keberatan may be filed."""
    return approved_on + datetime.timedelta(days=days)


def denial(action: str, state: str, roles, ctx: Context = Context()) -> str | None:
    """None when `roles` may take `action` on an evaluation in `state`, else the reason."""
    if action not in ACTIONS:
        return "Tindakan tidak dikenal."
    states, allowed_roles, _ = ACTIONS[action]
    if not set(roles) & allowed_roles:
        who = " atau ".join(sorted(_WHO[r] for r in allowed_roles))
        return f"Hanya {who} yang dapat {ACTION_LABELS[action]} evaluasi ini."
    if state not in states:
        return (f"Evaluasi berstatus {STATES.get(state, state)}; tidak dapat "
                f"{ACTION_LABELS[action]} evaluasi ini sekarang.")
    if action == "approve" and predikat(ctx.result_rating, ctx.behaviour_rating) is None:
        return "Pilih Rating Hasil Kerja dan Rating Perilaku Kerja sebelum menetapkan."
    if action == "return" and not (ctx.comment or "").strip():
        return "Tuliskan alasan pengembalian agar pegawai tahu apa yang harus diperbaiki."
    if action == "acknowledge" and ctx.acknowledged:
        return "Hasil evaluasi ini sudah Anda terima."
    if action == "object" and ctx.acknowledged:
        return "Hasil evaluasi sudah Anda terima; keberatan tidak dapat diajukan lagi."
    if action == "object":
        if ctx.approved_on is None or ctx.today is None:
            return "Tanggal penetapan tidak diketahui."
        deadline = objection_deadline(ctx.approved_on, ctx.objection_days)
        if ctx.today > deadline:
            return (f"Batas waktu keberatan ({ctx.objection_days} hari) berakhir pada "
                    f"{tanggal(deadline)}.")
    if action == "decide" and predikat(ctx.result_rating, ctx.behaviour_rating) is None:
        return "Keputusan harus memuat Rating Hasil Kerja dan Rating Perilaku Kerja."
    return None


def allowed(action: str, state: str, roles, ctx: Context = Context()) -> bool:
    return denial(action, state, roles, ctx) is None


def allowed_actions(state: str, roles, ctx: Context = Context()) -> list[str]:
    """Actions the person could take now, ignoring what they still have to fill in."""
    filled = Context(today=ctx.today, approved_on=ctx.approved_on,
                     objection_days=ctx.objection_days, acknowledged=ctx.acknowledged,
                     result_rating="meets", behaviour_rating="meets", comment="-")
    return [a for a in ACTIONS if allowed(a, state, roles, filled)]


def transition(action: str, state: str, roles, ctx: Context = Context()) -> str:
    """The state after the action; raises DomainError with the reason when not allowed."""
    reason = denial(action, state, roles, ctx)
    if reason:
        raise DomainError(reason)
    return ACTIONS[action][2] or state


def feedback_denial(roles, thread_open: bool) -> str | None:
    """The Pejabat Penilai opens a feedback thread; the employee replies in one already open."""
    if APPRAISER in roles or (OWNER in roles and thread_open):
        return None
    return "Umpan balik diberikan oleh Pejabat Penilai Kinerja; pegawai dapat membalasnya."


# --- Accounts that act beyond their own evaluations ------------------------------
# An admin BKPSDM administers every unit and records for the Kepala Daerah, who is not a
# user: Pejabat Penilai of the heads of OPD, Atasan of their direct reports, and the one who
# sets the organisation predikat. An admin OPD administers the units under their scope.
# `account` is anything with a `role` (the signed-in user).

REGENCY_ADMIN, OPD_ADMIN = "admin", "admin_opd"


def records_for_kepala_daerah(account) -> bool:
    return account.role == REGENCY_ADMIN


def admin_scoped(account) -> bool:
    """Whether what the account administers depends on its scope unit."""
    return account.role == OPD_ADMIN


def admin_sees(account, scope_path: str | None, unit_path: str | None) -> bool:
    """Whether the account administers the unit at `unit_path` (`scope_path`: its scope's)."""
    if account.role == REGENCY_ADMIN:
        return True
    return account.role == OPD_ADMIN and is_within(unit_path or "", scope_path or "")


def reports_by_admin_scope(account) -> bool:
    """Admins see the curve and the recap of the units they administer; anyone else only
    those of the OPD they head."""
    return account.role in (REGENCY_ADMIN, OPD_ADMIN)


def org_predikat_denial(account) -> str | None:
    if account.role == REGENCY_ADMIN:
        return None
    return "Predikat organisasi ditetapkan oleh admin BKPSDM atas nama kepala daerah."


# --- Periods of a year ----------------------------------------------------------

CADENCES = {"bulanan": "Bulanan", "triwulanan": "Triwulanan", "semesteran": "Semesteran"}
DEFAULT_CADENCE = "triwulanan"
_MONTHS_PER = {"bulanan": 1, "triwulanan": 3, "semesteran": 6}
_ROMAN = ["I", "II", "III", "IV"]
_MONTH_NAMES = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                "September", "Oktober", "November", "Desember"]

PERIODIC, ANNUAL = "periodic", "annual"
KINDS = {PERIODIC: "Periodik", ANNUAL: "Tahunan"}
# The kind as the URLs spell it: /kinerja/evaluasi/<year>/<slug>/<number>, ?periode=<slug>[-N].
SLUGS = {PERIODIC: "periodik", ANNUAL: "tahunan"}
KIND_OF_SLUG = {slug: kind for kind, slug in SLUGS.items()}


@dataclass(frozen=True)
class Period:
    kind: str          # periodic | annual
    year: int
    number: int        # 1..12, 1..4, 1..2 for periodic; 1 for annual
    starts: datetime.date
    ends: datetime.date
    label: str

    def contains(self, day: datetime.date) -> bool:
        return self.starts <= day <= self.ends

    @property
    def slug(self) -> str:
        return SLUGS[self.kind]

    @property
    def param(self) -> str:
        return period_param(self.kind, self.number)


def period_param(kind: str, number: int) -> str:
    """A period as ?periode= names it: tahunan, periodik-2."""
    return SLUGS[ANNUAL] if kind == ANNUAL else f"{SLUGS[PERIODIC]}-{number}"


def _label(cadence: str, number: int, year: int) -> str:
    if cadence == "bulanan":
        return f"{_MONTH_NAMES[number - 1]} {year}"
    if cadence == "triwulanan":
        return f"Triwulan {_ROMAN[number - 1]} {year}"
    return f"Semester {_ROMAN[number - 1]} {year}"


def periods(year: int, cadence: str) -> list[Period]:
    """The periodic evaluation periods of a year for a cadence, 1 January to 31 December."""
    step = _MONTHS_PER.get(cadence)
    if step is None:
        raise ValueError(f"unknown cadence {cadence!r}")
    result = []
    for number, first_month in enumerate(range(1, 13, step), start=1):
        last_month = first_month + step - 1
        result.append(Period(PERIODIC, year, number, datetime.date(year, first_month, 1),
                             datetime.date(year, last_month,
                                           calendar.monthrange(year, last_month)[1]),
                             _label(cadence, number, year)))
    return result


def annual_period(year: int) -> Period:
    return Period(ANNUAL, year, 1, datetime.date(year, 1, 1), datetime.date(year, 12, 31),
                  f"Tahunan {year}")


def find_period(year: int, cadence: str, kind: str, number: int) -> Period | None:
    if kind == ANNUAL:
        return annual_period(year) if number == 1 else None
    if kind != PERIODIC:
        return None
    return next((p for p in periods(year, cadence) if p.number == number), None)


def period_of(day: datetime.date, cadence: str) -> Period:
    return next(p for p in periods(day.year, cadence) if p.contains(day))


def chosen_period(raw: str | None, year: int, cadence: str,
                  today: datetime.date) -> tuple[str, int]:
    """(kind, number) that ?periode=tahunan or periodik-N names; when absent or unreadable,
    the last period that has ended (the annual one once the year is over)."""
    raw = (raw or "").strip()
    if raw == SLUGS[ANNUAL]:
        return ANNUAL, 1
    prefix = f"{SLUGS[PERIODIC]}-"
    if raw.startswith(prefix):
        try:
            number = int(raw[len(prefix):])
            if 1 <= number <= 12:
                return PERIODIC, number
        except ValueError:
            pass
    year_periods = periods(year, cadence)
    ended = [p for p in year_periods if p.ends < today]
    if ended and ended[-1].number != len(year_periods):
        return PERIODIC, ended[-1].number
    return ANNUAL, 1


def clip(period: Period, starts: datetime.date, ends: datetime.date) -> Period | None:
    """The part of a period inside an SKP's dates (a transfer starts a new SKP mid-year)."""
    lo, hi = max(period.starts, starts), min(period.ends, ends)
    if lo > hi:
        return None
    return Period(period.kind, period.year, period.number, lo, hi, period.label)


# --- Realisation as information ----------------------------------------------------

def achievement(realised, target) -> Decimal | None:
    """Realisation ÷ target in percent, as information only (§1: no SKP score)."""
    if realised is None or target in (None, 0):
        return None
    try:
        return (Decimal(str(realised)) * 100 / Decimal(str(target))).quantize(Decimal("0.1"))
    except (ArithmeticError, ValueError):
        return None


def period_target(aspect: str, yearly, period_days: int, plan_days: int) -> Decimal | None:
    """What one period should realise of a yearly target: a count (Kuantitas) summed over the
    year in proportion to the period's days in the plan, so that a quarter's 25 of 100 reads
    as on track, not as a quarter done; a level (Kualitas/Waktu/Biaya) is the level itself."""
    if yearly is None:
        return None
    target = Decimal(str(yearly))
    if aspect != "kuantitas" or plan_days <= 0 or period_days >= plan_days:
        return target
    return (target * max(period_days, 0) / plan_days).quantize(Decimal("0.01"))


# --- Angka kredit (§7) ------------------------------------------------------------

CREDIT_PERCENT = {"sangat_baik": 150, "baik": 100, "butuh_perbaikan": 75, "kurang": 50,
                  "sangat_kurang": 25}


def credit_points(annual_coefficient, predikat_key: str, months: int = 12) -> Decimal | None:
    """Angka kredit earned: coefficient × the predikat's percentage × months/12."""
    if predikat_key not in CREDIT_PERCENT or not 0 <= months <= 12:
        return None
    value = (Decimal(str(annual_coefficient)) * CREDIT_PERCENT[predikat_key] * months
             / Decimal(1200))
    return value.quantize(Decimal("0.001"))


# --- What a period's progress gives, and when a period may be evaluated -------------

def realisation(aspect: str, values) -> Decimal | None:
    """The realisation an indicator's progress entries give: for Kuantitas the sum of what was
    done, for Kualitas/Waktu/Biaya (a measured level such as "90 %" or "3 hari") the latest
    measurement. `values`: (date, quantity or None) pairs in any order."""
    measured = [(day, Decimal(str(q))) for day, q in values if q is not None]
    if not measured:
        return None
    if aspect == "kuantitas":
        return sum((q for _, q in measured), Decimal(0))
    return max(measured, key=lambda pair: pair[0])[1]


def fill_opens(period: Period, cadence: str) -> datetime.date:
    """The first day an evaluation of the period may be filled in: a periodic one from the
    start of its period, the annual one from the start of the year's last period."""
    if period.kind == ANNUAL:
        return periods(period.year, cadence)[-1].starts
    return period.starts
