"""Temporary passwords for accounts made from the roster: the list HR hands out, and fresh
ones for people who have not signed in yet.

A temporary password is shown once and kept nowhere (only its hash is stored), and any app
server may answer the next request, so a list that was lost cannot be shown again: HR issues
new passwords instead, which makes the old ones stop working."""
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from lms import audit
from lms.auth.services import issue_temporary_password
from lms.extensions import db
from lms.models import Role, Unit, User, UserRole
from lms.org.queries import subtree_ids

CREDENTIAL_HEADER = ["Họ và tên", "Tên đăng nhập", "Mật khẩu tạm", "Đơn vị", "Mã cán bộ", "Email"]
CREDENTIAL_SHEET = "Tài khoản"


@dataclass(frozen=True)
class NewAccount:
    """What a person needs to sign in the first time, and what tells HR whose it is."""

    full_name: str
    username: str
    password: str
    unit_name: str
    staff_code: str | None = None
    email: str | None = None

    @classmethod
    def of(cls, user: User, password: str) -> "NewAccount":
        return cls(user.full_name, user.username, password, user.unit.name if user.unit else "",
                   user.staff_code, user.email)

    def row(self) -> list:
        return [self.full_name, self.username, self.password, self.unit_name, self.staff_code, self.email]


def credential_sheets(accounts: Iterable[NewAccount]) -> list[tuple[str, list[str], list[list]]]:
    """The accounts as one sheet for lms.exports (xlsx_bytes / xlsx_response)."""
    return [(CREDENTIAL_SHEET, CREDENTIAL_HEADER, [account.row() for account in accounts])]


def _plain_trainees():
    """Accounts holding the trainee role and no other: HR may hand out their passwords, never
    those of administrators, trainers or HR colleagues (that would let HR sign in as them)."""
    trainees = select(UserRole.user_id).where(UserRole.role == Role.TRAINEE.value)
    others = select(UserRole.user_id).where(UserRole.role != Role.TRAINEE.value)
    return User.id.in_(trainees) & User.id.not_in(others)


def _waiting():
    """Active accounts that have never signed in and still hold a temporary password."""
    return (User.active.is_(True)) & User.last_login_at.is_(None) & User.must_change_password.is_(True) \
        & _plain_trainees()


def waiting_counts() -> dict[int | None, int]:
    """Unit id → how many of its people have not signed in yet (one GROUP BY query)."""
    query = select(User.unit_id, func.count(User.id)).where(_waiting()).group_by(User.unit_id)
    return dict(db.session.execute(query).all())


def waiting_people(unit: Unit | None = None) -> list[User]:
    """Those people in `unit` and the units below it (everyone when None), by unit and name."""
    query = select(User).outerjoin(Unit, User.unit_id == Unit.id).where(_waiting())
    if unit is not None:
        query = query.where(User.unit_id.in_(subtree_ids(unit)))
    return db.session.scalars(query.order_by(Unit.sort_order, Unit.name, User.search_name, User.id)).all()


def reissue_temporary_passwords(unit: Unit | None = None, acting: User | None = None) -> list[NewAccount]:
    """New temporary passwords for the people of `waiting_people(unit)`; their previous ones
    stop working. Each is recorded in the audit log as a password reset, the whole as one
    "roster.passwords" entry. Flushes; the caller commits."""
    accounts = [NewAccount.of(user, issue_temporary_password(user)) for user in waiting_people(unit)]
    if accounts:
        audit.record("roster.passwords", unit, actor=acting, count=len(accounts),
                     summary=f"{unit.name if unit else 'Toàn bộ danh sách'}: {len(accounts)} mật khẩu tạm mới")
    return accounts
