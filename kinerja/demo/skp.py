"""Demo SKP plans: years, each OPD's goals, and plans in every state that cascade from the
head of each OPD through the Kepala Bidang down to the staff.

Fixed on purpose: the demo Pejabat Penilai (Kepala UPTD Puskesmas Sukamaju) has an approved
plan and pending plans in the inbox; the demo employee (perawat, holder 0) has no plan for
the current year, only last year's, so a new user can start from it, draft and submit.
"""
import datetime
import json
import random
from decimal import Decimal

from ..models import (
    BehaviourExpectation, Indicator, OrgGoal, PerformanceYear, Position, Rhk, Skp, SkpAppendixItem,
    SkpDecision, User,
)
from ..rules import skp as rules
from ..stores.skp.workflow import _copy_content, _snapshot_identity
from .org import POSITIONS

# Goals (Sasaran Strategis, IKU, target) per OPD code. The last goal of DLH is left without
# any RHK on purpose, so the cascade view shows a goal nobody works on.
GOALS = {
    "DLH": [("Menurunnya timbulan sampah plastik di kabupaten",
             "Persentase pengurangan sampah plastik terhadap timbulan sampah", "20 %"),
            ("Meningkatnya kualitas lingkungan hidup", "Indeks Kualitas Lingkungan Hidup (IKLH)", "68,5"),
            ("Meningkatnya ketaatan usaha terhadap izin lingkungan",
             "Persentase usaha yang taat izin lingkungan", "80 %")],
    "DISDIK": [("Meningkatnya mutu layanan pendidikan dasar",
                "Persentase satuan pendidikan dasar terakreditasi minimal B", "90 %"),
               ("Meningkatnya akses pendidikan dasar", "Angka Partisipasi Murni SD/MI", "99 %")],
    "DINKES": [("Meningkatnya derajat kesehatan masyarakat",
                "Persentase puskesmas yang memenuhi Standar Pelayanan Minimal kesehatan", "100 %"),
               ("Menurunnya angka kematian ibu dan bayi",
                "Angka kematian ibu per 100.000 kelahiran hidup", "90")],
    "BKPSDM": [("Meningkatnya kualitas manajemen kinerja ASN",
                "Persentase ASN dengan SKP disetujui tepat waktu", "95 %"),
               ("Meningkatnya kompetensi ASN", "Persentase ASN yang memenuhi 20 JP pengembangan kompetensi", "80 %")],
    "DISDUKCAPIL": [("Meningkatnya kepemilikan dokumen kependudukan",
                     "Persentase penduduk wajib KTP yang memiliki KTP-el", "98 %")],
    "SETDA": [("Meningkatnya kualitas tata kelola pemerintahan daerah", "Nilai SAKIP Kabupaten", "BB"),
              ("Meningkatnya kualitas pelayanan publik kecamatan", "Indeks Kepuasan Masyarakat kecamatan", "85")],
}

