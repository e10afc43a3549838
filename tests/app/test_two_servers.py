"""Two app servers on one database, as behind nginx's upstream: two gunicorn processes that
share nothing but the database, the upload directory and the secret key. Whatever one
server learns must hold on the other: a session and its end, the count of wrong passwords,
a survey form already sent, an uploaded file. (On PostgreSQL this is the several-servers
setup of the README; on SQLite, the same file under two processes.)"""
import pytest

from kinerja.demo import DEMO_PASSWORD
from kinerja.models import Evidence, ProgressEntry, SurveyResponse
from kinerja.rules import ikm

from ..support import database, free_port
from ..support.app import TODAY
from ..support.evaluation import PDF, demo_cast, first_indicator
from ..support.http import Browser, Server

CODE = "pkm-sukamaju"


@pytest.fixture
def servers(app, tmp_path):
    environment = {
        "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
        "DATABASE_URL": app.config["DATABASE_URL"], "UPLOAD_DIR": app.config["UPLOAD_DIR"],
        "SECRET_KEY": "kunci-bersama-dua-server", "SURVEY_MIN_SECONDS": "0",
    }
    started = [Server(free_port(), environment, tmp_path / f"server-{name}.log") for name in "ab"]
    try:
        for server in started:
            server.wait_ready()
        yield started
    finally:
        for server in started:
            server.stop()


def _log_in(browser, server, username, password=DEMO_PASSWORD):
    page = browser.get(f"{server.url}/masuk")
    return browser.post(f"{server.url}/masuk", {"csrf_token": page.hidden("csrf_token"),
                                                "username": username, "password": password})


def test_a_session_made_on_one_server_works_and_ends_on_both(app, servers):
    a, b = servers
    with database(app):
        worker = demo_cast().worker
        username, name = worker.nip, worker.full_name
    browser = Browser()
    assert _log_in(browser, a, username).status == 302
    home = browser.get(f"{b.url}/")
    assert home.status == 200 and name in home.text
    copy = Browser()
    for cookie in browser.cookies:
        copy.cookies.set_cookie(cookie)
    assert browser.post(f"{b.url}/keluar", {"csrf_token": home.hidden("csrf_token")}).status == 302
    for server in servers:
        replay = copy.get(f"{server.url}/")
        assert replay.status == 302 and "/masuk" in replay.headers["Location"], server.url


def test_wrong_passwords_are_counted_across_both_servers(app, servers):
    a, b = servers
    with database(app):
        username = demo_cast().penilai.nip
    limit = app.config["LOGIN_MAX_PER_ACCOUNT"]
    # A fresh browser every try: no device cookie, so the account's own count applies.
    statuses = [_log_in(Browser(), servers[n % 2], username, "salah-sekali").status
                for n in range(limit)]
    assert statuses == [401] * limit
    for server in (a, b):
        refused = _log_in(Browser(), server, username)  # even the right password waits
        assert refused.status == 429 and "Terlalu banyak percobaan" in refused.text


def test_a_survey_form_sent_to_one_server_is_not_counted_again_by_the_other(app, servers):
    a, b = servers
    citizen = Browser()
    form = citizen.get(f"{a.url}/survei/{CODE}")
    answers = {"stamp": form.hidden("stamp"), **{code: "4" for code in ikm.ELEMENT_CODES}}
    if 'name="csrf_token"' in form.text:
        answers["csrf_token"] = form.hidden("csrf_token")
    with database(app):
        before = SurveyResponse.select().count()
    first, again = (citizen.post(f"{server.url}/survei/{CODE}", answers) for server in (a, b))
    assert first.status == again.status == 303
    assert first.headers["Location"] == again.headers["Location"]
    with database(app):
        assert SurveyResponse.select().count() == before + 1


def test_a_file_uploaded_through_one_server_is_downloaded_through_the_other(app, servers):
    a, b = servers
    with database(app):
        worker = demo_cast().worker
        username = worker.nip
        indicator = first_indicator(worker).id
    browser = Browser()
    assert _log_in(browser, a, username).status == 302
    page = browser.get(f"{a.url}/kinerja/progres")
    sent = browser.post(f"{a.url}/kinerja/progres", {
        "csrf_token": page.hidden("csrf_token"), "indicator": indicator,
        "day": TODAY.isoformat(), "description": "Laporan kunjungan rumah", "quantity": "2"},
        files={"evidence_file": ("Laporan dua server.pdf", PDF, "application/pdf")})
    assert sent.status == 302, sent.text[:2000]
    with database(app):
        evidence = (Evidence.select().join(ProgressEntry)
                    .where((ProgressEntry.employee == worker.id) & (Evidence.kind == "file"))
                    .order_by(Evidence.id.desc()).first())
    assert evidence.filename == "Laporan dua server.pdf"
    download = browser.get(f"{b.url}/kinerja/bukti/{evidence.id}")
    assert download.status == 200 and download.body == PDF

