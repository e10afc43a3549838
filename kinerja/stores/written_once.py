"""The INSERT of the public submissions (an SKM answer, a complaint) written as SQL once per
set of columns instead of composed by peewee on every request: on the benchmark machine,
composing a statement takes several times what SQLite takes to run it, and these two paths
are measured in submissions per second (bench_survey, bench_complaints)."""
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
