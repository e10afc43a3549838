"""The good-practice store: heads of units, writing, review, marks and questions, each write
audited with the notices it sends."""
import pytest

from kinerja.models import (
    Notification, Practice, PracticeAuthor, PracticeQuestion, PracticeTheme, PracticeUseful,
)
from kinerja.rules import DomainError
from kinerja.stores import practices as store

from ..support.org import audit_rows, fresh, unit

DRAFT = dict(title="Antrean daring", problem="Antrean panjang di loket",
             action="Nomor antrean lewat pesan singkat",
             results="Waktu tunggu turun dari 90 menit menjadi 20 menit",
             themes=["pelayanan-publik"], coauthor_nips=[])


def draft(**changes):
    return store.Draft(**{**DRAFT, **changes})


def notices(employee):
    return [n.text for n in Notification.select().where(Notification.recipient == employee.id)
            .order_by(Notification.id)]


def test_the_head_of_a_unit_is_the_holder_of_its_top_structural_post(cast):
    chain = store.head_chain(unit("PKM-SUKAMAJU"))
    assert chain == [(unit("PKM-SUKAMAJU").id, cast.head.id), (unit("DINKES").id, cast.opd_head.id)]
    # The Sekretaris Dinas holds a structural post in the OPD too, under its head.
    assert store.head_chain(unit("DINKES")) == [(unit("DINKES").id, cast.opd_head.id)]


def test_writing_a_draft_and_submitting_it_to_the_head(cast):
    actor = cast.account(cast.writer)
    practice = store.save(actor, cast.writer, draft(coauthor_nips=[cast.colleague.nip]))
    assert practice.status == "draft" and practice.unit_id == cast.writer.unit_id
    assert [a.employee_id for a in PracticeAuthor.select().where(
        PracticeAuthor.practice == practice.id)] == [cast.colleague.id]
    assert not any("Antrean daring" in text for text in notices(cast.head))  # a draft is private
    store.save(actor, cast.writer, draft(themes=["digitalisasi", "kolaborasi"]),
               practice_id=practice.id, submit=True)
    practice = fresh(practice)
    assert practice.status == "submitted" and practice.reviewer_id == cast.head.id
    assert [t.theme for t in PracticeTheme.select().where(PracticeTheme.practice == practice.id)
            .order_by(PracticeTheme.id)] == ["digitalisasi", "kolaborasi"]
    assert "Antrean daring" in notices(cast.head)[-1]
    assert [r.action for r in audit_rows("practice", practice.id)] == ["create", "update"]


def test_a_head_writing_passes_the_review_to_the_head_above(cast):
    practice = store.save(cast.account(cast.head), cast.head, draft(), submit=True)
    assert practice.reviewer_id == cast.opd_head.id


def test_submission_is_checked_again_in_the_store(cast):
    with pytest.raises(DomainError) as caught:
        store.save(cast.account(cast.writer), cast.writer, draft(results="Lebih cepat"),
                   submit=True)
    assert caught.value.field == "results"
    assert not Practice.select().where(Practice.title == "Antrean daring").exists()


def test_an_unknown_coauthor_is_refused_beside_its_field(cast):
    with pytest.raises(DomainError) as caught:
        store.save(cast.account(cast.writer), cast.writer,
                   draft(coauthor_nips=["199901012020011999"]))
    assert caught.value.field == "coauthors"


def test_nobody_but_the_main_author_changes_it_and_not_once_submitted(cast):
    with pytest.raises(DomainError, match="penulis utama"):
        store.save(cast.account(cast.colleague), cast.colleague, draft(),
                   practice_id=cast.waiting.id)
    author = cast.waiting.author
    with pytest.raises(DomainError, match="sudah diajukan"):
        store.save(cast.account(author), author, draft(), practice_id=cast.waiting.id)


def test_publishing_tells_every_author(cast):
    store.review(cast.account(cast.head), cast.waiting.id, "publish", "")
    practice = fresh(cast.waiting)
    assert practice.status == "published" and practice.published_at is not None
    assert "diterbitkan" in notices(practice.author)[-1]
    assert audit_rows("practice", practice.id, "publish")


