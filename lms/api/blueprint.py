"""The JSON API under /api/v1, for other systems: units, people, statistics (bearer tokens
with scopes) and certificate lookup (open to anyone)."""
from flask import Blueprint

from lms.api import views
from lms.api.auth import configure_api_auth
from lms.api.errors import API_PREFIX, configure_api_errors
from lms.extensions import csrf

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
csrf.exempt(bp)  # no cookie authorises anything here, so there is nothing to forge
configure_api_errors(bp)
configure_api_auth(bp)

bp.add_url_rule("/openapi.json", view_func=views.openapi)
bp.add_url_rule("/units", view_func=views.units)
bp.add_url_rule("/units/<code>", view_func=views.unit)
bp.add_url_rule("/people", view_func=views.people)
bp.add_url_rule("/people/<int:person_id>", view_func=views.person)
bp.add_url_rule("/statistics", view_func=views.statistics)
bp.add_url_rule("/certificates/<code>", view_func=views.certificate)
