"""People and the roles they hold."""
from datetime import date, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from lms.extensions import db
from lms.models.base import utcnow
from lms.models.org import Unit
from lms.text import ascii_fold, clean_text


class Role(StrEnum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    HR = "hr"
    ADMIN = "admin"


class StaffCategory(StrEnum):
    CAN_BO = "can_bo"
    CONG_CHUC = "cong_chuc"
    VIEN_CHUC = "vien_chuc"
    NGUOI_LAO_DONG = "nguoi_lao_dong"


ROLE_VALUES = tuple(role.value for role in Role)
CATEGORY_VALUES = tuple(category.value for category in StaffCategory)


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLE_VALUES!r}", name="role_known"),
        Index("ix_user_roles_role_user_id", "role", "user_id"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            f"staff_category IS NULL OR staff_category IN {CATEGORY_VALUES!r}",
            name="staff_category_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    staff_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # Lower-case, accent-free copy of full_name: "nguyen van dat" finds "Nguyễn Văn Đạt"
    # on every database (SQLite's lower() and LIKE know only ASCII).
    search_name: Mapped[str] = mapped_column(String(200), index=True, default="")
    date_of_birth: Mapped[date | None] = mapped_column()
    position: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # For HR: the unit (and everything below it) whose people they manage; None: all of them.
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    staff_category: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Part of every session's id: raising it ends all of the account's sessions at once
    # (sign-out, password change or reset, lock, role change).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # True when the roster import locked the account (person missing from the file), which
    # it may undo; an administrator's lock only an administrator lifts.
    locked_by_roster: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    scope_unit: Mapped[Unit | None] = relationship(foreign_keys=[scope_unit_id])
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @validates("full_name")
    def _normalise_full_name(self, _key: str, value: str) -> str:
        value = clean_text(value)
        self.search_name = ascii_fold(value).lower()
        return value

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def get_id(self) -> str:
        """The session's id: the account and its session generation, so a session made
        before the generation changed no longer loads (lms.login)."""
        return f"{self.id}.{self.session_generation}"

    def end_all_sessions(self) -> None:
        self.session_generation = (self.session_generation or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def target_group(self) -> str | None:
        """'district' or 'commune': which staff target this person counts toward."""
        return self.unit.target_group if self.unit else None

    def __repr__(self) -> str:
        return f"<User {self.username}>"
