"""The good-practice pages: writing, review in place, the library, marks and questions — with
every denial and odd input."""
import io

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kinerja.models import Practice, PracticeAttachment, PracticeQuestion
from kinerja.rules import practices as rules

from ..support import HX, counted_get, zip_bomb
from ..support.evaluation import PDF, as_employee, as_user
from ..support.org import fresh, unit

WRITE = {"title": "Antrean daring di loket", "problem": "Antrean panjang di loket",
         "action": "Nomor antrean lewat pesan singkat",
         "results": "Waktu tunggu turun dari 90 menit menjadi 20 menit",
         "themes": ["pelayanan-publik", "digitalisasi"], "coauthors": ""}


def write(client, url="/praktik-baik/tulis", step="save", upload=None, **changes):
    data = {**WRITE, **changes, "step": step}
    if upload is not None:
        data["attachment"] = upload
    return client.post(url, data=data, content_type="multipart/form-data")


def newest():
    return Practice.select().order_by(Practice.id.desc()).first()


# --- Writing ------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_log_in(client, cast):
    for url in ["/praktik-baik", "/praktik-baik/tulis", "/praktik-baik/saya",
                f"/praktik-baik/{cast.archive.id}"]:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
    assert client.post(f"/praktik-baik/{cast.archive.id}/bermanfaat").status_code == 302
    response = client.get("/praktik-baik", headers=HX)
    assert "/masuk" in response.headers.get("HX-Redirect", "")


def test_an_employee_writes_a_draft_then_submits_it(client, cast):
    as_employee(client, cast.writer)
    page = client.get("/praktik-baik/tulis").get_data(as_text=True)
    assert "Tulis praktik baik" in page and "Pelayanan publik" in page
    response = write(client, coauthors=cast.colleague.nip, upload=(io.BytesIO(PDF), "alur.pdf"))
    practice = newest()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/praktik-baik/{practice.id}/ubah")
    assert practice.status == "draft" and practice.author_id == cast.writer.id
    edit = client.get(f"/praktik-baik/{practice.id}/ubah").get_data(as_text=True)
    assert cast.colleague.nip in edit and "alur.pdf" in edit
    response = write(client, f"/praktik-baik/{practice.id}/ubah", step="submit")
    assert response.status_code == 302
    assert fresh(practice).status == "submitted" and fresh(practice).reviewer_id == cast.head.id


