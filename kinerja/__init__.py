"""Kinerja: performance management of a regency's civil servants (ASN)."""
import os

from flask import Flask

from . import clock, config as config_module


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    app.config.update(config_module.load(app.instance_path))
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    clock.configure(app.config["TIMEZONE"])
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    register_database(app)
    register_jobs(app)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    return app


def register_database(app: Flask) -> None:
    from peewee import SqliteDatabase

    from . import memo
    from .models import connect_url, db
    connect_url(app.config["DATABASE_URL"],
                pool_size=app.config["DB_POOL_SIZE"] if app.config["DB_KEEP_CONNECTION"] else 0)

    @app.before_request
    def _open():
        memo.begin()
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        memo.end()
        # A worker thread keeps its SQLite connection: a new one re-reads the schema and
        # starts with a cold page cache, which costs more than most of our queries.
        if db.is_closed():
            return
        # peewee's atomic() rolls back on error; this catches anything begun by hand too.
        if db.in_transaction() or getattr(db.connection(), "in_transaction", False):
            db.rollback()
        if not app.config["DB_KEEP_CONNECTION"] or not isinstance(db.obj, SqliteDatabase):
            db.close()


def register_jobs(app: Flask) -> None:
    from .jobs import register
    register(app)


def register_extensions(app: Flask) -> None:
    from . import formatting, htmx, security, web
    htmx.init_app(app)
    security.login_manager.init_app(app)
    web.init_app(app)
    formatting.register(app)


def register_blueprints(app: Flask) -> None:
    from werkzeug.routing import IntegerConverter

    class BoundedInt(IntegerConverter):
        # An id past SQLite's 64-bit range would raise OverflowError in the driver: a 404 instead.
        def __init__(self, map, *args, **kwargs):
            kwargs.setdefault("max", 2 ** 63 - 1)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = BoundedInt
    from .views import blueprints
    for blueprint in blueprints():
        app.register_blueprint(blueprint)


def register_errors(app: Flask) -> None:
    from .errors import init_app
    init_app(app)


def register_cli(app: Flask) -> None:
    from .cli import init_app
    init_app(app)
