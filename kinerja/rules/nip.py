"""NIP and NI PPPK structure (domain/skp.md §8): birth date YYYYMMDD, then TMT CPNS YYYYMM
(PNS) or the year of first appointment YYYY and a two-digit code (PPPK), sex (1 male,
2 female), and a three-digit sequence."""
import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class NipInfo:
    birth_date: datetime.date
    tmt_year: int
    tmt_month: int
    sex: str  # "L" or "P"


def normalise(raw) -> str:
    """Spreadsheets and people write NIPs with spaces or dots; keep the digits' order."""
    text = "" if raw is None else str(raw)
    if text.endswith(".0"):  # a NIP read as a float from a spreadsheet cell
        text = text[:-2]
    return "".join(ch for ch in text if not ch.isspace() and ch not in ".-")


def nip_errors(nip: str, today: datetime.date, employment: str | None = "pns") -> list[str]:
    """Every structural problem of the number, in Indonesian, naming the part that is wrong.

    A PNS's NIP carries the month of the TMT CPNS in digits 13–14; a PPPK's NI PPPK carries a
    code there that is not a month (skp.md §8). With no status known (an appraiser's number
    in an import), a number valid in either pattern is accepted.
    """
    if employment is None:
        pppk = _errors(nip, today, "pppk")
        return pppk and _errors(nip, today, "pns")
    return _errors(nip, today, employment)


def _errors(nip: str, today: datetime.date, employment: str) -> list[str]:
    label = "NI PPPK" if employment == "pppk" else "NIP"
    if not nip:
        return [f"{label} wajib diisi."]
    if not nip.isdigit() or not nip.isascii():
        return [f"{label} hanya boleh berisi angka."]
    if len(nip) != 18:
        return [f"{label} harus 18 digit (yang diisi {len(nip)} digit)."]
    errors = []
    birth = None
    try:
        birth = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        errors.append(f"Digit 1–8 (tanggal lahir) bukan tanggal yang sah: {nip[0:8]}.")
    if birth is not None and not (1940 <= birth.year and birth <= today):
        errors.append(f"Digit 1–8 (tanggal lahir) di luar rentang yang wajar: {nip[0:8]}.")
        birth = None
    if employment == "pppk":
        errors += _appointment_year_errors(nip, today, birth)
    else:
        errors += _tmt_errors(nip, today, birth)
    if nip[14] not in "12":
        errors.append(f"Digit ke-15 (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan), bukan {nip[14]}.")
    if nip[15:18] == "000":
        errors.append("Digit 16–18 (nomor urut) tidak boleh 000.")
    return errors


def _tmt_errors(nip: str, today: datetime.date, birth: datetime.date | None) -> list[str]:
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12:
        return [f"Digit 9–14 (TMT CPNS, tahun dan bulan) memuat bulan yang tidak sah: {nip[8:14]}."]
    if tmt_year * 12 + tmt_month > today.year * 12 + today.month + 12:
        return [f"Digit 9–14 (TMT CPNS) jauh di masa depan: {nip[8:14]}."]
    if birth is not None and tmt_year * 12 + tmt_month < (birth.year + 18) * 12 + birth.month:
        return [f"Digit 9–14 (TMT CPNS) {nip[8:14]} lebih awal dari usia 18 tahun "
                "menurut tanggal lahir pada digit 1–8."]
    return []


def _appointment_year_errors(nip: str, today: datetime.date, birth: datetime.date | None) -> list[str]:
    """Digits 9–12 of an NI PPPK: the year of first appointment; 13–14 are a code, any two digits."""
    year = int(nip[8:12])
    if year > today.year + 1:
        return [f"Digit 9–12 (tahun pengangkatan PPPK) jauh di masa depan: {nip[8:12]}."]
    if birth is not None and year < birth.year + 18:
        return [f"Digit 9–12 (tahun pengangkatan PPPK) {nip[8:12]} lebih awal dari usia 18 tahun "
                "menurut tanggal lahir pada digit 1–8."]
    return []


def parse_nip(nip: str, today: datetime.date) -> NipInfo:
    """The parts of a valid PNS NIP; raises ValueError on an invalid one."""
    errors = nip_errors(nip, today)
    if errors:
        raise ValueError(errors[0])
    return NipInfo(datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8])),
                   int(nip[8:12]), int(nip[12:14]), "L" if nip[14] == "1" else "P")
