"""Courses: content packs, the lesson reader, progress, and trainers' authoring."""
from flask import Blueprint

bp = Blueprint("courses", __name__)

from lms.courses import trainer_views, views  # noqa: E402,F401  (registers the routes)
