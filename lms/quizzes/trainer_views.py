"""Giảng viên → Bài kiểm tra: the builder, results by unit, item statistics, essay marking."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from lms.courses.queries import all_courses
from lms.exports import csv_response, xlsx_response
from lms.extensions import db
from lms.models import Attempt, AttemptSlot, Course, QuestionCategory, Quiz, QuizRule, Role
from lms.quizzes import attempts as engine
from lms.quizzes import authoring, queries, reports
from lms.quizzes.display import question_html, type_template
from lms.quizzes.forms import GradeForm, QuizForm, RuleForm
from lms.quizzes.types import question_type
from lms.request_values import integer_arg
from lms.security.roles import roles_required
from lms.security.scope import visible_unit_ids
from lms.unit_of_work import refusal_beside, refusal_flashed

EDITORS = (Role.TRAINER, Role.ADMIN)
RESULT_READERS = (Role.TRAINER, Role.HR, Role.ADMIN)


def _course_choices():
    courses = all_courses()
    return [SelectChoice(0, _("— Không gắn khóa học —"))] + [SelectChoice(course.id, course.title)
                                                              for course in courses]


def _category_choices():
    return [SelectChoice(category.id, category.path) for category in queries.all_categories()]


@roles_required(*EDITORS)
def manage():
    return render_template("quizzes/manage.html", quizzes=queries.all_quizzes(),
                           counts=queries.finished_attempt_counts(),
                           waiting=len(reports.grading_queue()))


@roles_required(*EDITORS)
def quiz_new():
    return _quiz_form(None)


@roles_required(*EDITORS)
def quiz_edit(quiz_id: int):
    return _quiz_form(db.get_or_404(Quiz, quiz_id))


def _quiz_form(quiz: Quiz | None):
    form = QuizForm(obj=quiz)
    form.course_id.choices = _course_choices()
    if request.method == "GET" and quiz is not None:
        form.course_id.data = quiz.course_id or 0
    if form.validate_on_submit():
        settings = {name: getattr(form, name).data for name in authoring.SETTINGS}
        course = db.session.get(Course, form.course_id.data) if form.course_id.data else None
        with refusal_beside(form):
            saved = authoring.save_quiz(quiz, form.code.data, course, settings)
            flash(_("Đã lưu bài kiểm tra %(title)s.", title=saved.title), "success")
            return redirect(url_for("quizzes.quiz_detail", quiz_id=saved.id))
    return render_template("quizzes/quiz_form.html", form=form, quiz=quiz)


@roles_required(*EDITORS)
def quiz_detail(quiz_id: int):
    quiz = db.get_or_404(Quiz, quiz_id)
    rule_form = RuleForm()
    rule_form.category_id.choices = _category_choices()
    available = {rule.id: authoring.available_in(rule.category) for rule in quiz.rules if rule.category}
    return render_template("quizzes/quiz_detail.html", quiz=quiz, rule_form=rule_form, available=available)


@roles_required(*EDITORS)
def rule_add(quiz_id: int):
    quiz = db.get_or_404(Quiz, quiz_id)
    form = RuleForm()
    form.category_id.choices = _category_choices()
    if form.validate_on_submit():
        category = db.session.get(QuestionCategory, form.category_id.data)
        with refusal_flashed():
            authoring.add_rule(quiz, category, form.count.data)
            flash(_("Đã thêm nhóm câu hỏi."), "success")
    else:
        flash(_("Vui lòng chọn nhóm câu hỏi và số câu từ 1 trở lên."), "danger")
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz_id))


@roles_required(*EDITORS)
def rule_remove(rule_id: int):
    rule = db.get_or_404(QuizRule, rule_id)
    quiz_id = rule.quiz_id
    authoring.remove_rule(rule)
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz_id))


@roles_required(*EDITORS)
def quiz_status(quiz_id: int):
    quiz = db.get_or_404(Quiz, quiz_id)
    with refusal_flashed():
        authoring.set_status(quiz, request.form.get("status", ""))
        flash(_("Đã cập nhật trạng thái bài kiểm tra."), "success")
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz_id))


@roles_required(*RESULT_READERS)
def results(quiz_id: int):
    quiz = db.get_or_404(Quiz, quiz_id)
    engine.finish_overdue(quiz=quiz)
    visible = visible_unit_ids()
    return render_template("quizzes/results.html", quiz=quiz, units=reports.results_by_unit(quiz, visible),
                           people=list(reports.result_rows(quiz, visible)), header=reports.RESULT_HEADER)


@roles_required(*RESULT_READERS)
def results_export(quiz_id: int, extension: str):
    quiz = db.get_or_404(Quiz, quiz_id)
    filename = f"ket-qua-{quiz.code}.{extension}"
    rows = reports.result_rows(quiz, visible_unit_ids())
    if extension == "csv":
        return csv_response(filename, reports.RESULT_HEADER, rows)
    return xlsx_response(filename, [("Kết quả", reports.RESULT_HEADER, rows)])


@roles_required(*EDITORS)
def statistics(quiz_id: int):
    quiz = db.get_or_404(Quiz, quiz_id)
    summary, items = reports.item_statistics(quiz)
    return render_template("quizzes/statistics.html", quiz=quiz, summary=summary, items=items)


@roles_required(*EDITORS)
def grading_queue():
    return render_template("quizzes/grading_queue.html", slots=reports.grading_queue())


@roles_required(*EDITORS)
def attempt_marking(attempt_id: int):
    """A trainee's attempt as the trainer sees it: everything shown, marks can be set."""
    attempt = db.get_or_404(Attempt, attempt_id)
    form = GradeForm()
    if form.validate_on_submit():
        slot = db.get_or_404(AttemptSlot, request.form.get("slot_id", 0, integer_arg))
        if slot.attempt_id != attempt.id or not attempt.finished:
            flash(_("Không thể chấm câu này."), "danger")
        else:
            with refusal_flashed():
                engine.override_mark(slot, float(form.mark.data), form.comment.data or "", current_user)
                flash(_("Đã lưu điểm câu %(n)d.", n=slot.position), "success")
        return redirect(url_for("quizzes.attempt_marking", attempt_id=attempt.id))
    show = {"marks": True, "feedback": True, "answers": True}
    return render_template("quizzes/attempt_marking.html", attempt=attempt, show=show, question_type=question_type,
                           question_html=question_html, type_template=type_template)
