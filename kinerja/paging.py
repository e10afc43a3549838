"""Paging of list pages: what the `pager` macro of templates/_macros.html reads."""
import math


def page_number(raw) -> int:
    """?page=… as a positive int; anything else (missing, 'abc', -3) is page 1."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return max(1, number)


class Page:
    """One page of a query: `items` (fetched in one query), `number`, `pages`, `total`.

    A number past the end shows the last page rather than an empty one, so a list that
    shrank under a bookmarked URL still shows rows. Pass `total` when it can be counted
    more cheaply than by wrapping the page query (whose joins are there only for display).
    Pass `fetch` with a query of keys alone: the page's keys are found in an index and its
    rows come from `fetch(keys)`, so a deep page does not read every row before it.
    """

    # True when `total` is a cap and more rows match (the pager then says "40+").
    more = False

    def __init__(self, query, number: int, per_page: int = 25, total: int | None = None,
                 fetch=None):
        self._frame(query.count() if total is None else total, number, per_page)
        shown = query.paginate(self.number, per_page)
        self.items = list(fetch([key for (key,) in shown.tuples()]) if fetch else shown)

    @classmethod
    def of_keys(cls, keys: list, number: int, per_page: int, fetch) -> "Page":
        """A page of a list of keys already read in order (a few thousand at most); the
        page's rows come from `fetch(keys of the page)`, one query without an OFFSET."""
        page = cls.__new__(cls)
        page._frame(len(keys), number, per_page)
        start = (page.number - 1) * per_page
        page.items = list(fetch(keys[start:start + per_page]))
        return page

    def _frame(self, total: int, number: int, per_page: int) -> None:
        self.per_page = per_page
        self.total = total
        self.pages = max(1, math.ceil(total / per_page))
        self.number = min(max(1, number), self.pages)

    @property
    def first_index(self) -> int:
        """1-based position of the first row shown, for "menampilkan 26–50 dari 120"."""
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.items else 0
