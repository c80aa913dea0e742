"""Connection settings: SQLite made safe for a multi-process web app (and its file
readable by the app's user only), and pooled PostgreSQL connections checked after they
sat idle."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Engine

# A pooled connection unused for longer than this is pinged before a request gets it.
IDLE_PING_SECONDS = 10.0
_LAST_CHECKIN = "academy_last_checkin"


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers proceed during a write; the busy timeout makes writers wait
    # instead of failing; SQLite leaves foreign keys off unless asked.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_before_first_savepoint(connection, _name) -> None:
    """Python's sqlite3 starts a transaction only before an INSERT, UPDATE or DELETE, so a
    SAVEPOINT that comes first opens one of its own, and releasing it commits everything
    the request has done so far. Begin the request's transaction first, as the driver
    would before a write, so the savepoint nests inside it and the view's one commit
    stays the only one."""
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def create_owner_only_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists, like ``secret_key``: the
    database and its backups hold everything about everyone. SQLite gives its -wal and
    -shm files the mode of the database file."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def sqlite_file(url: URL) -> Path | None:
    """The file of an SQLite URL; None for an in-memory database."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def _owner_only_sqlite_file(engine: Engine):
    path = sqlite_file(engine.url)

    def create_before_connecting(*_args) -> None:
        # Before SQLite creates the file with the process's umask (usually 0644). A
        # missing folder is left for SQLite to report.
        if path is not None and not path.exists() and path.parent.is_dir():
            create_owner_only_file(path)

    return create_before_connecting


def _remember_checkin(_dbapi_connection, record) -> None:
    record.info[_LAST_CHECKIN] = time.monotonic()


def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
    """A connection that sat idle may have been cut (database restart, failover, a
    firewall's timeout): ping it, and on failure let the pool replace it, so no request
    sees the error. Unlike ``pool_pre_ping`` this skips the round trip for connections
    in steady use, i.e. on every request under load."""
    last = record.info.get(_LAST_CHECKIN)
    if last is None or time.monotonic() - last < IDLE_PING_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
    except Exception as error:  # noqa: BLE001 - any failure means: use another connection
        raise exc.DisconnectionError("idle connection is gone") from error


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        # An SQLite "connection" is a file handle; nothing can cut it.
        if not event.contains(engine, "connect", _configure_sqlite_connection):
            event.listen(engine, "do_connect", _owner_only_sqlite_file(engine))
            event.listen(engine, "connect", _configure_sqlite_connection)
            event.listen(engine, "savepoint", _begin_before_first_savepoint)
    elif not event.contains(engine, "checkout", _ping_if_idle):
        event.listen(engine, "checkin", _remember_checkin)
        event.listen(engine, "checkout", _ping_if_idle)
