"""Demo data: potential scores, the nine-box talent map, and angka kredit of functional staff.

The map needs two years of annual predikat. The other seeders give this year's periods and
last year's annual evaluation of the Puskesmas Sukamaju chain; here the OPDs outside Dinas
Kesehatan (whose people the evaluation demo works with) get a plan and an annual predikat for
the two previous years, and the Puskesmas chain the year before last. Most employees get a
potential assessment, so the map shows every box the predikat spread allows, plus people not
yet placed and why. The Bidan Terampil with an approved plan (a demo login) and the
Administrator Database Kependudukan Ahli Pertama have an angka kredit history."""
import datetime
import random

from ..models import (Employee, Evaluation, PerformanceYear, PotentialAssessment, Skp, Unit,
                      User)
from ..rules import evaluation as rules
from ..rules import skp as skp_rules
from .evaluation import RATINGS_OF
from ..stores.talent import standing

HISTORY_OPDS = ("BKPSDM", "DISDUKCAPIL", "DLH", "DISDIK", "SETDA", "KEC-SUKAMAJU", "KEC-CIBENING")
# Predikat of year-before-last and last year, in turn: a spread over the three levels.
PATTERNS = [("sangat_baik", "sangat_baik"), ("baik", "sangat_baik"), ("baik", "baik"),
            ("sangat_baik", "baik"), ("butuh_perbaikan", "baik"), ("baik", "baik"),
            ("sangat_baik", "sangat_baik"), ("baik", "butuh_perbaikan"), ("baik", "baik")]
LEVELS = ["tinggi", "menengah", "rendah", "menengah", "tinggi", "rendah", "menengah"]
SOURCES = ["Assessment Center BKPSDM", "Uji Kompetensi", "Assessment Center Provinsi"]


def seed(holders, today) -> None:
    last, before = today.year - 1, today.year - 2
    if not PerformanceYear.select().where(PerformanceYear.year == before).exists():
        PerformanceYear.create(year=before, skp_deadline=skp_rules.default_deadline(before),
                               is_open=False)
    if not PerformanceYear.select().where(PerformanceYear.year == last).exists():
        return
    admin = User.get_or_none(User.username == "admin")
    opd_code = {u.id: u.opd().code for u in Unit.select()}
    annual = {(e, y) for e, y in Evaluation.select(Evaluation.employee, Evaluation.year)
              .where(Evaluation.kind == rules.ANNUAL).tuples()}
    plans = {(s.employee_id, s.year_id): s for s in Skp.select().where(Skp.status == "approved")}
    employees = list(Employee.select().where(Employee.active).order_by(Employee.id))
    index = 0
    for employee in employees:
        has_last = (employee.id, last) in annual
        if opd_code.get(employee.unit_id) not in HISTORY_OPDS and not has_last:
            continue
        pattern = PATTERNS[index % len(PATTERNS)]
        index += 1
        for year, predikat in ((before, pattern[0]), (last, pattern[1])):
            if (employee.id, year) in annual:
                continue
            skp = plans.get((employee.id, year)) or _plan(employee, year)
            _annual(employee, skp, year, predikat, admin)
    rng = random.Random(14)
    for n, employee in enumerate(employees):
        if n % 6 == 5:
            continue  # not yet assessed: shown as such on the map
        level = LEVELS[n % len(LEVELS)]
        low, high = {"rendah": (45, 59), "menengah": (60, 79), "tinggi": (80, 95)}[level]
        score = rng.randint(low, high)
        PotentialAssessment.create(
            employee=employee.id, year=last, level=level, score=score,
            source=SOURCES[n % len(SOURCES)],
            assessed_on=datetime.date(last, 3 + n % 8, 1 + n % 27),
            entered_by=admin.id if admin else None)
    # The demo writes evaluations and assessments directly, round the stores: the map's
    # stored inputs are computed once from all of them.
    standing.rebuild()


def _plan(employee, year) -> Skp:
    appraiser = employee.appraiser()
    decided = datetime.datetime(year, 1, 20, 2, 0)
    return Skp.create(employee=employee.id, year=year, revision=1, status="approved",
                      period_start=datetime.date(year, 1, 1),
                      period_end=datetime.date(year, 12, 31), unit=employee.unit_id,
                      position_name=employee.position.name if employee.position_id else "",
                      unit_name=employee.unit.name if employee.unit_id else "",
                      appraiser=appraiser.id if appraiser else None, submitted_at=decided,
                      decided_at=decided, created_at=decided, updated_at=decided)


def _annual(employee, skp, year, predikat, admin) -> None:
    period = rules.annual_period(year)
    result, behaviour = RATINGS_OF[predikat]
    approved = datetime.datetime(year + 1, 1, 15, 2, 0)
    superior = employee.appraiser_superior()
    Evaluation.create(
        employee=employee.id, skp=skp.id, year=year, kind=period.kind, number=period.number,
        starts=period.starts, ends=period.ends, unit=employee.unit_id,
        appraiser=skp.appraiser_id, superior=superior.id if superior else None,
        status="approved", self_note="Target tahunan tercapai.", result_rating=result,
        behaviour_rating=behaviour, predikat=predikat, submitted_at=approved,
        approved_at=approved, approved_by=admin.id if admin else None, acknowledged_at=approved,
        created_at=approved, updated_at=approved)
