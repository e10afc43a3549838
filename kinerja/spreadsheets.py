"""Reading uploaded CSV/XLSX files as rows of named cells, and writing XLSX/CSV exports.

Every importer (SIASN employees, paper questionnaires) reads through here so that
header matching, line numbers and file errors behave the same everywhere.
"""
import csv
import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook

from .rules.archives import ArchiveError, open_archive
from .rules.text import has_control, normalise_breaks, spreadsheet_cell

# No import knows more columns than this; a sheet may declare 16,384, each row padded to them.
MAX_COLUMNS = 100


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class Row:
    line: int          # the line number the user sees in their spreadsheet
    cells: dict        # normalised header -> raw value (None when empty)
    problem: str | None = None  # cells with control characters: the row is refused for it

    def check_control(self, original_headers: dict) -> None:
        bad = [original_headers.get(h, h) for h, v in self.cells.items() if has_control(v)]
        if bad:
            self.problem = (f"Kolom {', '.join(bad)} memuat karakter tak terlihat yang tidak "
                            "diizinkan (sering terbawa saat menyalin dari dokumen lain); hapus lalu "
                            "ketik ulang isinya.")


def normalise_header(text) -> str:
    return " ".join(str(text or "").strip().lower().replace("_", " ").split())


def read_rows(filename: str, data: bytes, max_rows: int = 50000) -> tuple[list[str], list[Row]]:
    """(headers, rows) of the first sheet; empty rows are skipped, line numbers kept."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        raw_rows = _xlsx_rows(data)
    elif name.endswith(".csv"):
        raw_rows = _csv_rows(data)
    else:
        raise SpreadsheetError("Berkas harus berformat .csv atau .xlsx.")
    try:
        header_line, header = next(raw_rows)
    except StopIteration:
        raise SpreadsheetError("Berkas kosong.") from None
    headers = [normalise_header(h) for h in header]
    shown = {normalise_header(h): str(h).strip() for h in header if h is not None}
    rows = []
    for line, values in raw_rows:
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        cells = {}
        for i, h in enumerate(headers):
            if not h:
                continue
            value = values[i] if i < len(values) else None
            if isinstance(value, str):
                value = normalise_breaks(value).strip() or None
            cells[h] = value
        row = Row(line, cells)
        row.check_control(shown)
        rows.append(row)
        if len(rows) > max_rows:
            raise SpreadsheetError(f"Berkas memuat lebih dari {max_rows} baris; bagi menjadi beberapa berkas.")
    return headers, rows


def _csv_rows(data: bytes):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError("Berkas .csv tidak dapat dibaca: simpan ulang sebagai CSV UTF-8.")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for index, values in enumerate(reader, start=1):
            yield index, [v if v != "" else None for v in values]
    except csv.Error as exc:  # e.g. a field longer than the csv module allows
        raise SpreadsheetError("Berkas .csv tidak dapat dibaca (bukan CSV yang sah).") from exc


def _xlsx_rows(data: bytes):
    unreadable = "Berkas .xlsx tidak dapat dibaca (rusak atau bukan Excel)."
    try:
        open_archive(data).close()
    except ArchiveError as exc:
        raise SpreadsheetError(str(exc)) from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SpreadsheetError(unreadable) from exc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise SpreadsheetError(unreadable) from exc
    try:
        # read_only parses the sheet lazily: a damaged sheet only shows while reading it.
        sheet = workbook.worksheets[0]
        first = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), None)
        if first is None:
            return
        header = list(first)
        while header and (header[-1] is None or str(header[-1]).strip() == ""):
            header.pop()
        yield 1, header
        # Only the header's columns: whatever width the sheet declares, rows stay that short.
        rows = sheet.iter_rows(min_row=2, max_col=max(1, len(header)), values_only=True)
        for index, values in enumerate(rows, start=2):
            yield index, list(values)
    except Exception as exc:
        raise SpreadsheetError("Berkas .xlsx tidak dapat dibaca (rusak atau bukan Excel).") from exc
    finally:
        workbook.close()


def _safe(row) -> list:
    return [spreadsheet_cell(value) for value in row]


def xlsx_bytes(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    """{sheet title: (headers, rows)} as an .xlsx file, in a write-only workbook (low memory).
    Every cell is made readable and formula-safe here, whatever was stored."""
    workbook = Workbook(write_only=True)
    for title, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(spreadsheet_cell(title)[:31])
        sheet.append(_safe(headers))
        for row in rows:
            sheet.append(_safe(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(headers: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_safe(headers))
    writer.writerows(_safe(row) for row in rows)
    # The BOM makes Excel open UTF-8 names (é, ñ) correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
