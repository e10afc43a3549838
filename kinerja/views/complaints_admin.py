"""Staff side of complaints: the inbox per unit sorted by urgency, one complaint with its
service-level clocks, the steps (state, forward, internal note, review), each unit's desk
(handler and service level) and the figures.

Who may come in: BKPSDM, an admin OPD (their OPD's units) and any employee chosen as a
unit's complaint handler (that unit's complaints); everyone else gets 403, a complaint out
of reach 404."""
import datetime

from flask import Blueprint, abort, current_app, request, url_for
from flask_login import current_user

from ..forms.complaints import DeskForm, ForwardForm, MoveForm, NoteForm
from ..htmx import respond
from ..models import COMPLAINT_STATES, ServiceUnit, Unit
from ..rules import DomainError
from ..rules import complaints as rules
from ..stores.complaints import figures, handling, intake
from .toolkit import deny, int_arg, private_file, refused, require_login, text_arg, today

bp = Blueprint("complaints_admin", __name__, url_prefix="/kelola-pengaduan")
require_login(bp)


@bp.before_request
def _handlers_only():
    if handling.visible_units(current_user) == []:
        abort(403)


def _complaint(complaint_id):
    complaint = handling.load(complaint_id, current_user)
    if complaint is None:
        deny(handling.NOT_FOUND, 404)
    return complaint


def _managed_unit(su_id) -> ServiceUnit:
    su = (ServiceUnit.select(ServiceUnit, Unit).join(Unit).where(ServiceUnit.id == su_id).first()
          if su_id is not None else None)
    if su is None or not handling.may_manage(current_user, su):
        deny("Unit layanan tidak ditemukan.", 404)
    return su


@bp.get("")
def inbox():
    state = text_arg("status", limit=10)
    unit_id = int_arg("unit")
    return respond("complaints_admin/inbox.html", "complaints_admin/_list.html", context=lambda: dict(
        complaints=handling.inbox(current_user, today(), state, unit_id), state=state,
        unit_id=unit_id, units=handling.inbox_units(current_user), states=COMPLAINT_STATES,
        grouped=rules.grouped, manages=bool(handling.desks(current_user))))


def _detail_context(complaint, **forms):
    context = handling.detail(complaint, today())
    context.update(grouped=rules.grouped, states=COMPLAINT_STATES)
    move_form = forms.get("move_form") or MoveForm(formdata=None)
    # Offer only the steps the complaint can take from where it is.
    move_form.target.choices = [c for c in move_form.target.choices if c[0] in context["moves"]]
    context["move_form"] = move_form
    context["forward_form"] = forms.get("forward_form") or ForwardForm(
        formdata=None, targets=handling.forward_targets(complaint))
    context["note_form"] = forms.get("note_form") or NoteForm(formdata=None)
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


def _show(complaint, status=200, message=None, **forms):
    """The complaint page, or for htmx its handling section; after a step, a plain form is
    redirected back to the page (a reload never repeats the step)."""
    return respond("complaints_admin/show.html", "complaints_admin/_handling.html", status=status,
                   message=message, trigger="complaint-changed" if message else None,
                   redirect=url_for(".show", complaint_id=complaint.id) if message else None,
                   context=lambda: _detail_context(complaint, **forms))


@bp.get("/<int:complaint_id>")
def show(complaint_id):
    return _show(_complaint(complaint_id))


@bp.post("/<int:complaint_id>/status")
def move(complaint_id):
    complaint = _complaint(complaint_id)
    form = MoveForm()
    if form.validate():
        try:
            complaint = handling.move(current_user, complaint.id, form.target.data,
                                      answer=form.answer.data or "", rejection=form.rejection.data or "",
                                      note=form.note.data or "")
            return _show(handling.load(complaint.id, current_user) or complaint,
                         message=f"Status pengaduan menjadi {complaint.state_label}.")
        except DomainError as error:
            refused(error, form, "target")
    return _show(complaint, status=422, move_form=form)


@bp.post("/<int:complaint_id>/teruskan")
def forward(complaint_id):
    complaint = _complaint(complaint_id)
    form = ForwardForm(targets=handling.forward_targets(complaint))
    if form.validate():
        try:
            handling.forward(current_user, complaint.id, form.target.data, form.reason.data or "")
        except DomainError as error:
            refused(error, form, "target")
        else:
            still = handling.load(complaint.id, current_user)
            if still is None:
                # Forwarded out of this person's reach: back to their inbox.
                return respond(None, redirect=url_for(".inbox"), message="Pengaduan diteruskan.")
            return _show(still, message="Pengaduan diteruskan.")
    return _show(complaint, status=422, forward_form=form)


@bp.post("/<int:complaint_id>/catatan")
def note(complaint_id):
    complaint = _complaint(complaint_id)
    form = NoteForm()
    if form.validate():
        try:
            handling.add_note(current_user, complaint.id, form.text.data)
            return _show(complaint, message="Catatan disimpan.")
        except DomainError as error:
            refused(error, form, "text")
    return _show(complaint, status=422, note_form=form)


@bp.post("/<int:complaint_id>/tinjau")
def review(complaint_id):
    complaint = _complaint(complaint_id)
    try:
        complaint = handling.accept_flagged(current_user, complaint.id)
    except DomainError as error:
        refused(error)
    return _show(complaint, message="Pengaduan diterima sebagai pengaduan yang sah.")


@bp.get("/foto/<int:photo_id>")
def photo(photo_id):
    row = handling.photo(photo_id, current_user)
    path = intake.photo_path(current_app.config["UPLOAD_DIR"], row) if row else None
    if path is None:
        deny("Foto tidak ditemukan.", 404)
    return private_file(path, row.mime)


# --- Desks and figures --------------------------------------------------------------------------

@bp.get("/unit")
def desks():
    units = handling.desks(current_user)
    if not units:
        abort(403)
    return respond("complaints_admin/desks.html", units=units)


@bp.route("/unit/<int:su_id>", methods=["GET", "POST"])
def desk(su_id):
    su = _managed_unit(su_id)
    current = handling.desk_of(su)
    form = DeskForm(obj=None if request.method == "POST" else current,
                    handlers=handling.handler_choices(su))
    if request.method == "GET":
        form.handler.data = current.handler_id
    elif form.validate():
        try:
            handling.set_desk(current_user, su, form.handler.data, form.first_response_days.data,
                              form.resolution_days.data)
            return respond(None, redirect=url_for(".desks"),
                           message=f"Pengaturan pengaduan {su.name} disimpan.")
        except DomainError as error:
            refused(error, form, "handler")
    return respond("complaints_admin/desk.html", su=su, form=form,
                   status=422 if form.errors else 200)


@bp.get("/angka")
def numbers():
    year = int_arg("tahun", today().year)
    if not 2000 <= year <= 2100:
        year = today().year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    units = handling.inbox_units(current_user)
    found = figures.units_figures([su.id for su in units], start, end)
    people = handling.handlers(current_user)
    by_handler = figures.handlers_figures([e.id for e in people], start, end)
    return respond("complaints_admin/numbers.html", year=year,
                   rows=[(su.name, found[su.id]) for su in units],
                   handler_rows=[(e.full_name, by_handler[e.id]) for e in people])
