"""The one place that speaks htmx headers (on top of htmx-flask)."""
from flask import Response, render_template, request
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


def htmx_redirect(url: str, status: int = 200) -> Response:
    return hx_response("", status, redirect=url)


def add_vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response


def init_app(app) -> None:
    htmx.init_app(app)
    app.after_request(add_vary)
