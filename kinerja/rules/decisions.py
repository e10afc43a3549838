"""The rewards and sanctions ledger: which decisions exist and on what legal basis, who may
propose and decide, and when a decision is in force. Kinerja records proposals and BKPSDM's
decisions; it never applies a reward or a sanction by itself."""
import calendar
import datetime
from dataclasses import dataclass

from . import DomainError

REWARD, SANCTION = "penghargaan", "sanksi"
CATEGORIES = {REWARD: "Penghargaan", SANCTION: "Sanksi"}


@dataclass(frozen=True)
class Kind:
    category: str
    label: str
    basis: str
    # Sanctions of PP 94/2021 run for a fixed number of months from the SK's date of effect.
    months: int | None = None


KINDS = {
    "piagam": Kind(REWARD, "Piagam/sertifikat penghargaan",
                   "PP 30/2019 (tindak lanjut hasil penilaian kinerja)"),
    "finansial": Kind(REWARD, "Penghargaan finansial (insentif/TPP)",
                      "PP 30/2019; peraturan kepala daerah tentang tambahan penghasilan pegawai"),
    "prioritas_pengembangan": Kind(REWARD, "Prioritas pengembangan kompetensi",
                                   "PP 30/2019; PP 11/2017 jo. PP 17/2020 (pengembangan kompetensi)"),
    "usulan_promosi": Kind(REWARD, "Usulan kenaikan pangkat/promosi jabatan",
                           "PP 30/2019; PP 11/2017 jo. PP 17/2020 (kenaikan pangkat dan promosi)"),
    "penurunan_jabatan_kinerja": Kind(SANCTION, "Penempatan pada jabatan yang lebih rendah",
                                      "PP 30/2019 Pasal 56–58 (tidak memenuhi target kinerja)"),
    "pemindahan_kinerja": Kind(SANCTION, "Pemindahan ke jabatan lain yang sesuai",
                               "PP 30/2019 Pasal 56–58 (tidak memenuhi target kinerja)"),
    "pemberhentian_kinerja": Kind(SANCTION, "Pemberhentian dengan hormat (kinerja)",
                                  "PP 30/2019 Pasal 56–58 (tidak memenuhi target kinerja)"),
    "teguran_lisan": Kind(SANCTION, "Teguran lisan", "PP 94/2021 Pasal 8 ayat (2) huruf a"),
    "teguran_tertulis": Kind(SANCTION, "Teguran tertulis", "PP 94/2021 Pasal 8 ayat (2) huruf b"),
    "tidak_puas": Kind(SANCTION, "Pernyataan tidak puas secara tertulis",
                       "PP 94/2021 Pasal 8 ayat (2) huruf c"),
    "potong_tukin_6": Kind(SANCTION, "Pemotongan tunjangan kinerja 25 % selama 6 bulan",
                           "PP 94/2021 Pasal 8 ayat (3) huruf a", 6),
    "potong_tukin_9": Kind(SANCTION, "Pemotongan tunjangan kinerja 25 % selama 9 bulan",
                           "PP 94/2021 Pasal 8 ayat (3) huruf b", 9),
    "potong_tukin_12": Kind(SANCTION, "Pemotongan tunjangan kinerja 25 % selama 12 bulan",
                            "PP 94/2021 Pasal 8 ayat (3) huruf c", 12),
    "penurunan_jabatan": Kind(SANCTION, "Penurunan jabatan setingkat lebih rendah selama 12 bulan",
                              "PP 94/2021 Pasal 8 ayat (4) huruf a", 12),
    "pembebasan_jabatan": Kind(SANCTION, "Pembebasan dari jabatan menjadi jabatan pelaksana "
                                         "selama 12 bulan", "PP 94/2021 Pasal 8 ayat (4) huruf b", 12),
    "pemberhentian_disiplin": Kind(SANCTION, "Pemberhentian dengan hormat tidak atas permintaan "
                                             "sendiri sebagai PNS", "PP 94/2021 Pasal 8 ayat (4) huruf c"),
}

PROPOSED, APPROVED, REJECTED, WITHDRAWN = "diusulkan", "disetujui", "ditolak", "ditarik"
STATUSES = {PROPOSED: "Menunggu BKPSDM", APPROVED: "Disetujui", REJECTED: "Ditolak",
            WITHDRAWN: "Ditarik pengusul"}
STATUS_BADGES = {PROPOSED: "info", APPROVED: "ok", REJECTED: "warn", WITHDRAWN: ""}

# How an actor stands to the employee a proposal is about.
APPRAISER, OPD_HEAD = "pejabat_penilai", "kepala_opd"

NOT_A_PROPOSER = ("Usulan penghargaan atau sanksi hanya dapat diajukan oleh Pejabat Penilai "
                  "Kinerja pegawai atau kepala OPD-nya.")
NOT_BKPSDM = "Usulan penghargaan dan sanksi diputuskan oleh admin BKPSDM."
NOT_WAITING = "Usulan ini sudah diputuskan atau ditarik."
NOT_PROPOSER = "Hanya pengusul yang dapat menarik usulannya."
OWN_DECISION = "Anda tidak dapat mengusulkan penghargaan atau sanksi untuk diri sendiri."


def kind_label(key: str) -> str:
    kind = KINDS.get(key)
    return kind.label if kind else key


def kind_choices(category: str) -> list[tuple[str, str]]:
    return [(key, kind.label) for key, kind in KINDS.items() if kind.category == category]


def kind_denial(category: str, kind: str) -> str | None:
    if category not in CATEGORIES:
        return "Pilih penghargaan atau sanksi."
    if kind not in KINDS or KINDS[kind].category != category:
        return "Jenis tidak sesuai dengan kategori yang dipilih."
    return None


def propose_denial(relations: set[str], own: bool) -> str | None:
    if own:
        return OWN_DECISION
    if not relations & {APPRAISER, OPD_HEAD}:
        return NOT_A_PROPOSER
    return None


def decide_denial(role: str, status: str) -> str | None:
    if role != "admin":
        return NOT_BKPSDM
    if status != PROPOSED:
        return NOT_WAITING
    return None


def withdraw_denial(is_proposer: bool, status: str) -> str | None:
    if not is_proposer:
        return NOT_PROPOSER
    if status != PROPOSED:
        return NOT_WAITING
    return None


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def validity(kind: str, valid_from: datetime.date | None,
             valid_until: datetime.date | None) -> tuple[datetime.date | None, datetime.date | None]:
    """The period a decision is in force. A sanction of a fixed length ends that many months
    after it takes effect when no end is given; an end before the start is refused."""
    if valid_until is not None and valid_from is not None and valid_until < valid_from:
        raise DomainError("Tanggal berakhir tidak boleh sebelum tanggal mulai berlaku.",
                          field="valid_until")
    if valid_until is not None and valid_from is None:
        raise DomainError("Isi tanggal mulai berlaku bila tanggal berakhir diisi.", field="valid_from")
    months = KINDS[kind].months if kind in KINDS else None
    if valid_until is None and valid_from is not None and months:
        valid_until = add_months(valid_from, months) - datetime.timedelta(days=1)
    return valid_from, valid_until


def in_force(status: str, valid_from, valid_until, today: datetime.date) -> bool:
    """Approved, started (from its start, or at once when none is set) and not yet over."""
    return (status == APPROVED and (valid_from is None or valid_from <= today)
            and (valid_until is None or today <= valid_until))


def on_honour_roll(category: str, status: str, public: bool, sk_date, year: int) -> bool:
    return (category == REWARD and status == APPROVED and public and sk_date is not None
            and sk_date.year == year)
