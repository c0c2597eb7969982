"""On SQLite, this app's writers wait their turn on a file lock, not in SQLite's busy handler.

SQLite's busy handler polls with growing sleeps (1, 2, 5, 10 … 100 ms): when a room's
autosaves compete for the write lock, a waiting writer sleeps on past the moment the lock is
free while newcomers take it, and the slowest answers wait hundreds of milliseconds for a
lock held for one. Here a transaction that will write first takes an exclusive `flock` on
"<database>-writers", which the kernel hands on the moment its holder lets go, and lets go
when its connection returns to the pool, after the commit or rollback.

Only this app's connections queue so; anything else (sqlite3 in a shell, a backup) still
meets SQLite's own lock and busy timeout. A process that dies releases its lock. Where
`fcntl` does not exist (Windows), writers fall back to the busy handler alone.
"""
import os

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

try:
    import fcntl
except ImportError:  # pragma: no cover - not on the Linux servers this runs on
    fcntl = None

_LOCK_FILE = "lms_writers_fd"
_HELD = "lms_writers_held"


def queue_writers(engine: Engine, database_path: str) -> None:
    """Give each pooled connection its own handle on the lock file, released at check-in."""
    if fcntl is None:
        return
    lock_path = f"{database_path}-writers"

    @event.listens_for(engine, "connect")
    def open_lock_file(_dbapi_connection, record):
        record.info[_LOCK_FILE] = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)

    @event.listens_for(engine, "checkin")
    def let_next_writer_go(_dbapi_connection, record):
        if record.info.pop(_HELD, False):
            fcntl.flock(record.info[_LOCK_FILE], fcntl.LOCK_UN)

    @event.listens_for(engine, "close")
    def close_lock_file(_dbapi_connection, record):
        handle = record.info.pop(_LOCK_FILE, None)
        record.info.pop(_HELD, None)
        if handle is not None:
            os.close(handle)  # releases the lock too


def wait_for_turn(connection: Connection) -> None:
    """Block until no other writer of this app holds the database (call before BEGIN IMMEDIATE)."""
    info = connection.info
    if fcntl is None or _LOCK_FILE not in info or info.get(_HELD):
        return
    fcntl.flock(info[_LOCK_FILE], fcntl.LOCK_EX)
    info[_HELD] = True
