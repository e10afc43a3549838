"""Service turnaround: how a set of documents stands against the unit's service standard (SOP
days, counted on the working calendar of rules/calendar.py), reading a service log, and the
indicators proposed from that evidence."""
import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MAX_SOP_DAYS = 365
EMAIL = re.compile(r"\S+@\S+")
LONG_NUMBER = re.compile(r"(?:\+?\d[\d .-]{4,}\d)")
MAX_KIND_LENGTH = 100
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
                    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%d",
                    "%d/%m/%Y", "%d-%m-%Y")


def median(values) -> Decimal | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """Documents finished in a period against their standard."""
    count: int
    within: int
    median_days: Decimal | None

    @property
    def within_percent(self) -> Decimal | None:
        return percent(self.within, self.count)

    @property
    def late(self) -> int:
        return self.count - self.within


def figures(pairs) -> Figures:
    """`pairs`: (working days taken, SOP days) per document."""
    pairs = list(pairs)
    return Figures(count=len(pairs), within=sum(1 for days, sop in pairs if days <= sop),
                   median_days=median(days for days, _ in pairs))


def parse_moment(value) -> datetime.datetime:
    """A date and time from a spreadsheet cell: a real date cell, or text as 2026-03-02 08:15
    or 02/03/2026 08:15 (a date alone is taken as the start of that day)."""
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValueError("kosong")
    for pattern in DATETIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(f"“{text[:40]}” bukan tanggal dan jam (tulis 2026-03-02 08:15)")


def parse_kind(value) -> str:
    text = " ".join(("" if value is None else str(value)).split())
    if not text:
        raise ValueError("kosong")
    if len(text) > MAX_KIND_LENGTH:
        raise ValueError(f"lebih dari {MAX_KIND_LENGTH} karakter")
    return text


def moment_problem(received: datetime.datetime, finished: datetime.datetime,
                   today: datetime.date) -> str | None:
    if finished < received:
        return "Waktu selesai lebih awal dari waktu diterima."
    if finished.date() > today:
        return "Waktu selesai tidak boleh setelah hari ini."
    if received.year < 2000:
        return "Waktu diterima sebelum tahun 2000."
    return None


def viewer_may_see(role: str, unit_path: str, scope_path: str | None,
                   headed_path: str | None) -> bool:
    """BKPSDM sees every unit; an admin OPD the units of their OPD; the head of an OPD theirs."""
    if role == "admin":
        return True
    if role == "admin_opd" and scope_path and unit_path.startswith(scope_path):
        return True
    return bool(headed_path) and unit_path.startswith(headed_path)


def viewer_may_manage(role: str, unit_path: str, scope_path: str | None) -> bool:
    """Standards and imports belong to the admins: BKPSDM, or the admin OPD of the unit."""
    return role == "admin" or (role == "admin_opd" and bool(scope_path)
                               and unit_path.startswith(scope_path))


def anonymised(text: str | None, limit: int = 160) -> str:
    """A citizen's words for a public page: e-mail addresses and long numbers (telephone,
    NIK) hidden, whitespace folded, cut at a word to `limit` characters."""
    text = EMAIL.sub("[surel]", " ".join((text or "").split()))
    text = LONG_NUMBER.sub("[angka]", text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


# --- Indicators proposed for the next SKP ------------------------------------------------------

SKM_TARGETS = (Decimal("3.25"), Decimal("3.55"), Decimal("3.80"))
SHARE_TARGETS = (Decimal(90), Decimal(95), Decimal(100))


@dataclass(frozen=True)
class Proposal:
    key: str
    source: str           # where the evidence comes from, as the user reads it
    text: str             # the indicator
    aspect: str           # INDICATOR_ASPECTS key
    target_min: Decimal
    target_unit: str
    basis: str            # the numbers behind it

    @property
    def target_text(self) -> str:
        return f"{self.text} ≥ {comma(self.target_min)}{' %' if self.target_unit == '%' else ''}"


def comma(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def next_step(current: Decimal, steps) -> Decimal:
    """The first target above what was reached; the last when every one is reached."""
    return next((step for step in steps if current < step), steps[-1])


def skm_proposal(service_unit_id: int, service_unit: str, code: str, element: str,
                 nrr: Decimal, answers: int, year: int) -> Proposal:
    return Proposal(key=f"skm-{service_unit_id}-{code}", source="Survei Kepuasan Masyarakat",
                    text=f"NRR unsur {element} {service_unit}", aspect="kualitas",
                    target_min=next_step(nrr, SKM_TARGETS), target_unit="NRR",
                    basis=f"NRR {year}: {comma(nrr.quantize(Decimal('0.01'), ROUND_HALF_UP))} "
                          f"dari {answers} jawaban")


def turnaround_proposal(key: str, kind: str, sop_days: int, result: Figures, year: int) -> Proposal:
    reached = result.within_percent or Decimal(0)
    return Proposal(key=key, source="Waktu layanan",
                    text=f"Persentase dokumen {kind} selesai ≤ {sop_days} hari kerja",
                    aspect="waktu", target_min=next_step(reached, SHARE_TARGETS), target_unit="%",
                    basis=f"{year}: {comma(reached)} % dari {result.count} dokumen; median "
                          f"{comma(result.median_days)} hari kerja")


def complaint_proposal(service_unit_id: int, service_unit: str, days: int, on_time_pct,
                       received: int, year: int) -> Proposal:
    reached = Decimal(str(on_time_pct)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Proposal(key=f"aduan-{service_unit_id}", source="Pengaduan",
                    text=f"Persentase pengaduan {service_unit} dijawab ≤ {days} hari kerja",
                    aspect="waktu", target_min=next_step(reached, SHARE_TARGETS), target_unit="%",
                    basis=f"{year}: {comma(reached)} % dijawab tepat waktu dari {received} "
                          "pengaduan")
