"""What the quiz pages read: quizzes, a person's results, attempt counts, categories."""
from collections.abc import Iterable

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from lms.extensions import db
from lms.models import Attempt, AttemptSlot, QuestionCategory, Quiz, QuizResult, User


def quiz_by_code(code: str) -> Quiz | None:
    return db.session.scalar(select(Quiz).where(Quiz.code == code))


# Built once: exam day asks these thousands of times, and building the loader options costs
# more than SQLAlchemy's cached SQL for them.
_ATTEMPT_FOR_PAGE = select(Attempt).where(Attempt.id == bindparam("attempt_id")).options(
    joinedload(Attempt.quiz).lazyload("*"),
    selectinload(Attempt.slots).joinedload(AttemptSlot.version))
_SLOT_FOR_ANSWER = select(AttemptSlot).where(
    AttemptSlot.attempt_id == bindparam("attempt_id"), AttemptSlot.position == bindparam("position")).options(
    joinedload(AttemptSlot.attempt).joinedload(Attempt.quiz).lazyload("*"),
    joinedload(AttemptSlot.attempt).lazyload(Attempt.slots),
    joinedload(AttemptSlot.question).lazyload("*"),
    joinedload(AttemptSlot.version))


def attempt_for_page(attempt_id: int) -> Attempt | None:
    """An attempt with its quiz, and its slots with their question versions: what the
    attempt page shows, in two statements whatever the number of questions."""
    return db.session.scalar(_ATTEMPT_FOR_PAGE, {"attempt_id": attempt_id})


def slot_for_answer(attempt_id: int, position: int) -> AttemptSlot | None:
    """One question of an attempt, with what saving an answer to it checks and reads (the
    attempt, its quiz's deadline rules, the question's type and version), in one statement."""
    return db.session.scalar(_SLOT_FOR_ANSWER, {"attempt_id": attempt_id, "position": position})


def published_quizzes() -> list[Quiz]:
    """Published quizzes with their courses, grouped by course."""
    return db.session.scalars(select(Quiz).where(Quiz.status == "published").options(joinedload(Quiz.course))
                              .order_by(Quiz.course_id, Quiz.kind, Quiz.title)).all()


def published_quizzes_of(course_id: int) -> list[Quiz]:
    """A course's published quizzes, placement before final."""
    return db.session.scalars(select(Quiz).where(Quiz.course_id == course_id, Quiz.status == "published")
                              .order_by(Quiz.kind.desc(), Quiz.title)).all()


def published_finals_of(course_ids: Iterable[int]) -> list[Quiz]:
    """The published final quizzes of these courses."""
    return db.session.scalars(select(Quiz).where(
        Quiz.status == "published", Quiz.kind == "final", Quiz.course_id.in_(list(course_ids)))
        .order_by(Quiz.title)).all()


def results_by_quiz(user: User, quizzes: Iterable[Quiz] | None = None) -> dict[int, QuizResult]:
    """The person's result per quiz id (only for `quizzes`, when given)."""
    query = select(QuizResult).where(QuizResult.user_id == user.id)
    if quizzes is not None:
        query = query.where(QuizResult.quiz_id.in_([quiz.id for quiz in quizzes]))
    return {result.quiz_id: result for result in db.session.scalars(query)}


def result_of(quiz: Quiz, user: User) -> QuizResult | None:
    return db.session.scalar(select(QuizResult).where(QuizResult.quiz_id == quiz.id,
                                                      QuizResult.user_id == user.id))


def all_quizzes() -> list[Quiz]:
    return db.session.scalars(select(Quiz).order_by(Quiz.course_id, Quiz.code)).all()


def finished_attempt_counts() -> dict[int, int]:
    """Finished attempts per quiz id."""
    return dict(db.session.execute(select(Attempt.quiz_id, func.count(Attempt.id))
                                   .where(Attempt.state == "finished").group_by(Attempt.quiz_id)).all())


def all_categories() -> list[QuestionCategory]:
    return db.session.scalars(select(QuestionCategory).order_by(QuestionCategory.path)).all()
