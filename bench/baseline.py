"""A bare Flask app doing the same reads as a page, for comparison in the same run.

It has no login, no CSRF, no ORM and no layout: one sqlite3 connection per request,
the same SQL the page needs, and a minimal Jinja table. A Kinerja page should reach
at least half of its requests per second.
"""
import sqlite3

from flask import Flask, g, render_template_string, request

TABLE = """<table>{% for r in rows %}<tr>{% for c in r %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>
<p>{{ total }}</p>"""


def _bare_app(name: str, db_path):
    """A Flask app and its per-request sqlite3 connection, opened on first use."""
    app = Flask(name)

    def connection():
        if "db" not in g:
            g.db = sqlite3.connect(db_path)
        return g.db

    @app.teardown_request
    def close(exc):
        conn = g.pop("db", None)
        if conn is not None:
            conn.close()

    return app, connection


def baseline_app(db_path, queries: dict[str, tuple[str, str | None]], extra_reads=()):
    """queries: url path -> (page SQL with a :q parameter, count SQL or None).

    extra_reads: statements every Kinerja page also runs (the session's account, the
    choices of a filter), so that both sides do the same reads.
    """
    app, connection = _bare_app("baseline", db_path)

    def make_view(sql, count_sql):
        def view():
            params = {"q": request.args.get("q", "")}
            for extra in extra_reads:
                connection().execute(extra).fetchall()
            rows = connection().execute(sql, params).fetchall()
            total = connection().execute(count_sql, params).fetchone()[0] if count_sql else len(rows)
            return render_template_string(TABLE, rows=rows, total=total)
        return view

    for index, (path, (sql, count_sql)) in enumerate(queries.items()):
        app.add_url_rule(path, f"q{index}", make_view(sql, count_sql))
    return app


def replay_app(db_path, pages: dict[str, list[tuple[str, tuple]]]):
    """A bare Flask app that runs, for each path, exactly the statements a Kinerja page
    ran (recorded with `common.recorded_reads`) and shows every row they returned: the
    same reads without the ORM, the session, the forms or the layout."""
    app, connection = _bare_app("replay", db_path)

    def make_view(statements):
        def view():
            rows = [row for sql, params in statements
                    for row in connection().execute(sql, params).fetchall()]
            return render_template_string(TABLE, rows=rows, total=len(rows))
        return view

    for index, (path, statements) in enumerate(pages.items()):
        app.add_url_rule(path, f"r{index}", make_view(statements))
    return app


def recorded_statements(send) -> list[tuple[str, tuple]]:
    """Every statement one request sends to PostgreSQL, as psycopg receives it (BEGIN and
    COMMIT included, which peewee sends past execute_sql), in order."""
    import psycopg
    statements = []
    original = psycopg.Cursor.execute

    def recording(cursor, query, params=None, **kwargs):
        statements.append((query, tuple(params or ())))
        return original(cursor, query, params, **kwargs)

    psycopg.Cursor.execute = recording
    try:
        send()
    finally:
        psycopg.Cursor.execute = original
    return statements


def survey_post_app(url: str, statements: list[tuple[str, tuple]], fresh: dict):
    """A bare Flask app answering the survey's POST with the statements a Kinerja POST sent,
    on one kept psycopg connection: no ORM, no WTForms, no stamp, no session. Each request
    checks the nine answers are 1–4 and replaces the recorded values named in `fresh`
    ({recorded value: function giving a new one}: the one-use token, the address) so the
    statements do the same work every time."""
    import psycopg
    from flask import abort, redirect

    app = Flask("baseline-survey")
    connection = psycopg.connect(url, autocommit=True)

    @app.post("/survei/<code>")
    def submit(code):
        if any(request.form.get(f"u{i}") not in ("1", "2", "3", "4") for i in range(1, 10)):
            abort(422)
        new = {old: make() for old, make in fresh.items()}
        cursor = connection.cursor()
        for sql, params in statements:
            cursor.execute(sql, tuple(new.get(p, p) if isinstance(p, str) else p for p in params)
                           or None)
        return redirect(f"/survei/{code}/terima-kasih", 303)

    return app
