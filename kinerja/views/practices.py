"""The good-practice library: writing, review by the head of the unit, search, questions."""
from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from ..forms.practices import AnswerForm, PracticeForm, QuestionForm, ReviewForm
from ..htmx import respond
from ..paging import page_number
from ..rules import DomainError
from ..rules import practices as rules
from ..rules.evidence import DEFAULT_MAX_BYTES, check_file, clean_filename
from ..stores import practices as store
from .toolkit import deny, int_arg, me, private_file, refused, require_login, text_arg

bp = Blueprint("practices", __name__, url_prefix="/praktik-baik")
require_login(bp)

PER_PAGE = 20


# --- Loading and authorising --------------------------------------------------------------

def _is_admin() -> bool:
    return current_user.role == "admin"


def load_practice(practice_id) -> store.Detail:
    """The practice with what it shows, if the user may read it; 404 otherwise, so a draft's
    existence is not given away."""
    found = store.detail(practice_id)
    if found is None or not rules.may_read(found.practice.status, current_user.employee_id,
                                           found.author_ids, found.practice.reviewer_id,
                                           _is_admin()):
        deny(rules.NOT_FOUND, 404)
    return found


def writer_or_deny():
    employee = me()
    if employee is None:
        deny(rules.NO_EMPLOYEE)
    return employee


def editable_or_deny(practice_id) -> store.Detail:
    found = load_practice(practice_id)
    refusal = rules.edit_refusal(found.practice.status, current_user.employee_id,
                                 found.practice.author_id)
    if refusal:
        deny(refusal)
    return found


# --- The library --------------------------------------------------------------------------

@bp.get("")
def index():
    q = text_arg("q")
    theme = text_arg("tema", limit=30)
    theme = theme if theme in rules.THEMES else ""
    opd_id = int_arg("opd")
    page = store.library(rules.search_words(q), theme, opd_id, page_number(request.args.get("page")),
                         PER_PAGE)
    context = {"results": page, "q": q, "theme": theme, "opd_id": opd_id,
               "opds": store.opd_choices(), "rules": rules,
               "url_args": {k: v for k, v in (("q", q), ("tema", theme), ("opd", opd_id)) if v}}
    return respond("practices/index.html", "practices/_results.html", **context)


@bp.get("/saya")
def mine():
    """Praktik saya: what I wrote, and what waits for my review."""
    employee = me()
    written = store.written_by(employee.id) if employee else []
    waiting = store.waiting_for(employee.id if employee else None, _is_admin())
    return render_template("practices/mine.html", written=written, waiting=waiting,
                           employee=employee, rules=rules)


def _page_context(found: store.Detail, **extra) -> dict:
    practice = found.practice
    context = {"found": found, "practice": practice, "rules": rules,
               "is_author": current_user.employee_id in found.author_ids,
               "can_edit": rules.edit_refusal(practice.status, current_user.employee_id,
                                              practice.author_id) is None,
               "can_review": rules.review_refusal(practice.status, current_user.employee_id,
                                                  practice.reviewer_id, _is_admin()) is None,
               "marked": store.marked_useful(practice.id, current_user.id),
               "review_form": ReviewForm(), "question_form": QuestionForm()}
    context["answer_forms"] = {q.id: AnswerForm(prefix=f"q{q.id}") for q in found.questions} \
        if context["is_author"] else {}
    context.update(extra)
    return context


@bp.get("/<int:practice_id>")
def show(practice_id):
    found = load_practice(practice_id)
    return render_template("practices/show.html", **_page_context(found))


# --- Writing ------------------------------------------------------------------------------

def _upload(form):
    """(filename shown, extension, mime, bytes) of an acceptable attachment, None when none
    was sent; a refused file is put beside its field. At most the limit plus one byte is
    read, whatever the part declares."""
    file = request.files.get("attachment")
    if not file or not file.filename:
        return None
    limit = current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)
    if file.content_length and file.content_length > limit:
        form.attachment.errors = [f"Ukuran berkas melebihi {limit // (1024 * 1024)} MB."]
        return None
    data = file.read(limit + 1)
    try:
        ext, mime = check_file(file.filename, data, limit)
    except DomainError as exc:
        form.attachment.errors = [exc.message]
        return None
    return clean_filename(file.filename), ext, mime, data


def _write(form, employee, found=None):
    """Save (and with step=submit, submit) what the form holds; 422 with the form again,
    nothing lost, when something is wrong."""
    submit = request.form.get("step") == "submit"
    valid = form.validate_on_submit()
    upload = _upload(form)
    if valid and submit:
        for name, message in form.submission_problems().items():
            form[name].errors = [*form[name].errors, message]
    if valid and not any(f.errors for f in form):
        draft = store.Draft(form.title.data, form.problem.data or "", form.action.data or "",
                            form.results.data or "", form.themes.data or [],
                            getattr(form, "coauthor_nips", []))
        try:
            practice = store.save(current_user, employee, draft,
                                  practice_id=found.practice.id if found else None,
                                  submit=submit, upload=upload,
                                  upload_dir=current_app.config["UPLOAD_DIR"])
        except DomainError as exc:
            refused(exc, form)
        else:
            message = ("Praktik baik diajukan kepada kepala unit untuk ditinjau." if submit
                       else "Draf praktik baik disimpan.")
            target = (url_for("practices.show", practice_id=practice.id) if submit
                      else url_for("practices.edit", practice_id=practice.id))
            return respond(None, redirect=target, message=message)
    return respond("practices/write.html", status=422, form=form, found=found, rules=rules)


