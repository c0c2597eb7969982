"""Interface language: Vietnamese by default, English when a person chooses it."""
from flask import Blueprint, Flask, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import format_date, format_datetime, format_decimal

from lms.extensions import babel
from lms.messages import localized
from lms.navigation import safe_next_url

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LMS_LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.route("/ngon-ngu/<code>")
def set_language(code: str):
    """Remember the chosen language in the session and go back where the person was."""
    if code in current_app.config["LMS_LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next_url(request.args.get("next")) or url_for("dashboard.my_page"))


def configure_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.jinja_env.filters["date_vn"] = lambda value: format_date(value, "dd/MM/yyyy") if value else ""
    app.jinja_env.filters["datetime_vn"] = (
        lambda value: format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""
    )
    app.jinja_env.filters["localized"] = localized  # messages made by pure modules (lms.messages)
    app.jinja_env.filters["number"] = lambda value: format_decimal(value) if value is not None else ""
    app.jinja_env.filters["decimal1"] = (
        lambda value: format_decimal(value, format="#,##0.0") if value is not None else ""
    )
