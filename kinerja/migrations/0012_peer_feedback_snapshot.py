"""360° summaries fixed when answering closes, so that they cannot be compared over time."""
from peewee import *


def up(migrator, db):
    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class PeerFeedbackSnapshot(Model):
        ratee = ForeignKeyField(Employee, on_delete='CASCADE')
        year = IntegerField()
        kind = CharField(max_length=8)
        number = IntegerField()
        tallies = TextField()
        taken_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'peer_feedback_snapshot'
            indexes = ((('ratee', 'year', 'kind', 'number'), True),)
    db.create_tables([PeerFeedbackSnapshot])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('peer_feedback_snapshot'))
