"""The demo regency, created once on an empty database (`flask demo-data`)."""
import datetime

from .. import clock
from ..models import AuditLog, Unit, db
from . import (attendance, complaints, decisions, discipline, evaluation, follow_up, practices, skp, survey, talent,
               training, turnaround)
from .org import DEMO_PASSWORD, demo_accounts, seed_org

__all__ = ["DEMO_PASSWORD", "demo_accounts", "seed"]

# Each area adds its demo data in a module here with seed(holders, today), in this order.
AREA_SEEDERS = [survey, skp, evaluation, follow_up, decisions, training, practices, talent, attendance,
                discipline, complaints, turnaround]


def seed(today: datetime.date | None = None) -> bool:
    """Create the demo regency; False (and nothing touched) if there is data already."""
    from ..security import hash_password
    today = today or clock.today()
    if Unit.select().exists():
        return False
    password_hash = hash_password(DEMO_PASSWORD)
    with db.atomic():
        holders = seed_org(password_hash, today)
        for area in AREA_SEEDERS:
            area.seed(holders, today)
        AuditLog.record(None, "demo_data", "system", None, "Data demo kabupaten dibuat")
    return True
