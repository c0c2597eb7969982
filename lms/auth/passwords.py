"""Password policy and hashing (pure: no database, no request)."""
import secrets

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128
# No 0/O, 1/l/I: a temporary password is read aloud or copied from paper.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def policy_errors(password: str, username: str) -> list[str]:
    """What is wrong with `password` for the account `username` (empty list: acceptable)."""
    errors = []
    if len(password) < MIN_LENGTH:
        errors.append(_("Mật khẩu phải có ít nhất %(n)d ký tự.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        errors.append(_("Mật khẩu không được dài quá %(n)d ký tự.", n=MAX_LENGTH))
    if username and password.strip().lower() == username.strip().lower():
        errors.append(_("Mật khẩu không được trùng với tên đăng nhập."))
    return errors


def hash_password(password: str, method: str) -> str:
    return generate_password_hash(password, method=method)


def verify_password(stored_hash: str | None, password: str) -> bool:
    return bool(stored_hash) and check_password_hash(stored_hash, password)


def temporary_password(length: int = 12) -> str:
    """A random password for an admin to hand over; it must be changed at first sign-in."""
    return "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(length))
