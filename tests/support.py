"""Helpers shared by the test files: the database outside a request, and counting queries."""
from contextlib import contextmanager

from kinerja.models import db


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
