"""Evaluations of one period across the regency (the Beranda's completion, the curve, the
recap): an index on (year, kind, number, status) instead of a scan of every evaluation."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("evaluation", ("year", "kind", "number", "status"), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("evaluation", "evaluation_year_kind_number_status"))
