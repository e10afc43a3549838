"""The steps of an evaluation: the employee fills it in and submits it, the Pejabat Penilai
rates it and approves or returns it, the employee accepts it or objects, the Atasan decides.

Each step is one transaction that re-reads the evaluation, works out again how the actor
stands to it, re-runs the rule of rules/evaluation.py on that fresh state, and writes the
change with its audit row and the notices it sends: two people acting at once cannot both
win on a state only one of them saw."""
from peewee import IntegrityError

from ...models import (AuditLog, Employee, Evaluation, EvaluationFeedback, EvaluationItem, Objection,
                       db, snapshot, utcnow)
from ...rules import DomainError
from ...rules import evaluation as rules
from ..follow_up import proposals as follow_up
from ..notifications import actor_name, evaluation_link, excerpt, notify
from ..talent import standing
from .access import evaluation_people, evaluation_relation
from .periods import period_of, year_settings

AUDIT_FIELDS = ["status", "result_rating", "behaviour_rating", "predikat",
                "return_comment", "appraiser", "superior", "self_note"]


def rules_context(evaluation, today, **extra) -> rules.Context:
    """The facts besides state and role the rules need, with the ratings and comment the
    actor is sending in place of the saved ones."""
    _, days = year_settings(evaluation.year)
    approved_on = evaluation.approved_at.date() if evaluation.approved_at else None
    return rules.Context(today=today, approved_on=approved_on, objection_days=days,
                         acknowledged=evaluation.acknowledged_at is not None,
                         result_rating=extra.get("result_rating", evaluation.result_rating),
                         behaviour_rating=extra.get("behaviour_rating", evaluation.behaviour_rating),
                         comment=extra.get("comment", ""))


def _fresh(evaluation_id):
    evaluation = Evaluation.get_or_none(Evaluation.id == evaluation_id)
    if evaluation is None:
        raise DomainError("Evaluasi ini tidak ada lagi.")
    return evaluation


def _audit(actor, action, evaluation, summary, before=None, after=None):
    """Every change of an evaluation passes here, inside its transaction: the audit row, and
    the talent map's stored inputs when an annual predikat may have come or gone."""
    AuditLog.record(actor, action, "evaluation", evaluation.id, summary, before=before,
                    after=after, unit=evaluation.unit_id)
    if evaluation.kind == rules.ANNUAL:
        standing.refresh([evaluation.employee_id])


def _subject(evaluation, employee) -> str:
    """"Triwulan I 2026 Nama Pegawai": what the audit calls the evaluation."""
    return f"{period_of(evaluation).label} {employee.full_name}"


def _what(evaluation, start: str = "evaluasi") -> str:
    """"evaluasi Triwulan I 2026": what a notice calls the evaluation."""
    return f"{start} {period_of(evaluation).label}"


def save_own(user, employee, skp, period, values: dict, self_note: str, submit: bool, today):
    """Create or update the employee's evaluation of a period and, when asked, submit it.
    values: {indicator id: (prefilled, realisation, text, reason)}."""
    try:
        with db.atomic():
            evaluation = Evaluation.get_or_none(
                (Evaluation.employee == employee.id) & (Evaluation.year == period.year)
                & (Evaluation.kind == period.kind) & (Evaluation.number == period.number))
            created = evaluation is None
            if created:
                appraiser_id, superior_id = evaluation_people(employee, skp)
                evaluation = Evaluation.create(
                    employee=employee.id, skp=skp.id, year=period.year, kind=period.kind,
                    number=period.number, starts=period.starts, ends=period.ends,
                    unit=employee.unit_id, appraiser=appraiser_id, superior=superior_id)
            before = snapshot(evaluation, AUDIT_FIELDS)
            state = rules.transition("submit" if submit else "edit", evaluation.status, {rules.OWNER})
            evaluation.self_note = self_note
            evaluation.skp = skp.id
            if submit:
                evaluation.appraiser, evaluation.superior = evaluation_people(employee, skp)
                evaluation.unit = employee.unit_id
                evaluation.submitted_at = utcnow()
            evaluation.status = state
            evaluation.updated_at = utcnow()
            evaluation.save()
            EvaluationItem.delete().where(EvaluationItem.evaluation == evaluation.id).execute()
            rows = [{"evaluation": evaluation.id, "indicator": ind_id, "prefilled": pre,
                     "realisation": real, "realisation_text": text or "", "adjustment_reason": reason or ""}
                    for ind_id, (pre, real, text, reason) in values.items()]
            if rows:
                EvaluationItem.insert_many(rows).execute()
            subject = _subject(evaluation, employee)
            _audit(user, "create" if created and not submit else ("submit" if submit else "update"),
                   evaluation, f"{'Mengajukan' if submit else 'Menyimpan'} evaluasi {subject}",
                   before=None if created else before, after=snapshot(evaluation, AUDIT_FIELDS))
            if submit:
                notify(evaluation.appraiser_id, f"{employee.full_name} mengajukan {_what(evaluation)} "
                       "untuk dinilai", evaluation_link(evaluation.id), kind="evaluation")
    except IntegrityError:  # the same form sent twice at once: the first one won
        raise DomainError("Evaluasi ini baru saja disimpan dari jendela lain; muat ulang halaman.") from None
    return evaluation


