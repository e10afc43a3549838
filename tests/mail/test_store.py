"""The outbox, what arrives at a real SMTP server, digests, reminders and retries."""
import datetime

from playhouse.migrations import Runner

from kinerja import clock, create_app
from kinerja.schema import MIGRATIONS, migrate
from kinerja.models import (
    AuditLog, Employee, Evaluation, MailPreference, Notification, OutboxMessage, PerformanceYear, Skp, User, db,
    utcnow,
)
from kinerja.stores import mail

from ..support import counting_queries, database, postgres
from ..support.app import TODAY
from .conftest import BASE_URL


def _notice(app, employee_id, kind="skp", text="SKP 2027 Anda disetujui oleh Budi Santoso",
            link="/skp/7"):
    """A notice as notifications.notify writes it: the in-app row and its mail, one transaction."""
    with database(app):
        with db.atomic():
            notice = Notification.create(recipient=employee_id, text=text, link=link)
            return mail.queue_notice(employee_id, kind, text, link, notification_id=notice.id), notice.id


def _send(app):
    with database(app):
        return mail.send_all()


def _messages(app, **where):
    with database(app):
        query = OutboxMessage.select().order_by(OutboxMessage.id)
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return list(query)


def _prefer(app, user_id, kind, mode):
    with database(app):
        MailPreference.create(account=user_id, kind=kind, mode=mode)


def test_an_immediate_notice_arrives_with_text_html_link_and_unsubscribe(app, smtp, with_email):
    user_id, employee_id, address = with_email("pegawai")
    message, _ = _notice(app, employee_id)
    assert message.state == "queued"
    assert _send(app) == {"sent": 1}
    [received] = smtp.messages
    assert received.recipients == [address]
    assert received.subject == "Kinerja: SKP 2027 Anda disetujui oleh Budi Santoso"
    assert "Kinerja Sukamaju" in str(received.message["From"])
    assert "SKP 2027 Anda disetujui oleh Budi Santoso" in received.text
    assert f"{BASE_URL}/skp/7" in received.text
    assert f'href="{BASE_URL}/skp/7"' in received.html
    assert "Berhenti berlangganan" in received.html
    unsubscribe = str(received.message["List-Unsubscribe"])
    assert unsubscribe.startswith(f"<{BASE_URL}/email/berhenti/")
    in_text = received.text.split(f"{BASE_URL}/email/berhenti/")[1].split()[0]
    with database(app):
        for token in (unsubscribe.strip("<>").rsplit("/", 1)[1], in_text):
            account, kind = mail.read_unsubscribe(token)
            assert (account.id, kind) == (user_id, "skp")
    [stored] = _messages(app)
    assert (stored.state, stored.attempts, stored.last_error) == ("sent", 1, "")
    assert stored.sent_at is not None


def test_html_part_escapes_what_people_wrote(app, smtp, with_email):
    _, employee_id, _ = with_email("pegawai")
    _notice(app, employee_id, kind="feedback", text='Komentar <script>alert(1)</script> & "kutip"')
    _send(app)
    [received] = smtp.messages
    assert "<script>" not in received.html
    assert "&lt;script&gt;" in received.html


def test_no_mail_without_a_verified_address_or_with_the_kind_off(app, smtp, with_email, accounts):
    _, unverified, _ = with_email("pegawai", verified=False)
    assert _notice(app, unverified)[0] is None
    user_id, employee_id, _ = with_email("penilai")
    _prefer(app, user_id, "evaluation", "off")
    assert _notice(app, employee_id, kind="evaluation")[0] is None
    with database(app):
        assert mail.queue_notice(None, "skp", "x", "/skp/1") is None
    assert _send(app) == {}
    assert smtp.messages == []


def test_without_mail_server_messages_are_logged_and_skipped(app, smtp, with_email, caplog):
    _, employee_id, address = with_email("pegawai")
    mail.configure({"MAIL_SERVER": ""})
    _notice(app, employee_id)
    with caplog.at_level("INFO", logger="kinerja.mail"):
        assert _send(app) == {"skipped": 1}
    assert address in caplog.text
    [stored] = _messages(app)
    assert stored.state == "skipped" and "MAIL_SERVER" in stored.last_error
    assert smtp.messages == []