def test_returning_needs_a_note_and_the_writer_can_change_it_again(cast):
    head = cast.account(cast.head)
    with pytest.raises(DomainError):
        store.review(head, cast.waiting.id, "return", "")
    store.review(head, cast.waiting.id, "return", "Tambahkan jumlah pasien.")
    practice = fresh(cast.waiting)
    assert practice.status == "returned" and practice.review_note == "Tambahkan jumlah pasien."
    assert "Tambahkan jumlah pasien" in notices(practice.author)[-1]
    store.save(cast.account(practice.author), practice.author, draft(), practice_id=practice.id)
    assert fresh(practice).status == "draft"


@pytest.mark.parametrize("who", ["other_head", "opd_head", "writer"])
def test_only_the_reviewer_reviews(cast, who):
    with pytest.raises(DomainError, match="bukan peninjaunya"):
        store.review(cast.account(getattr(cast, who)), cast.waiting.id, "publish", "")
    assert fresh(cast.waiting).status == "submitted"


def test_a_decided_practice_is_not_reviewed_twice(cast):
    head = cast.account(cast.head)
    store.review(head, cast.waiting.id, "publish", "")
    with pytest.raises(DomainError, match="tidak sedang menunggu"):
        store.review(head, cast.waiting.id, "return", "Terlambat")


def test_marking_useful_once_per_account_and_taking_it_back(cast):
    actor = cast.account(cast.outsider)
    before = cast.archive.useful_count
    assert store.toggle_useful(actor, cast.archive.id) == (True, before + 1)
    assert store.toggle_useful(actor, cast.archive.id) == (False, before)
    assert not PracticeUseful.select().where((PracticeUseful.practice == cast.archive.id)
                                             & (PracticeUseful.account == actor.id)).exists()
    with pytest.raises(DomainError, match="belum diterbitkan"):
        store.toggle_useful(actor, cast.waiting.id)


def test_a_question_tells_the_authors_and_the_answer_tells_the_asker(cast):
    asker = cast.account(cast.outsider)
    question = store.ask(asker, cast.vaccination.id, "Berapa kader yang dilibatkan?")
    author = cast.vaccination.author
    assert "Berapa kader" in notices(author)[-1]
    coauthor = PracticeAuthor.get(PracticeAuthor.practice == cast.vaccination.id).employee
    assert "Berapa kader" in notices(coauthor)[-1]
    with pytest.raises(DomainError, match="Hanya penulis"):
        store.answer(asker, question.id, "Saya bukan penulis")
    store.answer(cast.account(author), question.id, "24 kader dari 12 posyandu.")
    assert fresh(question).answer == "24 kader dari 12 posyandu."
    assert "menjawab pertanyaan" in notices(cast.outsider)[-1]
    assert audit_rows("practice_question", question.id, "answer")
    assert PracticeQuestion.select().where(PracticeQuestion.practice == cast.vaccination.id).count() == 2


def test_the_library_searches_words_theme_and_opd(cast):
    def titles(words=(), theme="", opd=None):
        return [p.title for p in store.library(list(words), theme, opd, 1).items]
    assert titles() == [cast.vaccination.title, cast.archive.title]
    assert titles(["ARSIP"]) == [cast.archive.title]
    assert titles(["posyandu", "kader"]) == [cast.vaccination.title]
    assert titles(theme="kesehatan") == [cast.vaccination.title]
    assert titles(opd=unit("DINKES").id) == [cast.vaccination.title]
    assert titles(opd=unit("DISDUKCAPIL").id, theme="kesehatan") == []
    assert cast.waiting.title not in titles(["hipertensi"])


def test_the_head_sees_what_waits_and_the_admin_what_has_no_head(cast):
    assert [p.id for p in store.waiting_for(cast.head.id, False)] == [cast.waiting.id]
    assert store.waiting_for(cast.other_head.id, False) == []
    Practice.update(reviewer=None).where(Practice.id == cast.waiting.id).execute()
    assert [p.id for p in store.waiting_for(None, True)] == [cast.waiting.id]