def rate(user, evaluation_id, action: str, result, behaviour, rhk_feedback: dict,
         value_feedback: dict, comment: str, today):
    """The Pejabat Penilai saves feedback and ratings ("rate"), approves or returns."""
    with db.atomic():
        fresh = _fresh(evaluation_id)
        ctx = rules_context(fresh, today, result_rating=result, behaviour_rating=behaviour,
                            comment=comment)
        state = rules.transition(action, fresh.status, evaluation_relation(user, fresh), ctx)
        before = snapshot(fresh, AUDIT_FIELDS)
        EvaluationFeedback.delete().where(EvaluationFeedback.evaluation == fresh.id).execute()
        rows = [{"evaluation": fresh.id, "rhk": rhk_id, "value": "", "text": text}
                for rhk_id, text in rhk_feedback.items() if text]
        rows += [{"evaluation": fresh.id, "rhk": None, "value": code, "text": text}
                 for code, text in value_feedback.items() if text]
        if rows:
            EvaluationFeedback.insert_many(rows).execute()
        fresh.result_rating, fresh.behaviour_rating = result or None, behaviour or None
        fresh.predikat = rules.predikat(fresh.result_rating, fresh.behaviour_rating)
        fresh.status = state
        if action == "return":
            fresh.return_comment = comment
        if action == "approve":
            fresh.approved_at, fresh.approved_by = utcnow(), user.id
            fresh.return_comment = ""
        fresh.updated_at = utcnow()
        fresh.save()
        employee = Employee.get_by_id(fresh.employee_id)
        verbs = {"rate": "Menyimpan penilaian", "approve": "Menetapkan", "return": "Mengembalikan"}
        after = snapshot(fresh, AUDIT_FIELDS)
        if action != "rate" or before != after:
            _audit(user, action, fresh, f"{verbs[action]} evaluasi {_subject(fresh, employee)}",
                   before=before, after=after)
        link, by = evaluation_link(fresh.id), actor_name(user)
        if action == "approve":
            notify(fresh.employee_id, f"{_what(fresh, 'Evaluasi')} Anda ditetapkan oleh {by}: predikat "
                   f"{rules.predikat_label(fresh.predikat)}", link, kind="evaluation")
            follow_up.propose(user, fresh, employee)  # final now: what its predikat calls for
        elif action == "return":
            note = f": {excerpt(comment, 160)}" if comment else ""
            notify(fresh.employee_id, f"{_what(fresh, 'Evaluasi')} Anda dikembalikan oleh {by} untuk "
                   f"diperbaiki{note}", link, kind="evaluation")
    return fresh


