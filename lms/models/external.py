"""Certificates a person already holds from elsewhere: the national chứng chỉ ứng dụng CNTT
(basic or advanced, from an accredited test centre) or a foreign one recognised under
Thông tư 44/2017/TT-BTTTT. HR records them; a standard may accept them in place of its quizzes."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import utcnow
from lms.models.user import User


class ExternalKind(StrEnum):
    NATIONAL_BASIC = "national_basic"
    NATIONAL_ADVANCED = "national_advanced"
    FOREIGN = "foreign"


EXTERNAL_KIND_VALUES = tuple(kind.value for kind in ExternalKind)


class ExternalCertificate(db.Model):
    __tablename__ = "external_certificates"
    __table_args__ = (
        CheckConstraint(f"kind IN {EXTERNAL_KIND_VALUES!r}", name="kind_known"),
        UniqueConstraint("user_id", "kind", "number", name="uq_external_certificates_user_id_kind_number"),
        Index("ix_external_certificates_kind_user_id", "kind", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column()
    # The scanned copy, in the database so that every app server can serve it.
    scan: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    scan_type: Mapped[str | None] = mapped_column(String(60))
    scan_size: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def has_scan(self) -> bool:
        return self.scan_size is not None
