"""The four district modules, through the real importers: counts, tags, feedback, clean
Vietnamese text, enough questions for every draw, no duplicates, and a trainee can pass."""
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from lms.config import PROJECT_ROOT
from lms.courses.importer import import_content
from lms.courses.progress import complete_lesson
from lms.models import BankQuestion, Course, CourseProgress, Quiz, QuizResult
from lms.quizzes import attempts as engine
from lms.quizzes.display import question_html
from lms.quizzes.formats import read_questions, write_questions
from lms.quizzes.importer import import_quizzes
from tests.web.test_attempts import answer_all_right

MODULES = ("VPDT", "TDCV", "CKS", "ATTT")
LEGAL_TEXT = re.compile(r"\b(Luật|Nghị định|NĐ|Quyết định|QĐ|Thông tư|TT|Chỉ thị|CT)\s?[0-9]+/")
LEFTOVER_MARKUP = re.compile(r"\*\*|__|^#{1,6} |\]\(|\{[=~#]|####|::|\\[~=#{}:]", re.MULTILINE)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


@pytest.fixture
def content(db):
    import_content(PROJECT_ROOT / "courses")
    import_quizzes(PROJECT_ROOT / "quizzes")
    return db


def _questions(db, code):
    return [entry for entry in db.session.scalars(select(BankQuestion)).all()
            if entry.category.path.split("/")[0] == code]


def _all_text(question):
    yield question.name
    yield question.text
    yield question.general_feedback
    for answer in question.answers:
        yield answer.text
        yield answer.feedback
    for pair in question.pairs:
        yield pair.question
        yield pair.answer
    yield question.feedback_true
    yield question.feedback_false


def test_four_courses_with_six_to_ten_tagged_lessons(content):
    courses = {course.code: course for course in content.session.scalars(select(Course)).all()}
    assert set(courses) == set(MODULES)
    for course in courses.values():
        assert 6 <= len(course.active_lessons) <= 10, course.code
        assert course.required_for_standard and course.is_published
        for lesson in course.active_lessons:
            assert lesson.skills, lesson.slug
            assert unicodedata.is_normalized("NFC", lesson.title + lesson.body_markdown), lesson.slug
            assert "## Tóm tắt" in lesson.body_markdown and "## Ví dụ" in lesson.body_markdown, lesson.slug
            text = visible_text(lesson.body_html)
            assert not LEFTOVER_MARKUP.search(text), (lesson.slug, LEFTOVER_MARKUP.search(text).group())


def test_every_bank_holds_forty_questions_with_feedback_and_tags(content):
    for code in MODULES:
        questions = _questions(content, code)
        assert len(questions) >= 40, code
        for entry in questions:
            data = entry.current_version.content
            assert data.general_feedback.strip(), entry.idnumber
            assert entry.tags and entry.idnumber, entry.name
            assert all(unicodedata.is_normalized("NFC", part) for part in _all_text(data)), entry.idnumber
            shown = visible_text(str(question_html(data.text, data.format)))
            assert not LEFTOVER_MARKUP.search(shown), (entry.idnumber, shown)


def test_question_types_are_mixed(content):
    for code in MODULES:
        types = {entry.type for entry in _questions(content, code)}
        assert {"multichoice", "truefalse", "matching"} <= types, code
        assert types & {"shortanswer", "numerical"}, code


def test_no_two_questions_are_the_same(content):
    seen = {}
    for entry in content.session.scalars(select(BankQuestion)).all():
        key = " ".join(entry.current_version.content.text.casefold().split())
        assert key not in seen, f"{entry.idnumber} repeats {seen.get(key)}"
        seen[key] = entry.idnumber


def test_legal_questions_name_the_year(content):
    for entry in content.session.scalars(select(BankQuestion)).all():
        text = entry.current_version.content.text
        for found in LEGAL_TEXT.finditer(text):
            tail = text[found.start():found.start() + 40]
            assert re.search(r"(19|20)[0-9]{2}", tail), f"{entry.idnumber}: {tail}"


def test_facts_marked_check_are_not_examined(content):
    """domain.md marks these as unverified: no question may rest on them."""
    for entry in content.session.scalars(select(BankQuestion)).all():
        text = " ".join(_all_text(entry.current_version.content))
        assert "Phòng Dân tộc" not in text and "2025" not in text, entry.idnumber
        assert not re.search(r"hợp nhất\s+(hai |các )?luật", text.lower()), entry.idnumber


def test_every_draw_fits_its_category_and_quizzes_match_the_plan(content):
    quizzes = {quiz.code: quiz for quiz in content.session.scalars(select(Quiz)).all()}
    for code in MODULES:
        final, placement = quizzes[f"{code}-CUOI"], quizzes[f"{code}-DAUVAO"]
        assert (final.questions_per_attempt, final.time_limit_minutes, final.pass_percent) == (20, 30, 50)
        assert (final.max_attempts, final.grading_method) == (3, "highest")
        assert placement.kind == "placement" and placement.questions_per_attempt == 12
        for rule in final.rules + placement.rules:
            assert rule.count <= len([entry for entry in _questions(content, code)
                                      if entry.category.path.startswith(rule.category.path)])


def test_banks_export_back_to_gift_unchanged(content):
    for path in sorted((PROJECT_ROOT / "quizzes").glob("*/bank.gift")):
        from_file = read_questions(path.read_bytes(), "gift")
        code = from_file[0].category.split("/")[0]
        stored = [entry.current_version.content for entry in _questions(content, code)]
        exported = read_questions(write_questions(stored, "gift"), "gift")
        assert sorted(exported, key=lambda q: q.idnumber) == sorted(from_file, key=lambda q: q.idnumber)


@pytest.mark.parametrize("code", MODULES)
def test_a_trainee_can_study_and_pass_each_module(content, make_user, code):
    trainee = make_user()
    course = content.session.scalar(select(Course).where(Course.code == code))
    for lesson in course.active_lessons:
        complete_lesson(trainee, lesson)
    quiz = content.session.scalar(select(Quiz).where(Quiz.code == f"{code}-CUOI"))
    attempt = engine.start_attempt(quiz, trainee)
    answer_all_right(attempt, trainee)
    engine.submit_attempt(attempt, trainee)
    progress = content.session.scalar(select(CourseProgress).where(CourseProgress.user_id == trainee.id))
    result = content.session.scalar(select(QuizResult).where(QuizResult.user_id == trainee.id))
    assert progress.percent == 100 and progress.completed_at is not None
    assert result.passed and result.grade_percent == 100
