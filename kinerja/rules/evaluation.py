"""Evaluation rules (domain/skp.md §4, §5, §7): ratings, the predikat matrix, the states of an
evaluation and who may act in each, the periods of a year, the distribution-curve caps and
angka kredit. Pure functions, no Flask."""
import calendar
import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from ..formatting import angka, tanggal

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

# The people around one evaluation, as seen by the person acting.
OWNER, APPRAISER, SUPERIOR, ADMIN = "owner", "appraiser", "superior", "admin"

# action -> (states it may start from, roles that may take it, state it leads to)
ACTIONS = {
    "edit": ({"draft", "returned"}, {OWNER}, None),
    "submit": ({"draft", "returned"}, {OWNER}, "submitted"),
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


class Denied(Exception):
    """The action is not allowed; the message tells the user why, in Indonesian."""


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
    """The state after the action; raises Denied with the reason when not allowed."""
    reason = denial(action, state, roles, ctx)
    if reason:
        raise Denied(reason)
    return ACTIONS[action][2] or state


# --- Periods of a year ----------------------------------------------------------

CADENCES = {"bulanan": "Bulanan", "triwulanan": "Triwulanan", "semesteran": "Semesteran"}
DEFAULT_CADENCE = "triwulanan"
_MONTHS_PER = {"bulanan": 1, "triwulanan": 3, "semesteran": 6}
_ROMAN = ["I", "II", "III", "IV"]
_MONTH_NAMES = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                "September", "Oktober", "November", "Desember"]

PERIODIC, ANNUAL = "periodic", "annual"
KINDS = {PERIODIC: "Periodik", ANNUAL: "Tahunan"}


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


# --- Distribution curve (§5) ---------------------------------------------------

@dataclass(frozen=True)
class Cap:
    """A bound on the share (percent) or count of employees with one of `predikats`."""
    predikats: tuple[str, ...]
    bound: str                 # "max" | "min"
    percent: Decimal | None = None
    count: int | None = None


DEFAULT_CAPS = {
    "istimewa": (Cap(("sangat_baik",), "max", Decimal(70)),),
    "baik": (Cap(("baik",), "max", Decimal(70)),
             Cap(("butuh_perbaikan", "kurang"), "min", count=1)),
    "butuh_perbaikan": (Cap(("sangat_baik",), "max", Decimal(10)),
                        Cap(("butuh_perbaikan",), "min", Decimal(60))),
    "kurang": (Cap(("sangat_baik",), "max", Decimal(10)),
               Cap(("butuh_perbaikan",), "min", Decimal(10)),
               Cap(("kurang",), "min", Decimal(60))),
    "sangat_kurang": (Cap(("sangat_baik",), "max", Decimal(0)),
                      Cap(("sangat_kurang",), "min", Decimal(60))),
}

CAPS_SETTING = "evaluation.curve_caps"


def caps_to_json(caps: dict) -> str:
    return json.dumps({org: [{"predikat": list(c.predikats), "bound": c.bound,
                              **({"percent": str(c.percent)} if c.percent is not None else {}),
                              **({"count": c.count} if c.count is not None else {})}
                             for c in rows] for org, rows in caps.items()}, ensure_ascii=False)


def caps_from_json(text: str | None) -> dict:
    """The caps of the setting; the defaults when the setting is absent or unreadable,
    so a mistyped setting shows the table of §5 rather than breaking the page."""
    if not text:
        return DEFAULT_CAPS
    try:
        raw = json.loads(text)
        caps = {}
        for org, rows in raw.items():
            if org not in ORG_PREDIKATS:
                raise ValueError(org)
            parsed = []
            for row in rows:
                names = tuple(row["predikat"])
                if not names or any(n not in PREDIKATS for n in names) \
                        or row["bound"] not in ("max", "min"):
                    raise ValueError(row)
                percent = Decimal(str(row["percent"])) if "percent" in row else None
                count = int(row["count"]) if "count" in row else None
                if (percent is None) == (count is None):
                    raise ValueError(row)
                if percent is not None and not Decimal(0) <= percent <= Decimal(100):
                    raise ValueError(row)
                if count is not None and count < 0:
                    raise ValueError(row)
                parsed.append(Cap(names, row["bound"], percent, count))
            caps[org] = tuple(parsed)
        return caps
    except (ValueError, KeyError, TypeError, ArithmeticError, AttributeError):
        return DEFAULT_CAPS


def _names(predikats) -> str:
    return " atau ".join(PREDIKATS[p] for p in predikats)


def curve_warnings(counts: dict, org_predikat: str | None, caps: dict = DEFAULT_CAPS) -> list[str]:
    """Where the distribution of employee predikat breaks the caps of the organisation
    predikat: warnings to show, never a reason to refuse anything."""
    total = sum(max(int(counts.get(p, 0) or 0), 0) for p in PREDIKATS)
    if not total or org_predikat not in caps:
        return []
    org = ORG_PREDIKATS[org_predikat]
    warnings = []
    for cap in caps[org_predikat]:
        n = sum(max(int(counts.get(p, 0) or 0), 0) for p in cap.predikats)
        share = Decimal(n * 100) / total
        shown = f"{angka(share, 1)} % ({n} dari {total} pegawai)"
        if cap.percent is not None:
            if cap.bound == "max" and share > cap.percent:
                warnings.append(f"Predikat {_names(cap.predikats)} {shown} melebihi batas paling "
                                f"banyak {angka(cap.percent, 0)} % untuk predikat organisasi {org}.")
            if cap.bound == "min" and share < cap.percent:
                warnings.append(f"Predikat {_names(cap.predikats)} {shown} kurang dari batas paling "
                                f"sedikit {angka(cap.percent, 0)} % untuk predikat organisasi {org}.")
        else:
            if cap.bound == "max" and n > cap.count:
                warnings.append(f"Predikat {_names(cap.predikats)} diberikan kepada {n} pegawai; "
                                f"paling banyak {cap.count} untuk predikat organisasi {org}.")
            if cap.bound == "min" and n < cap.count:
                warnings.append(f"Predikat organisasi {org} mensyaratkan paling sedikit "
                                f"{cap.count} pegawai dengan predikat {_names(cap.predikats)}; "
                                f"saat ini {n}.")
    return warnings


def describe_caps(caps_for_org) -> list[str]:
    """The caps of one organisation predikat as sentences for the curve page."""
    lines = []
    for cap in caps_for_org:
        limit = f"{angka(cap.percent, 0)} %" if cap.percent is not None else f"{cap.count} pegawai"
        word = "paling banyak" if cap.bound == "max" else "paling sedikit"
        lines.append(f"{_names(cap.predikats)}: {word} {limit}")
    return lines


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
