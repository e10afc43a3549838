"""Panduan: plain-Indonesian guides per role (Pegawai, Pejabat Penilai, Atasan Pejabat Penilai,
admin) and the glossary, each citing the regulation behind it. Every signed-in user may read
every guide; the index marks those meant for this account. The figures a guide quotes (the SKP
deadline, the objection window, the curve's caps, the IKM weight) are this regency's settings,
read when the page is shown, so the guide says what the app does."""
from dataclasses import dataclass
from decimal import Decimal

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from ..rules import evaluation as evaluation_rules
from ..rules import ikm as ikm_rules
from ..rules import skp as skp_rules
from ..rules.curve import describe_caps
from ..stores.evaluation import organisation
from ..stores.skp import settings as skp_settings
from ..stores.survey import stats as survey_stats
from ..web import has_team
from .toolkit import today

bp = Blueprint("help", __name__, url_prefix="/panduan")


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    audience: str
    summary: str
    basis: str


GUIDES = (
    Guide("pegawai", "Panduan Pegawai", "Setiap ASN: PNS dan PPPK",
          "Menyusun SKP dan RHK yang mengintervensi RHK atasan, mengajukan SKP, mencatat progres "
          "dan bukti dukung, evaluasi periodik dan tahunan, penilaian diri, predikat, dan keberatan.",
          "PermenPANRB Nomor 6 Tahun 2022; PP Nomor 30 Tahun 2019"),
    Guide("pejabat-penilai", "Panduan Pejabat Penilai Kinerja", "Atasan langsung yang menilai",
          "Menyetujui atau mengembalikan SKP, memberi umpan balik, memberi Rating Hasil Kerja dan "
          "Rating Perilaku Kerja, matriks predikat, dan kurva distribusi predikat.",
          "PermenPANRB Nomor 6 Tahun 2022; PP Nomor 30 Tahun 2019"),
    Guide("atasan-pejabat-penilai", "Panduan Atasan Pejabat Penilai Kinerja",
          "Atasan dari Pejabat Penilai Kinerja",
          "Memutuskan keberatan pegawai atas hasil evaluasi: mempertahankan atau mengubah rating; "
          "keputusan bersifat final.",
          "PP Nomor 30 Tahun 2019; PermenPANRB Nomor 6 Tahun 2022"),
    Guide("admin", "Panduan Admin OPD dan Admin BKPSDM", "Pengelola data kepegawaian dan SKM",
          "Impor data SIASN, akun, unit dan jabatan, tahun kinerja dan sasaran organisasi, "
          "predikat organisasi, serta Survei Kepuasan Masyarakat (SKM) dan IKM.",
          "PermenPANRB Nomor 6 Tahun 2022; PermenPANRB Nomor 14 Tahun 2017"),
    Guide("istilah", "Daftar Istilah", "Semua pengguna",
          "Arti singkat istilah resmi yang dipakai di Kinerja: SKP, RHK, intervensi, kaskade, "
          "BerAKHLAK, predikat, NRR, IKM, dan lainnya.",
          "PermenPANRB Nomor 6 Tahun 2022; PermenPANRB Nomor 14 Tahun 2017"),
)
BY_SLUG = {guide.slug: guide for guide in GUIDES}


def guides_for_account(user) -> set[str]:
    """The guides meant for this account: its own work, its team, its admin duties."""
    actor = skp_rules.Actor.of(user)
    mine = {"istilah"}
    if user.employee_id:
        mine.add("pegawai")
        employee = user.employee
        if has_team(employee.id, employee.position_id):
            mine.update({"pejabat-penilai", "atasan-pejabat-penilai"})
    if skp_rules.is_admin(actor):
        mine.add("admin")
    if skp_rules.records_for_kepala_daerah(actor):
        mine.update({"pejabat-penilai", "atasan-pejabat-penilai"})
    return mine


def _matrix():
    """The predikat matrix as rows: (Rating Hasil Kerja, [predikat per Rating Perilaku Kerja])."""
    columns = ("below", "meets", "above")
    rows = [(evaluation_rules.RATINGS[result],
             [evaluation_rules.PREDIKATS[evaluation_rules.predikat(result, behaviour)]
              for behaviour in columns])
            for result in ("above", "meets", "below")]
    return [evaluation_rules.RATINGS[c] for c in columns], rows


def _grade_bands():
    """(from, to, grade) on the IKM scale (25–100), from the bands of rules.ikm."""
    bands, upper = [], Decimal("100.00")
    for grade in ikm_rules.GRADES:
        lower = max(grade.lower, Decimal("25.00"))
        bands.append((lower, upper, grade))
        upper = lower - Decimal("0.01")
    return bands


def _context(slug: str) -> dict:
    """What a guide quotes from this regency's settings; each guide reads only its own."""
    context = {"rules": evaluation_rules}
    if slug in ("pegawai", "pejabat-penilai", "atasan-pejabat-penilai", "admin"):
        context["year"] = skp_settings.current_year(today())
    if slug in ("pegawai", "pejabat-penilai", "atasan-pejabat-penilai"):
        context["matrix_columns"], context["matrix"] = _matrix()
    if slug == "istilah":
        context["core_values"] = skp_rules.CORE_VALUES
    if slug == "pejabat-penilai":
        caps = organisation.curve_caps()
        context["caps"] = [(evaluation_rules.ORG_PREDIKATS[org], describe_caps(caps[org]))
                           for org in evaluation_rules.ORG_PREDIKATS if org in caps]
    if slug == "admin":
        context.update(weight=survey_stats.current_weight(), weights=ikm_rules.WEIGHT_CHOICES,
                       grades=_grade_bands(), elements=ikm_rules.ELEMENTS,
                       samples=[(n, ikm_rules.sample_size(n)) for n in (50, 100, 300, 1000)])
    return context


@bp.get("")
@login_required
def index():
    return render_template("help/index.html", guides=GUIDES,
                           for_me=guides_for_account(current_user))


@bp.get("/<slug>")
@login_required
def page(slug):
    guide = BY_SLUG.get(slug)
    if guide is None:
        abort(404)
    return render_template(f"help/{slug}.html", guide=guide, guides=GUIDES, **_context(slug))
