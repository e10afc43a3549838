"""Sessions kept on the server, so that logging out ends the session itself, not only the cookie."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class UserSession(Model):
        token = CharField(max_length=64, unique=True)
        user = ForeignKeyField(User, on_delete='CASCADE', index=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'user_session'
    db.create_tables([UserSession])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('user_session'))
