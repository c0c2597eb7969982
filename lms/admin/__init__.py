from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")

from lms.admin import audit_views, standard_views, token_views, unit_views, user_views  # noqa: E402,F401
