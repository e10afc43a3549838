"""The demo regency's organisation: units, positions, employees and their accounts.

Deterministic (a fixed seed) so that the README, the tests and the screens agree.
"""
import datetime
import random

from ..models import Employee, Position, Unit, User

FIRST_M = ["Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irwan", "Joko", "Rahmat", "Yusuf",
           "Taufik", "Arif", "Bambang", "Hadi", "Ridwan", "Wahyu", "Andi", "Dimas", "Rizky", "Asep"]
FIRST_F = ["Siti", "Dewi", "Rina", "Sri", "Nur", "Yuli", "Fitri", "Lestari", "Ani", "Wulan",
           "Indah", "Ratna", "Maya", "Nining", "Euis", "Ayu", "Putri", "Rahma", "Dian", "Lilis"]
LAST = ["Santoso", "Wijaya", "Hidayat", "Saputra", "Kurniawan", "Setiawan", "Nurhayati", "Rahayu",
        "Permana", "Suryadi", "Gunawan", "Hermawan", "Susanti", "Pratama", "Maulana", "Handayani",
        "Firmansyah", "Kusuma", "Ramdani", "Sulistyowati"]

PNS_GRADES = [
    ("II/a", "Pengatur Muda"), ("II/b", "Pengatur Muda Tingkat I"), ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"), ("III/a", "Penata Muda"), ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"), ("III/d", "Penata Tingkat I"), ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"), ("IV/c", "Pembina Utama Muda"),
]
GRADE_BY_KIND = {"jpt_pratama": (9, 10), "administrator": (7, 9), "pengawas": (6, 8),
                 "fungsional": (4, 8), "pelaksana": (0, 5)}

