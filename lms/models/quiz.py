"""Quizzes: settings, and the rules that say which questions an attempt draws."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import utcnow
from lms.models.course import Course
from lms.models.question import BankQuestion, QuestionCategory


class GradingMethod(StrEnum):
    HIGHEST = "highest"
    AVERAGE = "average"
    FIRST = "first"
    LAST = "last"


class QuizKind(StrEnum):
    FINAL = "final"
    PLACEMENT = "placement"
    PRACTICE = "practice"


class Quiz(db.Model):
    __tablename__ = "quizzes"
    __table_args__ = (
        CheckConstraint("grading_method IN ('highest', 'average', 'first', 'last')", name="grading_known"),
        CheckConstraint("kind IN ('final', 'placement', 'practice')", name="kind_known"),
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="status_known"),
        CheckConstraint("overdue_handling IN ('autosubmit', 'grace')", name="overdue_known"),
        CheckConstraint("pass_percent >= 0 AND pass_percent <= 100", name="pass_percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=QuizKind.FINAL.value)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    open_at: Mapped[datetime | None] = mapped_column()
    close_at: Mapped[datetime | None] = mapped_column()
    time_limit_minutes: Mapped[int | None] = mapped_column()
    max_attempts: Mapped[int] = mapped_column(default=0)  # 0 = unlimited
    grading_method: Mapped[str] = mapped_column(String(20), default=GradingMethod.HIGHEST.value)
    pass_percent: Mapped[float] = mapped_column(default=50)
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_answers: Mapped[bool] = mapped_column(default=True)
    one_question_per_page: Mapped[bool] = mapped_column(default=False)
    overdue_handling: Mapped[str] = mapped_column(String(20), default="autosubmit")
    grace_minutes: Mapped[int] = mapped_column(default=0)
    # What the trainee sees in review, right after the attempt and after the quiz closes.
    review_marks_after_attempt: Mapped[bool] = mapped_column(default=True)
    review_feedback_after_attempt: Mapped[bool] = mapped_column(default=True)
    review_answers_after_attempt: Mapped[bool] = mapped_column(default=False)
    review_marks_after_close: Mapped[bool] = mapped_column(default=True)
    review_feedback_after_close: Mapped[bool] = mapped_column(default=True)
    review_answers_after_close: Mapped[bool] = mapped_column(default=True)
    from_file: Mapped[bool] = mapped_column(default=False)
    source_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    course: Mapped[Course | None] = relationship()
    rules: Mapped[list["QuizRule"]] = relationship(back_populates="quiz", order_by="QuizRule.position",
                                                   cascade="all, delete-orphan")

    @property
    def questions_per_attempt(self) -> int:
        return sum(rule.count for rule in self.rules)


class QuizRule(db.Model):
    """Draw `count` random questions from a category, or always include one fixed question."""

    __tablename__ = "quiz_rules"
    __table_args__ = (
        CheckConstraint("(category_id IS NULL) <> (question_id IS NULL)", name="one_source"),
        CheckConstraint("count >= 1", name="count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("question_categories.id"))
    include_subcategories: Mapped[bool] = mapped_column(default=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    count: Mapped[int] = mapped_column(default=1)

    quiz: Mapped[Quiz] = relationship(back_populates="rules")
    category: Mapped[QuestionCategory | None] = relationship()
    question: Mapped[BankQuestion | None] = relationship()
