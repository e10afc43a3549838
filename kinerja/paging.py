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
    """

    def __init__(self, query, number: int, per_page: int = 25, total: int | None = None):
        self.per_page = per_page
        self.total = query.count() if total is None else total
        self.pages = max(1, math.ceil(self.total / per_page))
        self.number = min(max(1, number), self.pages)
        self.items = list(query.paginate(self.number, per_page))

    @property
    def first_index(self) -> int:
        """1-based position of the first row shown, for "menampilkan 26–50 dari 120"."""
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.items else 0