@bp.route("/tulis", methods=["GET", "POST"])
def new():
    """Write a practice: any employee, any time (an invitation after a Sangat Baik predikat
    links here)."""
    employee = writer_or_deny()
    form = PracticeForm()
    if request.method == "POST":
        return _write(form, employee)
    return render_template("practices/write.html", form=form, found=None, rules=rules)


@bp.route("/<int:practice_id>/ubah", methods=["GET", "POST"])
def edit(practice_id):
    employee = writer_or_deny()
    found = editable_or_deny(practice_id)
    if request.method == "POST":
        return _write(PracticeForm(), employee, found)
    practice = found.practice
    form = PracticeForm(data={
        "title": practice.title, "problem": practice.problem, "action": practice.action,
        "results": practice.results, "themes": found.themes,
        "coauthors": ", ".join(e.nip for e in found.coauthors)})
    return render_template("practices/write.html", form=form, found=found, rules=rules)


@bp.post("/lampiran/<int:attachment_id>/hapus")
def delete_attachment(attachment_id):
    item = store.attachment(attachment_id)
    if item is None:
        deny("Lampiran tidak ditemukan.", 404)
    editable_or_deny(item.practice_id)
    store.delete_attachment(current_user, item.id, current_app.config["UPLOAD_DIR"])
    return respond(None, "practices/_attachment_removed.html",
                   redirect=url_for("practices.edit", practice_id=item.practice_id),
                   message="Lampiran dihapus.")


@bp.get("/lampiran/<int:attachment_id>")
def attachment(attachment_id):
    """An attachment, only for those who may read its practice."""
    item = store.attachment(attachment_id)
    if item is None:
        deny("Lampiran tidak ditemukan.", 404)
    load_practice(item.practice_id)
    path = store.attachment_path(current_app.config["UPLOAD_DIR"], item)
    if path is None:
        deny("Berkas lampiran tidak ada lagi di server.", 404)
    return private_file(path, item.mime, item.filename, attachment=not store.serve_inline(item))


# --- Review by the head of the unit -------------------------------------------------------

@bp.post("/<int:practice_id>/tinjau")
def review(practice_id):
    found = load_practice(practice_id)
    refusal = rules.review_refusal(found.practice.status, current_user.employee_id,
                                   found.practice.reviewer_id, _is_admin())
    if refusal:
        deny(refusal)
    form = ReviewForm()
    if not form.validate_on_submit():
        return respond("practices/show.html", "practices/_review.html", status=422,
                       context=lambda: _page_context(found, review_form=form))
    try:
        store.review(current_user, found.practice.id, form.decision.data, form.note.data)
    except DomainError as exc:
        refused(exc, form)
        return respond("practices/show.html", "practices/_review.html", status=422,
                       context=lambda: _page_context(found, review_form=form))
    done = ("Praktik baik diterbitkan." if form.decision.data == rules.PUBLISH
            else "Praktik baik dikembalikan kepada penulis.")
    return respond("practices/show.html", "practices/_review.html",
                   redirect=url_for("practices.show", practice_id=practice_id),
                   message=done, context=lambda: _page_context(
                       load_practice(practice_id), done=done))


# --- Marks and questions ------------------------------------------------------------------

@bp.post("/<int:practice_id>/bermanfaat")
def useful(practice_id):
    found = load_practice(practice_id)
    if found.practice.status != rules.PUBLISHED:
        deny(rules.NOT_PUBLISHED)
    marked, count = store.toggle_useful(current_user, found.practice.id)
    found.practice.useful_count = count
    return respond(None, "practices/_useful.html",
                   redirect=url_for("practices.show", practice_id=practice_id),
                   practice=found.practice, marked=marked)


@bp.post("/<int:practice_id>/tanya")
def ask(practice_id):
    found = load_practice(practice_id)
    if found.practice.status != rules.PUBLISHED:
        deny(rules.NOT_PUBLISHED)
    form = QuestionForm()
    if not form.validate_on_submit():
        return respond("practices/show.html", "practices/_questions.html", status=422,
                       context=lambda: _page_context(found, question_form=form))
    store.ask(current_user, found.practice.id, form.text.data)
    return respond("practices/show.html", "practices/_questions.html",
                   redirect=url_for("practices.show", practice_id=practice_id) + "#pertanyaan",
                   message="Pertanyaan dikirim kepada penulis.",
                   context=lambda: _page_context(load_practice(practice_id), asked=True))


@bp.post("/pertanyaan/<int:question_id>/jawab")
def answer(question_id):
    question = store.question_with_asker(question_id)
    if question is None:
        deny("Pertanyaan tidak ditemukan.", 404)
    found = load_practice(question.practice_id)
    if current_user.employee_id not in found.author_ids:
        deny(rules.NOT_AN_AUTHOR)
    form = AnswerForm(prefix=f"q{question.id}")
    if not form.validate_on_submit():
        return respond("practices/show.html", "practices/_question.html", status=422,
                       context=lambda: _page_context(found, answer_forms={question.id: form}),
                       q=question, is_author=True, answer_form=form)
    question = store.answer(current_user, question.id, form.answer.data)
    question = store.question_with_asker(question.id)
    return respond("practices/show.html", "practices/_question.html",
                   redirect=url_for("practices.show", practice_id=found.practice.id) + "#pertanyaan",
                   message="Jawaban dikirim.", q=question, is_author=True,
                   answer_form=AnswerForm(prefix=f"q{question.id}"))
