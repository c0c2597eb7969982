"""Engine tuning per database backend."""
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from lms import models  # noqa: F401  (registers every table with the metadata)
from lms.extensions import db


def configure_database(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            tune_sqlite(engine, app.config["LMS_SQLITE_BUSY_TIMEOUT_MS"])


def tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Make SQLite safe for several concurrent writers (threads or worker processes).

    WAL lets readers work while one writer writes; the busy timeout makes a second writer
    wait for the lock instead of failing at once. Transactions begin IMMEDIATE, taking the
    write lock up front: a deferred transaction that reads and then writes can otherwise
    fail with "database is locked" whatever the timeout. pysqlite's own transaction
    handling is switched off so that SQLAlchemy's BEGIN and SAVEPOINTs are what runs.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
