"""The JP of each employee's year stored beside the training records, so that the 20 JP recap
reads one row per person instead of summing every record on each request. Filled here from
the records already stored; kept by kinerja/stores/training/totals.py from then on."""
from peewee import *


def up(migrator, db):
    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class TrainingRecord(Model):
        employee = ForeignKeyField(Employee, on_delete='RESTRICT')
        year = IntegerField()
        hours = IntegerField()

        class Meta:
            database = db
            table_name = 'training_record'

    class TrainingYearTotal(Model):
        employee = ForeignKeyField(Employee, on_delete='CASCADE')
        year = IntegerField()
        jp = IntegerField(default=0)

        class Meta:
            database = db
            table_name = 'training_year_total'
            indexes = ((('employee', 'year'), True), (('year', 'jp', 'employee'), False))
    db.create_tables([TrainingYearTotal])
    TrainingYearTotal.insert_from(
        TrainingRecord.select(TrainingRecord.employee, TrainingRecord.year,
                              fn.SUM(TrainingRecord.hours))
        .group_by(TrainingRecord.employee, TrainingRecord.year),
        [TrainingYearTotal.employee, TrainingYearTotal.year, TrainingYearTotal.jp]).execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_table('training_year_total'))
