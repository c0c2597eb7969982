"""What a trainee sees: the published courses, which are required of them, their progress."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from lms.extensions import db
from lms.models import AssignmentScope, Course, CourseAssignment, CourseProgress, CourseStatus, Unit, User


@dataclass
class CatalogueEntry:
    course: Course
    required: bool
    due_date: date | None
    progress: CourseProgress | None

    @property
    def percent(self) -> int:
        return self.progress.percent if self.progress else 0

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed_at)

    @property
    def overdue(self) -> bool:
        return bool(self.required and self.due_date and not self.completed and self.due_date < date.today())


def _unit_chain(user: User):
    """SQL: the ids of the person's unit and every unit above it (an assignment to any of
    them applies), walked up by the database in the query that uses them."""
    chain = select(Unit.id, Unit.parent_id).where(Unit.id == user.unit_id).cte("unit_chain", recursive=True)
    chain = chain.union_all(select(Unit.id, Unit.parent_id).join(chain, Unit.id == chain.c.parent_id))
    return select(chain.c.id)


def assignment_filter(user: User):
    """SQL condition: the assignments that apply to `user`."""
    conditions = [CourseAssignment.scope == AssignmentScope.EVERYONE.value]
    if user.target_group:
        conditions.append((CourseAssignment.scope == AssignmentScope.LEVEL.value)
                          & (CourseAssignment.target_group == user.target_group))
    if user.unit_id is not None:
        conditions.append((CourseAssignment.scope == AssignmentScope.UNIT.value)
                          & CourseAssignment.unit_id.in_(_unit_chain(user)))
    return or_(*conditions)


def required_courses(user: User) -> dict[int, date | None]:
    """course id → the earliest due date among the assignments that apply (None: no date)."""
    query = (
        select(CourseAssignment.course_id, func.min(CourseAssignment.due_date))
        .where(assignment_filter(user))
        .group_by(CourseAssignment.course_id)
    )
    return dict(db.session.execute(query).all())


def catalogue_for(user: User) -> list[CatalogueEntry]:
    """Published courses: required ones first (soonest due first), then the others."""
    courses = db.session.scalars(
        select(Course).where(Course.status == CourseStatus.PUBLISHED.value).order_by(Course.sort_order, Course.title)
    ).all()
    required = required_courses(user)
    progress = {row.course_id: row for row in db.session.scalars(
        select(CourseProgress).where(CourseProgress.user_id == user.id)).all()}
    entries = [CatalogueEntry(course, course.id in required, required.get(course.id), progress.get(course.id))
               for course in courses]
    return sorted(entries, key=lambda e: (not e.required, e.due_date or date.max, e.course.sort_order))