def test_a_draft_needs_only_a_title_but_submission_everything(client, cast):
    as_employee(client, cast.writer)
    assert write(client, problem="", action="", results="", themes=[]).status_code == 302
    response = write(client, step="submit", results="Lebih cepat dari sebelumnya",
                     problem="", title="Judul yang tetap ada")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "hasil dalam angka" in html and "Tuliskan masalah" in html
    assert "Judul yang tetap ada" in html and "Lebih cepat dari sebelumnya" in html


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Tuliskan judul"),
    ({"title": "x" * 201}, "Maksimal 200"),
    ({"themes": ["kesehatan", "pendidikan", "digitalisasi", "kolaborasi"]}, "paling banyak"),
    ({"themes": ["<script>"]}, "Tema tidak dikenal"),
    ({"coauthors": "12345"}, "bukan NIP"),
    ({"coauthors": "199901012020011999"}, "tidak ditemukan"),
    ({"problem": "teks\x00nol"}, "karakter tak terlihat"),
])
def test_odd_input_is_refused_beside_its_field_with_nothing_lost(client, cast, changes, message):
    as_employee(client, cast.writer)
    count = Practice.select().count()
    response = write(client, **changes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "Nomor antrean lewat pesan singkat" in html
    assert Practice.select().count() == count


@pytest.mark.parametrize("upload, message", [
    ((io.BytesIO(b"MZ\x90\x00 not a pdf"), "alur.pdf"), "bukan PDF"),
    ((io.BytesIO(b"#!/bin/sh\necho"), "skrip.sh"), "Jenis berkas tidak diterima"),
    ((io.BytesIO(b""), "kosong.pdf"), "Berkas kosong"),
    ((io.BytesIO(b"%PDF-" + b"0" * (5 * 1024 * 1024)), "besar.pdf"), "melebihi"),
    ((io.BytesIO(zip_bomb("odt")), "bom.odt"), ""),
])
def test_bad_uploads_are_refused(client, cast, upload, message):
    as_employee(client, cast.writer)
    response = write(client, upload=upload)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert not Practice.select().where(Practice.title == WRITE["title"]).exists()


def test_an_account_without_an_employee_cannot_write(client, cast):
    as_user(client, "admin")
    assert client.get("/praktik-baik/tulis").status_code == 403
    assert write(client).status_code == 403


def test_nobody_else_edits_a_practice(client, cast):
    as_employee(client, cast.writer)
    write(client)
    practice = newest()
    url = f"/praktik-baik/{practice.id}/ubah"
    as_employee(client, cast.colleague)
    assert client.get(url).status_code == 404        # someone else's draft is not even seen
    assert client.get(f"/praktik-baik/{practice.id}").status_code == 404
    assert write(client, url, title="Diubah orang lain").status_code == 404
    as_employee(client, cast.head)
    assert client.get(url).status_code == 404
    as_employee(client, cast.writer)
    write(client, url, step="submit")
    assert client.get(url).status_code == 403        # submitted: the writer waits for review
    assert fresh(practice).title == WRITE["title"]


def test_an_attachment_is_removed_only_by_the_writer_of_a_draft(client, cast):
    as_employee(client, cast.writer)
    write(client, upload=(io.BytesIO(PDF), "alur.pdf"))
    item = PracticeAttachment.select().order_by(PracticeAttachment.id.desc()).first()
    as_employee(client, cast.colleague)
    assert client.post(f"/praktik-baik/lampiran/{item.id}/hapus").status_code == 404
    as_employee(client, cast.writer)
    response = client.post(f"/praktik-baik/lampiran/{item.id}/hapus", headers=HX)
    assert response.status_code == 200 and "Lampiran dihapus" in response.get_data(as_text=True)
    assert PracticeAttachment.get_or_none(PracticeAttachment.id == item.id) is None


# --- Reading ------------------------------------------------------------------------------

def test_a_draft_or_submitted_practice_is_hidden_from_others(client, cast):
    url = f"/praktik-baik/{cast.waiting.id}"
    item = PracticeAttachment.create(practice=cast.waiting.id, stored_name="x.pdf",
                                     filename="x.pdf", mime="application/pdf")
    for reader in [cast.colleague, cast.other_head, cast.opd_head, cast.outsider]:
        as_employee(client, reader)
        assert client.get(url).status_code == 404
        assert client.get(f"/praktik-baik/lampiran/{item.id}").status_code == 404
    for username in ["admin", "admin.dinkes"]:
        as_user(client, username)
        assert client.get(url).status_code == 404
    as_employee(client, cast.head)
    assert client.get(url).status_code == 200
    as_employee(client, cast.waiting.author)
    assert client.get(url).status_code == 200


def test_a_published_practice_and_its_attachment_are_for_everyone_signed_in(client, cast):
    item = PracticeAttachment.get(PracticeAttachment.practice == cast.archive.id)
    for login in [lambda: as_employee(client, cast.writer), lambda: as_user(client, "admin")]:
        login()
        html = client.get(f"/praktik-baik/{cast.archive.id}").get_data(as_text=True)
        assert "25 menit menjadi 3 menit" in html and item.filename in html
        response = client.get(f"/praktik-baik/lampiran/{item.id}")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        assert response.headers["Cache-Control"] == "private, no-store"


def test_the_library_filters_and_answers_htmx_with_the_results_alone(client, cast):
    as_employee(client, cast.outsider)
    html = client.get("/praktik-baik?tema=kesehatan").get_data(as_text=True)
    assert cast.vaccination.title in html and cast.archive.title not in html
    response = client.get(f"/praktik-baik?q=arsip&opd={unit('DISDUKCAPIL').id}", headers=HX)
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="results"')
    assert cast.archive.title in fragment and cast.vaccination.title not in fragment
    assert "HX-Request" in response.headers["Vary"]
    assert cast.waiting.title not in client.get("/praktik-baik?q=hipertensi").get_data(as_text=True)


@pytest.mark.parametrize("query", ["tema=%3Cscript%3E", "opd=abc", "opd=99999999999999999999",
                                   "page=-4", "page=9999", "q=%00%25_", "q=" + "kata+" * 200,
                                   "opd=-1&tema=kesehatan"])
def test_odd_library_queries_never_fail(client, cast, query):
    as_employee(client, cast.outsider)
    assert client.get(f"/praktik-baik?{query}").status_code == 200


def test_the_library_and_a_practice_cost_a_constant_number_of_queries(client, cast):
    as_employee(client, cast.outsider)
    few, _ = counted_get(client, "/praktik-baik")
    page, _ = counted_get(client, f"/praktik-baik/{cast.vaccination.id}")
    for i in range(25):
        Practice.create(title=f"Praktik {i}", results="1", unit=unit("DLH").id,
                        author=cast.outsider.id, status="published",
                        published_at=cast.archive.published_at)
    many, html = counted_get(client, "/praktik-baik")
    assert many == few and "Halaman 1 dari 2" in html
    for _ in range(5):
        PracticeQuestion.create(practice=cast.vaccination.id,
                                asker=cast.account(cast.outsider).id, text="Pertanyaan?")
    assert counted_get(client, f"/praktik-baik/{cast.vaccination.id}")[0] == page


def test_praktik_saya_lists_mine_and_what_waits_for_my_review(client, cast):
    as_employee(client, cast.head)
    html = client.get("/praktik-baik/saya").get_data(as_text=True)
    assert "Menunggu tinjauan Anda" in html and cast.waiting.title in html
    as_employee(client, cast.other_head)
    assert cast.waiting.title not in client.get("/praktik-baik/saya").get_data(as_text=True)
    as_employee(client, cast.waiting.author)
    html = client.get("/praktik-baik/saya").get_data(as_text=True)
    assert cast.waiting.title in html and "Diajukan" in html
    as_user(client, "admin")
    assert client.get("/praktik-baik/saya").status_code == 200


# --- Review -------------------------------------------------------------------------------

def test_the_head_publishes_in_place(client, cast):
    as_employee(client, cast.head)
    url = f"/praktik-baik/{cast.waiting.id}/tinjau"
    response = client.post(url, data={"decision": "publish", "note": ""}, headers=HX)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="review"') and "diterbitkan" in fragment
    assert fresh(cast.waiting).status == "published"


def test_returning_without_a_note_is_refused_beside_it(client, cast):
    as_employee(client, cast.head)
    url = f"/praktik-baik/{cast.waiting.id}/tinjau"
    response = client.post(url, data={"decision": "return", "note": ""}, headers=HX)
    assert response.status_code == 422 and "Tuliskan catatan" in response.get_data(as_text=True)
    response = client.post(url, data={"decision": "return", "note": "Lengkapi data"})
    assert response.status_code == 302 and fresh(cast.waiting).status == "returned"


@pytest.mark.parametrize("who", ["other_head", "opd_head", "colleague"])
def test_nobody_but_the_head_of_the_unit_reviews(client, cast, who):
    as_employee(client, getattr(cast, who))
    response = client.post(f"/praktik-baik/{cast.waiting.id}/tinjau", data={"decision": "publish"})
    assert response.status_code == 404
    assert fresh(cast.waiting).status == "submitted"


def test_the_writer_cannot_review_their_own(client, cast):
    as_employee(client, cast.waiting.author)
    response = client.post(f"/praktik-baik/{cast.waiting.id}/tinjau", data={"decision": "publish"})
    assert response.status_code == 403 and fresh(cast.waiting).status == "submitted"


@pytest.mark.parametrize("data", [{}, {"decision": "hapus"}, {"decision": ["publish", "return"]},
                                  {"decision": "publish", "note": "x" * 3000}])
def test_odd_review_input(client, cast, data):
    as_employee(client, cast.head)
    response = client.post(f"/praktik-baik/{cast.waiting.id}/tinjau", data=data)
    assert response.status_code in (302, 422)


# --- Marks and questions ------------------------------------------------------------------

def test_marking_useful_in_place(client, cast):
    as_employee(client, cast.outsider)
    before = cast.archive.useful_count
    url = f"/praktik-baik/{cast.archive.id}/bermanfaat"
    fragment = client.post(url, headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<form id="useful"')
    assert f"{before + 1} pegawai" in fragment and 'aria-pressed="true"' in fragment
    fragment = client.post(url, headers=HX).get_data(as_text=True)
    assert f"{before} pegawai" in fragment and 'aria-pressed="false"' in fragment
    assert client.post(url).status_code == 302


def test_an_unpublished_practice_cannot_be_marked_or_asked(client, cast):
    as_employee(client, cast.head)
    assert client.post(f"/praktik-baik/{cast.waiting.id}/bermanfaat").status_code == 403
    assert client.post(f"/praktik-baik/{cast.waiting.id}/tanya",
                       data={"text": "?"}).status_code == 403


def test_asking_and_answering(client, cast):
    as_employee(client, cast.outsider)
    url = f"/praktik-baik/{cast.vaccination.id}/tanya"
    response = client.post(url, data={"text": ""}, headers=HX)
    assert response.status_code == 422 and "Tuliskan pertanyaan" in response.get_data(as_text=True)
    fragment = client.post(url, data={"text": "Berapa kader?"}, headers=HX).get_data(as_text=True)
    assert "Berapa kader?" in fragment and "Pertanyaan dikirim" in fragment
    question = PracticeQuestion.select().order_by(PracticeQuestion.id.desc()).first()
    answer_url = f"/praktik-baik/pertanyaan/{question.id}/jawab"
    field = f"q{question.id}-answer"
    assert client.post(answer_url, data={field: "Bukan penulis"}).status_code == 403
    as_employee(client, cast.vaccination.author)
    assert f'name="{field}"' in client.get(f"/praktik-baik/{cast.vaccination.id}").get_data(as_text=True)
    response = client.post(answer_url, data={field: ""}, headers=HX)
    assert response.status_code == 422 and "Tuliskan jawaban" in response.get_data(as_text=True)
    fragment = client.post(answer_url, data={field: "24 kader."}, headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<article id="question-{question.id}"')
    assert "24 kader." in fragment and fresh(question).answer == "24 kader."


@pytest.mark.parametrize("url", ["/praktik-baik/999999", "/praktik-baik/999999/ubah",
                                 "/praktik-baik/lampiran/999999",
                                 "/praktik-baik/99999999999999999999999"])
def test_unknown_ids_are_not_found(client, cast, url):
    as_employee(client, cast.writer)
    assert client.get(url).status_code == 404


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=250), text=st.text(max_size=300), coauthors=st.text(max_size=60),
       themes=st.lists(st.sampled_from([*rules.THEMES, "", "x", "<b>"]), max_size=5),
       step=st.sampled_from(["save", "submit", "", "hapus"]))
def test_no_writing_input_gives_a_500(client, cast, title, text, coauthors, themes, step):
    as_employee(client, cast.writer)
    response = client.post("/praktik-baik/tulis", data={
        "title": title, "problem": text, "action": text, "results": text, "themes": themes,
        "coauthors": coauthors, "step": step})
    assert response.status_code in (302, 422)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), decision=st.text(max_size=10))
