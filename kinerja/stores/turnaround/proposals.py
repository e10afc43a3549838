"""Indicators proposed to the head of a service unit drafting an SKP, from the unit's own
evidence (the weakest SKM elements, the complaint service level, the turnaround standards), and the adoption of one into
an RHK. Nothing is added unless the head accepts it."""
import datetime
import hashlib

from peewee import fn

from ...models import (
    AuditLog, ComplaintDesk, Indicator, Rhk, ServiceUnit, Skp, Unit, db, utcnow,
)
from ...rules import complaints as complaint_rules
from ...rules import DomainError
from ...rules import turnaround as rules
from ..complaints import figures as complaint_figures
from ..skp.plans import recheck
from ..survey import stats
from .beside import unit_headed_by
from .figures import unit_figures

WEAKEST = 2


def _skm(headed: Unit, year: int) -> list[rules.Proposal]:
    proposals = []
    for su in (ServiceUnit.select().join(Unit).where(Unit.path.startswith(headed.path)
                                                     & ServiceUnit.active)
               .order_by(ServiceUnit.name)):
        tallies = {y: t for y, t in stats.tallies_by_year(service_unit=su).items()
                   if y <= year and t.respondents}
        if not tallies:
            continue
        latest = max(tallies)
        answered = [r for r in tallies[latest].result().elements if r.n]
        for r in sorted(answered, key=lambda r: (r.nrr, r.element.code))[:WEAKEST]:
            proposals.append(rules.skm_proposal(su.id, su.name, r.element.code, r.element.name,
                                                r.nrr_rounded, r.n, latest))
    return proposals


def _complaints(headed: Unit, year: int, today: datetime.date) -> list[rules.Proposal]:
    """The first-response service level of each service unit that received complaints, in
    the latest year up to the plan's year that has any."""
    service_units = list(ServiceUnit.select().join(Unit)
                         .where(Unit.path.startswith(headed.path) & ServiceUnit.active)
                         .order_by(ServiceUnit.name))
    if not service_units:
        return []
    days = {d.service_unit_id: d.first_response_days for d in ComplaintDesk.select().where(
        ComplaintDesk.service_unit.in_([s.id for s in service_units]))}
    for evidence_year in (year - 1, year):
        if evidence_year > today.year:
            continue
        found = complaint_figures.units_figures(
            [s.id for s in service_units], datetime.date(evidence_year, 1, 1),
            min(datetime.date(evidence_year, 12, 31), today))
        proposals = [rules.complaint_proposal(
            s.id, s.name, days.get(s.id, complaint_rules.DEFAULT_FIRST_RESPONSE_DAYS),
            found[s.id].responded_on_time_pct, found[s.id].received, evidence_year)
            for s in service_units
            if found[s.id].received and found[s.id].responded_on_time_pct is not None]
        if proposals:
            return proposals
    return []


def _turnaround(headed: Unit, year: int, today: datetime.date) -> list[rules.Proposal]:
    for evidence_year in (year - 1, year):
        if evidence_year > today.year:
            continue
        result = unit_figures(headed.id, datetime.date(evidence_year, 1, 1),
                              min(datetime.date(evidence_year, 12, 31), today))
        if result is not None:
            return [rules.turnaround_proposal(
                "waktu-" + hashlib.sha1(kind.lower().encode()).hexdigest()[:10],
                kind, sop, f, evidence_year) for kind, sop, f in result.by_kind]
    return []


def proposals_for(skp, today: datetime.date) -> tuple[Unit | None, list[rules.Proposal]]:
    """(the unit the plan's owner heads, the proposals from its evidence)."""
    headed = unit_headed_by(skp.employee)
    if headed is None:
        return None, []
    return headed, (_skm(headed, skp.year_id) + _complaints(headed, skp.year_id, today)
                    + _turnaround(headed, skp.year_id, today))


def adopted_texts(skp) -> set[str]:
    """Indicator texts already in the plan (in lower case), so a proposal shows as taken."""
    return {t.lower() for (t,) in Indicator.select(Indicator.text).join(Rhk)
            .where(Rhk.skp == skp.id).tuples()}


def accept(skp_id: int, rhk_id: int, key: str, actor, today: datetime.date) -> Indicator:
    """Adds the proposal as the RHK's last indicator; the plan, the RHK and the evidence are
    read again inside the transaction."""
    with db.atomic():
        skp, _ = recheck(skp_id, "edit", actor)
        rhk = Rhk.get_or_none((Rhk.id == rhk_id) & (Rhk.skp == skp.id))
        if rhk is None:
            raise DomainError("Pilih RHK dari SKP ini.", field="rhk")
        _, proposals = proposals_for(skp, today)
        proposal = next((p for p in proposals if p.key == key), None)
        if proposal is None:
            raise DomainError("Usulan ini tidak lagi tersedia; muat ulang halaman.")
        if proposal.text.lower() in adopted_texts(skp):
            raise DomainError("Indikator ini sudah ada pada SKP.", field="rhk")
        last = Indicator.select(fn.MAX(Indicator.order)).where(Indicator.rhk == rhk.id).scalar()
        qualitative = skp.approach == "kualitatif"
        indicator = Indicator.create(
            rhk=rhk.id, aspect=proposal.aspect, text=proposal.text, order=(last or 0) + 1,
            target_min=None if qualitative else proposal.target_min,
            target_unit="" if qualitative else proposal.target_unit,
            target_text=proposal.target_text if qualitative else "")
        Skp.update(updated_at=utcnow()).where(Skp.id == skp.id).execute()
        # Indicators are audited as part of their RHK, as the SKP editor does.
        AuditLog.record(actor, "update", "rhk", rhk.id,
                        f"Indikator dari bukti lapangan ditambahkan: {proposal.text}"[:255],
                        after={"indicator": indicator.id, "text": proposal.text,
                               "basis": proposal.basis, "target": proposal.target_text},
                        unit=skp.unit_id)
    return indicator
