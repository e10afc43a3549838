"""Competency development: training records with their JP and the yearly development plan."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class TrainingRecord(Model):
        employee = ForeignKeyField(Employee, on_delete='RESTRICT')
        title = CharField(max_length=200)
        kind = CharField(max_length=20)
        organiser = CharField(max_length=200, default='')
        starts = DateField()
        ends = DateField()
        year = IntegerField()
        hours = IntegerField()
        certificate_name = CharField(max_length=64, default='')
        certificate_filename = CharField(max_length=150, default='')
        certificate_mime = CharField(max_length=100, default='')
        source = CharField(max_length=10, default='manual')
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'training_record'
            indexes = ((('year', 'employee'), False), (('employee', 'ends'), False))

    class DevelopmentPlan(Model):
        employee = ForeignKeyField(Employee, on_delete='RESTRICT')
        year = IntegerField()
        gap = TextField(default='')
        planned = TextField(default='')
        priority = CharField(max_length=10, default='sedang')
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'development_plan'
            indexes = ((('employee', 'year'), True),)
    db.create_tables([TrainingRecord, DevelopmentPlan])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('development_plan'))
    migrator.migrate(migrator.drop_table('training_record'))
