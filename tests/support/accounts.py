"""Accounts read straight from the database."""
from kinerja.models import User

from . import database


def get_user(app, username) -> User:
    with database(app):
        return User.get(User.username == username)
