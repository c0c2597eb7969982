"""Where each person lands, and the guard that holds accounts with a temporary password."""
from urllib.parse import urlsplit

from flask import Flask, redirect, request, url_for
from flask_login import current_user

from lms.models import Role

# Highest role first: a person holding several lands on the page of the most senior one.
_LANDING = (
    (Role.ADMIN, "admin.index"),
    (Role.HR, "reports.dashboard"),
    (Role.TRAINER, "people.units"),
    (Role.TRAINEE, "dashboard.my_page"),
)
# Reachable while a temporary password is still in force.
_OPEN_WHILE_TEMPORARY = {"auth.change_password", "auth.logout", "auth.logout_everywhere", "static",
                         "bootstrap.static", "i18n.set_language", "certificates.verify", "certificates.verify_json",
                         "certificates.verify_form"}


def home_url_for(user) -> str:
    for role, endpoint in _LANDING:
        if user.has_role(role):
            return url_for(endpoint)
    return url_for("dashboard.my_page")


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirects). Control
    characters are refused too: a line break cannot go into the Location header."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    return target


def configure_password_guard(app: Flask) -> None:
    @app.before_request
    def hold_temporary_password():
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in _OPEN_WHILE_TEMPORARY
        ):
            return redirect(url_for("auth.change_password"))
        return None
