"""Values read once per request (a year's settings, asked for by every period on a page).

The app opens a memo when a request starts and drops it when it ends; outside a request
(CLI, jobs, tests calling a store) nothing is kept, so no value outlives the request that
read it. Stores use it without knowing about Flask.
"""
from contextvars import ContextVar

_current: ContextVar[dict | None] = ContextVar("kinerja_memo", default=None)


def begin() -> None:
    _current.set({})


def end() -> None:
    _current.set(None)


def remembered(namespace: str) -> dict:
    """The request's dict for `namespace`; a throwaway one outside a request."""
    memo = _current.get()
    if memo is None:
        return {}
    return memo.setdefault(namespace, {})
