"""Issuing certificates from many threads at once (as several app servers would): register
numbers stay 1, 2, 3 … with no gap and no repeat, and nobody gets two certificates. Runs on
SQLite, and on PostgreSQL when TEST_DATABASE_URL points there."""
import os
import threading
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.certificates import register
from lms.courses.progress import complete_lesson
from lms.extensions import db
from lms.models import Certificate, Course, Lesson, Standard, StandardRequirement, User

PEOPLE = 8


def _database_url(tmp_path) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path / 'register.sqlite3'}"
    url = make_url(base)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS lms_register_test"))
        connection.execute(text("CREATE DATABASE lms_register_test"))
    admin.dispose()
    return url.set(database="lms_register_test").render_as_string(hide_password=False)


@pytest.fixture
def shared_app(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "LMS_PASSWORD_METHOD": "pbkdf2:sha256:1000",
                      "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path)})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        course = Course(code="SONG", title="Khóa học", status="published")
        course.lessons = [Lesson(slug="bai-1", title="Bài 1", body_markdown="x", body_html="<p>x</p>")]
        standard = Standard(name="Chuẩn", wording="Đạt chuẩn.", issuing_body="UBND", place="Thử", signer_name="A",
                            signer_title="CHỦ TỊCH", serial_prefix="SONG", active=False)
        standard.requirements = [StandardRequirement(course=course)]
        people = [User(username=f"song{n}", full_name=f"Người Thử {n}") for n in range(PEOPLE)]
        db.session.add_all([course, standard, *people])
        db.session.flush()
        for person in people:
            complete_lesson(person, course.lessons[0])
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _issue(app, username: str, errors: list, barrier: threading.Barrier) -> None:
    with app.app_context():
        try:
            barrier.wait()  # all threads start issuing at the same moment
            person = db.session.scalar(select(User).where(User.username == username))
            standard = db.session.scalar(select(Standard))
            register.issue(standard, person, today=date(2018, 12, 20))
            db.session.commit()
        except Exception as error:  # recorded, and the test fails on it
            db.session.rollback()
            errors.append(error)


def test_concurrent_issuance_keeps_the_register_whole(shared_app):
    names = [f"song{n}" for n in range(PEOPLE)] + ["song0"] * 3  # song0 asked for four times at once
    barrier = threading.Barrier(len(names))
    errors: list = []
    threads = [threading.Thread(target=_issue, args=(shared_app, name, errors, barrier)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with shared_app.app_context():
        certificates = db.session.scalars(select(Certificate).order_by(Certificate.entry_number)).all()
        assert [c.entry_number for c in certificates] == list(range(1, PEOPLE + 1))
        assert len({c.user_id for c in certificates}) == PEOPLE
        assert len({c.serial for c in certificates}) == PEOPLE
