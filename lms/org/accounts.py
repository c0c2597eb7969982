"""Creating and editing accounts: identity fields, unit, roles, active flag."""
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms import audit
from lms.auth.services import issue_temporary_password, set_password
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import Role, StaffCategory, Unit, User, UserRole
from lms.org.units import move_person
from lms.text import clean_text

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class PersonData:
    """What a form, the CLI or an import says about a person, before validation."""

    username: str
    full_name: str
    email: str | None = None
    staff_code: str | None = None
    date_of_birth: date | None = None
    position: str | None = None
    unit: Unit | None = None
    staff_category: str | None = None
    roles: set[str] = field(default_factory=lambda: {Role.TRAINEE.value})
    active: bool = True

    def normalised(self) -> "PersonData":
        self.username = clean_text(self.username).lower()
        self.full_name = clean_text(self.full_name)
        self.email = clean_text(self.email).lower() or None
        self.staff_code = clean_text(self.staff_code) or None
        self.position = clean_text(self.position) or None
        self.staff_category = self.staff_category or None
        return self


def _check(data: PersonData, user: User | None) -> None:
    if not USERNAME_PATTERN.match(data.username):
        raise ServiceError(_("Tên đăng nhập gồm 3–80 ký tự: chữ thường không dấu, chữ số, "
                             "dấu chấm, gạch dưới hoặc gạch ngang."), field="username")
    if not data.full_name:
        raise ServiceError(_("Vui lòng nhập họ và tên."), field="full_name")
    if data.email and not EMAIL_PATTERN.match(data.email):
        raise ServiceError(_("Địa chỉ thư điện tử %(email)s không hợp lệ.", email=data.email),
                           field="email")
    if data.staff_category and data.staff_category not in {c.value for c in StaffCategory}:
        raise ServiceError(_("Loại cán bộ không hợp lệ."), field="staff_category")
    unknown = set(data.roles) - {role.value for role in Role}
    if unknown:
        raise ServiceError(_("Vai trò không hợp lệ: %(roles)s.", roles=", ".join(sorted(unknown))),
                           field="roles")
    if data.unit is not None and not data.unit.active:
        raise ServiceError(_("Đơn vị %(name)s đã ngừng hoạt động.", name=data.unit.name), field="unit_id")
    _check_unique(data, user)


def _check_unique(data: PersonData, user: User | None) -> None:
    checks = (
        ("username", func.lower(User.username), data.username,
         _("Tên đăng nhập %(value)s đã được dùng cho tài khoản khác.", value=data.username)),
        ("email", func.lower(User.email), data.email,
         _("Thư điện tử %(value)s đã được dùng cho tài khoản khác.", value=data.email)),
        ("staff_code", func.lower(User.staff_code), data.staff_code,
         _("Mã cán bộ %(value)s đã được dùng cho người khác.", value=data.staff_code)),
    )
    for field_name, column, value, message in checks:
        if not value:
            continue
        clash = db.session.scalar(select(User).where(column == value.lower()))
        if clash is not None and clash is not user:
            raise ServiceError(message, field=field_name)


def _apply(user: User, data: PersonData) -> None:
    user.username = data.username
    user.full_name = data.full_name
    user.email = data.email
    user.staff_code = data.staff_code
    user.date_of_birth = data.date_of_birth
    user.position = data.position
    user.staff_category = data.staff_category
    user.active = data.active


def _set_roles(user: User, roles: set[str]) -> None:
    current = {row.role: row for row in user.role_rows}
    for role in set(current) - roles:
        user.role_rows.remove(current[role])
    for role in sorted(roles - set(current)):
        user.role_rows.append(UserRole(role=role))


def create_person(data: PersonData, password: str | None = None) -> tuple[User, str | None]:
    """Create an account. Without `password` a temporary one is made and returned (once)."""
    data.normalised()
    _check(data, None)
    user = User()
    _apply(user, data)
    _set_roles(user, set(data.roles))
    db.session.add(user)
    db.session.flush()
    move_person(user, data.unit)
    temporary = None
    if password is None:
        temporary = issue_temporary_password(user)
    else:
        set_password(user, password)
    audit.record("user.create", user, summary=f"{user.username} – {user.full_name}",
                 roles=sorted(data.roles))
    return user, temporary


def update_person(user: User, data: PersonData, acting: User | None = None) -> User:
    """Save edits; an administrator cannot lock themself out or drop their own admin role."""
    data.normalised()
    _check(data, user)
    if acting is not None and acting.id == user.id:
        if Role.ADMIN.value in user.roles and Role.ADMIN.value not in data.roles:
            raise ServiceError(_("Bạn không thể tự bỏ vai trò quản trị của chính mình."), field="roles")
        if not data.active:
            raise ServiceError(_("Bạn không thể tự khóa tài khoản của chính mình."), field="active")
    old_roles, was_active = set(user.roles), user.active
    _apply(user, data)
    _set_roles(user, set(data.roles))
    move_person(user, data.unit, reason="transferred")
    db.session.flush()
    audit.record("user.update", user, summary=f"{user.username} – {user.full_name}")
    if old_roles != set(data.roles) or was_active != user.active:
        user.end_all_sessions()  # sessions carry what the account was allowed when they began
        user.locked_by_roster = False  # a lock (or unlock) here is an administrator's
    if old_roles != set(data.roles):
        audit.record("user.roles", user, summary=user.username,
                     before=sorted(old_roles), after=sorted(data.roles))
    if was_active != user.active:
        audit.record("user.activate" if user.active else "user.deactivate", user, summary=user.username)
    return user


def set_hr_scope(user: User, unit: Unit | None) -> None:
    """Limit an HR officer to `unit` and the units below it (None: every unit)."""
    if unit is not None and not unit.active:
        raise ServiceError(_("Đơn vị %(name)s đã ngừng hoạt động.", name=unit.name), field="scope_unit_id")
    if user.scope_unit_id == (unit.id if unit else None):
        return
    user.scope_unit = unit
    db.session.flush()
    audit.record("user.scope", user, summary=f"{user.username}: {unit.name if unit else '—'}",
                 unit=unit.code if unit else None)