# Utama RHK per position key: (text, index of the intervened RHK of the appraiser, or of the
# goal for a head of OPD, [(aspect, indicator, target, unit)]).
PLANS = {
    "kadlh": [
        ("Terlaksananya program pengurangan sampah plastik kabupaten", 0, [
            ("kuantitas", "Persentase pengurangan sampah plastik terhadap timbulan", 20, "%"),
            ("waktu", "Laporan pengurangan sampah disampaikan setiap bulan", 12, "laporan")]),
        ("Meningkatnya kualitas air dan udara daerah", 1, [
            ("kuantitas", "Nilai Indeks Kualitas Lingkungan Hidup", Decimal("68.5"), "poin")])],
    "kabid-sampah": [
        ("Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan", 0, [
            ("kuantitas", "Jumlah bank sampah aktif", 40, "unit"),
            ("kualitas", "Persentase bank sampah yang melapor rutin", 90, "%")]),
        ("Terlaksananya kampanye pengurangan kantong plastik sekali pakai", 0, [
            ("kuantitas", "Jumlah toko ritel yang menerapkan larangan kantong plastik", 60, "toko")])],
    "pengendali-dampak": [
        ("Tersusunnya data timbulan sampah plastik per kecamatan", 0, [
            ("kuantitas", "Jumlah kecamatan dengan data timbulan terverifikasi", 12, "kecamatan"),
            ("waktu", "Data diperbarui setiap triwulan", 4, "kali")])],
    "pengawas-lingk": [
        ("Terlaksananya pengawasan toko ritel terhadap larangan kantong plastik", 1, [
            ("kuantitas", "Jumlah toko ritel yang diawasi", 120, "toko")])],
    "kadisdik": [
        ("Meningkatnya mutu satuan pendidikan dasar melalui Program Pengelolaan Pendidikan", 0, [
            ("kuantitas", "Persentase SD dan SMP terakreditasi minimal B", 90, "%")]),
        ("Meningkatnya partisipasi sekolah dasar", 1, [
            ("kuantitas", "Angka Partisipasi Murni SD/MI", 99, "%")])],
    "kabid-sd": [
        ("Terlaksananya pendampingan akreditasi sekolah dasar", 0, [
            ("kuantitas", "Jumlah SD yang didampingi menuju akreditasi", 45, "sekolah")]),
        ("Tersalurkannya Bantuan Operasional Sekolah Daerah tepat sasaran", 1, [
            ("kuantitas", "Persentase SD penerima BOSDA yang melapor tepat waktu", 100, "%")])],
    "pengawas-sd": [
        ("Terlaksananya supervisi akademik di sekolah binaan", 0, [
            ("kuantitas", "Jumlah sekolah binaan yang disupervisi", 10, "sekolah"),
            ("kualitas", "Persentase rekomendasi supervisi yang ditindaklanjuti sekolah", 80, "%")])],
    "pengelola-sd": [
        ("Mutakhirnya Data Pokok Pendidikan sekolah dasar", 1, [
            ("kuantitas", "Jumlah SD dengan Dapodik mutakhir", 180, "sekolah")])],
    "kabid-smp": [
        ("Meningkatnya mutu pembelajaran di SMP", 0, [
            ("kuantitas", "Jumlah guru SMP yang mengikuti pelatihan pembelajaran mendalam", 250, "guru")])],
    "pengembang-smp": [
        ("Tersedianya konten pembelajaran digital untuk SMP", 0, [
            ("kuantitas", "Jumlah modul pembelajaran digital", 24, "modul")])],
    "kadinkes": [
        ("Meningkatnya cakupan pelayanan kesehatan dasar di puskesmas", 0, [
            ("kuantitas", "Persentase puskesmas yang memenuhi SPM kesehatan", 100, "%"),
            ("kualitas", "Nilai rata-rata IKM puskesmas", 85, "poin")]),
        ("Menurunnya angka kematian ibu dan bayi", 1, [
            ("kuantitas", "Persentase persalinan di fasilitas kesehatan", 95, "%")])],
    "kabid-yankes": [
        ("Terlaksananya pembinaan mutu layanan puskesmas", 0, [
            ("kuantitas", "Jumlah puskesmas yang dibina", 24, "puskesmas")])],
    "kapus-skm": [
        ("Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Sukamaju sesuai standar", 0, [
            ("kuantitas", "Jumlah kunjungan rawat jalan yang dilayani sesuai SOP", 18000, "kunjungan"),
            ("kualitas", "Nilai IKM UPTD Puskesmas Sukamaju", 85, "poin"),
            ("waktu", "Rata-rata waktu tunggu pendaftaran hingga pemeriksaan", 30, "menit")]),
        ("Meningkatnya persalinan ditolong tenaga kesehatan di fasilitas kesehatan", 1, [
            ("kuantitas", "Persentase persalinan di fasilitas kesehatan wilayah kerja", 95, "%")])],
    "kapus-cbn": [
        ("Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Cibening sesuai standar", 0, [
            ("kuantitas", "Jumlah kunjungan rawat jalan yang dilayani sesuai SOP", 12000, "kunjungan")])],
    "perawat-skm": [
        ("Terlaksananya asuhan keperawatan pasien rawat jalan sesuai standar", 0, [
            ("kuantitas", "Jumlah pasien yang mendapat asuhan keperawatan", 2400, "pasien"),
            ("kualitas", "Persentase dokumentasi asuhan keperawatan yang lengkap", 95, "%")]),
        ("Terlaksananya kunjungan rumah bagi keluarga rawan kesehatan", 0, [
            ("kuantitas", "Jumlah keluarga rawan yang dikunjungi", 120, "keluarga")])],
    "bidan-skm": [
        ("Terlaksananya pelayanan antenatal terpadu bagi ibu hamil", 1, [
            ("kuantitas", "Jumlah ibu hamil yang mendapat pelayanan K6", 300, "orang")]),
        ("Terlaksananya pertolongan persalinan sesuai standar", 1, [
            ("kuantitas", "Jumlah persalinan yang ditolong sesuai standar", 150, "persalinan")])],
    "admin-skm": [
        ("Tersedianya data pendaftaran pasien yang akurat", 0, [
            ("kuantitas", "Jumlah rekam medis elektronik yang diinput", 18000, "rekam medis"),
            ("waktu", "Data kunjungan dilaporkan setiap bulan", 12, "laporan")])],
}
GENERIC_INDICATORS = [("kuantitas", "Jumlah dokumen hasil kerja yang diselesaikan", 12, "dokumen"),
                      ("waktu", "Ketepatan waktu penyelesaian", 12, "bulan")]
