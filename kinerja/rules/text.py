"""Text as people paste it. Word's Shift+Enter arrives as a vertical tab, old Mac files as a
bare CR, web pages as U+2028: all of them are line breaks and become "\n". Any other control
character is refused on input, dropped from what was stored before, and never written into
a spreadsheet, where it would make the whole file unreadable (openpyxl refuses it)."""
import re

LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 and C1 controls except tab and newline (the breaks above are turned into newlines first).
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# A spreadsheet cell starting with one of these runs as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTROL_MESSAGE = ("Isian memuat karakter tak terlihat yang tidak diizinkan (sering terbawa saat "
                   "menyalin dari dokumen lain); hapus lalu ketik ulang bagian itu.")


def normalise_breaks(value):
    """Every kind of pasted line break as "\n"; anything not a string passes unchanged."""
    return LINE_BREAKS.sub("\n", value) if isinstance(value, str) else value


def has_control(value) -> bool:
    return isinstance(value, str) and CONTROL.search(normalise_breaks(value)) is not None


def clean(value):
    """Breaks normalised, other control characters dropped: for what is already stored."""
    return CONTROL.sub("", normalise_breaks(value)) if isinstance(value, str) else value


def formula_safe(value):
    """A text cell that a spreadsheet would run as a formula gets a leading quote;
    numbers, dates and empty cells pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_cell(value):
    """What every cell the app writes goes through: readable, and never a formula."""
    return formula_safe(clean(value))
