"""Reading the cells every row-by-row import shares (attendance, training records, a unit's
service log): text as typed, an 18-digit NIP that a spreadsheet may have mangled, and the
employees the rows name."""
from ..models import Employee, Unit
from .chunks import chunks

# Rows per query when an import looks up what its rows name.
CHUNK = 500


def text(value) -> str:
    """A cell as the person typed it: a whole number without ".0", no surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def employees_named(nips) -> dict[str, Employee]:
    """{NIP: the employee, with their unit} of those of these NIPs that exist."""
    found = {}
    for chunk in chunks(nips, CHUNK):
        for e in (Employee.select(Employee, Unit).join(Unit, on=(Employee.unit == Unit.id))
                  .where(Employee.nip.in_(chunk))):
            found[e.nip] = e
    return found


def nip(value) -> tuple[str, str | None]:
    """(the NIP, or what stood there, cut short; the problem with it, or None)."""
    if isinstance(value, float):
        # Excel keeps a number in 15 significant digits: an 18-digit NIP typed as a number
        # has already lost its last digits.
        return text(value), ("NIP tersimpan sebagai angka sehingga digit terakhirnya hilang; "
                             "ubah format kolom NIP menjadi Teks lalu ketik ulang.")
    found = text(value).replace(" ", "").lstrip("'")
    if not found:
        return "", "NIP kosong."
    if not found.isdigit() or len(found) != 18:
        return found[:30], f"NIP “{found[:30]}” harus 18 angka."
    return found, None


class RowsChecked:
    """What a dry run's plan says of its rows (each with its `problems`)."""
    rows: list

    @property
    def good(self) -> list:
        return [r for r in self.rows if not r.problems]

    @property
    def bad(self) -> list:
        return [r for r in self.rows if r.problems]
