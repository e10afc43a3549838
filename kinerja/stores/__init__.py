"""The store layer: every read a page needs and every write, one module (or package) per area.

The contract, the same in every area:
- plain values in (ids, form data as plain values, the actor, *today*), plain values or
  models out; no Flask here (no request, no url_for, no session): a store runs the same
  from a view, a CLI command, a background job or a test;
- every write is one `db.atomic()` holding the change and its `AuditLog.record(...)`;
- state is re-read and re-checked inside that transaction, never decided from a row read
  before it (two supervisors clicking at once must not both win);
- a step the data does not allow raises `rules.DomainError` with the user's message; the
  view layer turns it into a field error or a 409 in one place;
- counting before display joins, and a fixed number of queries per page whatever the
  number of rows.
"""
