"""Recording what trainees study: lesson views and completions, course percentages."""
from datetime import timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.models import Course, CourseProgress, Lesson, LessonProgress, User
from lms.models.base import utcnow
from lms.signals import requirements_changed

# Time between two events on a lesson counts as study time up to this gap; a longer
# pause (the tab left open overnight) is not counted.
MAX_COUNTED_GAP = timedelta(minutes=10)


def get_or_create(model, **keys):
    """The row of `model` with these key values, created if missing. Two requests racing
    (a double click) both end with the one row the unique constraint allows."""
    query = select(model).filter_by(**keys)
    row = db.session.scalar(query)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = model(**keys)
            db.session.add(row)
    except IntegrityError:
        row = db.session.scalar(query)
    return row


def _lesson_progress(user: User, lesson: Lesson) -> LessonProgress:
    return get_or_create(LessonProgress, user_id=user.id, lesson_id=lesson.id)


def _count_time(row: LessonProgress) -> None:
    now = utcnow()
    gap = now - row.last_seen_at
    if gap <= MAX_COUNTED_GAP:
        row.seconds_spent += int(gap.total_seconds())
    row.last_seen_at = now


def record_visit(user: User, lesson: Lesson) -> LessonProgress:
    """A trainee opened `lesson`: start its record (and the course's) or add the time spent."""
    row = _lesson_progress(user, lesson)
    _count_time(row)
    _course_progress(user, lesson.course)
    db.session.flush()
    return row


def complete_lesson(user: User, lesson: Lesson) -> CourseProgress:
    """Mark `lesson` done (once; later calls change nothing) and update the course's figure."""
    row = _lesson_progress(user, lesson)
    _count_time(row)
    if row.completed_at is None:
        row.completed_at = utcnow()
    db.session.flush()
    return _update_course_progress(user, lesson.course)


def _course_progress(user: User, course: Course) -> CourseProgress:
    return get_or_create(CourseProgress, user_id=user.id, course_id=course.id)


def _completed_counts(course: Course, user_id: int | None = None) -> dict[int, int]:
    """Active lessons completed per trainee in `course` (one SQL aggregate)."""
    query = (
        select(LessonProgress.user_id, func.count(LessonProgress.id))
        .join(Lesson, and_(Lesson.id == LessonProgress.lesson_id, Lesson.archived_at.is_(None)))
        .where(Lesson.course_id == course.id, LessonProgress.completed_at.is_not(None))
        .group_by(LessonProgress.user_id)
    )
    if user_id is not None:
        query = query.where(LessonProgress.user_id == user_id)
    return dict(db.session.execute(query).all())


def _active_lesson_count(course: Course) -> int:
    return db.session.scalar(select(func.count(Lesson.id)).where(
        Lesson.course_id == course.id, Lesson.archived_at.is_(None)))


def _apply_counts(row: CourseProgress, done: int, total: int) -> None:
    row.lessons_completed = done
    row.percent = round(100 * done / total) if total else 0
    if total and done >= total:
        row.completed_at = row.completed_at or utcnow()
    else:
        row.completed_at = None


def _update_course_progress(user: User, course: Course) -> CourseProgress:
    row = _course_progress(user, course)
    done = _completed_counts(course, user.id).get(user.id, 0)
    was_complete = row.completed_at is not None
    _apply_counts(row, done, _active_lesson_count(course))
    db.session.flush()
    if row.completed_at is not None and not was_complete:
        requirements_changed.send(user)
    return row


def refresh_course_progress(course: Course) -> None:
    """Recompute every trainee's figure after lessons were added or archived."""
    total = _active_lesson_count(course)
    counts = _completed_counts(course)
    rows = db.session.scalars(select(CourseProgress).where(CourseProgress.course_id == course.id)).all()
    for row in rows:
        _apply_counts(row, counts.get(row.user_id, 0), total)
    db.session.flush()
