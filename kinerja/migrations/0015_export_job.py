"""Long downloads made by the worker, with their progress and the finished file's name."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class ExportJob(Model):
        owner = ForeignKeyField(User, on_delete='CASCADE')
        kind = CharField(max_length=20)
        params = TextField(default='{}')
        title = CharField(max_length=200)
        state = CharField(max_length=10, default='queued')
        progress = IntegerField(default=0)
        error = TextField(default='')
        stored_name = CharField(max_length=64, default='')
        filename = CharField(max_length=150, default='')
        created_at = DateTimeField()
        finished_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'export_job'
            indexes = ((('owner', 'created_at'), False),)
    db.create_tables([ExportJob])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('export_job'))
