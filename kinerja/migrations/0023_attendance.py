"""The working calendar (holidays, unit schedules), attendance imports, machine ids and leave."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Unit(Model):
        class Meta:
            database = db
            table_name = 'unit'

    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class Holiday(Model):
        day = DateField(unique=True)
        year = IntegerField(index=True)
        name = CharField(max_length=150)
        kind = CharField(max_length=12, default='libur')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'holiday'

    class WorkSchedule(Model):
        unit = ForeignKeyField(Unit, unique=True, on_delete='CASCADE')
        kind = CharField(max_length=8, default='5hari')
        hours = TextField()
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'work_schedule'

    class MachineUser(Model):
        machine_id = CharField(max_length=40, unique=True)
        employee = ForeignKeyField(Employee, on_delete='CASCADE')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'machine_user'

    class AttendanceImport(Model):
        unit = ForeignKeyField(Unit, null=True, on_delete='SET NULL')
        filename = CharField(max_length=150, default='')
        first_day = DateField()
        last_day = DateField()
        rows = IntegerField(default=0)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'attendance_import'
            indexes = ((('first_day', 'last_day'), False),)

    class AttendanceDay(Model):
        employee = ForeignKeyField(Employee, on_delete='CASCADE')
        day = DateField()
        year = IntegerField()
        month = IntegerField()
        time_in = TimeField(null=True)
        time_out = TimeField(null=True)
        minutes_late = IntegerField(default=0)
        minutes_early = IntegerField(default=0)
        working = BooleanField(default=True)
        batch = ForeignKeyField(AttendanceImport, null=True, on_delete='SET NULL')

        class Meta:
            database = db
            table_name = 'attendance_day'
            indexes = ((('employee', 'day'), True), (('year', 'month', 'employee'), False),
                       (('day',), False))

    class AttendanceMonth(Model):
        employee = ForeignKeyField(Employee, on_delete='CASCADE')
        year = IntegerField()
        month = IntegerField()
        present = IntegerField(default=0)
        minutes_late = IntegerField(default=0)
        minutes_early = IntegerField(default=0)

        class Meta:
            database = db
            table_name = 'attendance_month'
            indexes = ((('employee', 'year', 'month'), True), (('year', 'month'), False))

    class Leave(Model):
        employee = ForeignKeyField(Employee, on_delete='CASCADE')
        kind = CharField(max_length=14)
        leave_kind = CharField(max_length=60, default='')
        starts = DateField()
        ends = DateField()
        year = IntegerField()
        note = CharField(max_length=255, default='')
        document_name = CharField(max_length=64, default='')
        document_filename = CharField(max_length=150, default='')
        document_mime = CharField(max_length=100, default='')
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'leave'
            indexes = ((('year', 'employee'), False), (('employee', 'starts'), False))
    db.create_tables([Holiday, WorkSchedule, MachineUser, AttendanceImport, AttendanceDay,
                      AttendanceMonth, Leave])


def down(migrator, db):
    for table in ('leave', 'attendance_month', 'attendance_day', 'attendance_import', 'machine_user',
                  'work_schedule', 'holiday'):
        migrator.migrate(migrator.drop_table(table))
