"""Ngân hàng câu hỏi: browse categories and questions, import GIFT / Moodle XML with a
preview before anything is saved, export a category."""
import base64
import binascii
from dataclasses import replace
from urllib.parse import quote

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from lms import audit
from lms.errors import ServiceError
from lms.extensions import db
from lms.forms import show_service_error
from lms.models import BankQuestion, QuestionCategory, Role
from lms.quizzes.bank import edit_question, import_questions
from lms.quizzes.display import question_html
from lms.quizzes.formats import read_questions, write_questions
from lms.quizzes.forms import QuestionEditForm, QuestionFileForm
from lms.quizzes.gift import parse_gift, write_gift
from lms.quizzes.question_data import QuestionFileError
from lms.security.roles import roles_required

EDITORS = (Role.TRAINER, Role.ADMIN)


def _file_format(filename: str) -> str:
    return "moodle-xml" if filename.lower().endswith(".xml") else "gift"


def _category_questions(category: QuestionCategory):
    return select(BankQuestion).where(
        BankQuestion.category_id == category.id, BankQuestion.archived_at.is_(None)).order_by(BankQuestion.name)


@roles_required(*EDITORS)
def bank():
    categories = db.session.scalars(select(QuestionCategory).order_by(QuestionCategory.path)).all()
    counts = dict(db.session.execute(select(BankQuestion.category_id, func.count(BankQuestion.id))
                                     .where(BankQuestion.archived_at.is_(None))
                                     .group_by(BankQuestion.category_id)).all())
    selected = db.session.get(QuestionCategory, request.args.get("nhom", type=int) or 0)
    questions = db.session.scalars(_category_questions(selected)).all() if selected else []
    return render_template("quizzes/bank.html", categories=categories, counts=counts, selected=selected,
                           questions=questions, form=QuestionFileForm())


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
            try:
                version = edit_question(entry, form.gift.data, current_user)
            except ServiceError as error:
                show_service_error(form, error)
            else:
                db.session.commit()
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
    data, file_format = upload.read(), _file_format(upload.filename or "")
    try:
        questions = read_questions(data, file_format)
    except QuestionFileError as error:
        return render_template("quizzes/import_preview.html", errors=error.errors, questions=[],
                               filename=upload.filename), 422
    return render_template("quizzes/import_preview.html", errors=[], questions=questions, filename=upload.filename,
                           payload=base64.b64encode(data).decode(), file_format=file_format,
                           question_html=question_html)


def _import_confirmed():
    filename = request.form.get("filename", "")
    try:
        data = base64.b64decode(request.form.get("payload", ""), validate=True)
        questions = read_questions(data, request.form.get("format", "gift"))
        report = import_questions(questions, author=current_user)
    except (binascii.Error, ValueError):
        flash(_("Dữ liệu tệp không hợp lệ. Vui lòng tải tệp lên lại."), "danger")
        return redirect(url_for("quizzes.bank"))
    except QuestionFileError as error:
        flash(str(error), "danger")
        return redirect(url_for("quizzes.bank"))
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("quizzes.bank"))
    audit.record("questions.import", summary=filename[:200], added=len(report.added),
                 new_versions=len(report.new_versions))
    db.session.commit()
    flash(_("Đã nhập %(file)s: %(added)d câu hỏi mới, %(versions)d có phiên bản mới, %(same)d không đổi.",
            file=filename, added=len(report.added), versions=len(report.new_versions), same=report.unchanged),
          "success")
    return redirect(url_for("quizzes.bank"))


@roles_required(*EDITORS)
def bank_export(category_id: int, extension: str):
    category = db.get_or_404(QuestionCategory, category_id)
    entries = db.session.scalars(_category_questions(category)).all()
    questions = [entry.current_version.content for entry in entries if entry.current_version]
    file_format = "moodle-xml" if extension == "xml" else "gift"
    response = Response(write_questions(questions, file_format),
                        mimetype="application/xml" if extension == "xml" else "text/plain")
    name = category.path.replace("/", "-")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{extension}"
    return response
