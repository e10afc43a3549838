"""Long lists cut for SQL: an IN list or a multi-row INSERT of bounded length. SQLite binds at
most 32,766 values in one statement, and a shorter IN list also plans faster."""


def chunks(items, size: int):
    """`items` in order, in lists of at most `size`."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]
