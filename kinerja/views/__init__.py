"""One blueprint per area."""
from . import (accounts, attendance, audit, auth, complaints, complaints_admin, decisions, discipline, evaluation,
               exports, follow_up, help, imports, mail, main, notifications, org, practices, record, skp,
               survey_admin, survey_public, talent, training, turnaround)


def blueprints():
    return [main.bp, auth.bp, org.bp, accounts.bp, imports.bp, audit.bp, skp.bp, evaluation.bp,
            survey_public.bp, survey_admin.bp, notifications.bp, help.bp,
            mail.bp, exports.bp, follow_up.bp, decisions.bp, training.bp, practices.bp, talent.bp,
            attendance.bp, discipline.bp, complaints.bp, complaints_admin.bp, turnaround.bp, record.bp]
