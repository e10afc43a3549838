"""The good-practice library: practices, their co-authors, themes, attachments, "bermanfaat"
marks, and questions to the authors."""
from peewee import *


def up(migrator, db):
    class Unit(Model):
        class Meta:
            database = db
            table_name = 'unit'

    class Employee(Model):
        class Meta:
            database = db
            table_name = 'employee'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Practice(Model):
        title = CharField(max_length=200)
        problem = TextField(default='')
        action = TextField(default='')
        results = TextField(default='')
        unit = ForeignKeyField(Unit, on_delete='RESTRICT')
        author = ForeignKeyField(Employee, on_delete='RESTRICT')
        status = CharField(max_length=10, default='draft')
        reviewer = ForeignKeyField(Employee, null=True, on_delete='SET NULL')
        review_note = TextField(default='')
        submitted_at = DateTimeField(null=True)
        reviewed_at = DateTimeField(null=True)
        published_at = DateTimeField(null=True)
        useful_count = IntegerField(default=0)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'practice'
            indexes = ((('status', 'published_at'), False), (('reviewer', 'status'), False))

    class PracticeAuthor(Model):
        practice = ForeignKeyField(Practice, on_delete='CASCADE')
        employee = ForeignKeyField(Employee, on_delete='RESTRICT')

        class Meta:
            database = db
            table_name = 'practice_author'
            indexes = ((('practice', 'employee'), True),)

    class PracticeTheme(Model):
        practice = ForeignKeyField(Practice, on_delete='CASCADE')
        theme = CharField(max_length=30)

        class Meta:
            database = db
            table_name = 'practice_theme'
            indexes = ((('practice', 'theme'), True), (('theme', 'practice'), False))

    class PracticeAttachment(Model):
        practice = ForeignKeyField(Practice, on_delete='CASCADE')
        stored_name = CharField(max_length=64)
        filename = CharField(max_length=150)
        mime = CharField(max_length=120)
        size = IntegerField(default=0)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'practice_attachment'

    class PracticeUseful(Model):
        practice = ForeignKeyField(Practice, on_delete='CASCADE')
        account = ForeignKeyField(User, on_delete='CASCADE')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'practice_useful'
            indexes = ((('practice', 'account'), True),)

    class PracticeQuestion(Model):
        practice = ForeignKeyField(Practice, on_delete='CASCADE')
        asker = ForeignKeyField(User, on_delete='CASCADE')
        text = TextField()
        created_at = DateTimeField()
        answer = TextField(default='')
        answered_by = ForeignKeyField(Employee, null=True, on_delete='SET NULL')
        answered_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'practice_question'
            indexes = ((('practice', 'created_at'), False),)

    db.create_tables([Practice, PracticeAuthor, PracticeTheme, PracticeAttachment,
                      PracticeUseful, PracticeQuestion])


def down(migrator, db):
    for table in ('practice_question', 'practice_useful', 'practice_attachment',
                  'practice_theme', 'practice_author', 'practice'):
        migrator.migrate(migrator.drop_table(table))