def test_a_server_that_is_down_leaves_failed_with_the_error_and_a_retry_later_sends(
        app, smtp, with_email, travel):
    _, employee_id, _ = with_email("pegawai")
    smtp.stop()
    _notice(app, employee_id)
    assert _send(app) == {"failed": 1}
    [stored] = _messages(app)
    assert stored.state == "failed" and stored.attempts == 1
    assert "menolak sambungan" in stored.last_error
    assert stored.next_attempt_at > utcnow()
    smtp.start()
    assert _send(app) == {}, "not before its backoff"
    travel(clock.now() + datetime.timedelta(minutes=6))
    assert _send(app) == {"sent": 1}
    [stored] = _messages(app)
    assert (stored.state, stored.attempts, stored.last_error) == ("sent", 2, "")
    assert len(smtp.messages) == 1


def test_after_the_last_attempt_a_message_waits_for_an_admin(app, smtp, with_email, travel, accounts):
    _, employee_id, _ = with_email("pegawai")
    smtp.stop()
    _notice(app, employee_id)
    for minutes in (0, 6, 12):  # MAIL_MAX_ATTEMPTS=3, backoff 5 and 10 minutes
        travel(clock.now() + datetime.timedelta(minutes=minutes))
        assert _send(app) == {"failed": 1}
    [stored] = _messages(app)
    assert stored.attempts == 3 and stored.next_attempt_at is None
    assert "tidak dicoba lagi" in stored.last_error
    travel(clock.now() + datetime.timedelta(days=2))
    assert _send(app) == {}
    smtp.start()
    with database(app):
        admin = User.get(User.username == accounts["admin"])
        mail.resend(admin, stored.id)
        assert AuditLog.select().where((AuditLog.entity == "outbox_message")
                                       & (AuditLog.entity_id == stored.id)).count() == 1
    assert _send(app) == {"sent": 1}


def test_the_digest_bundles_unread_notices_and_running_it_twice_sends_nothing_twice(
        app, smtp, with_email):
    user_id, employee_id, address = with_email("pegawai")
    _prefer(app, user_id, "skp", "digest")
    _prefer(app, user_id, "feedback", "digest")
    first, _ = _notice(app, employee_id, text="SKP 2027 Anda dikembalikan", link="/skp/3")
    _, read_id = _notice(app, employee_id, kind="feedback", text="Umpan balik yang sudah dibaca",
                         link="/kinerja/umpan-balik/entry/1")
    _notice(app, employee_id, kind="feedback", text="Atasan menanggapi kegiatan Anda",
            link="/kinerja/umpan-balik/entry/2")
    assert first.state == "held"
    assert _send(app) == {}, "held notices wait for the digest"
    with database(app):
        Notification.update(read_at=utcnow()).where(Notification.id == read_id).execute()
        assert mail.build_digests(TODAY) == 1
        assert mail.build_digests(TODAY) == 0
    assert _send(app) == {"sent": 1}
    [digest] = smtp.messages
    assert digest.recipients == [address]
    assert digest.subject == "Kinerja: ringkasan harian 24 November 2026 (2 pemberitahuan)"
    assert "SKP 2027 Anda dikembalikan" in digest.text and f"{BASE_URL}/skp/3" in digest.text
    assert "Atasan menanggapi kegiatan Anda" in digest.html
    assert "sudah dibaca" not in digest.text
    assert str(digest.message["List-Unsubscribe"]).startswith(f"<{BASE_URL}/email/berhenti/")
    states = sorted(m.state for m in _messages(app) if m.kind != "digest")
    assert states == ["bundled", "bundled", "skipped"]
    # A notice after today's digest waits for tomorrow's, even when the digest runs again.
    _notice(app, employee_id, text="SKP 2027 Anda disetujui", link="/skp/3")
    with database(app):
        assert mail.run_daily(TODAY)["digest"] == 0
        assert mail.run_daily(TODAY)["digest"] == 0
        assert mail.build_digests(TODAY + datetime.timedelta(days=1)) == 1
    _send(app)
    assert len(smtp.messages) == 2


