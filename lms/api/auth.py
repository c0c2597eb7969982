"""Bearer-token authentication for the API (RFC 6750). The session cookie is never used:
a browser signed in to the site gets no further into the API than anyone else, and the
API needs no CSRF protection because nothing in it is authorised by a cookie."""
from functools import wraps

from flask import Blueprint, g, request
from flask_babel import gettext as _

from lms.api.errors import API_PREFIX, ApiError
from lms.api.tokens import authenticate
from lms.extensions import login_manager
from lms.models import ApiToken

REALM = 'Bearer realm="LMS API"'


def _bearer_credentials() -> str | None:
    """The token from `Authorization: Bearer <token>`; raises 401 when the header is absent
    or uses another scheme, and returns "" for an empty token."""
    header = request.headers.get("Authorization", "")
    if not header.strip():
        raise ApiError(401, "missing_token",
                       _("Cần gửi token trong tiêu đề Authorization: Bearer <token>."),
                       {"WWW-Authenticate": REALM})
    scheme, _separator, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise _invalid_token()
    return credentials.strip()


def _invalid_token() -> ApiError:
    return ApiError(401, "invalid_token",
                    _("Token không hợp lệ, đã hết hạn hoặc đã bị thu hồi. Vui lòng liên hệ quản trị hệ thống."),
                    {"WWW-Authenticate": f'{REALM}, error="invalid_token"'})


def current_token() -> ApiToken:
    return g.api_token


def require_scope(scope: str):
    """Let the view run only for a valid token holding `scope`: 401 without one, 403 when
    the token lacks the scope."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = authenticate(_bearer_credentials())
            if token is None:
                raise _invalid_token()
            if scope not in (token.scopes or ()):
                raise ApiError(403, "insufficient_scope",
                               _("Token không có quyền %(scope)s cần cho yêu cầu này.", scope=scope),
                               {"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{scope}"'})
            g.api_token = token
            return view(*args, **kwargs)

        wrapped.api_scope = scope
        wrapped.writes_on_read = True  # authenticate() marks the token used
        return wrapped

    return decorator


def configure_api_auth(bp: Blueprint) -> None:
    @bp.before_app_request
    def ignore_session_cookie():
        # Whoever is signed in to the site, the API sees an anonymous visitor: Flask-Login
        # takes the user it finds in `g` and does not read the session cookie at all.
        if request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/"):
            g._login_user = login_manager.anonymous_user()

    @bp.after_request
    def not_cached(response):
        response.headers.setdefault("Cache-Control", "no-store")
        return response
