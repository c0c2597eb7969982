"""One unit of work per request: the only place a web request commits or rolls back.

Services change state and flush; views never commit. When a view returns a response below
400 the request's transaction is committed once; a response of 400 or more, or any
exception, rolls everything back (an exception leaves the request through Flask-SQLAlchemy's
teardown, which discards the session).

A `ServiceError` (a rule the person broke) is turned into what the person should see in
one of three ways:
- JSON requests get a JSON error with the error's status (`{"error": "<message>"}`);
- a view that re-renders its form wraps the service call in `refusal_beside(form)`: the
  message goes beside the field it names, and the view goes on to render the form;
- any other HTML request gets the message flashed and a redirect back to the page the
  person came from (`refusal_flashed()` does the same where the view redirects itself).
"""
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from flask import Flask, Response, flash, jsonify, redirect, request, url_for

from lms.errors import ServiceError
from lms.extensions import db


def configure_unit_of_work(app: Flask) -> None:
    app.after_request(finish_unit_of_work)
    app.register_error_handler(ServiceError, answer_refusal)


def finish_unit_of_work(response: Response) -> Response:
    """Commit what a successful view did; roll back what an error response leaves."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def answer_refusal(error: ServiceError):
    """A ServiceError that no view handled: JSON for JSON clients, else flash and go back."""
    db.session.rollback()
    if wants_json():
        body = {"error": error.message, **error.details}
        return jsonify(body), error.status
    flash(error.message, "danger")
    return redirect(_page_before())


def wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _page_before() -> str:
    """The same-site page the request came from (the Referer, sent by Referrer-Policy
    same-origin), or the home page when there is none."""
    referrer = request.referrer
    if referrer:
        parts = urlsplit(referrer)
        if parts.netloc == request.host and (request.method != "GET" or parts.path != request.path):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("dashboard.home")


@contextmanager
def refusal_flashed() -> Iterator[None]:
    """For views that redirect whatever happens: a ServiceError inside is undone and its
    message flashed, and the view carries on to its redirect."""
    try:
        yield
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")


@contextmanager
def refusal_beside(form) -> Iterator[None]:
    """For views that show their form again: a ServiceError inside is undone and its
    message put beside the field it names (or flashed when it names none), and the view
    carries on to render the form."""
    try:
        yield
    except ServiceError as error:
        db.session.rollback()
        field = getattr(form, error.field, None) if error.field else None
        if field is not None:
            field.errors = [*field.errors, error.message]
        else:
            flash(error.message, "danger")
