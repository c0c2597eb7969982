"""The question bank: nested categories, questions with tags, and immutable versions.

An attempt points at the version it was shown, so editing a question (a new version)
never changes what an old attempt was graded on.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import utcnow
from lms.quizzes.question_data import Question as QuestionData


class QuestionCategory(db.Model):
    __tablename__ = "question_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("question_categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The full path ("VPDT/Văn bản đến"), unique: how files and quiz rules name a category.
    path: Mapped[str] = mapped_column(String(600), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["QuestionCategory | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["QuestionCategory"]] = relationship(back_populates="parent",
                                                              order_by="QuestionCategory.name")


class BankQuestion(db.Model):
    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_category_id_name", "category_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("question_categories.id"))
    idnumber: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(20), index=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True, name="fk_questions_current_version_id"))
    archived_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    category: Mapped[QuestionCategory] = relationship()
    current_version: Mapped["QuestionVersion | None"] = relationship(foreign_keys=[current_version_id],
                                                                      post_update=True)
    versions: Mapped[list["QuestionVersion"]] = relationship(
        foreign_keys="QuestionVersion.question_id", back_populates="question",
        order_by="QuestionVersion.number.desc()", cascade="all, delete-orphan")
    tag_rows: Mapped[list["QuestionTag"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def tags(self) -> list[str]:
        return sorted(row.tag for row in self.tag_rows)


class QuestionVersion(db.Model):
    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number", name="uq_question_versions_question_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    data: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20))  # "import" or "editor"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    question: Mapped[BankQuestion] = relationship(foreign_keys=[question_id], back_populates="versions")

    @property
    def content(self) -> QuestionData:
        return QuestionData.from_dict(self.data)


class QuestionTag(db.Model):
    """A skill code on a question (IU06.4, VPDT.2): results can be reported per skill."""

    __tablename__ = "question_tags"

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
