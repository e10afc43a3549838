"""Browser tests: Debian's chromium driven by Playwright against a live server on 127.0.0.1."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from ..support.app import make_app

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]
# KINERJA_E2E_SETTLE_MS=1000 makes htmx take that long to settle every swap (it takes 20 ms):
# a test that acts on swapped content before it settled then fails every time, instead of
# once in a while on a busy machine. Use it to check a new browser test.
SETTLE_MS = int(os.environ.get("KINERJA_E2E_SETTLE_MS") or 0)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    # Never skipped silently: without the browser these tests fail and say why.
    assert shutil.which(CHROMIUM) or os.path.exists(CHROMIUM), \
        f"{CHROMIUM} tidak ada: jalankan `make test` (memasang chromium) atau apt-get install chromium"
    return {"executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture
def live_config():
    """Settings a test file adds to its live server (overridden there, e.g. an SMTP server)."""
    return {}


@pytest.fixture
def live_server(tmp_path, live_config):
    """The app with the demo regency and real CSRF, served on a free port."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, TESTING=False, **live_config)
    if SETTLE_MS:
        _slow_settle(app, SETTLE_MS)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()


def _slow_settle(app, milliseconds):
    """Every page tells htmx to settle swaps only after `milliseconds` (its htmx-config)."""
    before, after = b'"allowEval": false', b'"defaultSettleDelay": %d, "allowEval": false' % milliseconds

    @app.after_request
    def settle_slowly(response):
        if response.mimetype == "text/html" and not response.direct_passthrough:
            response.set_data(response.get_data().replace(before, after))
        return response


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
