"""Complaints (pengaduan): each service unit's desk, the complaints, their photos and steps."""
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

    class ServiceUnit(Model):
        class Meta:
            database = db
            table_name = 'service_unit'

    class Service(Model):
        class Meta:
            database = db
            table_name = 'service'

    class ComplaintDesk(Model):
        service_unit = ForeignKeyField(ServiceUnit, unique=True, on_delete='CASCADE')
        handler = ForeignKeyField(Employee, null=True, on_delete='SET NULL')
        first_response_days = IntegerField(default=5)
        resolution_days = IntegerField(default=14)

        class Meta:
            database = db
            table_name = 'complaint_desk'

    class Complaint(Model):
        code = CharField(max_length=16, unique=True)
        service_unit = ForeignKeyField(ServiceUnit, on_delete='RESTRICT')
        filed_unit = ForeignKeyField(ServiceUnit, on_delete='RESTRICT')
        service = ForeignKeyField(Service, null=True, on_delete='SET NULL')
        what = TextField()
        happened_on = DateField(null=True)
        place = CharField(max_length=200, default='')
        reporter_name = CharField(max_length=120, default='')
        reporter_contact = CharField(max_length=120, default='')
        received_at = DateTimeField()
        received_on = DateField()
        state = CharField(max_length=10, default='diterima')
        rejection = CharField(max_length=20, default='')
        answer = TextField(default='')
        first_response_on = DateField(null=True)
        resolved_on = DateField(null=True)
        updated_at = DateTimeField()
        flagged = BooleanField(default=False)
        flag_reason = CharField(max_length=200, null=True)
        client_hash = CharField(max_length=64, null=True)
        submission_token = CharField(max_length=64, unique=True)
        fill_seconds = IntegerField(null=True)

        class Meta:
            database = db
            table_name = 'complaint'
            indexes = ((('service_unit', 'received_at'), False),
                       (('client_hash', 'received_at'), False),
                       (('filed_unit', 'received_at'), False))

    class ComplaintPhoto(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        stored_name = CharField(max_length=64)
        mime = CharField(max_length=100)
        size = IntegerField()

        class Meta:
            database = db
            table_name = 'complaint_photo'

    class ComplaintEvent(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        at = DateTimeField()
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        kind = CharField(max_length=10)
        state = CharField(max_length=10, default='')
        text = TextField(default='')

        class Meta:
            database = db
            table_name = 'complaint_event'
            indexes = ((('complaint', 'at'), False),)

    db.create_tables([ComplaintDesk, Complaint, ComplaintPhoto, ComplaintEvent])


def down(migrator, db):
    for table in ('complaint_event', 'complaint_photo', 'complaint', 'complaint_desk'):
        migrator.migrate(migrator.drop_table(table))
