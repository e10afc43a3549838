"""360° feedback: colleagues' answers per BerAKHLAK value, and the per-year minimum of raters."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('performance_year', 'peer_min_raters', IntegerField(default=3)))

    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class PeerFeedback(Model):
        ratee = ForeignKeyField(Employee, on_delete='CASCADE')
        rater = ForeignKeyField(Employee, on_delete='CASCADE')
        year = IntegerField()
        kind = CharField(max_length=8)
        number = IntegerField()
        value = CharField(max_length=32)
        level = CharField(max_length=6)
        comment = TextField(default='')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'peer_feedback'
            indexes = ((('ratee', 'year', 'kind', 'number', 'rater', 'value'), True),
                       (('rater', 'year', 'kind', 'number'), False))
    db.create_tables([PeerFeedback])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('peer_feedback'))
    migrator.migrate(migrator.drop_column('performance_year', 'peer_min_raters'))
