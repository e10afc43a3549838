"""The rewards and sanctions ledger: proposals, BKPSDM's approval, the honour page."""
from flask import Blueprint, current_app, request, url_for
from flask_login import current_user

from ..forms.decisions import ApproveForm, HonourSettingForm, ProposalForm, RejectForm
from ..htmx import respond
from ..models import Employee
from ..rules import DomainError
from ..rules import decisions as rules
from ..rules.evaluation import predikat_label
from ..stores import decisions as store
from .toolkit import deny, int_arg, private_file, readable, refused, require_login, today, uploaded

bp = Blueprint("decisions", __name__, url_prefix="/penghargaan-sanksi")
require_login(bp)

NO_EMPLOYEE = "Akun ini tidak terhubung dengan data pegawai; usulan diajukan oleh pejabat."
ONLY_PDF = "Dokumen SK harus berupa PDF."


@bp.context_processor
def _decision_rules():
    return {"decision_rules": rules}


def load_decision(decision_id: int):
    """(entry, how the user stands to it); 404 for anyone who may not read it."""
    return readable(store.get(decision_id), store.viewer_relations)


def _forms(decision, approve=None, reject=None) -> dict:
    prefix = f"d{decision.id}-"
    # BKPSDM starts from the proposer's wish to publish a reward.
    return {"approve_form": approve or ApproveForm(prefix=prefix, formdata=None, public=decision.public),
            "reject_form": reject or RejectForm(prefix=prefix, formdata=None)}


def _entry(decision, roles, status=200, message=None, **forms):
    return respond("decisions/show.html", "decisions/_entry.html", status=status, message=message,
                   decision=decision, roles=roles, **_forms(decision, **forms))


# --- The ledger and one entry ----------------------------------------------------------------

@bp.get("/")
def index():
    waiting, done = store.listing(current_user)
    forms = {d.id: _forms(d) for d in waiting} if current_user.role == "admin" else {}
    setting = HonourSettingForm(formdata=None, enabled=store.honour_page_on())
    return respond("decisions/index.html", waiting=waiting, done=done, forms=forms,
                   setting_form=setting, honour_on=setting.enabled.data,
                   may_propose=bool(current_user.employee_id and store.proposable_employees(current_user)))


@bp.get("/<int:decision_id>")
def show(decision_id):
    decision, roles = load_decision(decision_id)
    return _entry(decision, roles)


@bp.get("/<int:decision_id>/dokumen")
def document(decision_id):
    decision, _ = load_decision(decision_id)
    path = store.document_path(current_app.config["UPLOAD_DIR"], decision)
    if path is None:
        deny("Dokumen tidak ditemukan.", 404)
    return private_file(path, "application/pdf", decision.document_name)


def _document(form):
    """(filename shown, bytes) of the SK's PDF, None when none was sent or it was refused
    (the reason beside its field)."""
    found = uploaded(form.document, only=("pdf",), refusal=ONLY_PDF)
    return (found[0], found[2]) if found else None


def _decider(decision_id):
    decision, roles = load_decision(decision_id)
    denial = rules.decide_denial(current_user.role, decision.status)
    if denial:
        deny(denial, 403 if current_user.role != "admin" else 409)
    return decision, roles


def _decided(decision_id, roles, message: str):
    """The entry as it now stands, in place for htmx; the ledger again for a plain form."""
    return respond("decisions/show.html", "decisions/_entry.html",
                   redirect=url_for("decisions.show", decision_id=decision_id), message=message,
                   trigger={"decision-changed": True},
                   context=lambda: _entry_context(store.get(decision_id), roles))


def _entry_context(decision, roles) -> dict:
    return {"decision": decision, "roles": roles, **_forms(decision)}


@bp.post("/<int:decision_id>/setujui")
def approve(decision_id):
    decision, roles = _decider(decision_id)
    form = ApproveForm(prefix=f"d{decision.id}-")
    valid = form.validate_on_submit()
    document = _document(form)
    if valid and not form.document.errors:
        try:
            store.approve(current_user, decision.id, form.sk_number.data, form.sk_date.data,
                          form.valid_from.data, form.valid_until.data, form.public.data,
                          document, current_app.config["UPLOAD_DIR"])
        except DomainError as exc:
            refused(exc, form)
        else:
            return _decided(decision.id, roles, "Usulan disetujui dan dicatat.")
    return _entry(decision, roles, status=422, approve=form)


