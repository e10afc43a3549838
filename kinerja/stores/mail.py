"""Email: addresses and their verification, each person's choice per kind of notice, the
outbox, and the daily digests and reminders.

Nothing is sent inside a transaction. A notice's mail is written to the outbox in the
transaction of the step it announces (`queue_notice`, from `notifications.notify`), so it
exists exactly when the step committed; the worker sends what is queued afterwards
(`send_queued`). The app asks the worker to do so after every request that queued mail
(kinerja/jobs.py), and the worker also looks every minute, which retries failed messages
and catches mail queued from the CLI.

No Flask here: the settings this module needs (secret key, base URL, SMTP) are handed to
`configure` by the app factory, as the clock's zone is."""
import datetime
import logging
import smtplib
import ssl
from collections import defaultdict
from contextvars import ContextVar
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape
from peewee import JOIN, SQL, Case, fn

from .. import clock
from ..formatting import tanggal
from ..models import (
    MAIL_KINDS, MAIL_MODES, AuditLog, Employee, Evaluation, MailPreference,
    Notification, OutboxMessage, PerformanceYear, Setting, Skp, User, db, utcnow,
)
from ..paging import Page
from ..rules import DomainError
from ..rules import evaluation as eval_rules
from ..rules import mail as rules
from ..rules.evaluation import REGENCY_ADMIN
from .chunks import chunks

log = logging.getLogger("kinerja.mail")

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PER_PAGE = 30
BATCH = 500  # rows per INSERT or IN (…) list: well under SQLite's limit on parameters
SEND_BATCH = 200  # messages per SMTP connection
LEASE = datetime.timedelta(minutes=10)  # a claim on a message by a sender that died lapses
VERIFY_MAX_AGE = 3 * 24 * 3600
UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600
DAILY_MARK = "mail_daily_last_run"
ALL_KINDS = "all"

_settings: dict = {
    "SECRET_KEY": "", "BASE_URL": "http://127.0.0.1:5000", "REGENCY_NAME": "",
    "MAIL_SERVER": "", "MAIL_PORT": 587, "MAIL_USE_TLS": True, "MAIL_USE_SSL": False,
    "MAIL_USERNAME": "", "MAIL_PASSWORD": "", "MAIL_SENDER": "Kinerja <kinerja@localhost>",
    "MAIL_TIMEOUT": 20, "MAIL_MAX_ATTEMPTS": 5, "MAIL_RETRY_MINUTES": 5, "MAIL_DIGEST_HOUR": 6,
    "MAIL_OVERDUE_DAYS": 7,
}
_env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
_env.filters["tanggal"] = tanggal
# Set when this thread queued a message to send; the app takes it after the request.
_queued: ContextVar[bool] = ContextVar("kinerja_mail_queued", default=False)


def configure(config) -> None:
    """Take the settings this module reads from the app's config (create_app)."""
    for key in _settings:
        if key in config:
            _settings[key] = config[key]
    _settings["BASE_URL"] = str(_settings["BASE_URL"]).rstrip("/")


def setting(key: str):
    return _settings[key]


def take_queued() -> bool:
    """Whether a message to send was queued in this thread since the last call."""
    queued = _queued.get()
    _queued.set(False)
    return queued


def absolute(path: str) -> str:
    return f"{_settings['BASE_URL']}{path}" if path.startswith("/") else path


# --- Signed links ---------------------------------------------------------------------------

class _ClockSigner(TimestampSigner):
    """Timestamps from the app's clock, so that a link expires in the app's time."""

    def get_timestamp(self) -> int:
        return int(clock.utcnow().replace(tzinfo=datetime.timezone.utc).timestamp())


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_settings["SECRET_KEY"], salt=salt, signer=_ClockSigner)


def unsubscribe_token(account_id: int, kind: str) -> str:
    return _serializer("kinerja-email-berhenti").dumps({"a": account_id, "k": kind})


def verify_token(account_id: int, address: str) -> str:
    return _serializer("kinerja-email-verifikasi").dumps({"a": account_id, "e": address})


def _read(salt: str, token: str, max_age: int, message: str) -> dict:
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        raise DomainError(message)
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), int):
        raise DomainError(message)
    return payload


UNSUBSCRIBE_INVALID = ("Tautan berhenti berlangganan ini tidak sah atau sudah kedaluwarsa. "
                       "Masuk ke Kinerja lalu atur email di halaman Email & notifikasi.")
VERIFY_INVALID = ("Tautan verifikasi ini tidak sah atau sudah kedaluwarsa. Masuk ke Kinerja "
                  "lalu kirim ulang tautan verifikasi dari halaman Email & notifikasi.")


