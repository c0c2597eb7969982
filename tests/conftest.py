"""Fixtures: one application per test run (schema built by the real migrations), each test
inside a transaction that is rolled back, a client whose requests run as in production
(a fresh application context each), factories and a login helper.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
same suite on PostgreSQL; the default is a throwaway SQLite file.
"""
import contextvars
import itertools
import os

# pyHanko asks tzlocal for the machine's zone, which warns where none is set (bare containers).
os.environ.setdefault("TZ", "UTC")

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

from lms import create_app
from lms.extensions import db as _db
from lms.extensions import limiter
from lms.models import Role, Unit, UnitLevel, UnitMembership, User, UserRole

TEST_PASSWORD = "Kiem-tra-2018"
_serial = itertools.count(1)


class IsolatedClient(FlaskClient):
    """Runs each request in an empty context, as a real server would: the test's own
    application context (and its `g`, its session) does not leak into the request."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class IsolatedCliRunner(FlaskCliRunner):
    """Runs each command in an empty context, with its own application context and session,
    as `flask lms …` would from a shell."""

    def invoke(self, *args, **kwargs):
        return contextvars.Context().run(super().invoke, *args, **kwargs)


def _reset_database(app) -> None:
    """Drop everything in the test database so the migrations run from scratch."""
    with app.app_context():
        engine = _db.engine
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite3'}"
    application = create_app({
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "LMS_PASSWORD_METHOD": "pbkdf2:sha256:1000",
        "LMS_TEMPORARY_PASSWORD_METHOD": "pbkdf2:sha256:1000",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    application.test_client_class = IsolatedClient
    application.test_cli_runner_class = IsolatedCliRunner
    _reset_database(application)
    with application.app_context():
        upgrade(directory=application.extensions["migrate"].directory)
    yield application
    with application.app_context():
        _db.engine.dispose()  # close pooled connections before the interpreter exits


@pytest.fixture
def db(app):
    """The database, with every change of the test rolled back at its end."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original_session = _db.session
        # A plain SQLAlchemy session: Flask-SQLAlchemy's own ignores `bind` and would open
        # new connections outside the test's transaction.
        _db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original_session
            transaction.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app):
    with app.app_context():
        limiter.reset()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def csrf_enabled(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def make_unit(db):
    def factory(name=None, level=UnitLevel.COMMUNE, parent=None, code=None, active=True) -> Unit:
        number = next(_serial)
        unit = Unit(name=name or f"Đơn vị thử {number}", code=code or f"T{number:05d}",
                    level=level, parent=parent, active=active)
        db.session.add(unit)
        db.session.flush()
        return unit

    return factory


@pytest.fixture
def district(make_unit):
    """A small tree: province → district → one office and one commune."""
    province = make_unit("Tỉnh Thử", UnitLevel.PROVINCE)
    district = make_unit("Huyện Thử", UnitLevel.DISTRICT, province)
    office = make_unit("Phòng Nội vụ Thử", UnitLevel.DISTRICT_OFFICE, district)
    commune = make_unit("Xã Thử", UnitLevel.COMMUNE, district)
    return {"province": province, "district": district, "office": office, "commune": commune}


@pytest.fixture
def make_user(db, app):
    from lms.auth.passwords import hash_password

    password_hash = hash_password(TEST_PASSWORD, app.config["LMS_PASSWORD_METHOD"])

    def factory(roles=(Role.TRAINEE,), unit=None, username=None, full_name=None, active=True,
                must_change_password=False, **fields) -> User:
        number = next(_serial)
        user = User(username=username or f"nguoidung{number}",
                    full_name=full_name or f"Nguyễn Văn Thử {number}", unit=unit, active=active,
                    password_hash=password_hash, must_change_password=must_change_password,
                    **fields)
        user.role_rows = [UserRole(role=str(role)) for role in roles]
        db.session.add(user)
        db.session.flush()
        if unit is not None:
            db.session.add(UnitMembership(user_id=user.id, unit_id=unit.id))
            db.session.flush()
        return user

    return factory


@pytest.fixture
def login(client):
    def do_login(username: str, password: str = TEST_PASSWORD):
        return client.post("/dang-nhap", data={"username": username, "password": password})

    return do_login


@pytest.fixture
def login_as(make_user, login):
    """Sign in as a new person holding `role` (a Role or a list of them); returns the person."""

    def do_login_as(role, **fields) -> User:
        roles = role if isinstance(role, list | tuple | set) else [role]
        user = make_user(roles=roles, **fields)
        response = login(user.username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return do_login_as
