"""The JSON API under /api/v1, for other systems: units, people, statistics (bearer tokens
with scopes) and certificate lookup (open to anyone)."""
from flask import Blueprint

from lms.api.auth import configure_api_auth
from lms.api.errors import API_PREFIX, configure_api_errors
from lms.extensions import csrf

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
csrf.exempt(bp)  # no cookie authorises anything here, so there is nothing to forge
configure_api_errors(bp)
configure_api_auth(bp)

from lms.api import views  # noqa: E402,F401  (registers the routes)