# (code, name, parent code)
UNITS = [
    ("SETDA", "Sekretariat Daerah", None),
    ("SETDA-UMUM", "Bagian Umum", "SETDA"),
    ("SETDA-ORG", "Bagian Organisasi", "SETDA"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", None),
    ("BKPSDM-KIN", "Bidang Penilaian Kinerja dan Penghargaan", "BKPSDM"),
    ("DISDIK", "Dinas Pendidikan", None),
    ("DISDIK-SD", "Bidang Pembinaan Sekolah Dasar", "DISDIK"),
    ("DISDIK-SMP", "Bidang Pembinaan Sekolah Menengah Pertama", "DISDIK"),
    ("DINKES", "Dinas Kesehatan", None),
    ("DINKES-YANKES", "Bidang Pelayanan Kesehatan", "DINKES"),
    ("PKM-SUKAMAJU", "UPTD Puskesmas Sukamaju", "DINKES"),
    ("PKM-CIBENING", "UPTD Puskesmas Cibening", "DINKES"),
    ("DLH", "Dinas Lingkungan Hidup", None),
    ("DLH-SAMPAH", "Bidang Pengelolaan Sampah dan Limbah B3", "DLH"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", None),
    ("DISDUKCAPIL-DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk", "DISDUKCAPIL"),
    ("KEC-SUKAMAJU", "Kecamatan Sukamaju", None),
    ("KEC-CIBENING", "Kecamatan Cibening", None),
]

# Per unit: (key, position name, kind, parent key, holders). Keys are local to the demo.
POSITIONS = {
    "SETDA": [("sekda", "Sekretaris Daerah", "jpt_pratama", None, 1)],
    "SETDA-UMUM": [("kabag-umum", "Kepala Bagian Umum", "administrator", "sekda", 1),
                   ("pengadm-umum", "Pengadministrasi Perkantoran", "pelaksana", "kabag-umum", 2)],
    "SETDA-ORG": [("kabag-org", "Kepala Bagian Organisasi", "administrator", "sekda", 1),
                  ("analis-org", "Analis Kebijakan Ahli Pertama", "fungsional", "kabag-org", 2)],
    "BKPSDM": [("kaban-bkpsdm", "Kepala BKPSDM", "jpt_pratama", None, 1),
               ("sekban-bkpsdm", "Sekretaris BKPSDM", "administrator", "kaban-bkpsdm", 1)],
    "BKPSDM-KIN": [("kabid-kin", "Kepala Bidang Penilaian Kinerja dan Penghargaan", "administrator",
                    "kaban-bkpsdm", 1),
                   ("asdm", "Analis SDM Aparatur Ahli Muda", "fungsional", "kabid-kin", 2),
                   ("pengolah-kin", "Pengolah Data Kinerja", "pelaksana", "kabid-kin", 2)],
    "DISDIK": [("kadisdik", "Kepala Dinas Pendidikan", "jpt_pratama", None, 1),
               ("sekdisdik", "Sekretaris Dinas Pendidikan", "administrator", "kadisdik", 1)],
    "DISDIK-SD": [("kabid-sd", "Kepala Bidang Pembinaan SD", "administrator", "kadisdik", 1),
                  ("pengawas-sd", "Pengawas Sekolah Ahli Madya", "fungsional", "kabid-sd", 3),
                  ("pengelola-sd", "Pengelola Data Pendidikan", "pelaksana", "kabid-sd", 2)],
    "DISDIK-SMP": [("kabid-smp", "Kepala Bidang Pembinaan SMP", "administrator", "kadisdik", 1),
                   ("pengembang-smp", "Pengembang Teknologi Pembelajaran Ahli Pertama",
                    "fungsional", "kabid-smp", 3)],
    "DINKES": [("kadinkes", "Kepala Dinas Kesehatan", "jpt_pratama", None, 1),
               ("sekdinkes", "Sekretaris Dinas Kesehatan", "administrator", "kadinkes", 1)],
    "DINKES-YANKES": [("kabid-yankes", "Kepala Bidang Pelayanan Kesehatan", "administrator",
                       "kadinkes", 1),
                      ("adminkes", "Administrator Kesehatan Ahli Pertama", "fungsional",
                       "kabid-yankes", 2)],
    "PKM-SUKAMAJU": [("kapus-skm", "Kepala UPTD Puskesmas Sukamaju", "pengawas", "kadinkes", 1),
                     ("perawat-skm", "Perawat Ahli Pertama", "fungsional", "kapus-skm", 4),
                     ("bidan-skm", "Bidan Terampil", "fungsional", "kapus-skm", 3),
                     ("admin-skm", "Pengadministrasi Layanan Kesehatan", "pelaksana", "kapus-skm", 2)],
    "PKM-CIBENING": [("kapus-cbn", "Kepala UPTD Puskesmas Cibening", "pengawas", "kadinkes", 1),
                     ("perawat-cbn", "Perawat Terampil", "fungsional", "kapus-cbn", 3),
                     ("dokter-cbn", "Dokter Ahli Pertama", "fungsional", "kapus-cbn", 2)],
    "DLH": [("kadlh", "Kepala Dinas Lingkungan Hidup", "jpt_pratama", None, 1)],
    "DLH-SAMPAH": [("kabid-sampah", "Kepala Bidang Pengelolaan Sampah dan Limbah B3",
                    "administrator", "kadlh", 1),
                   ("pengendali-dampak", "Pengendali Dampak Lingkungan Ahli Pertama", "fungsional",
                    "kabid-sampah", 2),
                   ("pengawas-lingk", "Pengawas Lingkungan Hidup", "pelaksana", "kabid-sampah", 2)],
    "DISDUKCAPIL": [("kadukcapil", "Kepala Dinas Kependudukan dan Pencatatan Sipil", "jpt_pratama",
                     None, 1)],
    "DISDUKCAPIL-DAFDUK": [("kabid-dafduk", "Kepala Bidang Pelayanan Pendaftaran Penduduk",
                            "administrator", "kadukcapil", 1),
                           ("adminduk", "Administrator Database Kependudukan Ahli Pertama",
                            "fungsional", "kabid-dafduk", 2),
                           ("petugas-dafduk", "Petugas Registrasi Kependudukan", "pelaksana",
                            "kabid-dafduk", 3)],
    "KEC-SUKAMAJU": [("camat-skm", "Camat Sukamaju", "administrator", "sekda", 1),
                     ("kasi-pel-skm", "Kepala Seksi Pelayanan Umum", "pengawas", "camat-skm", 1),
                     ("pelayanan-skm", "Pengadministrasi Pelayanan", "pelaksana", "kasi-pel-skm", 2)],
    "KEC-CIBENING": [("camat-cbn", "Camat Cibening", "administrator", "sekda", 1),
                     ("kasi-pel-cbn", "Kepala Seksi Pelayanan Umum", "pengawas", "camat-cbn", 1),
                     ("pelayanan-cbn", "Pengadministrasi Pelayanan", "pelaksana", "kasi-pel-cbn", 2)],
}

TITLES_BY_KEY = {"perawat": ["S.Kep., Ns.", "A.Md.Kep."], "bidan": ["A.Md.Keb.", "S.Tr.Keb."],
                 "dokter": [""], "pengawas-sd": ["S.Pd., M.Pd.", "S.Pd."], "adminkes": ["S.KM."],
                 "pengembang": ["S.Pd.", "S.Kom."], "asdm": ["S.Psi.", "S.E."],
                 "pengendali": ["S.T.", "S.Si."], "adminduk": ["S.Kom."]}
TITLES_BACK = {"jpt_pratama": ["M.Si.", "M.M.", "M.Kes."], "administrator": ["M.Si.", "S.H.", "M.M."],
               "pengawas": ["S.Kep., Ns.", "S.E.", "S.KM."], "fungsional": ["S.Pd.", "S.Kep.",
               "A.Md.Keb.", "S.Kom.", "S.T."], "pelaksana": ["", "", "A.Md.", "S.E."]}

# Demo log-ins, by demo position key and holder index.
DEMO_PASSWORD = "Kinerja2026!"
DEMO_LOGINS = [
    ("Pegawai (perawat)", "perawat-skm", 0),
    ("Pejabat Penilai (Kepala Puskesmas)", "kapus-skm", 0),
    ("Atasan Pejabat Penilai (Kepala Dinas)", "kadinkes", 0),
    # The perawat above starts with no SKP this year (to draft one); this colleague's SKP is
    # approved, so progress, evaluation and objection can be tried at once.
    ("Pegawai (SKP disetujui)", "bidan-skm", 1),
    ("Pengelola pengaduan (Puskesmas Sukamaju)", "admin-skm", 0),
]


def _titles(key: str, kind: str) -> list[str]:
    for prefix, titles in TITLES_BY_KEY.items():
        if key.startswith(prefix):
            return titles
    return TITLES_BACK[kind]


def _nip(birth: datetime.date, tmt: datetime.date, female: bool, seq: int, pppk: bool) -> str:
    """A PNS NIP carries the month of its TMT CPNS; an NI PPPK a code in its place (skp.md §8):
    21 for full-time PPPK, 24 for part-time, which the demo gives every fifth of them."""
    middle = f"{tmt:%Y}{24 if seq % 5 == 0 else 21}" if pppk else f"{tmt:%Y%m}"
    return f"{birth:%Y%m%d}{middle}{2 if female else 1}{seq:03d}"


def seed_org(password_hash: str, today: datetime.date) -> dict:
    """Create the demo organisation; returns {position key: [employees]}."""
    rng = random.Random(2026)
    units = {}
    for code, name, parent in UNITS:
        unit = Unit.create(code=code, name=name, parent=units[parent] if parent else None)
        unit.refresh_path()
        units[code] = unit

    positions, holders = {}, {}
    seq = 1
    for code, entries in POSITIONS.items():
        for key, name, kind, parent_key, count in entries:
            position = Position.create(name=name, kind=kind, unit=units[code],
                                       parent=positions.get(parent_key))
            positions[key] = position
            holders[key] = []
            for i in range(count):
                female = rng.random() < 0.5
                lo, hi = GRADE_BY_KIND[kind]
                pppk = kind in ("fungsional", "pelaksana") and rng.random() < 0.25
                age = rng.randint(45, 57) if kind == "jpt_pratama" else rng.randint(26, 55)
                birth = datetime.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
                tmt_year = (2022 if pppk else birth.year + rng.randint(22, min(30, age - 1)))
                tmt = datetime.date(min(tmt_year, today.year), rng.choice([1, 3, 4, 12]), 1)
                if pppk:
                    grade, rank = rng.choice(["VII", "IX", "X"]), "-"
                else:
                    grade, rank = PNS_GRADES[rng.randint(lo, hi)]
                title_front = "dr." if key.startswith("dokter") else ("Drs." if age > 54 and rng.random() < .3 else "")
                employee = Employee.create(
                    nip=_nip(birth, tmt, female, seq, pppk),
                    name=f"{rng.choice(FIRST_F if female else FIRST_M)} {rng.choice(LAST)}",
                    title_front=title_front, title_back=rng.choice(_titles(key, kind)),
                    rank=rank, grade=grade, employment_type="pppk" if pppk else "pns",
                    position=position, unit=units[code])
                seq += 1
                holders[key].append(employee)
                User.create(username=employee.nip, employee=employee, password_hash=password_hash,
                            role="pegawai", must_change_password=False)
    User.create(username="admin", password_hash=password_hash, role="admin",
                must_change_password=False)
    User.create(username="admin.dinkes", password_hash=password_hash, role="admin_opd",
                scope_unit=units["DINKES"], must_change_password=False)
    return holders


def demo_accounts() -> list[tuple[str, str, str]]:
    rows = [("Admin BKPSDM", "admin", "Administrator kabupaten"),
            ("Admin OPD (Dinas Kesehatan)", "admin.dinkes", "Admin Dinas Kesehatan")]
    for label, key, index in DEMO_LOGINS:
        position = Position.get_or_none(Position.name == _position_name(key))
        holder = (Employee.select().where(Employee.position == position).order_by(Employee.id)
                  .offset(index).first()) if position else None
        if holder:
            rows.append((label, holder.nip, holder.full_name))
    return rows


def _position_name(key: str) -> str:
    for entries in POSITIONS.values():
        for k, name, *_ in entries:
            if k == key:
                return name
    raise KeyError(key)
