from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from lms.dashboard import views  # noqa: E402,F401