def test_a_supervisor_hears_each_morning_what_waits_for_them(app, smtp, with_email, accounts):
    from kinerja.stores.evaluation.queue import objections_for, pending_count
    from kinerja.stores.skp.overview import Inbox
    user_id, employee_id, address = with_email("penilai")
    with database(app):
        user = User.get_by_id(user_id)
        expected = {"skp": Inbox(employee_id, False).pending_count(),
                    "evaluation": pending_count(user), "objection": len(objections_for(user))}
        if not sum(expected.values()):
            # The demo gives this supervisor one plan to decide at least; make sure.
            Skp.update(status="submitted").where(Skp.id == Skp.select(Skp.id).where(
                Skp.appraiser == employee_id).limit(1).scalar()).execute()
            expected["skp"] = Inbox(employee_id, False).pending_count()
        counts = mail.waiting_counts()[employee_id]
        assert {k: counts[k] for k in expected} == expected
        assert counts["overdue"] == 0, "nothing is older than the beginning of time"
        everything = mail.waiting_counts(datetime.datetime(2100, 1, 1))[employee_id]
        assert everything["overdue"] == sum(expected.values())
        week_ago = datetime.datetime.combine(TODAY - datetime.timedelta(days=7), datetime.time())
        overdue = mail.waiting_counts(week_ago)[employee_id]["overdue"]
        assert overdue, "the demo's plans have waited since January"
        assert mail.build_waiting(TODAY) == 1
        assert mail.build_waiting(TODAY) == 0
    _send(app)
    [received] = smtp.to(address)
    total = sum(expected.values())
    assert received.subject == f"Kinerja: {total} hal menunggu tindakan Anda ({overdue} lebih dari 7 hari)"
    assert f"{overdue} di antaranya sudah menunggu lebih dari 7 hari" in received.text
    if expected["skp"]:
        assert f"{expected['skp']} SKP diajukan untuk disetujui" in received.text
        assert f"{BASE_URL}/skp/persetujuan" in received.html


def test_skp_reminders_go_14_7_and_1_days_before_the_deadline_to_those_without_approval(
        app, smtp, with_email):
    _, without, address = with_email("pegawai")
    _, approved_employee, approved_address = with_email("pegawai_skp")
    with database(app):
        year = TODAY.year + 1
        PerformanceYear.insert(year=year, skp_deadline=TODAY + datetime.timedelta(days=7),
                               evaluation_cadence="triwulanan", objection_days=14,
                               is_open=True, created_at=utcnow()).on_conflict(
            conflict_target=[PerformanceYear.year],
            update={PerformanceYear.skp_deadline: TODAY + datetime.timedelta(days=7)}).execute()
        Skp.delete().where((Skp.year == year) & (Skp.employee == without)).execute()
        skp = Skp.get_or_none((Skp.year == year) & (Skp.employee == approved_employee))
        if skp is None:
            Skp.create(employee=approved_employee, year=year, status="approved",
                       period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31))
        else:
            Skp.update(status="approved").where(Skp.id == skp.id).execute()
        assert mail.build_reminders(TODAY) >= 1
        assert mail.build_reminders(TODAY) == 0
        assert mail.build_reminders(TODAY + datetime.timedelta(days=1)) == 0, "6 days: no reminder"
    _send(app)
    [reminder] = smtp.to(address)
    assert reminder.subject == f"Kinerja: batas persetujuan SKP {year} tinggal 7 hari"
    assert "1 Desember 2026" in reminder.text
    assert smtp.to(approved_address) == []


def test_the_daily_run_costs_the_same_queries_for_more_people(app, with_email, accounts):
    """A constant number of statements, not one per employee (bench/bench_mail.py measures
    ten thousand)."""
    def statements():
        with database(app):
            OutboxMessage.delete().where(OutboxMessage.dedupe_key.is_null(False)).execute()
            with counting_queries() as ran:
                mail.run_daily(TODAY)
            return len([s for s in ran if not s.lstrip().upper().startswith("INSERT")])

    with_email("penilai")
    few = statements()
    for role in ("pegawai", "atasan", "pegawai_skp", "admin"):
        with_email(role)
    with database(app):
        for employee in Employee.select().where(Employee.id.not_in(
                User.select(User.employee).where(User.employee.is_null(False)))).limit(40):
            User.create(username=employee.nip, employee=employee, password_hash="x",
                        email=f"{employee.nip}@sukamaju.test", email_verified_at=utcnow())
    assert statements() == few


