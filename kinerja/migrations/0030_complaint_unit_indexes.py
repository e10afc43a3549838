"""The complaint's own indexes on service_unit and filed_unit go: the (service_unit,
received_at) and (filed_unit, received_at) indexes start with the same column and answer every
query the single-column ones did, so those only cost each complaint's INSERT two more index
writes."""


def up(migrator, db):
    migrator.migrate(migrator.drop_index("complaint", "complaint_service_unit_id"),
                     migrator.drop_index("complaint", "complaint_filed_unit_id"))


def down(migrator, db):
    migrator.migrate(migrator.add_index("complaint", ("service_unit_id",), False),
                     migrator.add_index("complaint", ("filed_unit_id",), False))
