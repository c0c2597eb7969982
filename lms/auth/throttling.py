"""Who is counted how when passwords are guessed (README, Security).

Only failures count (a view sets `g.password_failed`), so people who type their password
right are never slowed down. A failed sign-in counts three times:

- against the account from this address (LMS_LOGIN_LIMIT_PER_ACCOUNT): a stranger who
  guesses from one address locks only that address out of the account, so the owner still
  signs in from their own;
- against the account from every address together (LMS_LOGIN_LIMIT_ACCOUNT_CEILING), a
  ceiling for guessing spread over many addresses;
- against the address, whatever the account (LMS_LOGIN_LIMIT_PER_IP).

The account is the account itself however it was named (username or email, any case);
a name that belongs to no account is counted by its folded text, hashed so what was typed
(sometimes a password typed into the wrong box) is not kept in the counter store.
A wrong current password on the password-change page counts against the signed-in
account (LMS_PASSWORD_CHECK_LIMIT).
"""
import hashlib

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from lms.auth.services import find_by_login
from lms.extensions import limiter
from lms.text import clean_text

_LONGEST_NAME = 254  # LoginForm's limit: anything longer names no account


def _login_account() -> str:
    """The account the sign-in form names: its id, or the folded text when it names none."""
    if "login_account" not in g:
        name = clean_text(request.form.get("username", "")).lower()
        user = find_by_login(name) if 0 < len(name) <= _LONGEST_NAME and "\x00" not in name else None
        if user is not None:
            g.login_account = f"id:{user.id}"
        else:
            g.login_account = "name:" + hashlib.sha256(name.encode("utf-8", "replace")).hexdigest()[:32]
    return g.login_account


def login_account_key() -> str:
    return "login-account:" + _login_account()


def login_account_address_key() -> str:
    return f"login-account-address:{_login_account()}@{get_remote_address()}"


def password_check_key() -> str:
    """The signed-in account (login_required refuses anyone else before a password is checked)."""
    return f"password-check:{getattr(current_user, 'id', None)}"


def _password_failed(_response) -> bool:
    return g.get("password_failed", False)


def _setting(name: str):
    return lambda: current_app.config[name]


def throttle_sign_in(view):
    """The three sign-in limits on `view`, counting only refused passwords."""
    limits = (
        (_setting("LMS_LOGIN_LIMIT_PER_IP"), get_remote_address, "login-ip"),
        (_setting("LMS_LOGIN_LIMIT_ACCOUNT_CEILING"), login_account_key, "login-account"),
        (_setting("LMS_LOGIN_LIMIT_PER_ACCOUNT"), login_account_address_key, "login-account-address"),
    )
    for limit, key, scope in limits:
        view = limiter.limit(limit, key_func=key, methods=["POST"], deduct_when=_password_failed,
                             scope=scope)(view)
    return view


def throttle_password_check(view):
    """Wrong current passwords on `view`, per account."""
    return limiter.limit(_setting("LMS_PASSWORD_CHECK_LIMIT"), key_func=password_check_key, methods=["POST"],
                         deduct_when=_password_failed, scope="password-check")(view)


def count_failure() -> None:
    """Called by a view when the password it checked was wrong."""
    g.password_failed = True
