"""Organisation, accounts, audit and settings."""
from peewee import *


def up(migrator, db):
    class Unit(Model):
        code = CharField(unique=True, max_length=32)
        name = CharField(max_length=200)
        parent = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        path = CharField(index=True, default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'unit'
    db.create_tables([Unit])

    class Position(Model):
        name = CharField(max_length=200)
        kind = CharField(max_length=20)
        unit = ForeignKeyField(Unit, on_delete='RESTRICT')
        parent = ForeignKeyField('self', null=True, on_delete='SET NULL')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'position'
    db.create_tables([Position])

    class Employee(Model):
        nip = CharField(unique=True, max_length=18)
        name = CharField(max_length=150)
        title_front = CharField(max_length=50, default='')
        title_back = CharField(max_length=80, default='')
        rank = CharField(max_length=60, default='')
        grade = CharField(max_length=10, default='')
        employment_type = CharField(max_length=4, default='pns')
        position = ForeignKeyField(Position, null=True, on_delete='SET NULL')
        unit = ForeignKeyField(Unit, null=True, on_delete='RESTRICT')
        appraiser_override = ForeignKeyField('self', null=True, on_delete='SET NULL')
        appraiser_superior_override = ForeignKeyField('self', null=True, on_delete='SET NULL')
        active = BooleanField(index=True, default=True)
        class Meta:
            database = db
            table_name = 'employee'
    db.create_tables([Employee])

    class User(Model):
        username = CharField(unique=True, max_length=64)
        employee = ForeignKeyField(Employee, unique=True, null=True, on_delete='RESTRICT')
        password_hash = CharField()
        role = CharField(max_length=16, default='pegawai')
        scope_unit = ForeignKeyField(Unit, null=True, on_delete='RESTRICT')
        must_change_password = BooleanField(default=True)
        active = BooleanField(default=True)
        session_version = IntegerField(default=1)
        last_login = DateTimeField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])

    class AuditLog(Model):
        at = DateTimeField(index=True)
        actor = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        action = CharField(max_length=40)
        entity = CharField(index=True, max_length=40)
        entity_id = IntegerField(null=True)
        unit = ForeignKeyField(Unit, null=True, on_delete='SET NULL')
        summary = CharField(default='')
        before = TextField(null=True)
        after = TextField(null=True)
        class Meta:
            database = db
            table_name = 'audit_log'
    db.create_tables([AuditLog])
    # The audit trail is append-only, also for anyone with a SQL shell.
    if isinstance(db, SqliteDatabase):
        db.execute_sql("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                           "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
        db.execute_sql("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                       "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")

    class LoginAttempt(Model):
        key = CharField(index=True, max_length=128)
        at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'login_attempt'
    db.create_tables([LoginAttempt])

    class Setting(Model):
        key = CharField(primary_key=True, max_length=64)
        value = TextField()
        class Meta:
            database = db
            table_name = 'setting'
    db.create_tables([Setting])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('setting'))
    migrator.migrate(migrator.drop_table('login_attempt'))
    migrator.migrate(migrator.drop_table('audit_log'))
    migrator.migrate(migrator.drop_table('user'))
    migrator.migrate(migrator.drop_table('employee'))
    migrator.migrate(migrator.drop_table('position'))
    migrator.migrate(migrator.drop_table('unit'))
