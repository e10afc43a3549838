"""Follow-up proposals from final predikat, and coaching plans with their actions, meetings
and comments (domain/followup.md §1–2)."""
from peewee import *


def up(migrator, db):
    class Unit(Model):
        class Meta:
            database = db
            table_name = 'unit'

    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Evaluation(Model):
        class Meta:
            database = db
            table_name = 'evaluation'

    class CoachingPlan(Model):
        employee = ForeignKeyField(Employee, backref='+', on_delete='RESTRICT')
        evaluation = ForeignKeyField(Evaluation, null=True, backref='+', on_delete='SET NULL')
        appraiser = ForeignKeyField(Employee, null=True, backref='+', on_delete='SET NULL')
        superior = ForeignKeyField(Employee, null=True, backref='+', on_delete='SET NULL')
        unit = ForeignKeyField(Unit, null=True, on_delete='SET NULL')
        status = CharField(max_length=8, default='open')
        gap = TextField(default='')
        improvement_starts = DateField(null=True)
        improvement_ends = DateField(null=True)
        outcome = CharField(max_length=16, null=True)
        outcome_note = TextField(default='')
        opened_at = DateTimeField()
        opened_by = ForeignKeyField(User, null=True, backref='+', on_delete='SET NULL')
        acknowledged_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'coaching_plan'
            indexes = ((('employee', 'status'), False), (('appraiser', 'status'), False))

    class CoachingAction(Model):
        plan = ForeignKeyField(CoachingPlan, on_delete='CASCADE')
        description = TextField()
        owner = CharField(max_length=10)
        due = DateField()
        status = CharField(max_length=8, default='planned')
        reminded = CharField(max_length=8, default='')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'coaching_action'
            indexes = ((('status', 'due'), False),)

    class CoachingMeeting(Model):
        plan = ForeignKeyField(CoachingPlan, on_delete='CASCADE')
        day = DateField()
        note = TextField()
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'coaching_meeting'

    class CoachingComment(Model):
        plan = ForeignKeyField(CoachingPlan, on_delete='CASCADE')
        author = ForeignKeyField(Employee, backref='+', on_delete='CASCADE')
        body = TextField()
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'coaching_comment'

    class FollowUp(Model):
        employee = ForeignKeyField(Employee, backref='+', on_delete='RESTRICT')
        evaluation = ForeignKeyField(Evaluation, null=True, backref='+', on_delete='CASCADE')
        plan = ForeignKeyField(CoachingPlan, null=True, backref='+', on_delete='CASCADE')
        appraiser = ForeignKeyField(Employee, null=True, backref='+', on_delete='SET NULL')
        unit = ForeignKeyField(Unit, null=True, on_delete='SET NULL')
        kind = CharField(max_length=24)
        predikat = CharField(max_length=16, null=True)
        status = CharField(max_length=10, default='proposed')
        changed_to = CharField(max_length=24, null=True)
        reason = TextField(default='')
        note = TextField(default='')
        step_date = DateField(null=True)
        sk_number = CharField(max_length=100, default='')
        stored_name = CharField(max_length=64, default='')
        filename = CharField(max_length=150, default='')
        mime = CharField(max_length=100, default='')
        proposed_at = DateTimeField()
        decided_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(User, null=True, backref='+', on_delete='SET NULL')

        class Meta:
            database = db
            table_name = 'follow_up'
            indexes = ((('evaluation', 'kind'), True),
                       (('appraiser', 'status', 'proposed_at'), False),
                       (('employee', 'proposed_at'), False))

    db.create_tables([CoachingPlan, CoachingAction, CoachingMeeting, CoachingComment, FollowUp])


def down(migrator, db):
    for table in ('follow_up', 'coaching_comment', 'coaching_meeting', 'coaching_action',
                  'coaching_plan'):
        migrator.migrate(migrator.drop_table(table))
