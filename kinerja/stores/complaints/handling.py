"""The staff side: who sees which complaints, the inbox sorted by urgency, one complaint with
its steps, and the writes (move to a state, forward, note, review, the desk's settings).

Who may see a complaint (field.md §3): BKPSDM every one; an admin OPD those of the service
units of their OPD; the handler of a service unit (an employee chosen by the admin OPD)
those currently at that unit, forwarded ones included."""
from peewee import JOIN

from ... import clock
from ...models import (
    AuditLog, Complaint, ComplaintDesk, ComplaintEvent, ComplaintPhoto, Employee, ServiceUnit,
    Unit, User, db, utcnow,
)
from ...rules import DomainError
from ...rules import complaints as rules
from ..calendar import calendars_for_units
from ..notifications import notify

INBOX_LIMIT = 300
NOT_FOUND = "Pengaduan tidak ditemukan."


def _opd_scope(user) -> Unit | None:
    if user.role == "admin_opd" and user.scope_unit_id:
        return Unit.get_or_none(Unit.id == user.scope_unit_id)
    return None


def visible_units(user) -> list[int] | None:
    """Ids of the service units whose complaints `user` handles; None for all (BKPSDM)."""
    if user.role == "admin":
        return None
    ids = set()
    scope = _opd_scope(user)
    if scope is not None:
        ids.update(su.id for su in ServiceUnit.select(ServiceUnit.id).join(Unit)
                   .where(Unit.within(scope)))
    if user.employee_id:
        ids.update(d.service_unit_id for d in ComplaintDesk.select(ComplaintDesk.service_unit)
                   .where(ComplaintDesk.handler == user.employee_id))
    return sorted(ids)


def may_manage(user, su) -> bool:
    """Choosing the handler and the service level of a unit: BKPSDM, or its admin OPD."""
    if user.role == "admin":
        return True
    scope = _opd_scope(user)
    return scope is not None and su.unit.path.startswith(scope.path)


def _desk(su_id) -> ComplaintDesk | None:
    return ComplaintDesk.get_or_none(ComplaintDesk.service_unit == su_id)


def _days(desk) -> tuple[int, int]:
    if desk is None or desk.id is None:
        return rules.DEFAULT_FIRST_RESPONSE_DAYS, rules.DEFAULT_RESOLUTION_DAYS
    return desk.first_response_days, desk.resolution_days


def calendars(rows, today) -> dict:
    """{unit id: working calendar} for the units of these complaints, with the holidays of
    every year their clocks may run through: three queries whatever the number of rows."""
    years = {today.year} | {c.received_on.year for c in rows} | {c.received_on.year + 1 for c in rows}
    return calendars_for_units({c.service_unit.unit_id for c in rows}, today.year, years=sorted(years))


def with_clocks(complaint, desk, today, cals: dict):
    first, final = _days(desk)
    cal = cals.get(complaint.service_unit.unit_id, cals[None])
    complaint.clocks = rules.clocks(complaint.received_on, complaint.first_response_on,
                                    complaint.resolved_on, today, first, final, cal)
    return complaint


# --- Reading ----------------------------------------------------------------------------------

def inbox(user, today, state: str = "", unit_id: int | None = None) -> list[Complaint]:
    """The complaints `user` handles, the most urgent first: one query."""
    units = visible_units(user)
    query = (Complaint.select(Complaint, ServiceUnit, ComplaintDesk)
             .join(ServiceUnit, on=(Complaint.service_unit == ServiceUnit.id))
             .join(ComplaintDesk, JOIN.LEFT_OUTER,
                   on=(ComplaintDesk.service_unit == ServiceUnit.id), attr="desk"))
    if units is not None:
        query = query.where(Complaint.service_unit.in_(units or [0]))
    if unit_id:
        query = query.where(Complaint.service_unit == unit_id)
    if state in rules.TRANSITIONS:
        query = query.where(Complaint.state == state)
    elif state != "semua":
        query = query.where(Complaint.state.in_(("diterima", "diproses", "dijawab")))
    rows = list(query.order_by(Complaint.received_at.desc()).limit(INBOX_LIMIT))
    cals = calendars(rows, today)
    for row in rows:
        with_clocks(row, getattr(row, "desk", None), today, cals)
    rows.sort(key=lambda c: (rules.urgency(c.clocks, c.state), c.received_at))
    return rows


def inbox_units(user) -> list[ServiceUnit]:
    units = visible_units(user)
    query = ServiceUnit.select().where(ServiceUnit.active)
    if units is not None:
        query = query.where(ServiceUnit.id.in_(units or [0]))
    return list(query.order_by(ServiceUnit.name))


