from flask import Blueprint

bp = Blueprint("people", __name__)

from lms.people import views  # noqa: E402,F401
