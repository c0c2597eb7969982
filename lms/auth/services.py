"""Signing in and password changes."""
import functools
import secrets

from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy import func, select

from lms import audit
from lms.auth.passwords import (
    hash_password,
    method_of,
    normalised_method,
    policy_errors,
    temporary_password,
    verify_password,
)
from lms.database import finish_reading
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import User
from lms.models.base import utcnow
from lms.text import clean_text


@functools.cache
def _dummy_hash(method: str) -> str:
    """A hash made with `method` that no typed password matches (made once per process)."""
    return hash_password(secrets.token_urlsafe(32), method)


def check_password_evenly(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches `password_hash`, at the cost of exactly one verification
    with the normal method and one with the lighter temporary-password method whatever the
    hash is (or when there is none: a name that is no account). So a failed sign-in takes
    as long for an unknown name, a normal account and one still holding a temporary
    password: timing tells neither which names exist nor whose temporary password is unused."""
    normal = _dummy_hash(current_app.config["LMS_PASSWORD_METHOD"])
    light = _dummy_hash(current_app.config["LMS_TEMPORARY_PASSWORD_METHOD"])
    if not password_hash:
        checks = (normal, light)
    elif method_of(password_hash) == method_of(light):
        checks = (password_hash, normal)
    else:
        checks = (password_hash, light)
    matches = [verify_password(stored, password) for stored in checks]
    return bool(password_hash) and matches[0]


def find_by_login(login: str) -> User | None:
    """An account by username or email, compared case-insensitively. Read once per request:
    the sign-in throttle names the account before the view checks its password."""
    login = clean_text(login).lower()
    if not login:
        return None
    found = g.setdefault("accounts_by_login", {})
    if login not in found:
        query = select(User).where((func.lower(User.username) == login) | (func.lower(User.email) == login))
        found[login] = db.session.scalars(query).first()
    return found[login]


def authenticate(login: str, password: str) -> User:
    """The account for these credentials, or ServiceError saying why not."""
    user = find_by_login(login)
    password_hash = user.password_hash if user is not None else None
    temporary = user is not None and user.must_change_password
    finish_reading(keep_loaded=True)  # no lock held through the checks; the writes come in a new one
    if not check_password_evenly(password_hash, password):
        raise ServiceError(_("Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại."))
    rehashed = None if temporary else _rehash_if_outdated(password_hash, password)
    if not user.active:
        raise ServiceError(
            _("Tài khoản này đã bị khóa. Vui lòng liên hệ Phòng Nội vụ hoặc quản trị hệ thống.")
        )
    user.last_login_at = utcnow()
    if rehashed is not None:
        user.password_hash = rehashed
    return user


def _rehash_if_outdated(password_hash: str, password: str) -> str | None:
    """A new hash when the stored one was made with another method than the one configured
    (scrypt before Argon2id, say): sign-in is the one moment the password is known, so older
    hashes move to the current method as people sign in. A temporary password is left alone:
    it is replaced at once anyway."""
    wanted = current_app.config["LMS_PASSWORD_METHOD"]
    if method_of(password_hash) == normalised_method(wanted):
        return None
    return hash_password(password, wanted)


def password_problems(user: User, password: str) -> list[str]:
    """The policy's objections to `password` for `user`, whose name, username, staff code and
    date of birth (and the organisation's name) it may not be built from."""
    return policy_errors(password, user.username, full_name=user.full_name or "", staff_code=user.staff_code,
                         date_of_birth=user.date_of_birth, organisation=current_app.config["LMS_ORG_NAME"])


def set_password(user: User, password: str, *, temporary: bool = False) -> None:
    """Store a new password after checking the policy; `temporary` forces a change at next sign-in."""
    errors = password_problems(user, password)
    if errors:
        raise ServiceError(" ".join(errors), field="new_password")
    method = "LMS_TEMPORARY_PASSWORD_METHOD" if temporary else "LMS_PASSWORD_METHOD"
    user.password_hash = hash_password(password, current_app.config[method])
    user.must_change_password = temporary
    user.end_all_sessions()  # whoever had the old password is signed out everywhere
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
    # Random, so it passes the policy; should it by chance spell the username, draw again.
    while password_problems(user, password):
        password = temporary_password()
    set_password(user, password, temporary=True)
    audit.record("password.reset", user, summary=user.username)
    return password
