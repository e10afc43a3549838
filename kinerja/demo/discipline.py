"""Demo data: discipline under PP 94/2021: a proposal opened from attendance (4 unexcused
days: teguran tertulis) for a nurse of Puskesmas Cibening, waiting for the Kepala Dinas
Kesehatan to examine it."""
import datetime
from decimal import Decimal

from ..models import DisciplineCase, utcnow
from ..rules import discipline as rules


def seed(holders, today) -> None:
    nurses = holders.get("perawat-cbn") or []
    if not nurses:
        return
    nurse = nurses[0]
    step = rules.step_for(Decimal(4))
    unit = nurse.unit
    DisciplineCase.create(
        employee=nurse.id, unit=unit.id, opd=unit.opd_id, year=today.year, source=rules.ATTENDANCE,
        days=Decimal(4), threshold=step.days, level=step.level, kind=step.kind,
        authority=rules.OPD_HEAD, status=rules.PROPOSED,
        proposed_at=utcnow() - datetime.timedelta(days=3),
        evidence=f"4 hari tidak masuk kerja tanpa alasan yang sah dalam tahun {today.year} "
                 f"(keterlambatan dan pulang cepat dijumlahkan); mencapai batas {step.days} hari, "
                 f"{step.basis}.")