def test_an_older_database_gains_the_mail_tables(tmp_path):
    url = (postgres.server().create() if postgres.enabled()
           else f"sqlite:///{tmp_path / 'old.sqlite3'}")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": url, "JOBS_IMMEDIATE": True})
    with app.app_context():
        db.connect(reuse_if_open=True)
        Runner(db.obj, str(MIGRATIONS)).up(target="0013_postgresql_triggers")
        p = db.obj.param
        db.execute_sql('INSERT INTO "user" (username, password_hash, role, must_change_password, '
                       f"active, session_version, created_at) VALUES ('lama', 'x', 'admin', {p}, "
                       f"{p}, 1, '2026-01-01 00:00:00')", (False, True))
        assert "0014_mail" in migrate()
        old = User.get(User.username == "lama")
        assert old.email is None and old.email_verified_at is None
        assert OutboxMessage.select().count() == 0 and MailPreference.select().count() == 0
        assert migrate() == []
        db.close()


def test_an_employee_is_reminded_3_days_and_1_day_before_the_objection_window_closes(
        app, smtp, with_email):
    _, employee_id, address = with_email("pegawai_skp")
    with database(app):
        days = PerformanceYear.get(PerformanceYear.year == TODAY.year).objection_days
        evaluation = (Evaluation.select().where((Evaluation.employee == employee_id)
                                                & (Evaluation.year == TODAY.year))
                      .order_by(Evaluation.number).first())
        # Decided so that its window closes in 3 days, and not yet accepted.
        decided = datetime.datetime.combine(TODAY - datetime.timedelta(days=days - 3), datetime.time(9))
        Evaluation.update(status="approved", approved_at=decided, acknowledged_at=None,
                          predikat="baik").where(Evaluation.id == evaluation.id).execute()
        assert mail.build_objection_reminders(TODAY) == 1
        assert mail.build_objection_reminders(TODAY) == 0, "run twice, sent once"
        assert mail.build_objection_reminders(TODAY + datetime.timedelta(days=1)) == 0
        assert mail.build_objection_reminders(TODAY + datetime.timedelta(days=2)) == 1
        Evaluation.update(acknowledged_at=utcnow()).where(Evaluation.id == evaluation.id).execute()
        assert mail.build_objection_reminders(TODAY + datetime.timedelta(days=2)) == 0
    _send(app)
    first, last = smtp.to(address)
    assert first.subject == "Kinerja: batas keberatan evaluasi tinggal 3 hari"
    assert last.subject == "Kinerja: batas keberatan evaluasi tinggal 1 hari"
    assert "Baik" in first.text and f"/kinerja/evaluasi/{evaluation.id}" in first.text


def test_an_evaluation_not_submitted_is_reminded_7_days_and_1_day_before_its_period_ends(
        app, smtp, with_email):
    """The last quarter and the year end together on 31 December: one message names both."""
    _, employee_id, address = with_email("pegawai_skp")
    week_before, day_before = datetime.date(TODAY.year, 12, 24), datetime.date(TODAY.year, 12, 30)
    with database(app):
        skp = Skp.get((Skp.employee == employee_id) & (Skp.year == TODAY.year) & (Skp.status == "approved"))
        last_quarter = (Evaluation.kind == "periodic") & (Evaluation.number == 4)
        Evaluation.delete().where((Evaluation.employee == employee_id) & (Evaluation.year == TODAY.year)
                                  & (last_quarter | (Evaluation.kind == "annual"))).execute()
        assert mail.build_evaluation_reminders(week_before) >= 1
        assert mail.build_evaluation_reminders(week_before) == 0, "run twice, sent once"
        assert mail.build_evaluation_reminders(week_before + datetime.timedelta(days=1)) == 0
    _send(app)
    [reminder] = smtp.to(address)
    assert reminder.subject == f"Kinerja: evaluasi Triwulan IV {TODAY.year} berakhir 7 hari lagi"
    assert f"Triwulan IV {TODAY.year} dan Tahunan {TODAY.year}" in reminder.text
    assert f"31 Desember {TODAY.year}" in reminder.text and f"{BASE_URL}/kinerja/saya" in reminder.text

    with database(app):  # submitted in the meantime: nothing the day before
        for kind, number in (("periodic", 4), ("annual", 1)):
            Evaluation.create(employee=employee_id, skp=skp, year=TODAY.year, kind=kind, number=number,
                              starts=datetime.date(TODAY.year, 10 if number == 4 else 1, 1),
                              ends=datetime.date(TODAY.year, 12, 31), status="submitted",
                              submitted_at=utcnow())
        mail.build_evaluation_reminders(day_before)
    _send(app)
    assert len(smtp.to(address)) == 1
