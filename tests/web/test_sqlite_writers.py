"""SQLite writers of this app queue on a file lock: a second writer waits for the first to
commit, however short SQLite's own busy timeout, instead of failing "database is locked"."""
import os
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from lms.database import tune_sqlite

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite only")


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'writers.sqlite3'}")
    tune_sqlite(engine, busy_timeout_ms=10)  # far shorter than the first writer's transaction
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE answers (id INTEGER PRIMARY KEY, writer TEXT)"))
    yield engine
    engine.dispose()


def test_a_second_writer_waits_for_the_first_instead_of_failing(engine):
    first_has_begun, order, errors = threading.Event(), [], []

    def first():
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO answers (writer) VALUES ('first')"))
            first_has_begun.set()
            time.sleep(0.3)  # holds the write lock 30 times longer than the busy timeout
            order.append("first commits")

    def second():
        first_has_begun.wait()
        try:
            with engine.begin() as connection:
                order.append("second begins")
                connection.execute(text("INSERT INTO answers (writer) VALUES ('second')"))
        except Exception as error:  # the assertion below shows it
            errors.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert order == ["first commits", "second begins"]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT writer FROM answers ORDER BY id")).scalars().all() == ["first", "second"]