def read_unsubscribe(token: str) -> tuple[User, str]:
    """The account and kind ("all" for every kind) a unsubscribe link is for."""
    payload = _read("kinerja-email-berhenti", token, UNSUBSCRIBE_MAX_AGE, UNSUBSCRIBE_INVALID)
    kind = payload.get("k")
    account = User.get_or_none(User.id == payload["a"])
    if account is None or (kind != ALL_KINDS and kind not in MAIL_KINDS):
        raise DomainError(UNSUBSCRIBE_INVALID)
    return account, kind


def unsubscribe_url(account_id: int, kind: str) -> str:
    return absolute(f"/email/berhenti/{unsubscribe_token(account_id, kind)}")


def kind_label(kind: str) -> str:
    return "semua email Kinerja" if kind == ALL_KINDS else MAIL_KINDS.get(kind, kind)


# --- Rendering ------------------------------------------------------------------------------

def _render(template: str, account_id: int | None, unsubscribe_kind: str | None, **context):
    """(text, html) of templates/mail/email/<name>.txt and .html."""
    context.update(regency_name=_settings["REGENCY_NAME"], base_url=_settings["BASE_URL"],
                   settings_url=absolute("/email"),
                   unsubscribe_url=(unsubscribe_url(account_id, unsubscribe_kind)
                                    if account_id and unsubscribe_kind else ""),
                   unsubscribe_label=kind_label(unsubscribe_kind) if unsubscribe_kind else "")
    return (_env.get_template(f"mail/email/{template}.txt").render(**context),
            _env.get_template(f"mail/email/{template}.html").render(**context))


def _unsubscribe_kind(message_kind: str) -> str | None:
    """Which choice a message's unsubscribe link turns off: its own kind; a digest bundles
    kinds, so all of them; none for a verification."""
    if message_kind in MAIL_KINDS:
        return message_kind
    return ALL_KINDS if message_kind == "digest" else None


# --- Preferences and addresses ------------------------------------------------------------------

def preferences(account_id: int) -> dict[str, str]:
    """{kind: mode} for every kind, "immediate" where nothing was chosen."""
    chosen = {p.kind: p.mode for p in MailPreference.select().where(MailPreference.account == account_id)}
    return {kind: chosen.get(kind, "immediate") for kind in MAIL_KINDS}


def _audit_unit(account: User):
    if account.employee_id:
        return Employee.select(Employee.unit).where(Employee.id == account.employee_id).scalar()
    return account.scope_unit_id


def set_preferences(actor, modes: dict[str, str]) -> bool:
    """Store the account's choice per kind; whether anything changed."""
    for kind, mode in modes.items():
        if kind not in MAIL_KINDS or mode not in MAIL_MODES:
            raise DomainError("Pilihan tidak sah.")
    with db.atomic():
        account = User.get_by_id(actor.id)
        before = preferences(account.id)
        after = {**before, **modes}
        if after == before:
            return False
        _write_modes(account.id, {k: m for k, m in after.items() if before[k] != m})
        AuditLog.record(actor, "update", "mail_preference", account.id,
                        f"Pilihan email {account.username} diubah",
                        before={k: v for k, v in before.items() if after[k] != v},
                        after={k: v for k, v in after.items() if before[k] != v},
                        unit=_audit_unit(account))
    return True


def _write_modes(account_id: int, modes: dict[str, str]) -> None:
    existing = {p.kind: p for p in MailPreference.select().where(MailPreference.account == account_id)}
    for kind, mode in modes.items():
        if kind in existing:
            MailPreference.update(mode=mode).where(MailPreference.id == existing[kind].id).execute()
        else:
            MailPreference.create(account=account_id, kind=kind, mode=mode)


def set_email(actor, address: str) -> User:
    """Set, change or (empty) remove the actor's address. A new address is unverified and is
    sent a verification link; the same address again re-sends the link while unverified."""
    address = rules.normalise_address(address)
    if address and (problem := rules.address_problem(address)):
        raise DomainError(problem, field="email")
    with db.atomic():
        account = User.get_by_id(actor.id)
        before = {"email": account.email, "email_verified_at": account.email_verified_at}
        if (account.email or "") == address and (account.email_verified_at or not address):
            return account
        changed = (account.email or "") != address
        if changed:
            account.email = address or None
            account.email_verified_at = None
            User.update(email=account.email, email_verified_at=None).where(User.id == account.id).execute()
            AuditLog.record(actor, "update", "user", account.id,
                            (f"Alamat email {account.username} diubah (belum diverifikasi)"
                             if address else f"Alamat email {account.username} dihapus"),
                            before=before, after={"email": account.email, "email_verified_at": None},
                            unit=_audit_unit(account))
        if address:
            _queue_verification(account)
            if not changed:
                AuditLog.record(actor, "update", "user", account.id,
                                f"Tautan verifikasi email {account.username} dikirim ulang",
                                unit=_audit_unit(account))
    return account


