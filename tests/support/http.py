"""A browser-like HTTP client for tests against real server processes: one cookie jar (which,
like a browser's, is shared by every port of 127.0.0.1), redirects not followed, forms sent
urlencoded or as multipart with files. Only the standard library."""
import http.cookiejar
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def hidden(self, name: str) -> str:
        found = (re.search(rf'name="{name}" type="hidden" value="([^"]*)"', self.text)
                 or re.search(rf'type="hidden" name="{name}" value="([^"]*)"', self.text))
        assert found, f"tidak ada {name} di halaman"
        return found.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies),
                                                   _NoRedirect())

    def get(self, url: str) -> Reply:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, fields: dict, files: dict | None = None) -> Reply:
        if files:
            boundary = secrets.token_hex(16)
            body = _multipart(boundary, fields, files)
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        # Flask-WTF checks the Referer of HTTPS requests only; sent anyway, as a browser would.
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": content_type, "Referer": url})
        return self._open(request)

    def _open(self, request) -> Reply:
        try:
            with self._opener.open(request, timeout=30) as response:
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())


def _multipart(boundary: str, fields: dict, files: dict) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, (filename, data, mime) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


class Server:
    """One gunicorn process serving `tests.support.served:app` on a free port."""

    def __init__(self, port: int, environment: dict, log: Path):
        self.url = f"http://127.0.0.1:{port}"
        self._log = log
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "--workers", "1", "--threads", "4",
             "--bind", f"127.0.0.1:{port}", "tests.support.served:app"],
            cwd=ROOT, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT)

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server berhenti:\n{self._log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server tidak siap dalam {seconds} detik:\n{self._log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
