"""SKM follow-up: the element (u1…u9) a citizen's suggestion concerns, for the report."""
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_column('suggestion_follow_up', 'element', CharField(null=True, max_length=3)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('suggestion_follow_up', 'element'))
