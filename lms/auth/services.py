"""Signing in and password changes."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from lms import audit
from lms.auth.passwords import hash_password, policy_errors, temporary_password, verify_password
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import User
from lms.models.base import utcnow
from lms.text import clean_text

# Verifying against a real hash when the account does not exist keeps the response time
# the same, so timing does not tell which usernames exist.
_DUMMY_HASH = "scrypt:32768:8:1$ZPeX5s8Ww4cTkbpZ$" + "0" * 128


def find_by_login(login: str) -> User | None:
    """An account by username or email, compared case-insensitively."""
    login = clean_text(login).lower()
    if not login:
        return None
    query = select(User).where(
        (func.lower(User.username) == login) | (func.lower(User.email) == login)
    )
    return db.session.scalars(query).first()


def authenticate(login: str, password: str) -> User:
    """The account for these credentials, or ServiceError saying why not."""
    user = find_by_login(login)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise ServiceError(_("Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại."))
    if not verify_password(user.password_hash, password):
        raise ServiceError(_("Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại."))
    if not user.active:
        raise ServiceError(
            _("Tài khoản này đã bị khóa. Vui lòng liên hệ Phòng Nội vụ hoặc quản trị hệ thống.")
        )
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str, *, temporary: bool = False) -> None:
    """Store a new password after checking the policy; `temporary` forces a change at next sign-in."""
    errors = policy_errors(password, user.username)
    if errors:
        raise ServiceError(" ".join(errors), field="new_password")
    method = "LMS_TEMPORARY_PASSWORD_METHOD" if temporary else "LMS_PASSWORD_METHOD"
    user.password_hash = hash_password(password, current_app.config[method])
    user.must_change_password = temporary
    db.session.flush()


def change_own_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError(_("Mật khẩu hiện tại không đúng."), field="current_password")
    if current == new:
        raise ServiceError(_("Mật khẩu mới phải khác mật khẩu hiện tại."), field="new_password")
    set_password(user, new)
    audit.record("password.change", user, actor=user, summary=user.username)


def issue_temporary_password(user: User) -> str:
    """Give `user` a random password that must be changed at next sign-in; return it once."""
    password = temporary_password()
    set_password(user, password, temporary=True)
    audit.record("password.reset", user, summary=user.username)
    return password
