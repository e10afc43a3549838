"""The statements of the public submissions (an SKM answer, a complaint) composed into SQL
once per process instead of by peewee on every request: on the benchmark machine, composing
a statement takes several times what the database takes to run it, and these paths are
measured in submissions per second (bench_survey, bench_complaints, bench_postgresql);
also the pooled tally behind the public IKM.
`insert` writes one row; `select` runs a read built once with new text values."""
import functools

from ..models import db


@functools.lru_cache(maxsize=32)
def _insert_sql(model, param: str, returning: bool, names: tuple[str, ...]) -> str:
    fields = model._meta.fields
    columns = ", ".join(f'"{fields[name].column_name}"' for name in names)
    sql = (f'INSERT INTO "{model._meta.table_name}" ({columns})'
           f' VALUES ({", ".join([param] * len(names))})')
    return sql + ' RETURNING "id"' if returning else sql


def insert(model, row: dict) -> int:
    """INSERT one row as `model.insert(**row)` would (the fields' defaults for what `row`
    leaves out, each value through its field); the new id."""
    fields = model._meta.fields
    row = dict(row)
    for field, default in model._meta.defaults.items():
        if field.name not in row:
            row[field.name] = default() if callable(default) else default
    cursor = db.execute_sql(_insert_sql(model, db.param, bool(db.returning_clause), tuple(row)),
                            [fields[name].db_value(value) for name, value in row.items()])
    return cursor.fetchone()[0] if db.returning_clause else cursor.lastrowid


# Stands for a value given at run time while a read is composed; no text a user sends contains
# a NUL character (the forms refuse control characters).
_SLOT = "\x00written-once-{}\x00"


@functools.lru_cache(maxsize=32)
def _composed(build, database_kind) -> tuple:
    slots = [_SLOT.format(i) for i in range(build.__code__.co_argcount)]
    query = build(*slots)
    sql, params = query.sql()
    where = {slot: i for i, slot in enumerate(slots)}
    return query, sql, [(where.get(p) if isinstance(p, str) else None, p) for p in params]


def select(build, *values) -> list:
    """The rows of the query `build(*values)` returns, as peewee would give them (models with
    their joins), its SQL composed once per process and kind of database. `build` is a
    module-level function whose arguments are only compared with columns: text with text
    columns, a date with a date column (both drivers pass a date as the column holds it)."""
    query, sql, params = _composed(build, type(db.obj))
    cursor = db.execute_sql(sql, [p if i is None else values[i] for i, p in params])
    return list(query._get_cursor_wrapper(cursor))
