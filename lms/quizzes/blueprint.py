"""The quizzes blueprint. Kept apart from the package's __init__ so the pure modules
(model, gift, types …) import without pulling in views and models."""
from flask import Blueprint

bp = Blueprint("quizzes", __name__)
