"""Text stored before control characters were refused: pasted line breaks (Word's Shift+Enter,
a bare CR, U+2028) become newlines, any other control character is dropped, so that every
export of it opens. The audit trail is append-only and stays as written: it is only ever
shown escaped in HTML, never exported.

The patterns are frozen here (not imported from rules/text.py), so that this migration does
the same thing whenever it runs."""
import re

from peewee import SqliteDatabase

LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
SKIPPED = {"audit_log", "migratehistory"}


def _dirty(value) -> bool:
    return isinstance(value, str) and (LINE_BREAKS.search(value) is not None
                                       or CONTROL.search(value) is not None)


def _clean(value: str) -> str:
    return CONTROL.sub("", LINE_BREAKS.sub("\n", value))


def up(migrator, db):
    sqlite = isinstance(db, SqliteDatabase)
    if sqlite:
        db.connection().create_function("kinerja_dirty", 1, lambda v: int(_dirty(v)), deterministic=True)
    for table in db.get_tables():
        if table in SKIPPED:
            continue
        keys = db.get_primary_keys(table)
        if len(keys) != 1:
            continue
        key = keys[0]
        for column in db.get_columns(table):
            if column.data_type.upper().split("(")[0] not in ("TEXT", "VARCHAR", "CHARACTER VARYING"):
                continue
            name = column.name
            where = (f'kinerja_dirty("{name}")' if sqlite else
                     f"\"{name}\" ~ '[\\x01-\\x08\\x0b-\\x0d\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029]'")
            rows = db.execute_sql(f'SELECT "{key}", "{name}" FROM "{table}" WHERE {where}').fetchall()
            for row_key, value in rows:
                db.execute_sql(f'UPDATE "{table}" SET "{name}" = ? WHERE "{key}" = ?'
                               if sqlite else f'UPDATE "{table}" SET "{name}" = %s WHERE "{key}" = %s',
                               (_clean(value), row_key))


def down(migrator, db):
    pass  # what was removed was never readable in an export
