"""Competence standards, what they require, and the certificate register (sổ cấp giấy
chứng nhận). A certificate snapshots everything printed on it at issue."""
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import utcnow
from lms.models.course import Course
from lms.models.quiz import Quiz
from lms.models.user import User


class Standard(db.Model):
    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), default="Chuẩn kỹ năng sử dụng CNTT cơ bản")
    active: Mapped[bool] = mapped_column(default=True)
    validity_years: Mapped[int | None] = mapped_column()
    certificate_title: Mapped[str] = mapped_column(String(200), default="GIẤY CHỨNG NHẬN")
    wording: Mapped[str] = mapped_column(Text)
    issuing_body: Mapped[str] = mapped_column(String(300))
    parent_body: Mapped[str | None] = mapped_column(String(300))
    place: Mapped[str] = mapped_column(String(100))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_title: Mapped[str] = mapped_column(String(200))
    serial_prefix: Mapped[str] = mapped_column(String(20), default="GCN")
    # Kinds of ExternalCertificate that meet this standard in place of its requirements.
    accepted_external: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    requirements: Mapped[list["StandardRequirement"]] = relationship(
        back_populates="standard", order_by="StandardRequirement.position", cascade="all, delete-orphan")


class StandardRequirement(db.Model):
    """One thing a standard asks for: a course completed, or a quiz passed with a minimum grade."""

    __tablename__ = "standard_requirements"
    __table_args__ = (
        CheckConstraint("(course_id IS NULL) <> (quiz_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    min_grade: Mapped[float | None] = mapped_column()  # for a quiz; None = the quiz's own pass mark

    standard: Mapped[Standard] = relationship(back_populates="requirements")
    course: Mapped[Course | None] = relationship()
    quiz: Mapped[Quiz | None] = relationship()


class RegisterCounter(db.Model):
    """The last entry number used in the register, per year. It is incremented in the same
    transaction that writes the certificate, so a failed issue leaves no gap."""

    __tablename__ = "register_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("year", "entry_number", name="uq_certificates_year_entry_number"),
        CheckConstraint("status IN ('valid', 'revoked')", name="status_known"),
        # At most one valid certificate per person and standard, whatever races happen.
        Index("ix_certificates_standard_id_status_user_id", "standard_id", "status", "user_id"),
        Index("uq_certificates_one_valid", "user_id", "standard_id", unique=True,
              sqlite_where=text("status = 'valid'"), postgresql_where=text("status = 'valid'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    year: Mapped[int] = mapped_column()
    entry_number: Mapped[int] = mapped_column()
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    verification_code: Mapped[str] = mapped_column(String(40), unique=True)
    snapshot: Mapped[dict] = mapped_column(JSON)
    issue_date: Mapped[date] = mapped_column()
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    valid_until: Mapped[date | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="valid")
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    standard: Mapped[Standard] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def register_label(self) -> str:
        return f"{self.entry_number}/{self.year}"

    def state(self, today: date) -> str:
        """valid, revoked or expired, as the register and the verify page show it."""
        if self.status == "revoked":
            return "revoked"
        if self.valid_until is not None and today > self.valid_until:
            return "expired"
        return "valid"
