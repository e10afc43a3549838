"""The audit trail filtered by action alone: an index on action, which SQLite keeps in id
order within each action, so the newest rows of a rare action are found without a scan."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("audit_log", ("action",), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("audit_log", "audit_log_action"))
