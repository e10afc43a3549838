"""Browser tests: Debian's chromium driven by Playwright against a live server on 127.0.0.1."""
import os
import shutil
import threading

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from ..conftest import make_app

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    # Never skipped silently: without the browser these tests fail and say why.
    assert shutil.which(CHROMIUM) or os.path.exists(CHROMIUM), \
        f"{CHROMIUM} tidak ada: jalankan `make test` (memasang chromium) atau apt-get install chromium"
    return {"executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture
def live_server(tmp_path):
    """The app with the demo regency and real CSRF, served on a free port."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, TESTING=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()


@pytest.fixture
def accounts_live(live_server):
    from kinerja.demo import demo_accounts
    from kinerja.models import db
    with live_server.app.app_context():
        db.connect(reuse_if_open=True)
        rows = demo_accounts()
        db.close()
    keys = ["admin", "admin_opd", "pegawai", "penilai", "atasan", "pegawai_skp"]
    return {key: username for key, (_, username, _) in zip(keys, rows)}


def browser_login(page, live_server, username, password="Kinerja2026!"):
    for attempt in range(3):
        try:
            page.goto(f"{live_server.url}/masuk")
            break
        except PlaywrightError as exc:
            # The previous page's notification poll, finding its session gone, may redirect
            # to the login page at the same moment and abort this navigation.
            if "ERR_ABORTED" not in str(exc) or attempt == 2:
                raise
    page.get_by_label("NIP atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/**")
