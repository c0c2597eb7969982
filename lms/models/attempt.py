"""Attempts at quizzes: the questions drawn (fixed at start), every answer as it is given,
marks, and each person's resulting grade per quiz."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import utcnow
from lms.models.question import BankQuestion, QuestionVersion
from lms.models.quiz import Quiz
from lms.models.user import User


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        # Two tabs starting at once cannot both create attempt number n.
        UniqueConstraint("quiz_id", "user_id", "number", name="uq_attempts_quiz_id_user_id_number"),
        CheckConstraint("state IN ('in_progress', 'finished')", name="state_known"),
        Index("ix_attempts_user_id_quiz_id", "user_id", "quiz_id"),
        Index("ix_attempts_state_deadline_at", "state", "deadline_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    state: Mapped[str] = mapped_column(String(20), default="in_progress")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    finished_by: Mapped[str | None] = mapped_column(String(20))  # "trainee" or "timeout"
    marks: Mapped[float | None] = mapped_column()
    max_marks: Mapped[float] = mapped_column(default=0)
    # Percentage of max_marks; None while an essay awaits a trainer's mark.
    grade_percent: Mapped[float | None] = mapped_column()
    needs_grading: Mapped[bool] = mapped_column(default=False)

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User] = relationship()
    slots: Mapped[list["AttemptSlot"]] = relationship(back_populates="attempt", order_by="AttemptSlot.position",
                                                      cascade="all, delete-orphan")

    @property
    def finished(self) -> bool:
        return self.state == "finished"


class AttemptSlot(db.Model):
    """One question of an attempt: the exact version shown, its fixed layout, the answer."""

    __tablename__ = "attempt_slots"
    __table_args__ = (UniqueConstraint("attempt_id", "position", name="uq_attempt_slots_attempt_id_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    layout: Mapped[dict] = mapped_column(JSON, default=dict)
    response: Mapped[dict | list | str | float | None] = mapped_column(JSON(none_as_null=True))
    answered_at: Mapped[datetime | None] = mapped_column()
    max_mark: Mapped[float] = mapped_column(default=1)
    fraction: Mapped[float | None] = mapped_column()
    mark: Mapped[float | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None] = mapped_column()

    attempt: Mapped[Attempt] = relationship(back_populates="slots")
    question: Mapped[BankQuestion] = relationship()
    version: Mapped[QuestionVersion] = relationship()


class QuizResult(db.Model):
    """A person's grade for a quiz under its grading method, kept current after each attempt,
    so reports and the competence standard read it with one query."""

    __tablename__ = "quiz_results"
    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", name="uq_quiz_results_quiz_id_user_id"),
        Index("ix_quiz_results_quiz_id_passed_user_id", "quiz_id", "passed", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    grade_percent: Mapped[float | None] = mapped_column()
    passed: Mapped[bool] = mapped_column(default=False)
    attempts: Mapped[int] = mapped_column(default=0)
    passed_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