def _queue_verification(account: User) -> OutboxMessage:
    link = absolute(f"/email/verifikasi/{verify_token(account.id, account.email)}")
    text, body = _render("verify", None, None, link=link, name=account.display_name,
                         address=account.email, hours=VERIFY_MAX_AGE // 3600)
    message = OutboxMessage.create(account=account.id, to_address=account.email,
                                   subject="Kinerja: konfirmasi alamat email Anda",
                                   text_body=text, html_body=body, kind="verify")
    _queued.set(True)
    return message


def verify_email(token: str) -> User:
    """Mark the address a verification link was sent to as verified (no login needed: the
    link proves the mailbox). A link for an address since changed is refused."""
    payload = _read("kinerja-email-verifikasi", token, VERIFY_MAX_AGE, VERIFY_INVALID)
    with db.atomic():
        account = User.get_or_none(User.id == payload["a"])
        if account is None or not account.active:
            raise DomainError(VERIFY_INVALID)
        if (account.email or "") != payload.get("e"):
            raise DomainError("Tautan verifikasi ini untuk alamat email lain yang sudah diganti. "
                              "Pakai tautan di email terbaru.")
        if account.email_verified_at:
            return account
        account.email_verified_at = utcnow()
        User.update(email_verified_at=account.email_verified_at).where(User.id == account.id).execute()
        AuditLog.record(account, "verify", "user", account.id,
                        f"Alamat email {account.username} diverifikasi",
                        before={"email_verified_at": None},
                        after={"email": account.email, "email_verified_at": account.email_verified_at},
                        unit=_audit_unit(account))
    return account


def unsubscribe(token: str) -> tuple[User, str]:
    """Turn off the kind (or every kind) of mail an unsubscribe link is for."""
    account, kind = read_unsubscribe(token)
    kinds = list(MAIL_KINDS) if kind == ALL_KINDS else [kind]
    with db.atomic():
        before = preferences(account.id)
        turned_off = {k: "off" for k in kinds if before[k] != "off"}
        if turned_off:
            _write_modes(account.id, turned_off)
            AuditLog.record(account, "update", "mail_preference", account.id,
                            f"{account.username} berhenti menerima email: {kind_label(kind)} "
                            "(tautan di email)",
                            before={k: before[k] for k in turned_off}, after=turned_off,
                            unit=_audit_unit(account))
    return account, kind


# --- Notices ---------------------------------------------------------------------------------

def queue_notice(recipient_employee_id, kind: str, text: str, link: str = "",
                 notification_id: int | None = None) -> OutboxMessage | None:
    """The email of an in-app notice, written to the outbox: call it inside the transaction
    that writes the notice (notifications.notify). Nothing when the employee has no account
    with a verified address or turned this kind off; a message held for the daily digest
    when they chose that; else a message the worker sends once the transaction committed.
    `link` is the notice's path ("/skp/12"); `notification_id` lets the digest leave out a
    notice read in the app meanwhile."""
    if not recipient_employee_id:
        return None
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    row = (User.select(User.id, User.email, User.username, MailPreference.mode)
           .join(MailPreference, JOIN.LEFT_OUTER,
                 on=((MailPreference.account == User.id) & (MailPreference.kind == kind)))
           .where((User.employee == recipient_employee_id) & User.active
                  & User.email.is_null(False) & User.email_verified_at.is_null(False))
           .dicts().first())
    if row is None:
        return None
    mode = row["mode"] or "immediate"
    if mode == "off":
        return None
    url = absolute(link) if link else absolute("/notifikasi")
    if mode == "digest":
        # Held: the notice and its link, bundled into tomorrow morning's digest.
        return OutboxMessage.create(account=row["id"], to_address=row["email"], subject=text[:255],
                                    text_body=url, html_body="", kind=kind, state="held",
                                    notification=notification_id)
    plain, body = _render("notice", row["id"], kind, text=text, link=url,
                          kind_label=MAIL_KINDS[kind])
    message = OutboxMessage.create(account=row["id"], to_address=row["email"],
                                   subject=_subject(text), text_body=plain, html_body=body,
                                   kind=kind, notification=notification_id)
    _queued.set(True)
    return message


def _subject(text: str) -> str:
    text = " ".join(text.split())
    return f"Kinerja: {text[:150]}{'…' if len(text) > 150 else ''}"


# --- Sending -------------------------------------------------------------------------------------

def _due(now: datetime.datetime):
    """Queued messages whose time has come, failed ones due for another try, and claims of a
    sender that died."""
    return (((OutboxMessage.state == "queued")
             & (OutboxMessage.next_attempt_at.is_null() | (OutboxMessage.next_attempt_at <= now)))
            | (OutboxMessage.state.in_(["failed", "sending"])
               & OutboxMessage.next_attempt_at.is_null(False) & (OutboxMessage.next_attempt_at <= now)))


def _claim(now: datetime.datetime, limit: int) -> list[OutboxMessage]:
    """Take up to `limit` due messages for this sender: each is marked "sending" by an
    UPDATE that only succeeds while it is still due, so two senders never send one twice."""
    ids = [i for (i,) in OutboxMessage.select(OutboxMessage.id).where(_due(now))
           .order_by(OutboxMessage.id).limit(limit).tuples()]
    claimed = []
    with db.atomic():
        for message_id in ids:
            if OutboxMessage.update(state="sending", attempts=OutboxMessage.attempts + 1,
                                    next_attempt_at=now + LEASE).where(
                    (OutboxMessage.id == message_id) & _due(now)).execute():
                claimed.append(message_id)
    if not claimed:
        return []
    return list(OutboxMessage.select().where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id))


