"""The rewards and sanctions ledger (issue 14): proposals, BKPSDM's approval with the SK."""
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

    class Evaluation(Model):
        class Meta:
            database = db
            table_name = 'evaluation'

    class PersonnelDecision(Model):
        employee = ForeignKeyField(Employee, on_delete='RESTRICT')
        unit = ForeignKeyField(Unit, null=True, on_delete='SET NULL')
        category = CharField(max_length=12)
        kind = CharField(max_length=32)
        basis = TextField()
        evaluation = ForeignKeyField(Evaluation, null=True, on_delete='SET NULL')
        proposer = ForeignKeyField(User, null=True, on_delete='SET NULL')
        proposed_at = DateTimeField()
        status = CharField(max_length=10, default='diusulkan')
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        reason = TextField(default='')
        sk_number = CharField(max_length=100, default='')
        sk_date = DateField(null=True)
        valid_from = DateField(null=True)
        valid_until = DateField(null=True)
        document_stored = CharField(max_length=64, default='')
        document_name = CharField(max_length=150, default='')
        document_size = IntegerField(default=0)
        public = BooleanField(default=False)

        class Meta:
            database = db
            table_name = 'personnel_decision'
            indexes = ((('status', 'proposed_at'), False), (('employee', 'status'), False),
                       (('unit', 'status'), False), (('proposer', 'status'), False))
    db.create_tables([PersonnelDecision])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('personnel_decision'))
