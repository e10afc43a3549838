"""One blueprint per area."""
from . import accounts, audit, auth, evaluation, exports, help, imports, mail, main, notifications, org, skp, survey_admin, survey_public


def blueprints():
    return [main.bp, auth.bp, org.bp, accounts.bp, imports.bp, audit.bp, skp.bp, evaluation.bp,
            survey_public.bp, survey_admin.bp, notifications.bp, help.bp,
            mail.bp, exports.bp]
