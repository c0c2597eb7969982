"""The share of staff each level must reach on an indicator, as HR reports it.

`indicator` is "standard" (meets the competence standard) or "course:<CODE>" (has completed
that course). A missing row means the default in lms.targets applies.
"""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.base import utcnow


class TargetSetting(db.Model):
    __tablename__ = "target_settings"
    __table_args__ = (
        UniqueConstraint("indicator", "target_group", name="uq_target_settings_indicator_target_group"),
        CheckConstraint("target_group IN ('district', 'commune')", name="group_known"),
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator: Mapped[str] = mapped_column(String(60))
    target_group: Mapped[str] = mapped_column(String(20))
    percent: Mapped[int | None] = mapped_column()  # None: no target for this level
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