def load(complaint_id, user) -> Complaint | None:
    """The complaint if `user` may handle it (None: the view answers 404)."""
    complaint = (Complaint.select(Complaint, ServiceUnit, Unit)
                 .join(ServiceUnit, on=(Complaint.service_unit == ServiceUnit.id)).join(Unit)
                 .where(Complaint.id == complaint_id).first())
    if complaint is None:
        return None
    units = visible_units(user)
    if units is not None and complaint.service_unit_id not in units:
        return None
    return complaint


def detail(complaint, today) -> dict:
    desk = _desk(complaint.service_unit_id)
    with_clocks(complaint, desk, today, calendars([complaint], today))
    events = list(ComplaintEvent.select(ComplaintEvent, User, Employee)
                  .join(User, JOIN.LEFT_OUTER, on=(ComplaintEvent.actor == User.id))
                  .join(Employee, JOIN.LEFT_OUTER, on=(User.employee == Employee.id))
                  .where(ComplaintEvent.complaint == complaint.id).order_by(ComplaintEvent.at))
    photos = list(ComplaintPhoto.select().where(ComplaintPhoto.complaint == complaint.id))
    filed = (complaint.service_unit if complaint.filed_unit_id == complaint.service_unit_id
             else ServiceUnit.get_by_id(complaint.filed_unit_id))
    handler = Employee.get_or_none(Employee.id == desk.handler_id) if desk and desk.handler_id else None
    return dict(complaint=complaint, events=events, photos=photos, filed=filed, handler=handler,
                moves=rules.TRANSITIONS[complaint.state])


def handlers(user) -> list[Employee]:
    """The handlers of the service units `user` sees, each once, by name."""
    units = visible_units(user)
    query = (Employee.select(Employee).distinct()
             .join(ComplaintDesk, on=(ComplaintDesk.handler == Employee.id)))
    if units is not None:
        query = query.where(ComplaintDesk.service_unit.in_(units or [0]))
    return list(query.order_by(Employee.name))


def photo(photo_id, user):
    row = ComplaintPhoto.get_or_none(ComplaintPhoto.id == photo_id)
    if row is None or load(row.complaint_id, user) is None:
        return None
    return row


def forward_targets(complaint) -> list[ServiceUnit]:
    return list(ServiceUnit.select().where(ServiceUnit.active
                                           & (ServiceUnit.id != complaint.service_unit_id))
                .order_by(ServiceUnit.name))


# --- Writing ----------------------------------------------------------------------------------

def _locked(complaint_id) -> Complaint:
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None:
        raise DomainError(NOT_FOUND)
    return complaint


def move(actor, complaint_id, target: str, *, answer: str = "", rejection: str = "",
         note: str = "") -> Complaint:
    """Move a complaint to `target` (diproses, dijawab, selesai, ditolak), timed and audited."""
    with db.atomic():
        complaint = _locked(complaint_id)
        rules.check_move(complaint.state, target, answer=answer, rejection=rejection)
        before = {"state": complaint.state}
        today, now = clock.today(), utcnow()
        complaint.first_response_on, complaint.resolved_on = rules.reached(
            target, complaint.first_response_on, complaint.resolved_on, today)
        complaint.state = target
        complaint.updated_at = now
        if target == "dijawab":
            complaint.answer = answer.strip()
        if target == "ditolak":
            complaint.rejection = rejection
            complaint.answer = answer.strip()
        # Deciding on a flagged complaint is its review.
        complaint.flagged = False
        complaint.save()
        text = note.strip() or (complaint.answer if target in ("dijawab", "ditolak") else "")
        ComplaintEvent.create(complaint=complaint.id, at=now, actor=actor.id, kind="state",
                              state=target, text=text)
        AuditLog.record(actor, f"complaint_{target}", "complaint", complaint.id,
                        f"Pengaduan {rules.grouped(complaint.code)}: {complaint.state_label}",
                        before=before, after={"state": target, "rejection": complaint.rejection},
                        unit=ServiceUnit.get_by_id(complaint.service_unit_id).unit_id)
    return complaint


def forward(actor, complaint_id, target_su_id, reason: str) -> Complaint:
    """Send a complaint on to the unit it belongs to; its clocks keep running from the day it
    was received (the citizen has waited since then)."""
    with db.atomic():
        complaint = _locked(complaint_id)
        if complaint.state not in rules.OPEN_STATES:
            raise DomainError("Hanya pengaduan yang belum dijawab yang dapat diteruskan.")
        target = ServiceUnit.get_or_none((ServiceUnit.id == target_su_id) & ServiceUnit.active)
        if target is None or target.id == complaint.service_unit_id:
            raise DomainError("Pilih unit layanan tujuan yang lain.", field="target")
        source = ServiceUnit.get_by_id(complaint.service_unit_id)
        complaint.service_unit = target.id
        complaint.updated_at = utcnow()
        complaint.save()
        ComplaintEvent.create(complaint=complaint.id, actor=actor.id, kind="forward",
                              text=f"Diteruskan dari {source.name} ke {target.name}. {reason.strip()}".strip())
        AuditLog.record(actor, "complaint_forward", "complaint", complaint.id,
                        f"Pengaduan {rules.grouped(complaint.code)} diteruskan ke {target.name}",
                        before={"service_unit": source.id}, after={"service_unit": target.id},
                        unit=target.unit_id)
        desk = _desk(target.id)
        if desk and desk.handler_id:
            notify(desk.handler_id, f"Pengaduan {rules.grouped(complaint.code)} diteruskan dari "
                   f"{source.name} ke {target.name}.", f"/kelola-pengaduan/{complaint.id}",
                   kind="survey")
    return complaint


