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
    roles = store.relations(current_user, employee, people)
    if not roles:
        abort(404)
    return employee, people, roles


def _context(employee, people, roles) -> dict:
    shown_talent = store.sees_talent(current_user, roles)
    record = store.record(employee, people, today(), shown_talent,
                          discipline=store.discipline_reach(current_user, roles))
    return {"record": record, "roles": roles,
            "shown_talent": shown_talent, "day": today(), "own": store.OWNER in roles,
            "admin": store.ADMIN in roles, "eval_rules": eval_rules,
            "plan_rules": follow_up_rules, "decision_rules": decision_rules,
            "talent_rules": talent_rules, "discipline_rules": discipline_rules, "yearly_jp": training_rules.YEARLY_JP,
            "month_label": month_label}


@bp.get("/saya")
def mine():
    """The menu's "Rekam Saya": one's own record (a system account has none)."""
    if not current_user.employee_id:
        abort(404)
    return redirect(url_for("record.show", employee_id=current_user.employee_id))


@bp.get("/<int:employee_id>")
def show(employee_id):
    employee, people, roles = load_employee(employee_id)
    return respond("record/show.html", **_context(employee, people, roles))


@bp.get("/<int:employee_id>/pdf")
def pdf(employee_id):
    employee, people, roles = load_employee(employee_id)
    data = render_pdf("record/record_pdf.html", **_context(employee, people, roles))
    return pdf_response(data, f"rekam-pegawai-{employee.nip}.pdf")
