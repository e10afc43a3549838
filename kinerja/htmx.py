"""The one place that speaks htmx headers (on top of htmx-flask)."""
from collections.abc import Callable

from flask import Response, flash, redirect as redirect_to, render_template, request
from htmx_flask import Htmx
from htmx_flask import make_response as hx_response

htmx = Htmx()


def is_htmx() -> bool:
    """A real htmx request that wants a fragment: not boosted, not a history restore."""
    hx = getattr(request, "htmx", None)
    return bool(hx) and not hx.boosted and not hx.history_restore_request


def render(page: str, partial: str | None = None, status: int = 200,
           trigger: dict | str | None = None, **context) -> Response:
    """Render the partial for htmx, the whole page otherwise."""
    template = partial if (partial and is_htmx()) else page
    body = render_template(template, **context)
    if trigger and is_htmx():
        return hx_response(body, status, trigger=trigger)
    return Response(body, status=status)


def respond(page: str | None, partial: str | None = None, *, redirect: str | None = None,
            message: str | None = None, category: str = "success", status: int = 200,
            trigger: dict | str | None = None,
            context: Callable[[], dict] | None = None, **ctx) -> Response:
    """The answer of a view, whichever way it was asked.

    - A real htmx request gets `partial` (the one element that changed), with `message`
      in its context and `trigger` announcing related changes; with no partial and a
      `redirect`, htmx is sent there (HX-Redirect).
    - A plain request after a write (`redirect` given) gets the message flashed and a
      redirect, so a reload never sends the form twice.
    - Otherwise the whole `page`.

    `context` builds the template's context only when something is rendered: a redirect
    does not pay for the page's reads.
    """
    htmx_request = is_htmx()
    if redirect is not None and not (htmx_request and partial):
        if htmx_request:
            if message:
                flash(message, category)
            return htmx_redirect(redirect)
        if message:
            flash(message, category)
        return redirect_to(redirect)
    values = {**(context() if context else {}), **ctx}
    if message:
        values.setdefault("message", message)
    return render(page, partial, status=status, trigger=trigger, **values)


def htmx_redirect(url: str, status: int = 200) -> Response:
    return hx_response("", status, redirect=url)


def add_vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response


def init_app(app) -> None:
    htmx.init_app(app)
    app.after_request(add_vary)
