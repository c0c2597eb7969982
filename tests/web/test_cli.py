"""The `flask lms …` commands."""
import sqlite3
import threading
import time
from datetime import datetime

import pytest
from sqlalchemy import func, insert, select

from lms import create_app
from lms.extensions import db as extensions_db
from lms.models import Role, Unit, User


def test_create_user_prints_a_one_time_password(runner, district, db):
    result = runner.invoke(args=["lms", "create-user", "vothitam", "--name", "Võ Thị Tâm",
                                 "--role", "trainer", "--unit", district["office"].code])
    assert result.exit_code == 0, result.output
    assert "Mật khẩu dùng một lần:" in result.output
    user = db.session.scalar(select(User).where(User.username == "vothitam"))
    assert user.roles == {Role.TRAINER.value} and user.must_change_password
    assert user.unit_id == district["office"].id


def test_create_user_refuses_duplicates_and_unknown_units(runner, make_user):
    make_user(username="trung")
    result = runner.invoke(args=["lms", "create-user", "trung", "--name", "Lê Trung"])
    assert result.exit_code != 0 and "đã được dùng cho tài khoản khác" in result.output
    result = runner.invoke(args=["lms", "create-user", "moi", "--name", "Mới", "--unit", "KHONGCO"])
    assert result.exit_code != 0 and "Không có đơn vị mã KHONGCO" in result.output


def test_demo_loads_once_into_an_empty_database(runner, db):
    result = runner.invoke(args=["lms", "demo"])
    assert "Đã nạp dữ liệu mẫu: 24 đơn vị, 364 người." in result.output
    again = runner.invoke(args=["lms", "demo"])
    assert "Dữ liệu mẫu đã có sẵn" in again.output
    assert db.session.scalar(select(func.count(User.id))) == 364


def test_demo_never_touches_a_database_with_real_data(runner, make_user, db):
    make_user()
    result = runner.invoke(args=["lms", "demo"])
    assert "đã có dữ liệu thật" in result.output
    assert db.session.scalar(select(func.count(Unit.id))) == 0


def test_backup_on_postgresql_prints_pg_dump(app, runner, tmp_path):
    original = app.config["SQLALCHEMY_DATABASE_URI"]
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://lms:secret@db.internal/lms"
    try:
        result = runner.invoke(args=["lms", "backup", "--out", str(tmp_path / "lms.dump")])
    finally:
        app.config["SQLALCHEMY_DATABASE_URI"] = original
    assert result.exit_code == 0
    assert "pg_dump --format=custom" in result.output and "postgresql://lms:secret@db.internal/lms" in result.output


@pytest.fixture
def sqlite_app(tmp_path):
    """A separate app on its own SQLite file, as `make run` creates it."""
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'lms.sqlite3'}",
                      "LMS_PASSWORD_METHOD": "pbkdf2:sha256:1000"})
    yield app
    with app.app_context():
        extensions_db.engine.dispose()


def test_init_creates_schema_and_first_admin_then_backup_copies_it(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    result = runner.invoke(args=["lms", "init"])
    assert result.exit_code == 0, result.output
    assert "Đã tạo tài khoản quản trị: admin" in result.output
    assert "Mật khẩu dùng một lần:" in result.output
    assert "Đã có tài khoản quản trị" in runner.invoke(args=["lms", "init"]).output
    out = tmp_path / "backup" / "copy.sqlite3"
    result = runner.invoke(args=["lms", "backup", "--out", str(out)])
    assert result.exit_code == 0 and "Đã sao lưu" in result.output
    with sqlite3.connect(out) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT username FROM users").fetchall() == [("admin",)]
    result = runner.invoke(args=["lms", "backup", "--out", str(out)])
    assert result.exit_code != 0 and "đã tồn tại" in result.output


def test_init_demo_is_idempotent_and_shows_every_feature(sqlite_app):
    from lms.certificates.signing import verify_pdf
    from lms.models import Certificate, Quiz

    runner = sqlite_app.test_cli_runner()
    first = runner.invoke(args=["lms", "init", "--demo"]).output
    assert "364 người" in first and "14 người đã đạt chuẩn" in first, first
    assert "Dữ liệu mẫu đã có sẵn" in runner.invoke(args=["lms", "init", "--demo"]).output
    with sqlite_app.app_context():
        certificates = extensions_db.session.scalars(select(Certificate).order_by(Certificate.entry_number)).all()
        assert [c.entry_number for c in certificates] == list(range(1, 15))
        assert verify_pdf(certificates[0].pdf).intact
        assert extensions_db.session.scalar(select(func.count(Quiz.id))) == 8


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_app):
    with sqlite_app.app_context(), extensions_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_concurrent_sqlite_writers_wait_instead_of_failing(sqlite_app):
    """A second writer blocks on the first one's lock and then succeeds."""
    sqlite_app.test_cli_runner().invoke(args=["lms", "init"])
    outcome = {}
    with sqlite_app.app_context():
        engine = extensions_db.engine
        first = engine.connect()
        first.begin()
        first.execute(insert(Unit).values(name="Một", code="W1", level="commune", active=True,
                                               sort_order=0, created_at=datetime.now()))

        def second_writer():
            started = time.monotonic()
            try:
                with engine.begin() as second:
                    second.execute(insert(Unit).values(name="Hai", code="W2", level="commune",
                                                            active=True, sort_order=0, created_at=datetime.now()))
                outcome["waited"] = time.monotonic() - started
            except Exception as error:
                outcome["error"] = error

        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.3)
        first.commit()
        first.close()
        thread.join(timeout=10)
        engine.dispose()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["waited"] >= 0.25
