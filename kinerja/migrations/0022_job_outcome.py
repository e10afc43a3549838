"""A background job that writes rather than builds a file (a large import confirmed after its
dry run) ends on a page and a sentence: its link and note."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('export_job', 'link', CharField(max_length=300, default='')),
        migrator.add_column('export_job', 'note', CharField(max_length=500, default='')),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('export_job', 'link'), migrator.drop_column('export_job', 'note'))
