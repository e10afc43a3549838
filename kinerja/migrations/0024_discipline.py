"""Discipline cases under PP 94/2021 (issue 15): attendance proposals, examination, decision."""
from peewee import *


def up(migrator, db):
    class Unit(Model):
        class Meta:
            database = db
            table_name = 'unit'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class PersonnelDecision(Model):
        class Meta:
            database = db
            table_name = 'personnel_decision'

    class DisciplineCase(Model):
        employee = ForeignKeyField(Employee, on_delete='RESTRICT')
        unit = ForeignKeyField(Unit, null=True, on_delete='SET NULL')
        opd = ForeignKeyField(Unit, null=True, on_delete='SET NULL')
        year = IntegerField()
        source = CharField(max_length=10)
        days = DecimalField(max_digits=7, decimal_places=2, null=True)
        threshold = IntegerField(null=True)
        consecutive = BooleanField(default=False)
        incident_date = DateField(null=True)
        evidence = TextField(default='')
        level = CharField(max_length=8)
        kind = CharField(max_length=32)
        authority = CharField(max_length=16)
        status = CharField(max_length=10, default='diusulkan')
        proposed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        proposed_at = DateTimeField()
        examined_on = DateField(null=True)
        examination = TextField(default='')
        document_stored = CharField(max_length=64, default='')
        document_name = CharField(max_length=150, default='')
        document_size = IntegerField(default=0)
        examined_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        reason = TextField(default='')
        decision = ForeignKeyField(PersonnelDecision, null=True, on_delete='SET NULL')

        class Meta:
            database = db
            table_name = 'discipline_case'
            indexes = ((('employee', 'year', 'source'), False),
                       (('opd', 'status', 'proposed_at'), False),
                       (('status', 'proposed_at'), False))
    db.create_tables([DisciplineCase])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('discipline_case'))
