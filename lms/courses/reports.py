"""A course's progress by unit (SQL aggregates) and per person (for the CSV export)."""
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from lms.extensions import db
from lms.labels import LEVEL_LABELS, label
from lms.models import Course, CourseProgress, Unit, User
from lms.org.queries import staff_filter


@dataclass
class UnitProgress:
    unit: Unit
    staff: int
    started: int
    completed: int
    average_percent: float

    @property
    def completed_share(self) -> float:
        return 100 * self.completed / self.staff if self.staff else 0.0


def progress_by_unit(course: Course, unit_ids: set[int] | None = None) -> list[UnitProgress]:
    """Per unit with staff (among `unit_ids` when given): how many started, finished, and the
    average percentage."""
    joined = and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id)
    query = (
        select(
            Unit,
            func.count(User.id),
            func.count(CourseProgress.id),
            func.sum(case((CourseProgress.completed_at.is_not(None), 1), else_=0)),
            func.avg(func.coalesce(CourseProgress.percent, 0)),
        )
        .join(User, User.unit_id == Unit.id)
        .outerjoin(CourseProgress, joined)
        .where(User.id.in_(staff_filter()))
        .group_by(Unit.id)
        .order_by(Unit.sort_order, Unit.name)
    )
    if unit_ids is not None:
        query = query.where(Unit.id.in_(unit_ids))
    return [UnitProgress(unit, staff, started, int(completed or 0), float(average or 0))
            for unit, staff, started, completed, average in db.session.execute(query)]


def progress_rows(course: Course, unit_ids: set[int] | None = None):
    """One row per staff member (of `unit_ids` when given): unit, level, name, staff code,
    lessons done, %, date."""
    joined = and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id)
    query = (
        select(Unit.name, Unit.level, User.full_name, User.staff_code, CourseProgress.lessons_completed,
               CourseProgress.percent, CourseProgress.completed_at)
        .join(User, User.unit_id == Unit.id)
        .outerjoin(CourseProgress, joined)
        .where(User.id.in_(staff_filter()))
        .order_by(Unit.sort_order, Unit.name, User.search_name)
    )
    if unit_ids is not None:
        query = query.where(Unit.id.in_(unit_ids))
    for unit_name, level, name, code, done, percent, completed_at in db.session.execute(query):
        yield unit_name, label(LEVEL_LABELS, level), name, code, done or 0, percent or 0, completed_at
