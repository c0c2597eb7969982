"""Evaluating a person against a competence standard: each requirement met or missing."""
from dataclasses import dataclass

from sqlalchemy import select

from lms.certificates.external import accepted_external_for
from lms.extensions import db
from lms.models import CourseProgress, ExternalCertificate, QuizResult, Standard, StandardRequirement, User


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


def meets_through_external(standard: Standard, user: User) -> ExternalCertificate | None:
    """The certificate from elsewhere through which `user` meets `standard` (None when the
    standard accepts none of the person's). `meets` stays about the platform's requirements
    only: an external certificate never leads to a giấy chứng nhận being issued here."""
    return accepted_external_for(standard, user)


def standing(standard: Standard, user: User) -> str | None:
    """How the person meets the standard: "platform", "external", or None when not at all."""
    if meets(standard, user):
        return "platform"
    return "external" if meets_through_external(standard, user) is not None else None


def active_standards() -> list[Standard]:
    return db.session.scalars(select(Standard).where(Standard.active.is_(True)).order_by(Standard.id)).all()
