"""The notification centre: paged, the unread first; looking marks nothing; opening one marks
only that one and goes to its link; "Tandai semua dibaca" in place or as a plain form, with CSRF."""
import datetime
import re

import pytest

from kinerja.models import Notification

from ..support import HX, counting_queries, database
from ..support.app import csrf_token, make_app, signed_in
from ..support.evaluation import as_employee, as_user

BASE = datetime.datetime(2026, 11, 1, 3, 0)


def make_notices(app, employee, count, read=(), link="/kinerja/saya"):
    """`count` notices, the n-th (0-based) created n hours after BASE; those in `read` read."""
    with database(app):
        Notification.delete().where(Notification.recipient == employee.id).execute()
        ids = []
        for n in range(count):
            at = BASE + datetime.timedelta(hours=n)
            ids.append(Notification.create(recipient=employee.id, text=f"Pemberitahuan nomor {n}",
                                           link=link, created_at=at,
                                           read_at=at if n in read else None).id)
        return ids


def unread_ids(app, employee):
    with database(app):
        return {n.id for n in Notification.select().where(
            (Notification.recipient == employee.id) & Notification.read_at.is_null())}


def listed(html):
    return [int(n) for n in re.findall(r'<li id="notification-(\d+)"', html)]


def test_the_list_is_paged_unread_first_and_looking_marks_nothing(app, client, cast):
    ids = make_notices(app, cast.worker, 25, read={20, 21, 22, 23, 24})
    as_employee(client, cast.worker)
    first = client.get("/notifikasi").get_data(as_text=True)
    # The newest five are read: the twenty unread come first, newest first.
    assert listed(first) == list(reversed(ids[:20]))
    assert "20 belum dibaca" in first and "Halaman 1 dari 2" in first and 'href="/notifikasi?page=2"' in first
    second = client.get("/notifikasi?page=2").get_data(as_text=True)
    assert listed(second) == list(reversed(ids[20:]))
    assert f'href="/notifikasi/{ids[0]}/buka"' in first and 'class="unread"' not in second
    assert unread_ids(app, cast.worker) == set(ids[:20])
    assert client.get("/notifikasi/jumlah").get_data(as_text=True).count(">20<") == 1


def test_the_list_costs_the_same_whatever_its_length(app, client, cast):
    as_employee(client, cast.worker)
    make_notices(app, cast.worker, 2)
    with counting_queries() as few:
        assert client.get("/notifikasi").status_code == 200
    make_notices(app, cast.worker, 20)
    with counting_queries() as many:
        assert client.get("/notifikasi").status_code == 200
    assert len(few) == len(many)


def test_opening_one_marks_only_it_read_and_goes_to_its_link(app, client, cast):
    ids = make_notices(app, cast.worker, 3, link="/kinerja/umpan-balik/entry/1")
    as_employee(client, cast.worker)
    response = client.get(f"/notifikasi/{ids[1]}/buka")
    assert response.status_code == 302 and response.headers["Location"] == "/kinerja/umpan-balik/entry/1"
    assert unread_ids(app, cast.worker) == {ids[0], ids[2]}
    with database(app):
        first_read = Notification.get_by_id(ids[1]).read_at
    # Opening it again changes nothing and still goes there.
    again = client.get(f"/notifikasi/{ids[1]}/buka")
    assert again.headers["Location"] == "/kinerja/umpan-balik/entry/1"
    with database(app):
        assert Notification.get_by_id(ids[1]).read_at == first_read
    assert listed(client.get("/notifikasi").get_data(as_text=True)) == [ids[2], ids[0], ids[1]]


def test_someone_elses_notice_is_not_found(app, client, cast, accounts):
    theirs = make_notices(app, cast.penilai, 1)[0]
    as_employee(client, cast.worker)
    assert client.get(f"/notifikasi/{theirs}/buka").status_code == 404
    assert client.get("/notifikasi/999999/buka").status_code == 404
    assert client.get(f"/notifikasi/{2 ** 70}/buka").status_code == 404
    as_user(client, accounts["admin"])  # a system account has no notices at all
    assert client.get(f"/notifikasi/{theirs}/buka").status_code == 404
    assert client.get("/notifikasi").status_code == 200
    assert client.post("/notifikasi/baca-semua").status_code == 302
    assert unread_ids(app, cast.penilai) == {theirs}


