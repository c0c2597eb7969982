"""On SQLite, page views read in deferred transactions that take no write lock, so a trainee's
page still answers while another connection holds the lock (a long write, a backup); a view
that writes on GET must say so, and the test suite refuses one that does not."""
import os
import sqlite3

import pytest
from flask_migrate import upgrade
from sqlalchemy.exc import OperationalError

from lms import create_app
from lms.auth import services
from lms.auth.passwords import hash_password, verify_password
from lms.database import takes_write_lock
from lms.extensions import db
from lms.models import Role, User, UserRole
from tests.conftest import TEST_PASSWORD

ON_POSTGRESQL = bool(os.environ.get("TEST_DATABASE_URL"))


@pytest.mark.parametrize(("method", "path", "expected"), [
    ("GET", "/trang-cua-toi", False),
    ("HEAD", "/trang-cua-toi", False),
    ("POST", "/dang-nhap", True),
    ("GET", "/luot-lam-bai/1", False),  # begins writing only to finish an attempt whose time is up
    ("POST", "/luot-lam-bai/1/luu", False),  # autosave takes the lock for its UPDATE alone
    ("GET", "/khoa-hoc/VPDT/bai/bai-1", True),  # records the visit
])
def test_only_views_that_may_write_take_the_lock(app, method, path, expected):
    with app.test_request_context(path, method=method):
        assert takes_write_lock() is expected


def test_outside_a_request_the_lock_is_taken(app):
    with app.app_context():
        assert takes_write_lock() is True


@pytest.mark.skipif(ON_POSTGRESQL, reason="the write-lock guard exists on SQLite only")
def test_a_write_in_an_unmarked_get_is_refused_by_name(app, db):
    refused = pytest.raises(RuntimeError, match=r"dashboard\.my_page writes on GET")
    with app.test_request_context("/trang-cua-toi"), refused:
        db.session.execute(db.text("UPDATE users SET full_name = full_name WHERE id = -1"))


@pytest.fixture
def file_app(tmp_path):
    """An app as production runs it (not TESTING, so no guard) on its own SQLite file."""
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                      "LMS_PASSWORD_METHOD": "pbkdf2:sha256:1000", "LMS_SQLITE_BUSY_TIMEOUT_MS": 300,
                      "RATELIMIT_STORAGE_URI": "memory://",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'lock.sqlite3'}"})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        user = User(username="khoa", full_name="Trần Thị Khóa",
                    password_hash=hash_password(TEST_PASSWORD, "pbkdf2:sha256:1000"))
        user.role_rows = [UserRole(role=str(Role.TRAINEE))]
        db.session.add(user)
        db.session.commit()
    yield app, tmp_path / "lock.sqlite3"
    with app.app_context():
        db.engine.dispose()


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's write lock")
def test_a_page_answers_while_another_connection_holds_the_write_lock(file_app):
    app, path = file_app
    client = app.test_client()
    assert client.post("/dang-nhap", data={"username": "khoa", "password": TEST_PASSWORD}).status_code == 302
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        page = client.get("/trang-cua-toi")
        assert page.status_code == 200
        assert "Trần Thị Khóa" in page.get_data(as_text=True)
        # a request that may write still waits for the lock, then gives up
        with pytest.raises(OperationalError, match="database is locked"):
            client.post("/dang-xuat")
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's write lock")
def test_signing_in_holds_no_write_lock_while_the_password_is_checked(file_app, monkeypatch):
    """A password check costs ~0.1 s of CPU; holding SQLite's lock through it would queue
    every other writer of a whole room signing in at once."""
    app, path = file_app
    others_could_write = []

    def verify_while_another_writes(stored, password):
        other = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            others_could_write.append(True)
        except sqlite3.OperationalError:
            others_could_write.append(False)
        finally:
            other.close()
        return verify_password(stored, password)

    monkeypatch.setattr(services, "verify_password", verify_while_another_writes)
    client = app.test_client()
    assert client.post("/dang-nhap", data={"username": "khoa", "password": TEST_PASSWORD}).status_code == 302
    assert others_could_write and all(others_could_write)
    with app.app_context():
        assert db.session.scalar(db.select(User.last_login_at).where(User.username == "khoa")) is not None
