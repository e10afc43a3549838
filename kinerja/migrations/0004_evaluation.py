"""Monitoring and evaluation: progress entries with evidence, feedback, notifications, evaluations, objections, organisation predikat."""
from peewee import *


def up(migrator, db):
    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class Indicator(Model):
        class Meta:
            database = db
            table_name = 'indicator'

    class Rhk(Model):
        class Meta:
            database = db
            table_name = 'rhk'

    class Skp(Model):
        class Meta:
            database = db
            table_name = 'skp'

    class Unit(Model):
        class Meta:
            database = db
            table_name = 'unit'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Evaluation(Model):
        employee = ForeignKeyField(Employee, on_delete='RESTRICT')
        skp = ForeignKeyField(Skp, on_delete='RESTRICT')
        year = IntegerField()
        kind = CharField(max_length=8)
        number = IntegerField()
        starts = DateField()
        ends = DateField()
        unit = ForeignKeyField(Unit, null=True, on_delete='SET NULL')
        appraiser = ForeignKeyField(Employee, null=True, on_delete='SET NULL')
        superior = ForeignKeyField(Employee, null=True, on_delete='SET NULL')
        status = CharField(max_length=10, default='draft')
        self_note = TextField(default='')
        result_rating = CharField(null=True, max_length=6)
        behaviour_rating = CharField(null=True, max_length=6)
        predikat = CharField(null=True, max_length=16)
        return_comment = TextField(default='')
        submitted_at = DateTimeField(null=True)
        approved_at = DateTimeField(null=True)
        approved_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        acknowledged_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'evaluation'
            indexes = ((('employee', 'year', 'kind', 'number'), True), (('appraiser', 'status'), False), (('superior', 'status'), False), (('unit', 'year', 'kind', 'number'), False))
    db.create_tables([Evaluation])

    class EvaluationFeedback(Model):
        evaluation = ForeignKeyField(Evaluation, on_delete='CASCADE')
        rhk = ForeignKeyField(Rhk, null=True, on_delete='CASCADE')
        value = CharField(max_length=32, default='')
        text = TextField(default='')
        class Meta:
            database = db
            table_name = 'evaluation_feedback'
            indexes = ((('evaluation', 'rhk', 'value'), True),)
    db.create_tables([EvaluationFeedback])

    class EvaluationItem(Model):
        evaluation = ForeignKeyField(Evaluation, on_delete='CASCADE')
        indicator = ForeignKeyField(Indicator, on_delete='RESTRICT')
        prefilled = DecimalField(null=True, max_digits=14, decimal_places=2)
        realisation = DecimalField(null=True, max_digits=14, decimal_places=2)
        realisation_text = TextField(default='')
        adjustment_reason = TextField(default='')
        class Meta:
            database = db
            table_name = 'evaluation_item'
            indexes = ((('evaluation', 'indicator'), True),)
    db.create_tables([EvaluationItem])

    class ProgressEntry(Model):
        employee = ForeignKeyField(Employee, on_delete='RESTRICT')
        skp = ForeignKeyField(Skp, on_delete='RESTRICT')
        indicator = ForeignKeyField(Indicator, on_delete='RESTRICT')
        day = DateField()
        start_time = TimeField(null=True)
        end_time = TimeField(null=True)
        description = TextField()
        quantity = DecimalField(null=True, max_digits=14, decimal_places=2)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'progress_entry'
            indexes = ((('employee', 'day'), False), (('indicator', 'day'), False))
    db.create_tables([ProgressEntry])

    class Evidence(Model):
        entry = ForeignKeyField(ProgressEntry, on_delete='CASCADE')
        kind = CharField(max_length=4)
        url = CharField(max_length=500, default='')
        stored_name = CharField(max_length=64, default='')
        filename = CharField(max_length=150, default='')
        mime = CharField(max_length=100, default='')
        size = IntegerField(default=0)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'evidence'
    db.create_tables([Evidence])

    class Feedback(Model):
        employee = ForeignKeyField(Employee, on_delete='RESTRICT')
        author = ForeignKeyField(Employee, on_delete='RESTRICT')
        entry = ForeignKeyField(ProgressEntry, null=True, on_delete='CASCADE')
        rhk = ForeignKeyField(Rhk, null=True, on_delete='CASCADE')
        parent = ForeignKeyField('self', null=True, on_delete='CASCADE')
        body = TextField()
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'feedback'
            indexes = ((('employee', 'created_at'), False),)
    db.create_tables([Feedback])

    class Notification(Model):
        recipient = ForeignKeyField(Employee, on_delete='CASCADE')
        text = CharField()
        link = CharField(default='')
        created_at = DateTimeField()
        read_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'notification'
            indexes = ((('recipient', 'read_at'), False),)
    db.create_tables([Notification])

    class Objection(Model):
        evaluation = ForeignKeyField(Evaluation, unique=True, on_delete='CASCADE')
        reasons = TextField()
        filed_at = DateTimeField()
        status = CharField(max_length=8, default='open')
        result_before = CharField(null=True, max_length=6)
        behaviour_before = CharField(null=True, max_length=6)
        predikat_before = CharField(null=True, max_length=16)
        result_after = CharField(null=True, max_length=6)
        behaviour_after = CharField(null=True, max_length=6)
        predikat_after = CharField(null=True, max_length=16)
        decision = TextField(default='')
        decided_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'objection'
    db.create_tables([Objection])

    class OrgPerformance(Model):
        unit = ForeignKeyField(Unit, on_delete='RESTRICT')
        year = IntegerField()
        predikat = CharField(max_length=16)
        note = TextField(default='')
        set_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        set_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'org_performance'
            indexes = ((('unit', 'year'), True),)
    db.create_tables([OrgPerformance])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('org_performance'))
    migrator.migrate(migrator.drop_table('objection'))
    migrator.migrate(migrator.drop_table('notification'))
    migrator.migrate(migrator.drop_table('feedback'))
    migrator.migrate(migrator.drop_table('evidence'))
    migrator.migrate(migrator.drop_table('progress_entry'))
    migrator.migrate(migrator.drop_table('evaluation_item'))
    migrator.migrate(migrator.drop_table('evaluation_feedback'))
    migrator.migrate(migrator.drop_table('evaluation'))
