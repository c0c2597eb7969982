"""Password policy and hashing (pure: no database, no request)."""
import functools
import secrets
from datetime import date

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from lms.auth import guessable
from lms.auth.guessable import PersonalDetails

MIN_LENGTH = 8
MAX_LENGTH = 128
# No 0/O, 1/l/I: a temporary password is read aloud or copied from paper.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def policy_errors(password: str, username: str, *, full_name: str = "", staff_code: str | None = None,
                  date_of_birth: date | None = None, organisation: str = "") -> list[str]:
    """What is wrong with `password` for this person (empty list: acceptable).

    Besides the length, it refuses what a guesser tries first: the most common passwords,
    one character repeated or a plain run, and anything made of the person's name, username,
    staff code, date of birth or the organisation's name (see `lms.auth.guessable`).
    """
    errors = []
    if len(password) < MIN_LENGTH:
        errors.append(_("Mật khẩu phải có ít nhất %(n)d ký tự.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        errors.append(_("Mật khẩu không được dài quá %(n)d ký tự.", n=MAX_LENGTH))
    if errors:
        return errors
    details = PersonalDetails(username=username, full_name=full_name, staff_code=staff_code,
                              date_of_birth=date_of_birth, organisation=organisation)
    reasons = guessable.guessable_reasons(password, details)
    if reasons:
        errors.extend(_reason_message(reason, organisation) for reason in reasons)
        errors.append(_("Vui lòng chọn mật khẩu khác, khó đoán hơn: ví dụ ghép ba, bốn từ không "
                        "liên quan đến bạn, xen chữ số hoặc ký hiệu."))
    return errors


def _reason_message(reason: str, organisation: str) -> str:
    if reason == guessable.COMMON:
        return _("Mật khẩu này quá phổ biến, dễ bị đoán.")
    if reason == guessable.SIMPLE:
        return _("Mật khẩu không được chỉ là một ký tự lặp lại hoặc một dãy liên tiếp "
                 "(như aaaaaaaa, 12345678, abcdefgh).")
    if reason == guessable.USERNAME:
        return _("Mật khẩu không được chứa tên đăng nhập.")
    if reason == guessable.STAFF_CODE:
        return _("Mật khẩu không được chứa mã cán bộ của bạn.")
    if reason == guessable.BIRTH_DATE:
        return _("Mật khẩu không được chứa ngày sinh của bạn.")
    if reason == guessable.ORGANISATION:
        return _("Mật khẩu không được chứa tên cơ quan (%(name)s).", name=organisation)
    return _("Mật khẩu không được ghép từ họ tên của bạn.")


# OWASP's first choice for password storage: Argon2id with 19 MiB, 2 passes, 1 lane (about
# 23 ms here, a quarter of werkzeug's scrypt default, which is below OWASP's scrypt minimum).
ARGON2 = "argon2id"
_ARGON2_DEFAULTS = (19456, 2, 1)


@functools.cache
def _argon2(method: str) -> PasswordHasher:
    """The hasher for "argon2id" or "argon2id:<memory KiB>:<passes>:<lanes>"."""
    settings = [int(part) for part in method.split(":")[1:]] or _ARGON2_DEFAULTS
    memory, passes, lanes = settings
    return PasswordHasher(memory_cost=memory, time_cost=passes, parallelism=lanes)


def hash_password(password: str, method: str) -> str:
    """`method` is "argon2id[:memory:passes:lanes]" or any werkzeug method ("scrypt:…",
    "pbkdf2:…", kept for older hashes and for fast tests)."""
    if method.split(":")[0] == ARGON2:
        return _argon2(method).hash(password)
    return generate_password_hash(password, method=method)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        return False
    if stored_hash.startswith(f"${ARGON2}$"):
        try:
            return _argon2(ARGON2).verify(stored_hash, password)  # the hash carries its own settings
        except (VerificationError, InvalidHashError, ValueError):  # a wrong password or a damaged hash
            return False
    return check_password_hash(stored_hash, password)


def method_of(password_hash: str) -> str:
    """The method a stored hash was made with, in hash_password's terms."""
    if password_hash.startswith(f"${ARGON2}$"):
        settings = dict(part.split("=") for part in password_hash.split("$")[3].split(","))
        return f"{ARGON2}:{settings['m']}:{settings['t']}:{settings['p']}"
    return password_hash.partition("$")[0]  # "scrypt:32768:8:1", "pbkdf2:sha256:1000000"…


@functools.cache
def normalised_method(method: str) -> str:
    """`method` with every setting spelt out, as `method_of` names it ("argon2id" →
    "argon2id:19456:2:1", "scrypt" → "scrypt:32768:8:1"): read off one hash it makes."""
    return method_of(hash_password(secrets.token_urlsafe(8), method))


def temporary_password(length: int = 12) -> str:
    """A random password for an admin to hand over; it must be changed at first sign-in."""
    return "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(length))
