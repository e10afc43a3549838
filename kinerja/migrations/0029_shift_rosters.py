"""Per-person rosters (jadwal dinas): each unit's shifts and each employee's shift per day."""
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

    class Shift(Model):
        unit = ForeignKeyField(Unit, on_delete='CASCADE')
        code = CharField(max_length=4)
        name = CharField(max_length=60)
        starts = TimeField()
        ends = TimeField()
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'shift'
            indexes = ((('unit', 'code'), True),)

    class RosterDay(Model):
        employee = ForeignKeyField(Employee, on_delete='CASCADE')
        day = DateField()
        year = IntegerField()
        month = IntegerField()
        shift = ForeignKeyField(Shift, null=True, on_delete='RESTRICT')

        class Meta:
            database = db
            table_name = 'roster_day'
            indexes = ((('employee', 'day'), True), (('year', 'month', 'employee'), False))
    db.create_tables([Shift, RosterDay])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('roster_day'), migrator.drop_table('shift'))