@bp.post("/<int:decision_id>/tolak")
def reject(decision_id):
    decision, roles = _decider(decision_id)
    form = RejectForm(prefix=f"d{decision.id}-")
    if form.validate_on_submit():
        store.reject(current_user, decision.id, form.reason.data)
        return _decided(decision.id, roles, "Usulan ditolak.")
    return _entry(decision, roles, status=422, reject=form)


@bp.post("/<int:decision_id>/tarik")
def withdraw(decision_id):
    decision, roles = load_decision(decision_id)
    denial = rules.withdraw_denial("proposer" in roles, decision.status)
    if denial:
        deny(denial, 403 if "proposer" not in roles else 409)
    store.withdraw(current_user, decision.id)
    return _decided(decision.id, roles, "Usulan ditarik.")


# --- Proposing -------------------------------------------------------------------------------

def _proposal_target():
    """(employee, evaluation) named in the query string, each None when not named; 404 for
    one that does not exist or an evaluation of someone else, 403 for someone the user may
    not propose for."""
    employee = evaluation = None
    employee_id = int_arg("pegawai")
    if "pegawai" in request.args:
        employee = Employee.get_or_none(Employee.id == employee_id) if employee_id else None
        if employee is None or not employee.active:
            deny("Pegawai tidak ditemukan.", 404)
        denial = rules.propose_denial(store.proposer_relations(current_user, employee),
                                      employee.id == current_user.employee_id)
        if denial:
            deny(denial)
    if "evaluasi" in request.args:
        evaluation = (store.evaluation_for(int_arg("evaluasi"), employee.id)
                      if employee is not None else None)
        if evaluation is None:
            deny("Evaluasi tidak ditemukan untuk pegawai ini, atau belum berpredikat.", 404)
    return employee, evaluation


@bp.route("/usul", methods=["GET", "POST"])
def new():
    if current_user.employee_id is None:
        deny(NO_EMPLOYEE)
    employee, evaluation = _proposal_target()
    people = store.proposable_employees(current_user)
    if employee is not None and employee.id not in {p.id for p in people}:
        people.insert(0, employee)
    if not people:
        deny(rules.NOT_A_PROPOSER)
    choices = [(p.id, f"{p.full_name} — NIP {p.nip}") for p in people]
    category = request.args.get("kategori", "")
    if request.method == "GET":
        form = ProposalForm(formdata=None, employee_choices=choices,
                            employee=employee.id if employee else None,
                            category=category if category in rules.CATEGORIES else None,
                            evaluation=str(evaluation.id) if evaluation else "",
                            basis=_basis(evaluation))
    else:
        form = ProposalForm(employee_choices=choices)
        if evaluation is not None:
            form.evaluation.data = str(evaluation.id)
        if form.validate_on_submit():
            try:
                decision = store.propose(current_user, form.employee.data, form.category.data,
                                         form.kind.data, form.basis.data, form.evaluation_id(),
                                         form.public.data)
            except DomainError as exc:
                refused(exc, form, field="employee")
            else:
                return respond(None, redirect=url_for("decisions.show", decision_id=decision.id),
                               message="Usulan dikirim ke BKPSDM.")
    return respond("decisions/new.html", status=422 if form.errors else 200, form=form,
                   employee=employee, evaluation=evaluation, predikat_label=predikat_label)


def _basis(evaluation) -> str:
    if evaluation is None:
        return ""
    period = "tahunan" if evaluation.kind == "annual" else f"periode {evaluation.number}"
    return (f"Predikat {predikat_label(evaluation.predikat)} pada evaluasi kinerja {period} "
            f"tahun {evaluation.year}.")


# --- Honour page and its setting ---------------------------------------------------------------

@bp.get("/penghargaan")
def honour():
    if not store.honour_page_on():
        deny("Halaman penghargaan belum dibuka oleh BKPSDM.", 404)
    year = today().year
    return respond("decisions/honour.html", year=year, rows=store.honour_roll(year))


@bp.post("/pengaturan")
def setting():
    if current_user.role != "admin":
        deny("Pengaturan halaman penghargaan diubah oleh admin BKPSDM.")
    form = HonourSettingForm()
    if not form.validate_on_submit():
        deny("Formulir tidak sah. Muat ulang halaman.", 400)
    store.set_honour_page(current_user, form.enabled.data)
    return respond(None, redirect=url_for("decisions.index"),
                   message="Halaman penghargaan " + ("dibuka." if form.enabled.data else "ditutup."))
