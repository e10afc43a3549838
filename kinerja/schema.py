"""The numbered migrations that build and upgrade the database (kinerja/migrations/), for the
CLI, copy-db, the tests and the benchmarks alike."""
from pathlib import Path

from playhouse.migrations import Runner

from .models import db

MIGRATIONS = Path(__file__).parent / "migrations"


def migrate() -> list[str]:
    """Apply pending numbered migrations; an up-to-date database is left as it is."""
    db.connect(reuse_if_open=True)
    return Runner(db.obj, str(MIGRATIONS)).up()