EXPECTATIONS = {
    "berorientasi_pelayanan": "Menanggapi setiap keluhan pengguna layanan paling lambat 1×24 jam.",
    "akuntabel": "Menyampaikan laporan kegiatan tepat waktu setiap akhir bulan.",
    "kolaboratif": "Aktif berbagi data dan informasi dengan rekan kerja lintas unit.",
}
APPENDIX = {
    "resources": ["Anggaran kegiatan pada DPA unit kerja", "Sarana kerja dan akses aplikasi yang diperlukan"],
    "accountability": ["Laporan capaian kinerja disampaikan kepada Pejabat Penilai setiap triwulan"],
    "consequences": ["Capaian kinerja menjadi dasar pemberian TPP dan pengembangan karier"],
}
# Fixed states per position key and holder index (None: no plan for the year). Every other
# employee gets a state drawn from STATE_WEIGHTS.
FIXED_STATES = {
    "perawat-skm": ["none", "submitted", "submitted", "returned"],
    "bidan-skm": ["submitted", "approved", "none"],
    "admin-skm": ["draft", "approved"],
    "kapus-skm": ["approved"],
    "kadinkes": ["approved"],
    "kadukcapil": ["submitted"],  # the admin BKPSDM decides for the Kepala Daerah
    "kabid-smp": ["submitted"],
    "sekdisdik": ["returned"],
    "kabid-sampah": ["revised"],  # approved twice: revision 2 replaced revision 1
    "pengendali-dampak": ["approved", "revising"],  # revision 2 still a draft
}
# Last year's plans of the Puskesmas Sukamaju team (position key, holder index): those approved
# this year too (FIXED_STATES), whose last quarter waits for the Pejabat Penilai in January.
LAST_YEAR_TEAM = [("bidan-skm", 1), ("admin-skm", 1)]
STATE_WEIGHTS = [("approved", 5), ("submitted", 2), ("returned", 1), ("draft", 1), ("none", 1)]


def _position_tree():
    """Position keys in top-down order with their parent key and OPD code."""
    parent_of, unit_of = {}, {}
    for code, entries in POSITIONS.items():
        for key, _, _, parent, _ in entries:
            parent_of[key], unit_of[key] = parent, code
    depth = {}

    def level(key):
        if key not in depth:
            depth[key] = 0 if parent_of[key] is None else level(parent_of[key]) + 1
        return depth[key]
    return sorted(parent_of, key=lambda k: (level(k), list(parent_of).index(k))), parent_of, unit_of


