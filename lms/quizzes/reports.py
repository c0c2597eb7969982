"""What trainers read about a quiz: results by unit, a row per person, item statistics,
and the essays waiting for a mark. Aggregates are SQL; statistics come from the pure module."""
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from lms.extensions import db
from lms.labels import LEVEL_LABELS, label
from lms.models import Attempt, AttemptSlot, BankQuestion, Quiz, QuizResult, Unit, User
from lms.org.queries import staff_filter
from lms.quizzes import statistics


@dataclass
class UnitResult:
    unit: Unit
    staff: int
    attempted: int
    passed: int
    average: float | None

    @property
    def passed_share(self) -> float:
        return 100 * self.passed / self.staff if self.staff else 0.0


def results_by_unit(quiz: Quiz, unit_ids: set[int] | None = None) -> list[UnitResult]:
    """Per unit with staff (among `unit_ids` when given): attempted, passed, average grade."""
    joined = and_(QuizResult.user_id == User.id, QuizResult.quiz_id == quiz.id)
    query = (
        select(Unit, func.count(User.id), func.count(QuizResult.id),
               func.sum(case((QuizResult.passed.is_(True), 1), else_=0)), func.avg(QuizResult.grade_percent))
        .join(User, User.unit_id == Unit.id)
        .outerjoin(QuizResult, joined)
        .where(User.id.in_(staff_filter()))
        .group_by(Unit.id)
        .order_by(Unit.sort_order, Unit.name)
    )
    if unit_ids is not None:
        query = query.where(Unit.id.in_(unit_ids))
    return [UnitResult(unit, staff, attempted, int(passed or 0), None if average is None else float(average))
            for unit, staff, attempted, passed, average in db.session.execute(query)]


RESULT_HEADER = ["Đơn vị", "Cấp", "Họ và tên", "Mã cán bộ", "Số lượt làm bài", "Điểm (%)", "Kết quả", "Ngày đạt"]


def result_rows(quiz: Quiz, unit_ids: set[int] | None = None):
    """One row per staff member (of `unit_ids` when given) who has made an attempt."""
    query = (
        select(Unit.name, Unit.level, User.full_name, User.staff_code, QuizResult.attempts,
               QuizResult.grade_percent, QuizResult.passed, QuizResult.passed_at)
        .join(User, User.id == QuizResult.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .where(QuizResult.quiz_id == quiz.id)
        .order_by(Unit.sort_order, Unit.name, User.search_name)
    )
    if unit_ids is not None:
        query = query.where(User.unit_id.in_(unit_ids))
    for unit, level, name, code, attempts, grade, passed, passed_at in db.session.execute(query):
        yield (unit or "", label(LEVEL_LABELS, level), name, code, attempts,
               None if grade is None else round(grade, 2), "Đạt" if passed else "Chưa đạt", passed_at)


@dataclass
class QuestionStatistics:
    question: BankQuestion
    figures: statistics.ItemStatistics


def item_statistics(quiz: Quiz) -> tuple[statistics.QuizStatistics, list[QuestionStatistics]]:
    """Moodle's item statistics over each person's first finished attempt. Questions are
    drawn at random, so statistics are per question rather than per position."""
    first_ids = (select(func.min(Attempt.id))
                 .where(Attempt.quiz_id == quiz.id, Attempt.state == "finished", Attempt.grade_percent.is_not(None))
                 .group_by(Attempt.user_id))
    rows = db.session.execute(
        select(AttemptSlot.attempt_id, AttemptSlot.question_id, AttemptSlot.mark, AttemptSlot.max_mark)
        .where(AttemptSlot.attempt_id.in_(first_ids), AttemptSlot.max_mark > 0)
    ).all()
    per_attempt: dict[int, dict[int, tuple[float, float]]] = {}
    for attempt_id, question_id, mark, max_mark in rows:
        per_attempt.setdefault(attempt_id, {})[question_id] = (mark or 0.0, max_mark)
    attempts = [statistics.Attempt.from_marks(marks) for marks in per_attempt.values()]
    items = statistics.item_statistics(attempts)
    questions = {question.id: question for question in db.session.scalars(
        select(BankQuestion).where(BankQuestion.id.in_(items.keys()))).all()}
    ordered = sorted(items.items(), key=lambda pair: (pair[1].facility is None, pair[1].facility or 0))
    return statistics.quiz_statistics(attempts), [QuestionStatistics(questions[key], figures)
                                                  for key, figures in ordered]


def grading_queue() -> list[AttemptSlot]:
    """Answered essays in finished attempts that no trainer has marked yet, oldest first."""
    return db.session.scalars(
        select(AttemptSlot).join(Attempt, Attempt.id == AttemptSlot.attempt_id)
        .where(Attempt.state == "finished", AttemptSlot.mark.is_(None), AttemptSlot.max_mark > 0,
               AttemptSlot.response.is_not(None))
        .order_by(Attempt.finished_at, AttemptSlot.position)
    ).all()
