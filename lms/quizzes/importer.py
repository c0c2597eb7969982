"""Importing quizzes/ (question banks and quiz definitions), after the course packs.

Idempotent like the course import: unchanged questions and quizzes are left alone. A
problem anywhere (a malformed bank, a draw larger than its category) stops the whole import.
"""
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select

from lms.content_files import ContentError, PackError
from lms.extensions import db
from lms.models import BankQuestion, Course, Quiz, QuizRule
from lms.quizzes.bank import BankReport, category_question_counts, ensure_category, import_questions
from lms.quizzes.definitions import QuizDefinition, load_definitions
from lms.quizzes.gift import parse_gift_bytes
from lms.quizzes.question_data import QuestionFileError


@dataclass
class QuizImportReport:
    bank: BankReport = field(default_factory=BankReport)
    quizzes_added: list[str] = field(default_factory=list)
    quizzes_updated: list[str] = field(default_factory=list)


def _parse_banks(banks: list[Path], root: Path):
    questions, errors = [], []
    for path in banks:
        try:
            questions.extend(parse_gift_bytes(path.read_bytes()))
        except QuestionFileError as error:
            shown = path.relative_to(root).as_posix()
            errors.extend(ContentError(shown, item.line, None, str(item)) for item in error.errors)
    if errors:
        raise PackError(errors)
    return questions


def _check_definitions(definitions: list[QuizDefinition], root: Path) -> None:
    """Each quiz's course exists and each draw fits the questions its category holds."""
    counts = category_question_counts()
    courses = set(db.session.scalars(select(Course.code)).all())
    errors = []
    for definition in definitions:
        where = (definition.folder / definition.code).relative_to(root).as_posix()
        if definition.course not in courses:
            errors.append(ContentError(where, None, "course", f"không có khóa học mã {definition.course}"))
        known = set(db.session.scalars(select(BankQuestion.idnumber).where(
            BankQuestion.idnumber.in_(definition.questions))).all())
        for idnumber in definition.questions:
            if idnumber not in known:
                errors.append(ContentError(where, None, "questions", f"không có câu hỏi mã {idnumber}"))
        for draw in definition.draw:
            available = sum(n for path, n in counts.items()
                            if path == draw.category or path.startswith(draw.category + "/"))
            if draw.count > available:
                errors.append(ContentError(
                    where, None, "draw",
                    f"nhóm «{draw.category}» chỉ có {available} câu hỏi, không đủ để rút {draw.count} câu"))
    if errors:
        raise PackError(errors)


def _definition_hash(definition: QuizDefinition) -> str:
    data = asdict(definition)
    data.pop("folder")
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _save_quiz(definition: QuizDefinition, report: QuizImportReport) -> None:
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == definition.code))
    digest = _definition_hash(definition)
    if quiz is not None and quiz.source_hash == digest:
        return
    if quiz is None:
        quiz = Quiz(code=definition.code, status="published", from_file=True)
        db.session.add(quiz)
        report.quizzes_added.append(definition.code)
    else:
        report.quizzes_updated.append(definition.code)
    quiz.title, quiz.kind = definition.title, definition.kind
    quiz.course = db.session.scalar(select(Course).where(Course.code == definition.course))
    quiz.time_limit_minutes, quiz.pass_percent = definition.time_limit_minutes, definition.pass_percent
    quiz.max_attempts, quiz.grading_method = definition.max_attempts, definition.grading
    quiz.shuffle_answers, quiz.source_hash = definition.shuffle_answers, digest
    fixed = [QuizRule(question=db.session.scalar(select(BankQuestion).where(BankQuestion.idnumber == idnumber)),
                      count=1) for idnumber in definition.questions]
    drawn = [QuizRule(category=ensure_category(draw.category), count=draw.count) for draw in definition.draw]
    quiz.rules = fixed + drawn
    for position, rule in enumerate(quiz.rules, start=1):
        rule.position = position
    db.session.flush()


def import_quizzes(quizzes_dir: Path) -> QuizImportReport:
    """Banks first (so the draws can be checked against them), then the definitions."""
    root = quizzes_dir.parent
    banks, definitions = load_definitions(quizzes_dir)
    report = QuizImportReport()
    report.bank = import_questions(_parse_banks(banks, root))
    _check_definitions(definitions, root)
    for definition in definitions:
        _save_quiz(definition, report)
    return report
