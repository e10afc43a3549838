"""SKP planning: performance years, organisation goals, SKP revisions with RHK, indicators, expectations, appendix and decisions."""
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

    class PerformanceYear(Model):
        year = IntegerField(primary_key=True)
        skp_deadline = DateField()
        evaluation_cadence = CharField(max_length=12, default='triwulanan')
        objection_days = IntegerField(default=14)
        is_open = BooleanField(default=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'performance_year'
    db.create_tables([PerformanceYear])

    class Skp(Model):
        employee = ForeignKeyField(Employee, on_delete='RESTRICT')
        year = ForeignKeyField(PerformanceYear, on_delete='RESTRICT')
        revision = IntegerField(default=1)
        previous = ForeignKeyField('self', null=True, on_delete='SET NULL')
        status = CharField(index=True, max_length=12, default='draft')
        approach = CharField(max_length=12, default='kuantitatif')
        period_start = DateField()
        period_end = DateField()
        unit = ForeignKeyField(Unit, null=True, on_delete='SET NULL')
        position_name = CharField(max_length=200, default='')
        unit_name = CharField(max_length=200, default='')
        appraiser = ForeignKeyField(Employee, null=True, on_delete='SET NULL')
        appraiser_position_name = CharField(max_length=200, default='')
        appraiser_unit_name = CharField(max_length=200, default='')
        change_note = TextField(default='')
        comment = TextField(default='')
        submitted_at = DateTimeField(null=True)
        submitted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'skp'
            indexes = ((('employee', 'year', 'revision'), True), (('appraiser', 'status'), False), (('year', 'status'), False))
    db.create_tables([Skp])

    class BehaviourExpectation(Model):
        skp = ForeignKeyField(Skp, on_delete='CASCADE')
        value = CharField(max_length=32)
        special_expectation = TextField(default='')
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'behaviour_expectation'
            indexes = ((('skp', 'value'), True),)
    db.create_tables([BehaviourExpectation])

    class OrgGoal(Model):
        unit = ForeignKeyField(Unit, on_delete='RESTRICT')
        year = ForeignKeyField(PerformanceYear, on_delete='RESTRICT')
        goal = TextField()
        indicator = TextField(default='')
        target = CharField(max_length=120, default='')
        order = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'org_goal'
            indexes = ((('unit', 'year', 'order'), False),)
    db.create_tables([OrgGoal])

    class Rhk(Model):
        skp = ForeignKeyField(Skp, on_delete='CASCADE')
        kind = CharField(max_length=10, default='utama')
        text = TextField()
        parent = ForeignKeyField('self', null=True, on_delete='SET NULL')
        org_goal = ForeignKeyField(OrgGoal, null=True, on_delete='SET NULL')
        origin = ForeignKeyField('self', null=True, on_delete='SET NULL')
        order = IntegerField(default=0)
        review_comment = TextField(default='')
        class Meta:
            database = db
            table_name = 'rhk'
            indexes = ((('skp', 'kind', 'order'), False), (('parent',), False))
    db.create_tables([Rhk])

    class Indicator(Model):
        rhk = ForeignKeyField(Rhk, on_delete='CASCADE')
        aspect = CharField(max_length=10, default='kuantitas')
        text = TextField()
        target_min = DecimalField(null=True, max_digits=14, decimal_places=2)
        target_max = DecimalField(null=True, max_digits=14, decimal_places=2)
        target_unit = CharField(max_length=40, default='')
        target_text = TextField(default='')
        origin = ForeignKeyField('self', null=True, on_delete='SET NULL')
        order = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'indicator'
            indexes = ((('rhk', 'order'), False),)
    db.create_tables([Indicator])

    class SkpAppendixItem(Model):
        skp = ForeignKeyField(Skp, on_delete='CASCADE')
        section = CharField(max_length=16)
        text = TextField()
        order = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'skp_appendix_item'
            indexes = ((('skp', 'section', 'order'), False),)
    db.create_tables([SkpAppendixItem])

    class SkpDecision(Model):
        skp = ForeignKeyField(Skp, on_delete='CASCADE')
        action = CharField(max_length=16)
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        at = DateTimeField()
        comment = TextField(default='')
        rhk_comments = TextField(default='')
        class Meta:
            database = db
            table_name = 'skp_decision'
            indexes = ((('skp', 'at'), False),)
    db.create_tables([SkpDecision])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('skp_decision'))
    migrator.migrate(migrator.drop_table('skp_appendix_item'))
    migrator.migrate(migrator.drop_table('indicator'))
    migrator.migrate(migrator.drop_table('rhk'))
    migrator.migrate(migrator.drop_table('org_goal'))
    migrator.migrate(migrator.drop_table('behaviour_expectation'))
    migrator.migrate(migrator.drop_table('skp'))
    migrator.migrate(migrator.drop_table('performance_year'))
