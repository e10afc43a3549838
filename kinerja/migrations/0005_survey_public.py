"""SKM public side: index for counting a service unit's recent responses (flood limit)."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('survey_response', ('service_unit_id', 'submitted_at'), False))


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('survey_response', 'survey_response_service_unit_id_submitted_at'))