def add_note(actor, complaint_id, text: str) -> ComplaintEvent:
    text = (text or "").strip()
    if not text:
        raise DomainError("Catatan tidak boleh kosong.", field="text")
    with db.atomic():
        complaint = _locked(complaint_id)
        event = ComplaintEvent.create(complaint=complaint.id, actor=actor.id, kind="note", text=text)
        AuditLog.record(actor, "complaint_note", "complaint", complaint.id,
                        f"Catatan internal pada pengaduan {rules.grouped(complaint.code)}",
                        unit=ServiceUnit.get_by_id(complaint.service_unit_id).unit_id)
    return event


def accept_flagged(actor, complaint_id) -> Complaint:
    """A flagged complaint reviewed and taken as genuine."""
    with db.atomic():
        complaint = _locked(complaint_id)
        if not complaint.flagged:
            raise DomainError("Pengaduan ini sudah ditinjau.")
        complaint.flagged = False
        complaint.save(only=[Complaint.flagged])
        AuditLog.record(actor, "complaint_review", "complaint", complaint.id,
                        f"Pengaduan {rules.grouped(complaint.code)} ditinjau: diterima",
                        before={"flag_reason": complaint.flag_reason},
                        unit=ServiceUnit.get_by_id(complaint.service_unit_id).unit_id)
    return complaint


# --- Desks ------------------------------------------------------------------------------------

def desks(user) -> list[ServiceUnit]:
    """The service units whose desk `user` may set, each with `desk` and `handler` (or None)."""
    query = (ServiceUnit.select(ServiceUnit, Unit, ComplaintDesk, Employee).join(Unit)
             .switch(ServiceUnit)
             .join(ComplaintDesk, JOIN.LEFT_OUTER, on=(ComplaintDesk.service_unit == ServiceUnit.id),
                   attr="desk")
             .join(Employee, JOIN.LEFT_OUTER, on=(ComplaintDesk.handler == Employee.id),
                   attr="handler")
             .where(ServiceUnit.active))
    if user.role != "admin":
        scope = _opd_scope(user)
        if scope is None:
            return []
        query = query.where(Unit.within(scope))
    return list(query.order_by(ServiceUnit.name))


def handler_choices(su) -> list[tuple[int, str]]:
    """Active employees of the service unit's OPD."""
    opd = Unit.get_by_id(su.unit.opd_id)
    rows = (Employee.select(Employee.id, Employee.name, Employee.nip).join(Unit)
            .where(Employee.active & Unit.within(opd)).order_by(Employee.name))
    return [(e.id, f"{e.name} ({e.nip})") for e in rows]


def desk_of(su) -> ComplaintDesk:
    return _desk(su.id) or ComplaintDesk(service_unit=su.id,
                                         first_response_days=rules.DEFAULT_FIRST_RESPONSE_DAYS,
                                         resolution_days=rules.DEFAULT_RESOLUTION_DAYS)


def set_desk(actor, su, handler_id, first_days: int, resolution_days: int) -> ComplaintDesk:
    if first_days > resolution_days:
        raise DomainError("Batas tanggapan pertama tidak boleh lebih lama dari batas "
                          "penyelesaian.", field="first_response_days")
    if handler_id and handler_id not in {i for i, _ in handler_choices(su)}:
        raise DomainError("Pilih pegawai OPD ini.", field="handler")
    with db.atomic():
        desk = _desk(su.id)
        before = None
        if desk is None:
            desk = ComplaintDesk(service_unit=su.id)
        else:
            before = {"handler": desk.handler_id, "first": desk.first_response_days,
                      "resolution": desk.resolution_days}
        changed_handler = desk.handler_id != (handler_id or None)
        desk.handler = handler_id or None
        desk.first_response_days, desk.resolution_days = first_days, resolution_days
        desk.save()
        AuditLog.record(actor, "complaint_desk", "complaint_desk", desk.id,
                        f"Pengelola pengaduan {su.name} diatur", before=before,
                        after={"handler": desk.handler_id, "first": first_days,
                               "resolution": resolution_days}, unit=su.unit_id)
        if changed_handler and handler_id:
            notify(handler_id, f"Anda ditugaskan menangani pengaduan {su.name}.",
                   "/kelola-pengaduan", kind="survey")
    return desk
