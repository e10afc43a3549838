"""render_pdf(template, **context): the one door to xhtml2pdf.

Documents are rendered from our own templates with user text escaped by Jinja;
the resource policy still confines every fetch to static/ and forbids the
network, so a stray URL in user text can never make the server fetch anything.
"""
import io
from pathlib import Path

from flask import current_app, render_template
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy


class PdfError(RuntimeError):
    pass


def _policy() -> ResourceAccessPolicy:
    static = Path(current_app.static_folder).resolve()
    return ResourceAccessPolicy.server(base_dir=static, allow_remote=False)


def _link_callback(uri: str, rel: str) -> str:
    """Map /static/... and fonts/... to files under static/; anything else is refused."""
    static = Path(current_app.static_folder).resolve()
    name = uri.split("/static/", 1)[1] if "/static/" in uri else uri
    path = (static / name).resolve()
    return str(path) if path.is_relative_to(static) and path.is_file() else ""


def render_pdf(template: str, **context) -> bytes:
    """Render a template under templates/pdf/ (which extends pdf/base.html) to PDF bytes."""
    html = render_template(template, static_dir=str(Path(current_app.static_folder).resolve()),
                           **context)
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=_link_callback,
                            resource_policy=_policy())
    if result.err:
        raise PdfError(f"PDF gagal dibuat ({result.err} kesalahan)")
    return out.getvalue()


def pdf_response(data: bytes, filename: str, inline: bool = True):
    from flask import Response
    disposition = "inline" if inline else "attachment"
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"',
        "Cache-Control": "no-store"})
