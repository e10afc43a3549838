"""Email (blueprint `mail`, prefix /email): each person's address and choice per kind of
notice; the verification and unsubscribe links from the mails, which need no login; and the
admin BKPSDM's outbox with "kirim ulang" for failed messages."""
from flask import Blueprint, abort, request, url_for
from flask_login import current_user, login_required

from ..forms.mail import EmailForm, PreferencesForm
from ..htmx import respond
from ..models import MAIL_KINDS, MAIL_MODES, OUTBOX_STATES, User
from ..paging import page_number
from ..rules import DomainError
from ..security import role_required
from ..stores import mail as store
from .toolkit import refused, text_arg

bp = Blueprint("mail", __name__, url_prefix="/email")


# --- The person's own settings ---------------------------------------------------------------

def _account() -> User:
    """The signed-in account as stored now (its address may have changed in another tab)."""
    return User.get_by_id(current_user.id)


def _settings_page(status: int = 200, email_form=None, preferences_form=None, message=None,
                   partial: str | None = None, redirect: str | None = None):
    account = _account()
    modes = store.preferences(account.id)
    return respond("mail/settings.html", partial, status=status, redirect=redirect,
                   message=message, account=account,
                   email_form=email_form or EmailForm(formdata=None, data={"email": account.email}),
                   preferences_form=preferences_form or PreferencesForm(formdata=None, data=modes),
                   kinds=MAIL_KINDS, modes=MAIL_MODES)


@bp.get("")
@login_required
def settings():
    return _settings_page()


@bp.post("")
@login_required
def change_email():
    form = EmailForm()
    if form.validate_on_submit():
        try:
            account = store.set_email(current_user, form.email.data or "")
        except DomainError as exc:
            refused(exc, form, "email")
        else:
            message = (f"Tautan verifikasi dikirim ke {account.email}. Buka tautan itu untuk mulai "
                       "menerima email." if account.email else "Alamat email dihapus; Kinerja "
                       "tidak akan mengirim email kepada Anda.")
            return _settings_page(partial="mail/_address.html", message=message,
                                  redirect=url_for("mail.settings"))
    return _settings_page(status=422, email_form=form, partial="mail/_address.html")


@bp.post("/kirim-ulang-verifikasi")
@login_required
def resend_verification():
    account = _account()
    if not account.email or account.email_verified_at:
        message = "Tidak ada alamat yang menunggu verifikasi."
    else:
        store.set_email(current_user, account.email)
        message = f"Tautan verifikasi dikirim ulang ke {account.email}."
    return _settings_page(partial="mail/_address.html", message=message,
                          redirect=url_for("mail.settings"))


@bp.post("/pilihan")
@login_required
def save_preferences():
    form = PreferencesForm()
    if form.validate_on_submit():
        changed = store.set_preferences(current_user, form.modes())
        return _settings_page(partial="mail/_preferences.html",
                              message="Pilihan email disimpan." if changed else "Pilihan email tidak berubah.",
                              redirect=url_for("mail.settings"))
    return _settings_page(status=422, preferences_form=form, partial="mail/_preferences.html")


# --- Links from the mails (no login) ------------------------------------------------------------

def _link_refused(error: DomainError):
    return respond("mail/link.html", status=400, title="Tautan tidak dapat dipakai",
                   error=error.message)


@bp.get("/verifikasi/<token>")
def verify(token):
    """Opening the link verifies the address: the link itself proves the mailbox, and doing
    it twice changes nothing."""
    try:
        account = store.verify_email(token)
    except DomainError as exc:
        return _link_refused(exc)
    return respond("mail/link.html", title="Alamat email terverifikasi",
                   text=f"Alamat {account.email} terverifikasi. Pemberitahuan Kinerja akan "
                        "dikirim ke alamat ini sesuai pilihan Anda.")


@bp.route("/berhenti/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    """A confirmation page first (GET changes nothing, so a mail scanner opening the link
    unsubscribes nobody), then the POST of its button turns the kind off."""
    try:
        account, kind = store.read_unsubscribe(token)
        if request.method == "POST":
            store.unsubscribe(token)
            return respond("mail/link.html", title="Berhenti berlangganan",
                           text=f"Anda tidak akan lagi menerima {store.kind_label(kind).lower()} "
                                f"lewat email di {account.email or 'alamat Anda'}.",
                           settings_link=True)
    except DomainError as exc:
        return _link_refused(exc)
    return respond("mail/unsubscribe.html", account=account, kind_label=store.kind_label(kind),
                   token=token)


# --- The outbox (admin BKPSDM) ---------------------------------------------------------------

@bp.get("/kotak-keluar")
@role_required("admin")
def outbox():
    state = text_arg("status", limit=10)
    if state not in OUTBOX_STATES:
        state = ""
    return respond("mail/outbox.html", "mail/_outbox_rows.html",
                   listing=store.outbox_page(state, page_number(request.args.get("page"))),
                   state=state, states=OUTBOX_STATES, counts=store.state_counts(),
                   url_args={"status": state} if state else {},
                   mail_server=store.setting("MAIL_SERVER"))


@bp.post("/kotak-keluar/<int:message_id>/kirim-ulang")
@role_required("admin")
def resend(message_id):
    if store.get_message(message_id) is None:
        abort(404)
    message = store.resend(current_user, message_id)
    return respond("mail/outbox.html", "mail/_outbox_row.html",
                   redirect=url_for("mail.outbox"), message=f"Email ke {message.to_address} "
                   "diantrekan untuk dikirim ulang.", item=message)
