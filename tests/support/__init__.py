"""Helpers shared by the test files: the database outside a request, and counting queries."""
import socket
from contextlib import contextmanager

from kinerja.models import db

def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now (a server the test starts takes it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What htmx sends with every request it makes.
HX = {"HX-Request": "true"}


@contextmanager
def database(app):
    """Read or write the test database between requests."""
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            yield
        finally:
            db.close()


@contextmanager
def counting_queries():
    """The SQL statements the app runs while the block runs."""
    database_obj = db.obj
    original = database_obj.execute_sql
    statements = []

    def counted(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return original(sql, params, *args, **kwargs)

    database_obj.execute_sql = counted
    try:
        yield statements
    finally:
        database_obj.execute_sql = original


def counted_get(client, url: str) -> tuple[int, str]:
    """How many statements a page runs, and the page; it must answer 200."""
    with counting_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements), response.get_data(as_text=True)


def zip_bomb(kind: str = "odt", declared_mb: int = 100) -> bytes:
    """A small document whose one member inflates to `declared_mb` MB of zeros: an .odt's
    `mimetype`, or an .xlsx/.docx part. Real compressed data, about 0.1 % of its size."""
    import io
    import zipfile
    member = {"odt": "mimetype", "ods": "mimetype", "xlsx": "xl/worksheets/sheet1.xml",
              "docx": "word/document.xml"}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if kind in ("xlsx", "docx"):
            archive.writestr("[Content_Types].xml", "<Types/>")
        chunk = b"\0" * (1024 * 1024)
        with archive.open(member, "w", force_zip64=True) as fh:
            for _ in range(declared_mb):
                fh.write(chunk)
    return out.getvalue()
