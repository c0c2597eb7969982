"""Password policy and hashing (pure: no database, no request)."""
import secrets
from datetime import date

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


def hash_password(password: str, method: str) -> str:
    return generate_password_hash(password, method=method)


def verify_password(stored_hash: str | None, password: str) -> bool:
    return bool(stored_hash) and check_password_hash(stored_hash, password)


def temporary_password(length: int = 12) -> str:
    """A random password for an admin to hand over; it must be changed at first sign-in."""
    return "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(length))