@pytest.mark.parametrize("link", ["", "//evil.example/x", "https://evil.example/", "/\\evil.example",
                                  "javascript:alert(1)"])
def test_a_stored_link_that_would_leave_the_site_goes_to_the_centre(app, client, cast, link):
    [notice] = make_notices(app, cast.worker, 1, link=link)
    as_employee(client, cast.worker)
    response = client.get(f"/notifikasi/{notice}/buka")
    assert response.status_code == 302 and response.headers["Location"] == "/notifikasi"
    assert unread_ids(app, cast.worker) == set()


def test_mark_all_read_in_place_with_htmx(app, client, cast):
    make_notices(app, cast.worker, 25, read={0})
    others = make_notices(app, cast.penilai, 2)
    as_employee(client, cast.worker)
    page = client.get("/notifikasi").get_data(as_text=True)
    assert 'hx-post="/notifikasi/baca-semua"' in page and 'hx-target="#notification-list"' in page
    response = client.post("/notifikasi/baca-semua", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and '<section id="notification-list"' in html
    assert "Semua notifikasi ditandai dibaca." in html and "Tandai semua dibaca" not in html
    assert 'class="unread"' not in html
    # The list's pager names the list's page, not the button's address.
    assert 'href="/notifikasi?page=2"' in html and "baca-semua?page" not in html
    assert "notifications-changed" in response.headers["HX-Trigger"]
    assert "HX-Request" in response.headers["Vary"]
    assert unread_ids(app, cast.worker) == set()
    assert unread_ids(app, cast.penilai) == set(others)  # only the employee's own
    assert client.get("/notifikasi/jumlah").get_data(as_text=True).strip() == ""


def test_mark_all_read_without_javascript(app, client, cast):
    make_notices(app, cast.worker, 3)
    as_employee(client, cast.worker)
    response = client.post("/notifikasi/baca-semua")
    assert response.status_code == 302 and response.headers["Location"] == "/notifikasi"
    page = client.get("/notifikasi").get_data(as_text=True)
    assert "Semua notifikasi ditandai dibaca." in page and "Semua sudah dibaca" in page
    assert unread_ids(app, cast.worker) == set()


def test_an_empty_centre(app, client, cast):
    make_notices(app, cast.worker, 0)
    as_employee(client, cast.worker)
    page = client.get("/notifikasi").get_data(as_text=True)
    assert "Belum ada notifikasi." in page and "Tandai semua dibaca" not in page


def test_the_centre_and_the_counter_need_a_login(client):
    assert client.get("/notifikasi").status_code == 302
    assert client.post("/notifikasi/baca-semua").status_code == 302
    polled = client.get("/notifikasi/jumlah", headers={**HX, "HX-Current-URL": "http://localhost/kinerja/saya"})
    assert polled.status_code == 401 and "/masuk" in polled.headers["HX-Redirect"]


# --- CSRF, switched on as in production -----------------------------------------------------------

@pytest.fixture
def protected(tmp_path):
    return make_app(tmp_path, WTF_CSRF_ENABLED=True)




def test_mark_all_read_needs_the_csrf_token(protected, cast):
    make_notices(protected, cast.worker, 2)
    client = signed_in(protected, cast.worker.nip)
    page = client.get("/notifikasi").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/notifikasi/baca-semua".*?</form>', page, re.S).group(0)
    assert 'name="csrf_token"' in form  # works without htmx too
    assert client.post("/notifikasi/baca-semua").status_code == 400
    assert client.post("/notifikasi/baca-semua", headers=HX).status_code == 400
    assert len(unread_ids(protected, cast.worker)) == 2
    token = csrf_token(page)
    response = client.post("/notifikasi/baca-semua", headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 200 and unread_ids(protected, cast.worker) == set()
    make_notices(protected, cast.worker, 1)
    assert client.post("/notifikasi/baca-semua", data={"csrf_token": token}).status_code == 302
    assert unread_ids(protected, cast.worker) == set()
