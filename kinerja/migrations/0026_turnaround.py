"""Service turnaround: each unit's service standard (SOP days per kind of document) and the
imported service log."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Unit(Model):
        class Meta:
            database = db
            table_name = 'unit'

    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class ServiceStandard(Model):
        unit = ForeignKeyField(Unit, on_delete='CASCADE')
        kind = CharField(max_length=100)
        sop_days = IntegerField()
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'service_standard'
            indexes = ((('unit', 'kind'), True),)

    class ServiceRecord(Model):
        unit = ForeignKeyField(Unit, on_delete='RESTRICT')
        kind = CharField(max_length=100)
        received_at = DateTimeField()
        finished_at = DateTimeField()
        handler = ForeignKeyField(Employee, on_delete='RESTRICT')
        imported_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'service_record'
            indexes = ((('unit', 'finished_at'), False), (('handler', 'finished_at'), False),
                       (('unit', 'handler', 'kind', 'received_at'), True))
    db.create_tables([ServiceStandard, ServiceRecord])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('service_record'), migrator.drop_table('service_standard'))
