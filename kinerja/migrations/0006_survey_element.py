"""SKM staff side: the element a suggestion concerns; partial indexes for the review queue
(flagged responses) and the follow-up of suggestions."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('suggestion_follow_up', 'element', CharField(null=True, max_length=3)))
    # Partial indexes (SQLite and PostgreSQL alike); the generator cannot write them.
    migrator.migrate(migrator.add_index(
        'survey_response', ('service_unit_id', 'submitted_at'), False,
        where=SQL("status = 'flagged'"), name='survey_response_flagged'))
    migrator.migrate(migrator.add_index(
        'survey_response', ('service_unit_id', 'status', 'submitted_at'), False,
        where=SQL("suggestion IS NOT NULL AND suggestion <> ''"), name='survey_response_suggested'))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('survey_response', 'survey_response_suggested'))
    migrator.migrate(migrator.drop_index('survey_response', 'survey_response_flagged'))
    migrator.migrate(migrator.drop_column('suggestion_follow_up', 'element'))
