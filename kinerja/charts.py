"""Geometry of the server-rendered SVG charts (the public SKM pages; no script needed).

Presentation, like pdf.py and spreadsheets.py: not a rule of the domain (no regulation
says how wide a bar is) and not a store (it reads nothing). Results in, coordinates out;
the templates only draw them. Values are on the IKM scale 0–100 so the mutu bands (§3)
can be drawn as guide lines.
"""
from dataclasses import dataclass
from decimal import Decimal

from .rules.ikm import GRADES
from .rules.survey_periods import ROMAN

BAND_LINES = tuple(sorted(grade.lower for grade in GRADES if grade.lower))
SHORT_KIND = {"triwulan": "Tw", "semester": "Smt", "tahun": ""}


@dataclass(frozen=True)
class Bar:
    label: str
    sublabel: str
    value: Decimal | None      # on the 0–100 scale
    text: Decimal | None       # the figure printed beside the bar
    grade: str                 # mutu letter, for the colour ("" when no value)
    x: float
    y: float
    width: float
    height: float


def _r(value: float) -> float:
    return round(value, 1)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list
    guides: list               # (x1, y1, x2, y2, value) of the band lines
    left: float = 0
    right: float = 0
    top: float = 0
    bottom: float = 0


def elements_chart(element_results) -> Chart:
    """Horizontal bars: NRR × 25 of each element, NRR printed beside the bar."""
    left, right, row, bar = 30.0, 270.0, 30.0, 20.0
    span = right - left
    bars = []
    for i, r in enumerate(element_results):
        value = r.converted
        width = float(value) / 100 * span if value is not None else 0.0
        bars.append(Bar(r.element.label, r.element.name, value, r.nrr_rounded,
                        r.grade.letter if r.grade else "", left, 6 + i * row, _r(width), bar))
    height = int(12 + len(bars) * row)
    guides = [(_r(left + float(v) / 100 * span), 0, _r(left + float(v) / 100 * span), height - 6, v)
              for v in BAND_LINES]
    return Chart(340, height, bars, guides, left=left, right=right)


def period_short(period) -> tuple[str, str]:
    kind = SHORT_KIND.get(period.kind, "")
    return (f"{kind} {ROMAN.get(period.number, period.number)}".strip() if kind else "Tahun",
            str(period.year))


def trend_chart(history, limit: int = 8) -> Chart:
    """Vertical bars of the IKM per period, oldest on the left (history is newest first)."""
    shown = list(reversed(history[:limit]))
    top, bottom, left, right = 18.0, 150.0, 8.0, 332.0
    span = bottom - top
    slot = (right - left) / max(len(shown), 1)
    width = min(28.0, slot * 0.6)
    bars = []
    for i, stats in enumerate(shown):
        value = stats.result.ikm
        height = float(value) / 100 * span if value is not None else 0.0
        label, sublabel = period_short(stats.period)
        bars.append(Bar(label, sublabel, value, value,
                        stats.result.grade.letter if stats.result.grade else "",
                        _r(left + i * slot + (slot - width) / 2), _r(bottom - height), _r(width),
                        _r(height)))
    guides = [(left, _r(bottom - float(v) / 100 * span), right, _r(bottom - float(v) / 100 * span), v)
              for v in BAND_LINES]
    return Chart(340, 184, bars, guides, left=left, right=right, top=top, bottom=bottom)


def meter(value: Decimal | None) -> float:
    """Width (0–100) of the small bar beside a unit's IKM in the regency overview."""
    return float(value) if value is not None else 0.0


@dataclass(frozen=True)
class ShareBar:
    label: str
    text: str                  # the figure printed at the end of the bar
    tone: str                  # css class of the bar
    label_y: float
    y: float
    width: float
    marker: float | None       # x of a limit drawn across the bar (a curve cap), if any


def share_chart(rows, width: int = 340) -> Chart:
    """Horizontal bars on a 0–100 % scale, each with its label above it, so long names (an
    OPD, a predikat) stay readable on a phone and in print. `rows` are (label, percent,
    text, tone, marker percent or None)."""
    rows = list(rows)
    # The value is written right of the track: room for the longest ("1.234 dari 4.027").
    longest = max((len(str(row[2])) for row in rows), default=0)
    left, right, row_height = 0.0, width - max(60.0, 10 + 6.5 * longest), 38.0
    span = right - left
    bars = []
    for i, (label, percent, text, tone, marker) in enumerate(rows):
        top = 4 + i * row_height
        share = max(0.0, min(float(percent or 0), 100.0))
        bars.append(ShareBar(label, text, tone, _r(top + 12), _r(top + 17), _r(share / 100 * span),
                             _r(left + float(marker) / 100 * span) if marker is not None else None))
    guides = [(_r(left + v / 100 * span), 0, _r(left + v / 100 * span), int(8 + len(bars) * row_height) - 4, v)
              for v in (50, 100)]
    return Chart(width, int(8 + len(bars) * row_height), bars, guides, left=left, right=right)
