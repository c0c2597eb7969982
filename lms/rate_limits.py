"""The limiter's storage, and a warning when its counters cannot be shared.

With `memory://` each process keeps its own counters, so under gunicorn with N workers a
limit lets up to N times as many attempts through. Production sets
LMS_RATELIMIT_STORAGE=redis://… (README, Production deployment); the warning at start says
so when the app is served by gunicorn without it.
"""
import os
import sys

from flask import Flask

from lms.extensions import limiter

PER_PROCESS_WARNING = (
    "Rate limits use memory:// storage: each gunicorn worker counts sign-in failures and "
    "certificate lookups on its own, so with several workers the limits let several times "
    "as many attempts through. Set LMS_RATELIMIT_STORAGE=redis://host:6379/0 to share them."
)


def configure_rate_limits(app: Flask) -> None:
    limiter.init_app(app)
    if counted_per_process(app):
        app.logger.warning(PER_PROCESS_WARNING)


def counted_per_process(app: Flask) -> bool:
    """True when gunicorn (which may run several workers) serves the app with memory storage."""
    served_by_gunicorn = "gunicorn" in sys.modules or "gunicorn" in os.environ.get("SERVER_SOFTWARE", "")
    return served_by_gunicorn and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://")
