"""Settings read from the environment, with safe defaults for one server."""
import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """A key from the environment, else one generated once and kept in instance/.

    Keeping it on disk means sessions survive a restart and every worker of the
    same server shares it.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        # Several workers may start at once: write aside, then link into place,
        # which fails for all but the first, so every worker reads the same key.
        instance_path.mkdir(parents=True, exist_ok=True)
        tmp = instance_path / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return key_file.read_text().strip()


def load(instance_path: str) -> dict:
    path = Path(instance_path)
    return {
        "SECRET_KEY": _secret_key(path),
        # What `flask backup` carries; none when the key comes from the environment.
        "SECRET_KEY_FILE": "" if os.environ.get("SECRET_KEY") else str(path / "secret_key"),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{path / 'kinerja.sqlite3'}"),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(path / "uploads")),
        # Evidence files and spreadsheets are the largest legitimate bodies.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 10 * 1024 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        # The regency's time zone: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT).
        "TIMEZONE": os.environ.get("TIMEZONE", "Asia/Jakarta"),
        "REGENCY_NAME": os.environ.get("REGENCY_NAME", "Kabupaten Sukamaju"),
        # Login throttling: failures counted over a sliding window.
        "LOGIN_WINDOW_MINUTES": 15,
        "LOGIN_MAX_PER_ACCOUNT": 5,
        "LOGIN_MAX_PER_ADDRESS": 30,
        # Fair counting of the public survey (domain/skm.md §5); see the README.
        "SURVEY_MIN_SECONDS": int(os.environ.get("SURVEY_MIN_SECONDS", "10")),
        "SURVEY_WINDOW_MINUTES": int(os.environ.get("SURVEY_WINDOW_MINUTES", "60")),
        "SURVEY_MAX_PER_ADDRESS": int(os.environ.get("SURVEY_MAX_PER_ADDRESS", "10")),
        "SURVEY_MAX_PER_UNIT": int(os.environ.get("SURVEY_MAX_PER_UNIT", "300")),
        "SURVEY_HARD_MAX_PER_ADDRESS": int(os.environ.get("SURVEY_HARD_MAX_PER_ADDRESS", "100")),
        # A kiosk tablet shows the thank-you this long before a fresh form for the next visitor.
        "SURVEY_KIOSK_RETURN_SECONDS": int(os.environ.get("SURVEY_KIOSK_RETURN_SECONDS", "8")),
        "PASSWORD_HASH_FAST": False,
        "DB_KEEP_CONNECTION": True,
        # PostgreSQL only: connections kept open per app process (SQLite keeps one per thread).
        "DB_POOL_SIZE": int(os.environ.get("DB_POOL_SIZE", "8")),
        # How many reverse proxies (nginx) stand in front; their X-Forwarded-* headers are
        # trusted so throttling sees the citizen's address, not nginx's.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        # The address citizens reach the server at: printed on SKM posters and in their QR
        # codes, so it must not depend on how the request that made the poster came in.
        # Empty: the address of the request that shows the link.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").rstrip("/"),
        # Email (README "Email dan pekerja latar belakang"). The address links in an email
        # point to: there is no request to take it from when the worker writes the mail.
        "BASE_URL": (os.environ.get("BASE_URL") or os.environ.get("PUBLIC_URL")
                     or "http://127.0.0.1:5000").rstrip("/"),
        # No MAIL_SERVER: nothing is sent, each message is logged and kept as "tidak dikirim".
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "1") == "1",  # STARTTLS
        "MAIL_USE_SSL": os.environ.get("MAIL_USE_SSL", "0") == "1",  # TLS from the start (465)
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Kinerja <kinerja@localhost>"),
        "MAIL_TIMEOUT": int(os.environ.get("MAIL_TIMEOUT", "20")),
        # A message that fails is tried again after 1, 2, 4, … times MAIL_RETRY_MINUTES,
        # MAIL_MAX_ATTEMPTS times in all; then it waits for an admin's "kirim ulang".
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "5")),
        "MAIL_RETRY_MINUTES": int(os.environ.get("MAIL_RETRY_MINUTES", "5")),
        # The hour (regency time) of the daily digests and SKP reminders.
        "MAIL_DIGEST_HOUR": int(os.environ.get("MAIL_DIGEST_HOUR", "6")),
        # A supervisor's morning summary names what has waited longer than this many days.
        "MAIL_OVERDUE_DAYS": int(os.environ.get("MAIL_OVERDUE_DAYS", "7")),
        # A SIASN import with more rows than this is saved by the worker after its dry run
        # (a page with its progress), a smaller one in the request (under a second).
        "IMPORT_JOB_ROWS": int(os.environ.get("IMPORT_JOB_ROWS", "2000")),
        # The job queue: a SQLite file in instance/ unless REDIS_URL is set (then Redis,
        # which needs `pip install redis`). JOBS_IMMEDIATE runs each job at once, in the
        # process that queues it (the tests).
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "JOBS_FILE": os.environ.get("JOBS_FILE", str(path / "jobs.sqlite3")),
        "JOBS_IMMEDIATE": os.environ.get("JOBS_IMMEDIATE", "0") == "1",
    }
