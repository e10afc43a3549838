"""Employee lists ordered by name: an index on (active, name, id)."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("employee", ("active", "name", "id"), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("employee", "employee_active_name_id"))