def test_no_question_or_review_input_gives_a_500(client, cast, text, decision):
    as_employee(client, cast.head)
    assert client.post(f"/praktik-baik/{cast.vaccination.id}/tanya",
                       data={"text": text}).status_code in (302, 422)
    assert client.post(f"/praktik-baik/{cast.waiting.id}/tinjau",
                       data={"decision": decision, "note": text}).status_code in (302, 403, 409, 422)


def test_with_no_head_left_to_review_the_admin_bkpsdm_reviews(client, cast):
    Practice.update(reviewer=None).where(Practice.id == cast.waiting.id).execute()
    url = f"/praktik-baik/{cast.waiting.id}"
    as_user(client, "admin.dinkes")
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/tinjau", data={"decision": "publish"}).status_code == 404
    as_employee(client, cast.head)
    assert client.post(f"{url}/tinjau", data={"decision": "publish"}).status_code == 404
    as_user(client, "admin")
    assert cast.waiting.title in client.get("/praktik-baik/saya").get_data(as_text=True)
    assert client.post(f"{url}/tinjau", data={"decision": "publish"}).status_code == 302
    assert fresh(cast.waiting).status == "published"


def test_a_photo_is_shown_in_the_page_and_served_inline(client, cast):
    as_employee(client, cast.writer)
    photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert write(client, step="submit", upload=(io.BytesIO(photo), "ruang tunggu.png")).status_code == 302
    practice = newest()
    as_employee(client, cast.head)
    client.post(f"/praktik-baik/{practice.id}/tinjau", data={"decision": "publish"})
    item = PracticeAttachment.get(PracticeAttachment.practice == practice.id)
    as_employee(client, cast.outsider)
    html = client.get(f"/praktik-baik/{practice.id}").get_data(as_text=True)
    assert f'<img src="/praktik-baik/lampiran/{item.id}" alt="ruang tunggu.png"' in html
    response = client.get(f"/praktik-baik/lampiran/{item.id}")
    assert response.mimetype == "image/png" and "attachment" not in response.headers.get(
        "Content-Disposition", "")
