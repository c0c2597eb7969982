"""Helpers shared by every feature's forms."""
from flask import flash

from lms.errors import ServiceError
from lms.extensions import db


def show_service_error(form, error: ServiceError) -> None:
    """Undo what the failed service flushed, and show its message beside the field it names
    (or at the top of the page)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")


def commit_or_flash(action, success):
    """Run a service `action` for a POST that redirects: on success commit and flash
    `success(result)`; on ServiceError undo everything and flash its message. Returns the
    result, or None when the service refused."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return None
    db.session.commit()
    flash(success(result), "success")
    return result
