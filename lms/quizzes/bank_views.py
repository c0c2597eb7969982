"""Ngân hàng câu hỏi: browse categories and questions, import GIFT / Moodle XML with a
preview before anything is saved, export a category."""
from dataclasses import replace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.exports import file_response
from lms.extensions import db
from lms.models import BankQuestion, QuestionCategory, Role
from lms.quizzes.bank import categories_with_counts, edit_question, import_question_file, questions_in
from lms.quizzes.display import question_html
from lms.quizzes.formats import MAX_FILE_BYTES, read_questions, write_questions
from lms.quizzes.forms import QuestionEditForm, QuestionFileForm
from lms.quizzes.gift import parse_gift
from lms.quizzes.gift_writer import write_gift
from lms.quizzes.question_data import QuestionFileError
from lms.request_values import integer_arg
from lms.security.roles import roles_required
from lms.unit_of_work import refusal_beside, refusal_flashed
from lms.uploads import carried_back, carry

EDITORS = (Role.TRAINER, Role.ADMIN)


def _file_format(filename: str) -> str:
    return "moodle-xml" if filename.lower().endswith(".xml") else "gift"


@roles_required(*EDITORS)
def bank():
    categories, counts = categories_with_counts()
    selected = db.session.get(QuestionCategory, request.args.get("nhom", type=integer_arg) or 0)
    return render_template("quizzes/bank.html", categories=categories, counts=counts, selected=selected,
                           questions=questions_in(selected) if selected else [], form=QuestionFileForm())


@roles_required(*EDITORS)
def question(question_id: int):
    entry = db.get_or_404(BankQuestion, question_id)
    return render_template("quizzes/question.html", entry=entry, question_html=question_html)


@roles_required(*EDITORS)
def question_edit(question_id: int):
    """Edit a question in GIFT (the format trainers already write); "Xem trước" shows it
    without saving, "Lưu" makes a new version."""
    entry = db.get_or_404(BankQuestion, question_id)
    form = QuestionEditForm()
    preview = None
    if request.method == "GET":
        form.gift.data = write_gift([replace(entry.current_version.content, category=None)])
    elif form.validate_on_submit():
        if "preview" in request.form:
            try:
                preview = parse_gift(form.gift.data)
            except QuestionFileError as error:
                form.gift.errors = [str(error)]
        else:
            with refusal_beside(form):
                version = edit_question(entry, form.gift.data, current_user)
                flash(_("Đã lưu phiên bản %(n)d của câu hỏi.", n=version.number), "success")
                return redirect(url_for("quizzes.question", question_id=entry.id))
    return render_template("quizzes/question_edit.html", entry=entry, form=form, preview=preview,
                           question_html=question_html)


@roles_required(*EDITORS)
def bank_import():
    """Step 1 reads the uploaded file and shows what it holds (nothing saved); step 2 posts
    the same file back, which is read again and saved all at once."""
    if "confirm" in request.form:
        return _import_confirmed()
    form = QuestionFileForm()
    if not form.validate_on_submit():
        for message in form.file.errors:
            flash(message, "danger")
        return redirect(url_for("quizzes.bank"))
    upload = form.file.data
    file_format = _file_format(upload.filename or "")
    data = upload.read(MAX_FILE_BYTES + 1)  # one byte more than allowed, for the reader to refuse
    try:
        questions = read_questions(data, file_format)
    except QuestionFileError as error:  # the pure reader's verdict, shown line by line
        return render_template("quizzes/import_preview.html", errors=error.errors, questions=[],
                               filename=upload.filename), 422
    return render_template("quizzes/import_preview.html", errors=[], questions=questions, filename=upload.filename,
                           payload=carry(data), file_format=file_format, question_html=question_html)


def _import_confirmed():
    filename = request.form.get("filename", "")
    with refusal_flashed():
        data = carried_back(request.form, MAX_FILE_BYTES, _too_large_message())
        report = import_question_file(data, request.form.get("format", "gift"), filename, current_user)
        flash(_("Đã nhập %(file)s: %(added)d câu hỏi mới, %(versions)d có phiên bản mới, %(same)d không đổi.",
                file=filename, added=len(report.added), versions=len(report.new_versions), same=report.unchanged),
              "success")
    return redirect(url_for("quizzes.bank"))


def _too_large_message() -> str:
    return _("Tệp lớn hơn 5 MB; vui lòng chia thành nhiều tệp nhỏ hơn.")


@roles_required(*EDITORS)
def bank_export(category_id: int, extension: str):
    category = db.get_or_404(QuestionCategory, category_id)
    questions = [entry.current_version.content for entry in questions_in(category) if entry.current_version]
    file_format = "moodle-xml" if extension == "xml" else "gift"
    return file_response(write_questions(questions, file_format), f"{category.path.replace('/', '-')}.{extension}",
                         "application/xml" if extension == "xml" else "text/plain")
