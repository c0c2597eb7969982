"""The staff IT training and certification platform (Flask application factory)."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.config import PROJECT_ROOT, build_config
from lms.request_values import configure_request_values
from lms.static_files import configure_static_files


def create_app(config: dict | None = None) -> Flask:
    """Build the application; `config` overrides settings (tests use it)."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(build_config(config))
    configure_request_values(app)  # URL converters, before any rule is added
    configure_extensions(app)
    register_blueprints(app)
    connect_features()
    configure_request_handling(app)
    configure_static_files(app)
    return app


def configure_extensions(app: Flask) -> None:
    from lms.database import configure_database
    from lms.extensions import bootstrap, csrf, db, migrate
    from lms.i18n import configure_i18n
    from lms.login import configure_login
    from lms.rate_limits import configure_rate_limits

    configure_database(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    configure_rate_limits(app)
    bootstrap.init_app(app)
    configure_login(app)
    configure_i18n(app)


def register_blueprints(app: Flask) -> None:
    """Each feature's URL rules are in its package's blueprint.py."""
    from lms.admin.blueprint import bp as admin
    from lms.api.blueprint import bp as api
    from lms.auth.blueprint import bp as auth
    from lms.certificates.blueprint import bp as certificates
    from lms.cli import cli
    from lms.courses.blueprint import bp as courses
    from lms.dashboard.blueprint import bp as dashboard
    from lms.people.blueprint import bp as people
    from lms.quizzes.blueprint import bp as quizzes
    from lms.reports.blueprint import bp as reports
    from lms.roster.blueprint import bp as roster

    for blueprint in (auth, dashboard, courses, quizzes, certificates, people, admin, api, reports, roster):
        app.register_blueprint(blueprint)
    app.cli.add_command(cli)


def connect_features() -> None:
    """Features that react to others' events (certificates follow course and quiz results)."""
    from lms.certificates.register import on_requirements_changed
    from lms.signals import requirements_changed

    requirements_changed.connect(on_requirements_changed)


def configure_request_handling(app: Flask) -> None:
    from lms.errors import configure_error_pages
    from lms.navigation import configure_password_guard
    from lms.security.headers import configure_security_headers
    from lms.templating import configure_templating
    from lms.unit_of_work import configure_unit_of_work

    if app.config["LMS_PROXY_COUNT"]:
        count = app.config["LMS_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    configure_password_guard(app)
    configure_security_headers(app)
    configure_error_pages(app)
    configure_templating(app)
    configure_unit_of_work(app)
