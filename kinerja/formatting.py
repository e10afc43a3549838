"""Dates, times and numbers the Indonesian way; registered as Jinja filters."""
import datetime
from decimal import ROUND_HALF_UP, Decimal

from . import clock

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


def tanggal(value) -> str:
    """22 November 2026"""
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def waktu(value) -> str:
    """A stored naive-UTC datetime as '22 November 2026 14.05 WIB', in the regency's zone."""
    if value is None:
        return "-"
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    local = clock.to_local(value)
    return f"{tanggal(local)} {local:%H.%M} {clock.zone_label(local)}"


def angka(value, places: int = 2) -> str:
    """91.48 → '91,48'; thousands with dots: 10000 → '10.000'."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    quant = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    whole, _, frac = f"{number:,.{places}f}".partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{frac}" if places else whole


def register(app) -> None:
    app.jinja_env.filters.update(tanggal=tanggal, waktu=waktu, angka=angka)
    app.jinja_env.globals.update(zone_label=clock.zone_label)