def _finish(message: OutboxMessage, state: str, error: str = "") -> None:
    now = utcnow()
    values = {"state": state, "last_error": error[:2000], "next_attempt_at": None}
    if state == "sent":
        values["sent_at"] = now
    elif state == "failed":
        if message.attempts < _settings["MAIL_MAX_ATTEMPTS"]:
            values["next_attempt_at"] = now + rules.retry_delay(message.attempts,
                                                                 _settings["MAIL_RETRY_MINUTES"])
        else:
            values["last_error"] = (f"{error} — gagal {message.attempts} kali; tidak dicoba lagi "
                                    "kecuali admin mengirim ulang.")[:2000]
    with db.atomic():
        OutboxMessage.update(**values).where(
            (OutboxMessage.id == message.id) & (OutboxMessage.state == "sending")).execute()


def email_message(message: OutboxMessage) -> EmailMessage:
    """The MIME message: plain text with an HTML alternative, and List-Unsubscribe."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = _settings["MAIL_SENDER"]
    mail["To"] = message.to_address
    mail["Date"] = format_datetime(clock.now())
    mail["Message-ID"] = make_msgid(idstring=f"kinerja.{message.id}")
    kind = _unsubscribe_kind(message.kind)
    if kind and message.account_id:
        mail["List-Unsubscribe"] = f"<{unsubscribe_url(message.account_id, kind)}>"
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.text_body)
    if message.html_body:
        mail.add_alternative(message.html_body, subtype="html")
    return mail


def _connect() -> smtplib.SMTP:
    host, port, timeout = _settings["MAIL_SERVER"], _settings["MAIL_PORT"], _settings["MAIL_TIMEOUT"]
    if _settings["MAIL_USE_SSL"]:
        connection = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                      context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
        if _settings["MAIL_USE_TLS"]:
            connection.starttls(context=ssl.create_default_context())
    if _settings["MAIL_USERNAME"]:
        connection.login(_settings["MAIL_USERNAME"], _settings["MAIL_PASSWORD"])
    return connection


def _describe(error: Exception) -> str:
    if isinstance(error, ConnectionRefusedError):
        return f"Server SMTP {_settings['MAIL_SERVER']}:{_settings['MAIL_PORT']} menolak sambungan."
    if isinstance(error, (TimeoutError, smtplib.SMTPServerDisconnected)):
        return f"Server SMTP tidak menjawab: {error}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "Server SMTP menolak nama pengguna atau kata sandi (MAIL_USERNAME/MAIL_PASSWORD)."
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return f"Alamat penerima ditolak server SMTP: {', '.join(error.recipients)}"
    return f"{type(error).__name__}: {error}"


def send_queued(limit: int = SEND_BATCH) -> dict[str, int]:
    """Send what is due, at most `limit` messages over one SMTP connection; {state: count}.
    Without MAIL_SERVER each message is logged and marked "skipped"."""
    messages = _claim(utcnow(), limit)
    counts: dict[str, int] = defaultdict(int)
    if not messages:
        return counts
    if not _settings["MAIL_SERVER"]:
        for message in messages:
            log.info("Email tidak dikirim (MAIL_SERVER kosong): kepada %s, %s",
                     message.to_address, message.subject)
            _finish(message, "skipped", "MAIL_SERVER belum diatur: pesan hanya dicatat di log.")
            counts["skipped"] += 1
        return counts
    try:
        connection = _connect()
    except (OSError, smtplib.SMTPException) as error:
        log.warning("Server SMTP tidak dapat dihubungi: %s", error)
        for message in messages:
            _finish(message, "failed", _describe(error))
            counts["failed"] += 1
        return counts
    try:
        for message in messages:
            try:
                connection.send_message(email_message(message))
            except (OSError, smtplib.SMTPException) as error:
                log.warning("Email %s ke %s gagal: %s", message.id, message.to_address, error)
                _finish(message, "failed", _describe(error))
                counts["failed"] += 1
            else:
                _finish(message, "sent")
                counts["sent"] += 1
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return counts


def send_all(limit: int = 10_000) -> dict[str, int]:
    """send_queued until nothing due is left (the worker's flush), at most `limit` messages."""
    total: dict[str, int] = defaultdict(int)
    while sum(total.values()) < limit:
        counts = send_queued(min(SEND_BATCH, limit - sum(total.values())))
        if not counts:
            break
        for state, n in counts.items():
            total[state] += n
        if set(counts) == {"failed"}:
            break  # the server is down: the rest waits for the next round
    return dict(total)


def resend(actor, message_id: int) -> OutboxMessage:
    """An admin's "kirim ulang" of a failed message: queued again, now."""
    with db.atomic():
        message = OutboxMessage.get_or_none(OutboxMessage.id == message_id)
        if message is None:
            raise DomainError("Pesan tidak ditemukan.")
        if message.state != "failed":
            raise DomainError(f"Hanya pesan yang gagal yang dapat dikirim ulang; pesan ini "
                              f"berstatus {message.state_label.lower()}.")
        OutboxMessage.update(state="queued", next_attempt_at=None).where(
            (OutboxMessage.id == message.id) & (OutboxMessage.state == "failed")).execute()
        AuditLog.record(actor, "resend", "outbox_message", message.id,
                        f"Email ke {message.to_address} dikirim ulang: {message.subject}"[:255],
                        before={"state": "failed", "attempts": message.attempts,
                                "last_error": message.last_error[:200]},
                        after={"state": "queued"})
    _queued.set(True)
    return OutboxMessage.get_by_id(message_id)


def get_message(message_id: int) -> OutboxMessage | None:
    return OutboxMessage.get_or_none(OutboxMessage.id == message_id)


def outbox_page(state: str, number: int) -> Page:
    """A page of the outbox, newest first, with each message's account."""
    query = (OutboxMessage.select(OutboxMessage, User)
             .join(User, JOIN.LEFT_OUTER, on=(OutboxMessage.account == User.id)))
    count = OutboxMessage.select()
    if state:
        query = query.where(OutboxMessage.state == state)
        count = count.where(OutboxMessage.state == state)
    return Page(query.order_by(OutboxMessage.id.desc()), number, PER_PAGE, total=count.count())


def state_counts() -> dict[str, int]:
    return {state: n for state, n in OutboxMessage.select(OutboxMessage.state, fn.COUNT(OutboxMessage.id))
            .group_by(OutboxMessage.state).tuples()}


# --- Digests and reminders --------------------------------------------------------------------

def _recipients(condition, kind: str | None):
    """Accounts with a verified address (and, for `kind`, their mode for it): one query."""
    query = User.select(User.id, User.email, User.username, User.employee, User.role,
                        Employee.title_front, Employee.name, Employee.title_back)
    if kind:
        query = (query.select_extend(MailPreference.mode)
                 .join(MailPreference, JOIN.LEFT_OUTER,
                       on=((MailPreference.account == User.id) & (MailPreference.kind == kind)))
                 .switch(User))
    query = query.join(Employee, JOIN.LEFT_OUTER, on=(User.employee == Employee.id))
    return query.where(User.active & User.email.is_null(False)
                       & User.email_verified_at.is_null(False) & condition).dicts()


def _name(row: dict) -> str:
    if not row.get("name"):
        return row["username"]
    text = " ".join(p for p in ((row["title_front"] or "").strip(), row["name"].strip()) if p)
    back = (row["title_back"] or "").strip()
    return f"{text}, {back}" if back else text


def _existing_keys(keys: list[str]) -> set[str]:
    """Which of these dedupe keys are written already: exact matches on their unique index
    (a prefix range or LIKE would depend on the database's collation)."""
    found: set[str] = set()
    for chunk in chunks(keys, BATCH):
        found.update(k for (k,) in OutboxMessage.select(OutboxMessage.dedupe_key)
                     .where(OutboxMessage.dedupe_key.in_(chunk)).tuples())
    return found


def _insert(rows: list[dict]) -> int:
    """Write new messages in batches; one whose dedupe key exists already is left out."""
    for chunk in chunks(rows, BATCH):
        OutboxMessage.insert_many(chunk).on_conflict_ignore().execute()
    return len(rows)


def _message(account_id, address, subject, kind, dedupe_key, template, unsubscribe, **context):
    text, body = _render(template, account_id, unsubscribe, **context)
    return {"account": account_id, "to_address": address, "subject": subject[:255],
            "text_body": text, "html_body": body, "kind": kind, "state": "queued",
            "attempts": 0, "last_error": "", "created_at": utcnow(), "dedupe_key": dedupe_key}


def build_digests(today: datetime.date) -> int:
    """Bundle each account's held notices into one digest for `today`; a notice read in the
    app meanwhile is left out. Run twice, the second run writes nothing. How many digests."""
    prefix = f"digest:{today.isoformat()}:"
    with db.atomic():
        held = list(OutboxMessage.select(OutboxMessage.id, OutboxMessage.account, OutboxMessage.subject,
                                         OutboxMessage.text_body, OutboxMessage.kind,
                                         Notification.read_at)
                    .join(Notification, JOIN.LEFT_OUTER,
                          on=(OutboxMessage.notification == Notification.id))
                    .where(OutboxMessage.state == "held")
                    .order_by(OutboxMessage.account, OutboxMessage.id).dicts())
        if not held:
            return 0
        done = _existing_keys(sorted({f"{prefix}{row['account']}" for row in held}))
        accounts = {row["id"]: row for row in _recipients(User.id.in_(
            OutboxMessage.select(OutboxMessage.account).where(OutboxMessage.state == "held")), None)}
        per_account: dict[int, list] = defaultdict(list)
        bundled, dropped = [], []
        for row in held:
            key = f"{prefix}{row['account']}"
            if key in done:
                continue  # today's digest went out already: these wait for tomorrow's
            if row["read_at"] is not None or row["account"] not in accounts:
                dropped.append(row["id"])
            else:
                per_account[row["account"]].append(row)
                bundled.append(row["id"])
        messages = []
        for account_id, notices in per_account.items():
            account = accounts[account_id]
            items = [{"text": n["subject"], "link": n["text_body"],
                      "kind_label": MAIL_KINDS.get(n["kind"], n["kind"])} for n in notices]
            messages.append(_message(
                account_id, account["email"],
                f"Kinerja: ringkasan harian {tanggal(today)} ({len(items)} pemberitahuan)",
                "digest", f"{prefix}{account_id}", "digest", ALL_KINDS,
                name=_name(account), items=items, today=today,
                notifications_url=absolute("/notifikasi")))
        _insert(messages)
        _set_state(bundled, "bundled", "")
        _set_state(dropped, "skipped", "Sudah dibaca di aplikasi, atau alamat email tidak "
                                       "lagi terverifikasi, sebelum ringkasan dikirim.")
    return len(messages)


def _set_state(ids: list[int], state: str, error: str) -> None:
    for chunk in chunks(ids, BATCH):
        OutboxMessage.update(state=state, last_error=error, sent_at=utcnow() if state == "bundled" else None).where(
            (OutboxMessage.id.in_(chunk)) & (OutboxMessage.state == "held")).execute()


def waiting_counts(overdue_before: datetime.datetime | None = None) -> dict[int | None, dict[str, int]]:
    """{employee id (None: the Kepala Daerah's, recorded by the admin BKPSDM): {"skp": n,
    "evaluation": n, "objection": n, "overdue": n}}: what waits for each supervisor, and how
    much of it since before `overdue_before`, in three queries."""
    result: dict = defaultdict(lambda: {"skp": 0, "evaluation": 0, "objection": 0, "overdue": 0})
    cutoff = overdue_before or datetime.datetime.min

    def late(column):
        return fn.SUM(Case(None, [(column < cutoff, 1)], 0))

    def not_own(column):  # the Kepala Daerah's (none named), never one's own
        return column.is_null() | (column != Evaluation.employee)

    # (what, whose, waiting since, which rows); an objection's evaluation last changed when filed.
    waiting = (
        ("skp", Skp.appraiser, Skp.submitted_at, Skp.status == "submitted"),
        ("evaluation", Evaluation.appraiser, Evaluation.submitted_at,
         (Evaluation.status == "submitted") & not_own(Evaluation.appraiser)),
        ("objection", Evaluation.superior, Evaluation.updated_at,
         (Evaluation.status == "objected") & not_own(Evaluation.superior)),
    )
    for what, whose, since, condition in waiting:
        for person, n, overdue in (whose.model.select(whose, fn.COUNT(SQL("*")), late(since))
                                   .where(condition).group_by(whose).tuples()):
            result[person][what] += n
            result[person]["overdue"] += int(overdue or 0)
    return dict(result)


def build_waiting(today: datetime.date) -> int:
    """Each supervisor's morning summary of what waits for them (plans to approve,
    evaluations to rate, objections to decide), under the kind "reminder"."""
    prefix = f"waiting:{today.isoformat()}:"
    with db.atomic():
        days = _settings["MAIL_OVERDUE_DAYS"]
        counts = waiting_counts(datetime.datetime.combine(today - datetime.timedelta(days=days),
                                                          datetime.time()))
        if not counts:
            return 0
        people = [key for key in counts if key is not None]
        condition = User.employee.in_(people) if people else None
        if None in counts:
            admins = User.role == REGENCY_ADMIN
            condition = admins if condition is None else (condition | admins)
        messages = []
        recipients = [a for a in _recipients(condition, "reminder") if (a["mode"] or "immediate") != "off"]
        done = _existing_keys([f"{prefix}{a['id']}" for a in recipients])
        for account in recipients:
            if f"{prefix}{account['id']}" in done:
                continue
            waiting = {"skp": 0, "evaluation": 0, "objection": 0, "overdue": 0}
            for key in ([account["employee"]] if account["employee"] else []) + (
                    [None] if account["role"] == REGENCY_ADMIN else []):
                for what, n in counts.get(key, {}).items():
                    waiting[what] += n
            total = waiting["skp"] + waiting["evaluation"] + waiting["objection"]
            if not total:
                continue
            subject = f"Kinerja: {total} hal menunggu tindakan Anda"
            if waiting["overdue"]:
                subject += f" ({waiting['overdue']} lebih dari {days} hari)"
            messages.append(_message(
                account["id"], account["email"], subject,
                "reminder", f"{prefix}{account['id']}", "waiting", "reminder",
                name=_name(account), waiting=waiting, today=today, overdue_days=days,
                skp_url=absolute("/skp/persetujuan"), team_url=absolute("/kinerja/tim")))
        _insert(messages)
    return len(messages)


def build_reminders(today: datetime.date) -> int:
    """Reminders 14, 7 and 1 days before a year's SKP deadline to every active employee with
    no approved SKP for that year: one query per year due (there is at most one)."""
    due = rules.reminder_dates(today)
    messages = []
    with db.atomic():
        for year in PerformanceYear.select().where(PerformanceYear.skp_deadline.in_(list(due))):
            days = due[year.skp_deadline]
            prefix = f"reminder:{today.isoformat()}:skp{year.year}:"
            approved = Skp.select(Skp.employee).where((Skp.year == year.year) & (Skp.status == "approved"))
            condition = Employee.active & Employee.id.not_in(approved)
            recipients = [a for a in _recipients(condition & User.employee.is_null(False), "reminder")
                          if (a["mode"] or "immediate") != "off"]
            done = _existing_keys([f"{prefix}{a['id']}" for a in recipients])
            for account in recipients:
                if f"{prefix}{account['id']}" in done:
                    continue
                messages.append(_message(
                    account["id"], account["email"],
                    f"Kinerja: batas persetujuan SKP {year.year} tinggal {days} hari",
                    "reminder", f"{prefix}{account['id']}", "reminder", "reminder",
                    name=_name(account), year=year.year, days=days, deadline=year.skp_deadline,
                    skp_url=absolute("/skp/")))
        _insert(messages)
    return len(messages)


def build_objection_reminders(today: datetime.date) -> int:
    """Reminders 3 days and 1 day before an employee's objection window closes on an
    evaluation decided but not yet accepted: one query per open year and day."""
    messages = []
    with db.atomic():
        for year in PerformanceYear.select():
            for days in rules.OBJECTION_REMINDER_DAYS:
                approved_on = today + datetime.timedelta(days=days - year.objection_days)
                start = datetime.datetime.combine(approved_on, datetime.time())
                evaluations = {e.employee_id: e for e in Evaluation.select().where(
                    (Evaluation.year == year.year) & (Evaluation.status == "approved")
                    & Evaluation.acknowledged_at.is_null()
                    & (Evaluation.approved_at >= start)
                    & (Evaluation.approved_at < start + datetime.timedelta(days=1)))}
                if not evaluations:
                    continue
                recipients = [a for a in _recipients(User.employee.in_(list(evaluations)), "reminder")
                              if (a["mode"] or "immediate") != "off"]
                keys = {a["id"]: f"objection:{evaluations[a['employee']].id}:{days}" for a in recipients}
                done = _existing_keys(list(keys.values()))
                for account in recipients:
                    if keys[account["id"]] in done:
                        continue
                    evaluation = evaluations[account["employee"]]
                    period = eval_rules.find_period(evaluation.year, year.evaluation_cadence,
                                                    evaluation.kind, evaluation.number)
                    messages.append(_message(
                        account["id"], account["email"],
                        f"Kinerja: batas keberatan evaluasi tinggal {days} hari", "reminder",
                        keys[account["id"]], "objection", "reminder", name=_name(account),
                        period=period.label if period else str(evaluation.year),
                        predikat=eval_rules.predikat_label(evaluation.predikat),
                        deadline=today + datetime.timedelta(days=days), days=days,
                        url=absolute(f"/kinerja/evaluasi/{evaluation.id}")))
        _insert(messages)
    return len(messages)


def build_evaluation_reminders(today: datetime.date) -> int:
    """Reminders 7 days and 1 day before an evaluation period ends to each employee whose
    approved SKP covers the period and whose evaluation of it is not yet submitted: one
    message per person and day, naming every period that closes (the last periodic one and
    the annual one end together). One query per period due."""
    year = PerformanceYear.get_or_none(PerformanceYear.year == today.year)
    if year is None:
        return 0
    every = eval_rules.periods(year.year, year.evaluation_cadence) + [eval_rules.annual_period(year.year)]
    closing = rules.periods_closing(today, every)
    messages = []
    with db.atomic():
        for days, periods in closing.items():
            per_account: dict[int, tuple[dict, list]] = {}
            for period in periods:
                covered = Skp.select(Skp.employee).where(
                    (Skp.year == year.year) & (Skp.status == "approved")
                    & (Skp.period_start <= period.ends) & (Skp.period_end >= period.starts))
                done = Evaluation.select(Evaluation.employee).where(
                    (Evaluation.year == year.year) & (Evaluation.kind == period.kind)
                    & (Evaluation.number == period.number)
                    & Evaluation.status.not_in(eval_rules.EDITABLE_STATES))
                condition = (User.employee.in_(covered) & User.employee.not_in(done)
                             & Employee.active)
                for account in _recipients(condition, "reminder"):
                    if (account["mode"] or "immediate") != "off":
                        per_account.setdefault(account["id"], (account, []))[1].append(period)
            ends = today + datetime.timedelta(days=days)
            keys = {account_id: f"evaluation:{ends.isoformat()}:{days}:{account_id}"
                    for account_id in per_account}
            done_keys = _existing_keys(list(keys.values()))
            for account_id, (account, periods_due) in per_account.items():
                if keys[account_id] in done_keys:
                    continue
                messages.append(_message(
                    account_id, account["email"],
                    f"Kinerja: evaluasi {periods_due[0].label} berakhir {days} hari lagi", "reminder",
                    keys[account_id], "evaluation", "reminder", name=_name(account),
                    periods=[p.label for p in periods_due], ends=ends, days=days,
                    url=absolute("/kinerja/saya")))
        _insert(messages)
    return len(messages)


def _coaching_reminders(today: datetime.date) -> int:
    # Imported here: the follow-up area writes its notices through notify(), which imports
    # this module.
    from .follow_up.reminders import remind_due
    return remind_due(today)


def run_daily(today: datetime.date) -> dict[str, int]:
    """Today's digests, supervisors' summaries, SKP, evaluation and objection reminders (each
    idempotent)."""
    counts = {"digest": build_digests(today), "waiting": build_waiting(today),
              "reminder": build_reminders(today), "evaluation": build_evaluation_reminders(today),
              "objection": build_objection_reminders(today), "coaching": _coaching_reminders(today)}
    with db.atomic():
        Setting.insert(key=DAILY_MARK, value=today.isoformat()).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: today.isoformat()}).execute()
    if any(counts.values()):
        _queued.set(True)
    return counts


def daily_if_due() -> dict[str, int] | None:
    """run_daily once a day, at the first check past MAIL_DIGEST_HOUR (regency time)."""
    now = clock.now()
    if not rules.daily_due(now, _settings["MAIL_DIGEST_HOUR"], Setting.get_value(DAILY_MARK)):
        return None
    return run_daily(now.date())
