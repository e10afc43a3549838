"""Potential assessments of employees: the vertical axis of the nine-box talent map."""
from peewee import *


def up(migrator, db):
    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class PotentialAssessment(Model):
        employee = ForeignKeyField(Employee, on_delete='CASCADE')
        year = IntegerField()
        level = CharField(max_length=10)
        score = DecimalField(max_digits=5, decimal_places=2, null=True, auto_round=True)
        source = CharField(max_length=120)
        assessed_on = DateField()
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        entered_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'potential_assessment'
            indexes = ((('employee', 'year'), True), (('year',), False))
    db.create_tables([PotentialAssessment])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('potential_assessment'))