class _Seeder:
    def __init__(self, holders, today):
        self.holders, self.today, self.rng = holders, today, random.Random(3)
        self.users = {u.employee_id: u for u in User.select().where(User.employee.is_null(False))}
        self.admin = User.get(User.username == "admin")
        self.rhks = {}  # (employee id, year) -> Utama RHK of the approved plan
        self.goals = {}  # (opd unit id, year) -> [OrgGoal]

    def year(self, year, is_open):
        return PerformanceYear.create(year=year, skp_deadline=rules.default_deadline(year),
                                      evaluation_cadence="triwulanan", objection_days=14, is_open=is_open)

    def org_goals(self, year):
        from ..models import Unit
        for code, goals in GOALS.items():
            unit = Unit.get(Unit.code == code)
            rows = [OrgGoal.create(unit=unit.id, year=year, goal=g, indicator=i, target=t, order=n)
                    for n, (g, i, t) in enumerate(goals, 1)]
            self.goals[(unit.id, year)] = rows

    def plan(self, employee, key, year, state):
        if state == "none":
            return None
        approved_like = state in ("approved", "revised", "revising")
        skp = Skp(employee=employee.id, year=year, revision=1, status="draft", approach="kuantitatif",
                  period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31))
        _snapshot_identity(skp, employee)
        appraiser_user = self.users.get(skp.appraiser_id) if skp.appraiser_id else self.admin
        start = datetime.datetime(year, 1, 3, 2, 0) + datetime.timedelta(hours=self.rng.randint(0, 300))
        skp.created_at = skp.updated_at = start
        skp.save()
        own_user = self.users.get(employee.id)
        SkpDecision.create(skp=skp.id, action="created", actor=own_user, at=start)
        rhks = self._content(skp, employee, key, year)
        if state == "draft":
            return skp
        skp.status, skp.submitted_at, skp.submitted_by = "submitted", start + datetime.timedelta(days=3), own_user
        SkpDecision.create(skp=skp.id, action="submitted", actor=own_user, at=skp.submitted_at)
        self._expectations(skp, appraiser_user)
        if state == "returned":
            skp.status, skp.decided_at, skp.decided_by = "returned", start + datetime.timedelta(days=5), appraiser_user
            skp.comment = "Mohon target kuantitas disesuaikan dengan data tahun lalu."
            if rhks:
                rhks[0].review_comment = "Target terlalu rendah dibanding capaian tahun lalu; naikkan sekitar 10 %."
                rhks[0].save()
            SkpDecision.create(skp=skp.id, action="returned", actor=appraiser_user, at=skp.decided_at,
                               comment=skp.comment, rhk_comments=(
                                   json.dumps({str(rhks[0].id): rhks[0].review_comment}) if rhks else ""))
        elif approved_like:
            skp.status, skp.decided_at, skp.decided_by = "approved", start + datetime.timedelta(days=6), appraiser_user
            SkpDecision.create(skp=skp.id, action="approved", actor=appraiser_user, at=skp.decided_at)
            self.rhks[(employee.id, year)] = [r for r in rhks if r.kind == "utama"]
        skp.save()
        if state in ("revised", "revising"):
            self._revise(skp, employee, own_user, appraiser_user, approve=(state == "revised"))
        return skp

    def _content(self, skp, employee, key, year):
        specs = PLANS.get(key)
        if skp.appraiser_id is None:
            options = self.goals.get((skp.unit_id and self._opd_id(skp.unit_id), year), [])
        else:
            options = self.rhks.get((skp.appraiser_id, year), [])
        if specs is None:
            specs = [(self._generic_text(key, option), n, GENERIC_INDICATORS)
                     for n, option in enumerate(options[:2])] or [
                (f"Terselesaikannya tugas {self._position_name(employee).lower()} sesuai standar", 0,
                 GENERIC_INDICATORS)]
        rhks = []
        for order, (text, parent_index, indicators) in enumerate(specs, 1):
            target = options[min(parent_index, len(options) - 1)] if options else None
            rhk = Rhk.create(skp=skp.id, kind="utama", text=text, order=order,
                             parent=target.id if target is not None and skp.appraiser_id else None,
                             org_goal=target.id if target is not None and not skp.appraiser_id else None)
            for n, (aspect, label, value, unit) in enumerate(indicators, 1):
                Indicator.create(rhk=rhk.id, aspect=aspect, text=label, target_min=Decimal(value),
                                 target_unit=unit, order=n)
            rhks.append(rhk)
        if self.rng.random() < 0.4:
            extra = Rhk.create(skp=skp.id, kind="tambahan", order=1,
                               text="Menjadi anggota tim penyusun laporan kinerja instansi")
            Indicator.create(rhk=extra.id, aspect="kuantitas", text="Jumlah bahan laporan yang disusun",
                             target_min=Decimal(2), target_unit="dokumen", order=1)
        for section, texts in APPENDIX.items():
            for n, text in enumerate(texts, 1):
                SkpAppendixItem.create(skp=skp.id, section=section, text=text, order=n)
        return rhks

    def _generic_text(self, key, option):
        text = option.text if isinstance(option, Rhk) else option.goal
        return f"Terlaksananya dukungan terhadap: {text[0].lower()}{text[1:]}"

    def _position_name(self, employee):
        position = Position.get_or_none(Position.id == employee.position_id)
        return position.name if position else "jabatan"

    def _position_kind(self, employee):
        position = Position.get_or_none(Position.id == employee.position_id)
        return position.kind if position else ""

    def _opd_id(self, unit_id):
        from ..models import Unit
        return Unit.get_by_id(unit_id).opd().id

    def _expectations(self, skp, appraiser_user):
        for value, text in EXPECTATIONS.items():
            BehaviourExpectation.create(skp=skp.id, value=value, special_expectation=text,
                                        updated_by=appraiser_user, updated_at=skp.submitted_at)

    def _revise(self, skp, employee, own_user, appraiser_user, approve):
        at = skp.decided_at + datetime.timedelta(days=60)
        new = Skp.create(employee=employee.id, year=skp.year_id, revision=2, previous=skp.id, status="draft",
                         approach=skp.approach, period_start=skp.period_start, period_end=skp.period_end,
                         unit=skp.unit_id, position_name=skp.position_name, unit_name=skp.unit_name,
                         appraiser=skp.appraiser_id, appraiser_position_name=skp.appraiser_position_name,
                         appraiser_unit_name=skp.appraiser_unit_name, created_at=at, updated_at=at,
                         change_note="Penambahan target setelah perubahan anggaran (APBD-P).")
        _copy_content(skp, new, keep_links=True)
        SkpDecision.create(skp=new.id, action="revision_opened", actor=own_user, at=at, comment=new.change_note)
        first = Rhk.select().where((Rhk.skp == new.id) & (Rhk.kind == "utama")).order_by(Rhk.order).first()
        Indicator.update(target_min=Indicator.target_min + 5).where(Indicator.rhk == first.id).execute()
        if not approve:
            return
        new.status, new.submitted_at, new.submitted_by = "submitted", at + datetime.timedelta(days=1), own_user
        SkpDecision.create(skp=new.id, action="submitted", actor=own_user, at=new.submitted_at)
        new.status, new.decided_at, new.decided_by = "approved", at + datetime.timedelta(days=2), appraiser_user
        SkpDecision.create(skp=new.id, action="approved", actor=appraiser_user, at=new.decided_at)
        new.save()
        skp.status = "superseded"
        skp.save(only=[Skp.status])
        for new_id, origin in Rhk.select(Rhk.id, Rhk.origin).where(Rhk.skp == new.id).tuples():
            Rhk.update(parent=new_id).where(Rhk.parent == origin).execute()
        self.rhks[(employee.id, skp.year_id)] = list(
            Rhk.select().where((Rhk.skp == new.id) & (Rhk.kind == "utama")).order_by(Rhk.order))

    def state_for(self, key, index, employee, year):
        fixed = FIXED_STATES.get(key)
        if fixed is not None and index < len(fixed):
            state = fixed[index]
        elif self._position_kind(employee) in ("jpt_pratama", "administrator", "pengawas"):
            state = "approved"  # the cascade needs the structural plans approved
        else:
            state = self.rng.choices([s for s, _ in STATE_WEIGHTS], [w for _, w in STATE_WEIGHTS])[0]
        # Without an approved plan of the appraiser there is nothing to cascade from yet.
        appraiser = employee.appraiser()
        if appraiser is not None and (appraiser.id, year) not in self.rhks and state != "none":
            state = "draft"
        return state


def seed(holders: dict, today: datetime.date) -> None:
    seeder = _Seeder(holders, today)
    current, previous = today.year, today.year - 1
    seeder.year(previous, is_open=False)
    seeder.year(current, is_open=True)
    seeder.org_goals(previous)
    seeder.org_goals(current)
    order, _, _ = _position_tree()
    # Last year: the Puskesmas Sukamaju chain, so the demo employee can start from it.
    for key in ("kadinkes", "kapus-skm", "perawat-skm"):
        seeder.plan(holders[key][0], key, previous, "approved")
    for key in order:
        for index, employee in enumerate(holders.get(key, [])):
            seeder.plan(employee, key, current, seeder.state_for(key, index, employee, current))
    # Drawn after this year's plans, so that these do not change what the others drew.
    for key, index in LAST_YEAR_TEAM:
        seeder.plan(holders[key][index], key, previous, "approved")
