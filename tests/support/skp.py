"""The demo regency's SKP cast, looked up by position."""
from kinerja.models import Employee, Position

from .app import TODAY

YEAR = TODAY.year


def holder(key, index=0):
    position = Position.get(Position.name == _name(key))
    return list(Employee.select().where(Employee.position == position).order_by(Employee.id))[index]


def _name(key):
    from kinerja.demo.org import _position_name
    return _position_name(key)
