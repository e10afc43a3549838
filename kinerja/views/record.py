"""One employee's record (rekam pegawai): predikat, coaching, training, rewards and sanctions,
talent, angka kredit, as a page and as a PDF. Open to BKPSDM, the admin OPD of the employee's
unit, the head of their OPD, their Pejabat Penilai and Atasan, and the employee; anyone else
gets 404, so a stranger cannot even learn that the id exists."""
from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from ..htmx import respond
from ..pdf import pdf_response, render_pdf
from ..rules import decisions as decision_rules
from ..rules import discipline as discipline_rules
from ..rules import evaluation as eval_rules
from ..rules import follow_up as follow_up_rules
from ..rules import talent as talent_rules
from ..rules import training as training_rules
from ..rules.credits import month_label
from ..stores import record as store
from .toolkit import require_login, today

bp = Blueprint("record", __name__, url_prefix="/rekam-pegawai")
require_login(bp)


def load_employee(employee_id: int):
    """The employee, their (Pejabat Penilai, Atasan) and how the user stands to them; 404 for
    everyone else."""
    # A path id beyond 64 bits would overflow the database driver instead of finding nobody.
    employee = store.employee_of(employee_id) if employee_id < 2**63 else None
    if employee is None:
        abort(404)
    people = store.people_of(employee)
    units = {}
    roles = store.relations(current_user, employee, people, units)
    if not roles:
        abort(404)
    return employee, people, roles, units


class RowLink:
    """url_for(endpoint, **{key: id}) for the rows of a table: url_for runs once, split around
    a marker id, and each row joins its id in (a long career is hundreds of rows, and
    url_for is the dearest thing a row renders)."""
    MARKER = 918273645

    def __init__(self, endpoint: str, key: str):
        self.before, self.after = url_for(endpoint, **{key: self.MARKER}).split(str(self.MARKER))

    def __call__(self, row_id: int) -> str:
        return f"{self.before}{int(row_id)}{self.after}"


def _context(employee, people, roles, units) -> dict:
    shown_talent = store.sees_talent(current_user, roles)
    day = today()
    record = store.record(employee, people, day, shown_talent,
                          discipline=store.discipline_reach(current_user, roles), units=units)
    return {"record": record, "roles": roles,
            "shown_talent": shown_talent, "day": day, "own": store.OWNER in roles,
            "admin": store.ADMIN in roles, "eval_rules": eval_rules,
            "plan_rules": follow_up_rules, "decision_rules": decision_rules,
            "talent_rules": talent_rules, "discipline_rules": discipline_rules, "yearly_jp": training_rules.YEARLY_JP,
            "month_label": month_label,
            "evaluation_link": RowLink("evaluation.show", "evaluation_id"),
            "plan_link": RowLink("follow_up.plan", "plan_id"),
            "decision_link": RowLink("decisions.show", "decision_id"),
            "case_link": RowLink("discipline.show", "case_id")}


@bp.get("/saya")
def mine():
    """The menu's "Rekam Saya": one's own record (a system account has none)."""
    if not current_user.employee_id:
        abort(404)
    return redirect(url_for("record.show", employee_id=current_user.employee_id))


@bp.get("/<int:employee_id>")
def show(employee_id):
    return respond("record/show.html", **_context(*load_employee(employee_id)))


@bp.get("/<int:employee_id>/pdf")
def pdf(employee_id):
    loaded = load_employee(employee_id)
    data = render_pdf("record/record_pdf.html", **_context(*loaded))
    return pdf_response(data, f"rekam-pegawai-{loaded[0].nip}.pdf")
