"""Citizen satisfaction survey (SKM): service units, periods, responses, follow-up."""
from peewee import *


def up(migrator, db):
    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class Unit(Model):
        class Meta:
            database = db
            table_name = 'unit'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class ServiceUnit(Model):
        code = CharField(unique=True, max_length=40)
        name = CharField(max_length=200)
        unit = ForeignKeyField(Unit, on_delete='RESTRICT')
        period_kind = CharField(max_length=10, default='semester')
        kiosk_token = CharField(max_length=64, default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'service_unit'
    db.create_tables([ServiceUnit])

    class Service(Model):
        service_unit = ForeignKeyField(ServiceUnit, on_delete='CASCADE')
        name = CharField(max_length=200)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'service'
    db.create_tables([Service])

    class SurveyPeriod(Model):
        service_unit = ForeignKeyField(ServiceUnit, on_delete='CASCADE')
        kind = CharField(max_length=10)
        year = IntegerField()
        number = IntegerField()
        starts = DateField()
        ends = DateField()
        population = IntegerField(null=True)
        is_open = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'survey_period'
            indexes = ((('service_unit', 'kind', 'year', 'number'), True),)
    db.create_tables([SurveyPeriod])

    class SurveyResponse(Model):
        service_unit = ForeignKeyField(ServiceUnit, on_delete='CASCADE')
        period = ForeignKeyField(SurveyPeriod, on_delete='CASCADE')
        service = ForeignKeyField(Service, null=True, on_delete='SET NULL')
        submitted_at = DateTimeField()
        u1 = IntegerField(null=True)
        u2 = IntegerField(null=True)
        u3 = IntegerField(null=True)
        u4 = IntegerField(null=True)
        u5 = IntegerField(null=True)
        u6 = IntegerField(null=True)
        u7 = IntegerField(null=True)
        u8 = IntegerField(null=True)
        u9 = IntegerField(null=True)
        age = IntegerField(null=True)
        sex = CharField(null=True, max_length=1)
        education = CharField(null=True, max_length=10)
        occupation = CharField(null=True, max_length=20)
        suggestion = TextField(null=True)
        source = CharField(max_length=10, default='online')
        status = CharField(max_length=10, default='valid')
        flag_reason = CharField(null=True, max_length=200)
        reviewed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        reviewed_at = DateTimeField(null=True)
        client_hash = CharField(null=True, max_length=64)
        submission_token = CharField(unique=True, null=True, max_length=64)
        fill_seconds = IntegerField(null=True)
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'survey_response'
            indexes = ((('period', 'status', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9'), False), (('client_hash', 'submitted_at'), False), (('submitted_at',), False))
    db.create_tables([SurveyResponse])

    class SuggestionFollowUp(Model):
        response = ForeignKeyField(SurveyResponse, unique=True, on_delete='CASCADE')
        status = CharField(max_length=10, default='baru')
        handler = ForeignKeyField(Employee, null=True, on_delete='SET NULL')
        action = TextField(default='')
        done_on = DateField(null=True)
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'suggestion_follow_up'
    db.create_tables([SuggestionFollowUp])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('suggestion_follow_up'))
    migrator.migrate(migrator.drop_table('survey_response'))
    migrator.migrate(migrator.drop_table('survey_period'))
    migrator.migrate(migrator.drop_table('service'))
    migrator.migrate(migrator.drop_table('service_unit'))
