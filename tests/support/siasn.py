"""SIASN spreadsheets made in the tests: one valid row to change, as CSV or XLSX."""
import csv
import io

from kinerja.models import AuditLog, Employee, Position, Unit, User
from kinerja.spreadsheets import xlsx_bytes
from kinerja.stores.siasn.columns import COLUMNS

HEADERS = [c.header for c in COLUMNS]
BASE = {"NIP_BARU": "199102032015012100", "NAMA": "Rina Lestari", "GELAR_DEPAN": "",
        "GELAR_BELAKANG": "S.Kep., Ns.", "JENIS_PEGAWAI": "PNS", "GOL_AKHIR_NAMA": "III/b",
        "PANGKAT": "", "JABATAN_NAMA": "Perawat Ahli Pertama", "JENIS_JABATAN_NAMA": "Fungsional",
        "ESELON": "", "UNOR_ID": "PKM-SUKAMAJU", "UNOR_NAMA": "UPTD Puskesmas Sukamaju",
        "UNOR_INDUK_ID": "DINKES", "UNOR_INDUK_NAMA": "Dinas Kesehatan", "NIP_ATASAN": "",
        "EMAIL": ""}


def nip(seq: int) -> str:
    """A valid NIP that the demo regency does not have."""
    return f"199102032015011{seq:03d}"


def row(**changes) -> dict:
    data = dict(BASE)
    data.update({key.upper(): value for key, value in changes.items()})
    return data


def csv_of(*rows, headers=HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for item in rows:
        writer.writerow([item.get(h, "") for h in headers])
    return out.getvalue().encode()


def xlsx_of(*rows, headers=HEADERS) -> bytes:
    return xlsx_bytes({"Pegawai": (headers, [[item.get(h, "") for h in headers] for item in rows])})



def counts():
    return {"units": Unit.select().count(), "positions": Position.select().count(),
            "employees": Employee.select().count(), "users": User.select().count(),
            "audit": AuditLog.select().count()}


def reasons_of(plan, line):
    return " ".join(next(b.reasons for b in plan.bad if b.line == line))
