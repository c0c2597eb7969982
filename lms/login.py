"""Flask-Login wiring: how a session cookie becomes a person."""
import re

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from lms.extensions import db, login_manager
from lms.models import User

_SESSION_ID = re.compile(r"(?P<id>[0-9]{1,18})\.(?P<generation>[0-9]{1,9})")
# Every signed-in request runs this: built once, not per request.
_USER_WITH_ROLES = select(User).where(User.id == bindparam("id")).options(joinedload(User.role_rows))


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        return user_for_session(session_id)


def user_for_session(session_id: str) -> User | None:
    """The active account a session id ("<id>.<generation>", see User.get_id) belongs to,
    or None when the account's sessions were ended since (or the id is malformed)."""
    match = _SESSION_ID.fullmatch(session_id or "")
    if match is None:
        return None
    user = db.session.execute(_USER_WITH_ROLES, {"id": int(match["id"])}).unique().scalar_one_or_none()
    if user is None or not user.active or user.session_generation != int(match["generation"]):
        return None
    return user