def acknowledge(user, evaluation_id, today):
    with db.atomic():
        fresh = _fresh(evaluation_id)
        rules.transition("acknowledge", fresh.status, evaluation_relation(user, fresh),
                         rules_context(fresh, today))
        before = snapshot(fresh, ["acknowledged_at"])
        fresh.acknowledged_at = utcnow()
        fresh.save()
        _audit(user, "acknowledge", fresh, "Pegawai menerima hasil evaluasi",
               before=before, after=snapshot(fresh, ["acknowledged_at"]))
        employee = Employee.get_by_id(fresh.employee_id)
        notify(fresh.appraiser_id, f"{employee.full_name} menerima hasil {_what(fresh)} "
               f"(predikat {rules.predikat_label(fresh.predikat)})", evaluation_link(fresh.id),
               kind="evaluation")
    return fresh


def file_objection(user, evaluation_id, reasons: str, today):
    try:
        with db.atomic():
            fresh = _fresh(evaluation_id)
            state = rules.transition("object", fresh.status, evaluation_relation(user, fresh),
                                     rules_context(fresh, today))
            before = snapshot(fresh, AUDIT_FIELDS)
            Objection.create(evaluation=fresh.id, reasons=reasons, result_before=fresh.result_rating,
                             behaviour_before=fresh.behaviour_rating, predikat_before=fresh.predikat)
            fresh.status = state
            fresh.updated_at = utcnow()
            fresh.save()
            employee = Employee.get_by_id(fresh.employee_id)
            _audit(user, "object", fresh, f"Keberatan atas evaluasi {_subject(fresh, employee)}",
                   before=before, after={**snapshot(fresh, AUDIT_FIELDS), "reasons": reasons})
            link = evaluation_link(fresh.id)
            notify(fresh.superior_id, f"{employee.full_name} mengajukan keberatan atas {_what(fresh)} "
                   "untuk Anda putuskan", link, kind="evaluation")
            notify(fresh.appraiser_id, f"{employee.full_name} mengajukan keberatan atas {_what(fresh)} "
                   "yang Anda tetapkan; Atasan Anda memutuskannya", link, kind="evaluation")
    except IntegrityError:  # sent twice at once: the first objection stands
        raise DomainError("Keberatan atas evaluasi ini sudah diajukan.") from None
    return fresh


def decide_objection(user, evaluation_id, result, behaviour, decision: str, today):
    """The Atasan's final decision; the ratings may change, the ones before are kept."""
    with db.atomic():
        fresh = _fresh(evaluation_id)
        ctx = rules_context(fresh, today, result_rating=result, behaviour_rating=behaviour)
        state = rules.transition("decide", fresh.status, evaluation_relation(user, fresh), ctx)
        objection = Objection.get(Objection.evaluation == fresh.id)
        before = snapshot(fresh, AUDIT_FIELDS)
        fresh.result_rating, fresh.behaviour_rating = result, behaviour
        fresh.predikat = rules.predikat(result, behaviour)
        fresh.status = state
        fresh.updated_at = utcnow()
        fresh.save()
        objection.status = "decided"
        objection.result_after, objection.behaviour_after = result, behaviour
        objection.predikat_after = fresh.predikat
        objection.decision = decision
        objection.decided_at, objection.decided_by = utcnow(), user.id
        objection.save()
        employee = Employee.get_by_id(fresh.employee_id)
        changed = before["predikat"] != fresh.predikat or before["result_rating"] != result \
            or before["behaviour_rating"] != behaviour
        _audit(user, "decide", fresh,
               f"Keputusan keberatan evaluasi {_subject(fresh, employee)}"
               + (" (rating diubah)" if changed else " (rating tetap)"),
               before=before, after={**snapshot(fresh, AUDIT_FIELDS), "decision": decision})
        link, by = evaluation_link(fresh.id), actor_name(user)
        outcome = f"predikat {rules.predikat_label(fresh.predikat)}" + ("" if changed else " (tetap)")
        notify(fresh.employee_id, f"Keberatan Anda atas {_what(fresh)} diputuskan oleh {by}: {outcome}",
               link, kind="evaluation")
        notify(fresh.appraiser_id, f"Keberatan {employee.full_name} atas {_what(fresh)} diputuskan "
               f"oleh {by}: {outcome}", link, kind="evaluation")
        follow_up.propose(user, fresh, employee)  # final: re-proposed if the predikat changed
    return fresh
