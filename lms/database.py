"""Engine tuning per database backend."""
from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from lms import models  # noqa: F401  (registers every table with the metadata)
from lms.extensions import db

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def configure_database(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            tune_sqlite(engine, app.config["LMS_SQLITE_BUSY_TIMEOUT_MS"], strict=app.testing)


def writes_on_read(view):
    """Mark a view that may write while answering a GET (a lesson view records the visit,
    a quiz page finishes an attempt whose time is up, an API call marks its token used).

    Put it above the other decorators. On SQLite such a request begins its transaction
    IMMEDIATE like every POST; any other GET reads in a deferred transaction, which takes
    no write lock, so page views run side by side instead of queueing for the lock.
    """
    view.writes_on_read = True
    return view


def takes_write_lock() -> bool:
    """Whether this transaction should take SQLite's write lock when it begins: always
    outside a request (commands, jobs) and for requests that may write."""
    if not has_request_context() or request.method not in READ_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "writes_on_read", False)


def tune_sqlite(engine: Engine, busy_timeout_ms: int, strict: bool = False) -> None:
    """Make SQLite safe for several concurrent writers (threads or worker processes).

    WAL lets readers work while one writer writes; the busy timeout makes a second writer
    wait for the lock instead of failing at once. A transaction that may write begins
    IMMEDIATE, taking the write lock up front: a deferred transaction that reads and then
    writes fails with "database is locked", whatever the timeout, when another connection
    wrote in between. Reads (see `writes_on_read`) begin deferred and take no lock. With
    `strict` (tests), a write in a request that began deferred raises at once, naming the
    view that needs the mark (the test suite's requests run inside the test's own
    transaction, so the check looks at the request, not at how its transaction began).
    pysqlite's own transaction handling is switched off so that SQLAlchemy's BEGIN and
    SAVEPOINTs are what runs.
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
        connection.exec_driver_sql("BEGIN IMMEDIATE" if takes_write_lock() else "BEGIN")

    if strict:
        @event.listens_for(engine, "before_cursor_execute")
        def refuse_unmarked_write(_connection, _cursor, statement, *_args):
            if statement.lstrip().upper().startswith(WRITE_VERBS) and not takes_write_lock():
                raise RuntimeError(f"{request.endpoint} writes on {request.method}: mark the view "
                                   "with lms.database.writes_on_read")
