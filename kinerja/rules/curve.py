"""The distribution curve (domain/skp.md §5): the organisation predikat of an OPD caps the
share of each employee predikat. The caps are read from a setting and the breaches shown as
warnings, never as a reason to refuse a rating. Pure functions, no Flask."""
import json
from dataclasses import dataclass
from decimal import Decimal

from ..formatting import angka
from .evaluation import ORG_PREDIKATS, PREDIKATS


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
