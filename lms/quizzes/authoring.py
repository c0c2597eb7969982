"""Trainers building quizzes in the browser: settings, draw rules, publishing."""
import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms import audit
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import BankQuestion, Course, QuestionCategory, Quiz, QuizRule
from lms.text import clean_text

QUIZ_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,29}$")
SETTINGS = ("title", "description", "kind", "open_at", "close_at", "time_limit_minutes", "max_attempts",
            "grading_method", "pass_percent", "shuffle_questions", "shuffle_answers", "one_question_per_page",
            "overdue_handling", "grace_minutes", "review_marks_after_attempt", "review_feedback_after_attempt",
            "review_answers_after_attempt", "review_marks_after_close", "review_feedback_after_close",
            "review_answers_after_close")


def save_quiz(quiz: Quiz | None, code: str, course: Course | None, settings: dict) -> Quiz:
    """Create (as a draft) or edit a quiz's settings."""
    code = clean_text(code).upper()
    if not QUIZ_CODE.match(code):
        raise ServiceError(_("Mã bài kiểm tra gồm 2–30 ký tự: chữ in hoa không dấu, chữ số, gạch ngang."),
                           field="code")
    clash = db.session.scalar(select(Quiz).where(Quiz.code == code))
    if clash is not None and clash is not quiz:
        raise ServiceError(_("Mã bài kiểm tra %(code)s đã được dùng.", code=code), field="code")
    if settings.get("open_at") and settings.get("close_at") and settings["close_at"] <= settings["open_at"]:
        raise ServiceError(_("Thời điểm đóng phải sau thời điểm mở."), field="close_at")
    creating = quiz is None
    if creating:
        quiz = Quiz(status="draft")
        db.session.add(quiz)
    quiz.code, quiz.course = code, course
    for name in SETTINGS:
        setattr(quiz, name, settings[name])
    quiz.title = clean_text(quiz.title)
    quiz.pass_percent = float(quiz.pass_percent)
    db.session.flush()
    audit.record("quiz.create" if creating else "quiz.update", quiz, summary=f"{code} – {quiz.title}")
    return quiz


def available_in(category: QuestionCategory) -> int:
    """Active questions in the category and its sub-categories."""
    return db.session.scalar(
        select(func.count(BankQuestion.id)).join(QuestionCategory, QuestionCategory.id == BankQuestion.category_id)
        .where(BankQuestion.archived_at.is_(None),
               (QuestionCategory.path == category.path) | QuestionCategory.path.startswith(category.path + "/")))


def add_rule(quiz: Quiz, category: QuestionCategory | None, count: int) -> QuizRule:
    if category is None:
        raise ServiceError(_("Vui lòng chọn nhóm câu hỏi."), field="category_id")
    already = sum(rule.count for rule in quiz.rules if rule.category_id == category.id)
    if already + count > available_in(category):
        raise ServiceError(_("Nhóm «%(path)s» chỉ có %(n)d câu hỏi, không đủ để rút %(count)d câu.",
                             path=category.path, n=available_in(category), count=already + count), field="count")
    rule = QuizRule(quiz=quiz, category=category, count=count, position=len(quiz.rules) + 1)
    db.session.add(rule)
    db.session.flush()
    audit.record("quiz.update", quiz, summary=f"{quiz.code}: +{count} {category.path}")
    return rule


def remove_rule(rule: QuizRule) -> None:
    quiz = rule.quiz
    quiz.rules.remove(rule)
    db.session.flush()
    audit.record("quiz.update", quiz, summary=f"{quiz.code}: bỏ một nhóm rút câu")


def set_status(quiz: Quiz, status: str) -> None:
    if status not in ("draft", "published", "archived"):
        raise ServiceError(_("Trạng thái không hợp lệ."))
    if status == "published" and not quiz.rules:
        raise ServiceError(_("Bài kiểm tra cần ít nhất một nhóm câu hỏi trước khi mở."))
    quiz.status = status
    db.session.flush()
    audit.record("quiz.status", quiz, summary=f"{quiz.code}: {status}")
