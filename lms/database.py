"""Engine tuning per database backend."""
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from lms import models  # noqa: F401  (registers every table with the metadata)
from lms.extensions import db
from lms.sqlite_writers import queue_writers, wait_for_turn

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def configure_database(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            tune_sqlite(engine, app.config["LMS_SQLITE_BUSY_TIMEOUT_MS"], strict=app.testing)


def writes_on_read(view):
    """Mark a view that writes while answering a GET (a lesson view records the visit, an
    API call marks its token used).

    Put it above the other decorators. On SQLite such a request begins its transaction
    IMMEDIATE like every POST; any other GET reads in a deferred transaction, which takes
    no write lock, so page views run side by side instead of queueing for the lock. A GET
    that writes only now and then (finishing an attempt whose time is up) calls
    `begin_writing()` when it must, instead of being marked.
    """
    view.writes_on_read = True
    return view


def writes_late(view):
    """Mark a POST view that reads first and writes only after calling `begin_writing()`
    (autosave): on SQLite it holds the write lock for its write alone, not for the whole
    request, so a room full of autosaves is not serialised behind each other's Python work.
    Put it above the other decorators."""
    view.writes_late = True
    return view


def takes_write_lock() -> bool:
    """Whether this transaction should take SQLite's write lock when it begins: always
    outside a request (commands, jobs), for POSTs and marked GETs, and once a request has
    called `begin_writing()`."""
    if not has_request_context() or g.get("write_lock"):
        return True
    view = current_app.view_functions.get(request.endpoint)
    if request.method in READ_METHODS:
        return getattr(view, "writes_on_read", False)
    return not getattr(view, "writes_late", False)


def finish_reading(keep_loaded: bool = False) -> None:
    """End the request's transaction when it has only read, before slow work that needs no
    database (a password check takes about 0.1 s of CPU) or before writing. On SQLite a
    POST's transaction holds the write lock from its first statement, so every other writer
    in every worker would otherwise wait. The next statement begins a new transaction.

    `keep_loaded` keeps the objects read so far as they were read instead of expiring them;
    whatever must still hold when writing is then for the write itself to re-check."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("finish_reading() after a change: it would commit the change early")
    expire = session.expire_on_commit
    if keep_loaded:
        session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def begin_writing(keep_loaded: bool = True) -> None:
    """From here on this request writes. On SQLite a transaction that began without the
    write lock cannot safely take it once another connection has written (the upgrade fails
    with "database is locked" whatever the timeout), so the read transaction ends here and
    the next one begins holding the lock. A no-op where the lock is held already, and on
    other databases, whose row locks need no such care."""
    if takes_write_lock() or db.session.get_bind().dialect.name != "sqlite":
        return
    finish_reading(keep_loaded=keep_loaded)
    g.write_lock = True


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

    if engine.url.database not in (None, "", ":memory:"):
        queue_writers(engine, engine.url.database)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if takes_write_lock():
            wait_for_turn(connection)
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    if strict:
        @event.listens_for(engine, "before_cursor_execute")
        def refuse_unmarked_write(_connection, _cursor, statement, *_args):
            if statement.lstrip().upper().startswith(WRITE_VERBS) and not takes_write_lock():
                raise RuntimeError(f"{request.endpoint} writes on {request.method} without the write lock: "
                                   "call lms.database.begin_writing() first, or mark a GET view writes_on_read")
