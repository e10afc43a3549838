"""Discipline cases under PP 94/2021: the official's queue, one case with its steps
(examination, decision with the SK, dismissal) in place, violations recorded by hand."""
from flask import Blueprint, current_app, request, url_for
from flask_login import current_user

from ..forms.discipline import DecideForm, DismissForm, ExamineForm, ViolationForm
from ..htmx import respond
from ..rules import DomainError
from ..rules import discipline as rules
from ..rules.evidence import TYPES
from ..stores.discipline import access, cases, reading
from .toolkit import deny, int_arg, private_file, readable, refused, require_login, today, uploaded

bp = Blueprint("discipline", __name__, url_prefix="/disiplin")
require_login(bp)


@bp.context_processor
def _discipline_rules():
    return {"discipline_rules": rules}


def load_case(case_id: int):
    """(case, how the user stands to it); 404 for anyone who may not read it."""
    return readable(reading.get(case_id), access.relations)


def _acting(case_id, denial_of):
    """The case for a step of the official with authority: 403 for anyone else who may read
    it, 409 for a step the case's state no longer allows."""
    case, roles = load_case(case_id)
    denial = denial_of(case, roles)
    if denial:
        deny(denial, 409 if "authority" in roles else 403)
    return case, roles


def _levels(case):
    return tuple(rules.LEVELS) if case.authority == rules.REGENT else (rules.LIGHT, rules.MEDIUM)


def _forms(case, examine=None, decide=None, dismiss=None) -> dict:
    prefix = f"c{case.id}-"
    return {"examine_form": examine or ExamineForm(prefix=prefix, formdata=None, examined_on=today()),
            "decide_form": decide or DecideForm(prefix=prefix, formdata=None, levels=_levels(case),
                                                kind=case.kind, sk_date=today()),
            "dismiss_form": dismiss or DismissForm(prefix=prefix, formdata=None)}


def _case(case, roles, status=200, message=None, **forms):
    return respond("discipline/show.html", "discipline/_case.html", status=status, message=message,
                   case=case, roles=roles, **_forms(case, **forms))


def _changed(case_id, roles, message: str):
    """The case as it now stands, in place for htmx; its page again for a plain form."""
    def context():
        case = reading.get(case_id)
        return {"case": case, "roles": access.relations(current_user, case), **_forms(case)}
    return respond("discipline/show.html", "discipline/_case.html",
                   redirect=url_for("discipline.show", case_id=case_id), message=message,
                   trigger={"discipline-changed": True}, context=context)


@bp.get("/")
def index():
    waiting, done = reading.listing(current_user)
    return respond("discipline/index.html", waiting=waiting, done=done,
                   may_record=bool(access.recordable_employees(current_user)))


@bp.get("/<int:case_id>")
def show(case_id):
    case, roles = load_case(case_id)
    return _case(case, roles)


@bp.get("/<int:case_id>/dokumen")
def document(case_id):
    case, _ = load_case(case_id)
    path = cases.document_path(current_app.config["UPLOAD_DIR"], case)
    if path is None:
        deny("Dokumen tidak ditemukan.", 404)
    ext = path.suffix.lstrip(".")
    return private_file(path, TYPES.get(ext, ("application/octet-stream",))[0], case.document_name,
                        attachment=ext != "pdf")


def _document(form):
    """(filename shown, extension, bytes) of the examination record, None when none was sent
    or it was refused (the reason beside its field)."""
    return uploaded(form.document)


def _examine_denial(case, roles):
    return rules.examine_denial("authority" in roles, case.employee_id == current_user.employee_id,
                                case.status)


def _open_denial(case, roles):
    return rules.act_denial("authority" in roles, case.employee_id == current_user.employee_id,
                            case.status)


def _decide_denial(case, roles):
    return _open_denial(case, roles) or (rules.NOT_EXAMINED if case.status != rules.EXAMINED else None)


@bp.post("/<int:case_id>/periksa")
def examine(case_id):
    case, roles = _acting(case_id, _examine_denial)
    form = ExamineForm(prefix=f"c{case.id}-")
    valid = form.validate_on_submit()
    document = _document(form)
    if valid and not form.document.errors:
        try:
            cases.examine(current_user, case.id, form.examined_on.data, form.record.data, today(),
                          document, current_app.config["UPLOAD_DIR"])
        except DomainError as exc:
            refused(exc, form)
        else:
            return _changed(case.id, roles, "Pemeriksaan dicatat.")
    return _case(case, roles, status=422, examine=form)


@bp.post("/<int:case_id>/putuskan")
def decide(case_id):
    case, roles = _acting(case_id, _decide_denial)
    form = DecideForm(prefix=f"c{case.id}-", levels=_levels(case))
    if form.validate_on_submit():
        try:
            cases.decide(current_user, case.id, form.kind.data, form.sk_number.data,
                         form.sk_date.data, form.valid_from.data, form.valid_until.data)
        except DomainError as exc:
            refused(exc, form)
        else:
            return _changed(case.id, roles, "Keputusan dicatat dan masuk riwayat sanksi pegawai.")
    return _case(case, roles, status=422, decide=form)


@bp.post("/<int:case_id>/hentikan")
def dismiss(case_id):
    case, roles = _acting(case_id, _open_denial)
    form = DismissForm(prefix=f"c{case.id}-")
    if form.validate_on_submit():
        cases.dismiss(current_user, case.id, form.reason.data)
        return _changed(case.id, roles, "Kasus dihentikan.")
    return _case(case, roles, status=422, dismiss=form)


@bp.route("/catat", methods=["GET", "POST"])
def new():
    people = access.recordable_employees(current_user)
    if not people:
        deny(rules.NOT_A_RECORDER)
    choices = [(p.id, f"{p.full_name} — NIP {p.nip}") for p in people]
    if request.method == "GET":
        employee_id = int_arg("pegawai")
        form = ViolationForm(formdata=None, employee_choices=choices,
                             employee=employee_id if employee_id in {p.id for p in people} else None)
    else:
        form = ViolationForm(employee_choices=choices)
        if form.validate_on_submit():
            try:
                case = cases.record_other(current_user, form.employee.data, form.incident_date.data,
                                          form.what.data, form.evidence.data, form.kind.data, today())
            except DomainError as exc:
                refused(exc, form, field="employee")
            else:
                return respond(None, redirect=url_for("discipline.show", case_id=case.id),
                               message="Pelanggaran dicatat dan menunggu pemeriksaan.")
    return respond("discipline/new.html", status=422 if form.errors else 200, form=form)
