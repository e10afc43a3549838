"""Email: an account's address and when it was verified, the per-kind choice of immediate
mail, a daily digest or none, and the outbox the worker sends from."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('user', 'email', CharField(null=True, max_length=254)))
    migrator.migrate(migrator.add_column('user', 'email_verified_at', DateTimeField(null=True)))

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Notification(Model):
        class Meta:
            database = db
            table_name = 'notification'

    class MailPreference(Model):
        account = ForeignKeyField(User, on_delete='CASCADE')
        kind = CharField(max_length=16)
        mode = CharField(max_length=10, default='immediate')

        class Meta:
            database = db
            table_name = 'mail_preference'
            indexes = ((('account', 'kind'), True),)

    class OutboxMessage(Model):
        account = ForeignKeyField(User, null=True, on_delete='CASCADE')
        to_address = CharField(max_length=254)
        subject = CharField(max_length=255)
        text_body = TextField()
        html_body = TextField(default='')
        kind = CharField(max_length=16)
        state = CharField(max_length=10, default='queued')
        attempts = IntegerField(default=0)
        last_error = TextField(default='')
        created_at = DateTimeField()
        sent_at = DateTimeField(null=True)
        next_attempt_at = DateTimeField(null=True)
        dedupe_key = CharField(max_length=120, null=True, unique=True)
        notification = ForeignKeyField(Notification, null=True, on_delete='SET NULL')

        class Meta:
            database = db
            table_name = 'outbox_message'
            indexes = ((('state', 'next_attempt_at'), False), (('account', 'state'), False))
    db.create_tables([MailPreference, OutboxMessage])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('outbox_message'))
    migrator.migrate(migrator.drop_table('mail_preference'))
    migrator.migrate(migrator.drop_column('user', 'email_verified_at'))
    migrator.migrate(migrator.drop_column('user', 'email'))
