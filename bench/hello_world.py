"""The yardstick of bench/saturation.py: the smallest Flask app, served by the same gunicorn
command as the LMS, so a ratio of the two measures the LMS's own work per request."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
