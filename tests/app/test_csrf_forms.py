"""Every form that posts carries its CSRF token in the form itself, so that it still works
when htmx (which sends the token as a header) did not load: crawled over every page each demo
role can reach, with CSRF protection on as in production."""
import re
from collections import deque

import pytest


from ..support.app import make_app, signed_in

LINK = re.compile(r'href="(/[^"#]*)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
SKIP = re.compile(r"^/(static/|keluar|favicon)|\.(pdf|xlsx|csv|png|ico)(\?|$)")
MAX_PAGES = 250


@pytest.fixture
def protected(tmp_path):
    return make_app(tmp_path, WTF_CSRF_ENABLED=True)




def _crawl(client, start="/"):
    """(path, html) of every page reachable from `start` (the Beranda), breadth first."""
    seen, queue = {start}, deque([start])
    while queue and len(seen) <= MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        html = response.get_data(as_text=True)
        yield path, html
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            if link not in seen and not SKIP.search(link):
                seen.add(link)
                queue.append(link)


@pytest.mark.parametrize("role", ["admin", "admin_opd", "pegawai", "penilai", "atasan", "pegawai_skp"])
def test_every_post_form_on_every_page_carries_its_token(protected, accounts, role):
    client = signed_in(protected, accounts[role])
    missing, pages = [], 0
    for path, html in _crawl(client):
        pages += 1
        for attributes, body in FORM.findall(html):
            if re.search(r'method="post"', attributes, re.I) and not re.search(r'name="[^"]*csrf_token"', body):
                action = re.search(r'action="([^"]*)"', attributes)
                missing.append((path, action.group(1) if action else "?"))
    assert pages > 5
    assert missing == [], sorted({re.sub(r"\d+", "N", a) for _, a in missing})


# Crawled from the area's own page: the whole menu holds more pages than the crawl reads.
@pytest.mark.parametrize("role, part, start", [("admin_opd", "/layanan/", "/skm"),
                                               ("penilai", "/perilaku/", "/")])
def test_a_form_of_one_row_posts_without_htmx(protected, accounts, role, part, start):
    """A service renamed in its row, a behaviour expectation: one form per row; without htmx
    the browser sends only the form's own fields, and that must pass the CSRF check."""
    client = signed_in(protected, accounts[role])
    for path, html in _crawl(client, start):
        forms = [(a, b) for a, b in FORM.findall(html) if part in a and 'method="post"' in a]
        if forms:
            break
    else:
        pytest.fail(f"no page with a {part} form")
    attributes, body = forms[0]
    action = re.search(r'action="([^"]*)"', attributes).group(1)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', body))
    for name in re.findall(r'<textarea[^>]*name="([^"]+)"', body):
        fields[name] = "Melayani dengan ramah setiap hari."
    response = client.post(action, data=fields)
    assert response.status_code in (200, 302), response.status_code
