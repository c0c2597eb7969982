"""Demo progress: some trainees have studied, a few already meet the standard and hold a
signed certificate, so every page of the demo has something to show. Deterministic.

It goes through the real services (lesson completion, attempts, grading, issuance), so the
demo's figures, attempts and register agree with each other.
"""
import random
from datetime import date, timedelta

from sqlalchemy import select

from lms.certificates.external import save_external
from lms.courses.progress import complete_lesson
from lms.extensions import db
from lms.models import Course, Quiz, Role, User, UserRole
from lms.quizzes import attempts as engine
from lms.quizzes.types import question_type

ACHIEVERS = {"district": 8, "commune": 6}  # meet the standard and hold a certificate (signing ~0.4 s each)
LEARNERS = 40  # part of the way through the courses
# Hold a national or foreign IT certificate recorded by HR, issued over the last year (so the
# dashboard's month-by-month trend has a shape).
EXTERNAL_HOLDERS = {"district": 45, "commune": 40}
_EXTERNAL_KINDS = ("national_basic",) * 8 + ("national_advanced", "foreign")


def load_demo_progress() -> dict[str, int]:
    rng = random.Random(2018)  # noqa: S311  (repeatable demo data, not secrets)
    courses = db.session.scalars(select(Course).order_by(Course.sort_order)).all()
    finals = {quiz.course_id: quiz for quiz in db.session.scalars(select(Quiz).where(Quiz.kind == "final")).all()}
    trainees = _demo_trainees()
    chosen = _achievers(trainees, rng)
    for person in chosen:
        for course in courses:
            _study(person, course, len(course.active_lessons))
            if course.id in finals:
                _take(finals[course.id], person, wrong=rng.randint(0, 5), rng=rng)
    others = [person for person in trainees if person not in chosen]
    for person in rng.sample(others, min(LEARNERS, len(others))):
        course = rng.choice(courses)
        _study(person, course, rng.randint(1, len(course.active_lessons)))
    external = _record_external(others, rng)
    db.session.flush()
    return {"achievers": len(chosen), "learners": min(LEARNERS, len(others)), "external": external}


def _demo_trainees() -> list[User]:
    return db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.TRAINEE.value, User.staff_code.is_not(None)).order_by(User.id)).all()


def _achievers(trainees: list[User], rng: random.Random) -> list[User]:
    chosen = []
    for group, count in ACHIEVERS.items():
        pool = [person for person in trainees if person.target_group == group]
        chosen.extend(rng.sample(pool, min(count, len(pool))))
    return chosen


def _record_external(people: list[User], rng: random.Random) -> int:
    today, recorded = date.today(), 0
    for group, count in EXTERNAL_HOLDERS.items():
        pool = [person for person in people if person.target_group == group]
        for person in rng.sample(pool, min(count, len(pool))):
            kind = rng.choice(_EXTERNAL_KINDS)
            save_external(person, kind=kind, number=f"CNTT-{rng.randint(10000, 99999)}",
                          issuer="Trung tâm sát hạch CNTT (dữ liệu mẫu)",
                          issued_on=today - timedelta(days=rng.randint(0, 360)))
            recorded += 1
    return recorded


def _study(person: User, course: Course, lessons: int) -> None:
    for lesson in course.active_lessons[:lessons]:
        complete_lesson(person, lesson)


def _take(quiz: Quiz, person: User, wrong: int, rng: random.Random) -> None:
    """One attempt, all right but `wrong` questions left unanswered (grades of 75–100 %)."""
    attempt = engine.start_attempt(quiz, person)
    skipped = set(rng.sample(range(len(attempt.slots)), min(wrong, len(attempt.slots))))
    for index, slot in enumerate(attempt.slots):
        if index in skipped:
            continue
        kind = question_type(slot.question.type)
        slot.response = kind.right_response(slot.version.content, slot.layout)
    engine.submit_attempt(attempt, person)
