"""Fair counting of online responses (domain/skm.md §5).

A suspicious response is not refused: it is kept, flagged with its reasons and left out
of the index until staff review it, and the citizen sees the same thank-you. Only an
address far beyond its limit is turned away, so a flood cannot fill the disk.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    min_seconds: int = 10          # a human needs longer to read nine questions
    window_minutes: int = 60
    per_address: int = 10          # CGNAT and a Puskesmas' wifi share one address: flag, don't refuse
    per_unit: int = 300            # all sources together, for one service unit
    hard_per_address: int = 100    # beyond this nothing more is stored from that address


def flag_reasons(limits: Limits, *, honeypot: str, fill_seconds: int,
                 address_count: int | None, unit_count: int) -> list[str]:
    """Why this response is suspicious (empty: it is valid).

    `address_count` is the number of earlier responses from the same address within the
    window, or None for a counter kiosk (exempt); `unit_count` those of the service unit.
    """
    reasons = []
    if honeypot.strip():
        reasons.append("Isian tersembunyi (jebakan robot) terisi")
    if fill_seconds < limits.min_seconds:
        reasons.append(f"Diisi terlalu cepat ({max(fill_seconds, 0)} detik)")
    if address_count is not None and address_count >= limits.per_address:
        reasons.append(f"Lebih dari {limits.per_address} tanggapan dari satu alamat dalam "
                       f"{limits.window_minutes} menit")
    if unit_count >= limits.per_unit:
        reasons.append(f"Lebih dari {limits.per_unit} tanggapan untuk unit ini dalam "
                       f"{limits.window_minutes} menit")
    return reasons


def refused(limits: Limits, address_count: int | None) -> bool:
    return address_count is not None and address_count >= limits.hard_per_address


def flag_text(reasons: list[str], max_length: int = 200) -> str | None:
    if not reasons:
        return None
    text = "; ".join(reasons)
    return text if len(text) <= max_length else text[:max_length - 1] + "…"
