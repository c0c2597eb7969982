"""Courses, their lessons (with every saved revision), images, assignments and progress."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import utcnow
from lms.models.org import Unit


class CourseStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Audience(StrEnum):
    ALL = "all"
    DISTRICT = "district"
    COMMUNE = "commune"


class AssignmentScope(StrEnum):
    EVERYONE = "everyone"
    LEVEL = "level"
    UNIT = "unit"


class Skill(db.Model):
    """A skill code lessons and questions are tagged with (IU06.4, VPDT.2 …)."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="status_known"),
        CheckConstraint("audience IN ('all', 'district', 'commune')", name="audience_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(20), default=Audience.ALL.value)
    sort_order: Mapped[int] = mapped_column(default=0)
    estimated_minutes: Mapped[int] = mapped_column(default=60)
    required_for_standard: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=CourseStatus.DRAFT.value, index=True)
    from_pack: Mapped[bool] = mapped_column(default=False)
    manifest_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="course", order_by="Lesson.position, Lesson.id", cascade="all, delete-orphan"
    )
    skills: Mapped[list[Skill]] = relationship(order_by=Skill.code, cascade="all, delete-orphan")
    assignments: Mapped[list["CourseAssignment"]] = relationship(
        back_populates="course", cascade="all, delete-orphan"
    )

    @property
    def active_lessons(self) -> list["Lesson"]:
        return [lesson for lesson in self.lessons if lesson.archived_at is None]

    @property
    def is_published(self) -> bool:
        return self.status == CourseStatus.PUBLISHED.value


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course_id", "slug", name="uq_lessons_course_id_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)
    skills: Mapped[list] = mapped_column(JSON, default=list)
    estimated_minutes: Mapped[int] = mapped_column(default=10)
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    # Rendered and sanitised once, when the lesson is saved or imported.
    body_html: Mapped[str] = mapped_column(Text, default="")
    toc: Mapped[list] = mapped_column(JSON, default=list)
    # Hash of the pack file as last imported: a re-import changes the lesson only when
    # the file itself changed, so edits made in the browser are not overwritten by accident.
    source_hash: Mapped[str | None] = mapped_column(String(64))
    archived_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship(back_populates="lessons")
    revisions: Mapped[list["LessonRevision"]] = relationship(
        back_populates="lesson", order_by="LessonRevision.number.desc()", cascade="all, delete-orphan"
    )


class LessonRevision(db.Model):
    """Every saved version of a lesson: who, when, what."""

    __tablename__ = "lesson_revisions"
    __table_args__ = (UniqueConstraint("lesson_id", "number", name="uq_lesson_revisions_lesson_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(300))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    body_markdown: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # "import" or "editor"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    lesson: Mapped[Lesson] = relationship(back_populates="revisions")
    created_by = relationship("User")


class MediaFile(db.Model):
    """An image used by lessons. Kept in the database, so every app server can serve it."""

    __tablename__ = "media_files"
    __table_args__ = (UniqueConstraint("course_id", "name", name="uq_media_files_course_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CourseAssignment(db.Model):
    """Who must take a course: everyone, a level (district/commune), or a unit and its sub-units."""

    __tablename__ = "course_assignments"
    __table_args__ = (
        CheckConstraint("scope IN ('everyone', 'level', 'unit')", name="scope_known"),
        CheckConstraint(
            "(scope = 'level' AND target_group IN ('district', 'commune')) OR "
            "(scope = 'unit' AND unit_id IS NOT NULL) OR scope = 'everyone'",
            name="scope_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    target_group: Mapped[str | None] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    due_date: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship(back_populates="assignments")
    unit: Mapped[Unit | None] = relationship()


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "lesson_id", name="uq_lesson_progress_user_id_lesson_id"),
        Index("ix_lesson_progress_lesson_id", "lesson_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column()
    seconds_spent: Mapped[int] = mapped_column(default=0)


class CourseProgress(db.Model):
    """A trainee's standing in a course, kept current as lessons are completed."""

    __tablename__ = "course_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", name="uq_course_progress_user_id_course_id"),
        Index("ix_course_progress_course_id_completed_at", "course_id", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    lessons_completed: Mapped[int] = mapped_column(default=0)
    percent: Mapped[int] = mapped_column(default=0)
    completed_at: Mapped[datetime | None] = mapped_column()
