"""Evaluating a person against a competence standard: each requirement met or missing."""
from dataclasses import dataclass

from sqlalchemy import select

from lms.extensions import db
from lms.models import CourseProgress, QuizResult, Standard, StandardRequirement, User


@dataclass
class RequirementStatus:
    requirement: StandardRequirement
    met: bool
    grade: float | None  # the quiz grade (percent), when the requirement is a quiz

    @property
    def label(self) -> str:
        target = self.requirement.course or self.requirement.quiz
        return target.title

    @property
    def needed(self) -> float | None:
        requirement = self.requirement
        if requirement.quiz is None:
            return None
        return requirement.min_grade if requirement.min_grade is not None else requirement.quiz.pass_percent


def evaluate(standard: Standard, user: User) -> list[RequirementStatus]:
    """Each requirement with whether the person meets it (two queries, whatever the count)."""
    completed = set(db.session.scalars(select(CourseProgress.course_id).where(
        CourseProgress.user_id == user.id, CourseProgress.completed_at.is_not(None))).all())
    grades = dict(db.session.execute(select(QuizResult.quiz_id, QuizResult.grade_percent).where(
        QuizResult.user_id == user.id)).all())
    statuses = []
    for requirement in standard.requirements:
        if requirement.course_id is not None:
            statuses.append(RequirementStatus(requirement, requirement.course_id in completed, None))
        else:
            grade = grades.get(requirement.quiz_id)
            status = RequirementStatus(requirement, False, grade)
            status.met = grade is not None and grade + 1e-9 >= status.needed
            statuses.append(status)
    return statuses


def meets(standard: Standard, user: User) -> bool:
    statuses = evaluate(standard, user)
    return bool(statuses) and all(status.met for status in statuses)


def active_standards() -> list[Standard]:
    return db.session.scalars(select(Standard).where(Standard.active.is_(True)).order_by(Standard.id)).all()
