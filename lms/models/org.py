"""Organisation units: a tree (province → district → office / commune) kept as data.

Units are renamed, moved, merged and deactivated, never deleted while anyone's history
points at them; a merged unit stays, inactive, with `merged_into` set.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import utcnow


class UnitLevel(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    DISTRICT_OFFICE = "district_office"
    COMMUNE = "commune"

    @property
    def rank(self) -> int:
        """Depth in the administrative hierarchy; a child ranks below its parent."""
        return _RANKS[self]

    @property
    def target_group(self) -> str | None:
        """Which staff target applies to people of this level: 'district', 'commune' or None."""
        return _TARGET_GROUPS[self]


_RANKS = {
    UnitLevel.PROVINCE: 0,
    UnitLevel.DISTRICT: 1,
    UnitLevel.DISTRICT_OFFICE: 2,
    UnitLevel.COMMUNE: 2,
}
_TARGET_GROUPS = {
    UnitLevel.PROVINCE: None,
    UnitLevel.DISTRICT: "district",
    UnitLevel.DISTRICT_OFFICE: "district",
    UnitLevel.COMMUNE: "commune",
}
LEVEL_VALUES = tuple(level.value for level in UnitLevel)


class Unit(db.Model):
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint(f"level IN {LEVEL_VALUES!r}", name="level_known"),
        Index("ix_units_parent_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["Unit | None"] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list["Unit"]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="Unit.sort_order, Unit.name"
    )
    merged_into: Mapped["Unit | None"] = relationship(remote_side=[id], foreign_keys=[merged_into_id])

    @property
    def level_enum(self) -> UnitLevel:
        return UnitLevel(self.level)

    @property
    def target_group(self) -> str | None:
        return self.level_enum.target_group

    def ancestors(self) -> list["Unit"]:
        """From the root down to the parent of this unit."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name!r}>"


class UnitMembership(db.Model):
    """Which unit a person belonged to, and when: a person's history survives moves and merges."""

    __tablename__ = "unit_memberships"
    __table_args__ = (Index("ix_unit_memberships_user_id_ended_at", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()
    reason: Mapped[str] = mapped_column(String(40), default="assigned")

    unit: Mapped[Unit] = relationship()
